import type { WorkMode } from "./work-mode.js";

/** Seed 000's mode registry v1 with its fast classifier table, evidence patterns and stop rules. */
export const DEFAULT_MODES: readonly WorkMode[] = Object.freeze([
  {
    name: "PIPELINE",
    intent: "Transform inputs into validated artifacts repeatably",
    typicalOutputs: "canonical datasets, reports, materializations",
    primaryRisk: "silent data drift, partial outputs",
    keywords: ["etl", "ingest", "normalize", "backfill", "export", "jsonl", "mdx", "csv"],
    evidence: [
      { id: "artifact", description: "at least one non-trivial artifact produced", required: true },
      { id: "content-check", description: "a content validation check passed (schema, non-empty, counts)", required: true },
      { id: "manifest", description: "a manifest with counts and hashes", required: false },
    ],
    stopRules: [
      {
        id: "pipeline.unverified",
        whenMissing: "content-check",
        detail: "outputs could not be verified: convert to CONTRACT (minimal repro) or TOOLSMITH (add a gate)",
      },
    ],
  },
  {
    name: "TOOLSMITH",
    intent: "Build scalable interfaces and scaffolds",
    typicalOutputs: "CLI tools, templates, stubs, helper libs",
    primaryRisk: "building tools without adoption",
    keywords: ["cli", "tool", "script", "framework", "template", "schema", "setup", "playbook"],
    evidence: [
      { id: "usage", description: "--help or a usage text exists", required: true },
      { id: "smoke-run", description: "a smoke run with predictable exit codes", required: true },
      { id: "consumer-example", description: "one consumer example or integration pointer", required: true },
    ],
    stopRules: [
      {
        id: "toolsmith.no-adoption",
        whenMissing: "consumer-example",
        detail: "no immediate adoption path: write usage and a single consumer example, or pause",
      },
    ],
  },
  {
    name: "SERVICE",
    intent: "Keep a running thing reliable",
    typicalOutputs: "stable deploys, timers, bots, health checks",
    primaryRisk: "brittle ops, unobserved failures",
    keywords: ["deploy", "domain", "hosting", "apache", "systemd", "timer", "bot", "stability", "vercel", "github pages"],
    evidence: [
      { id: "health-check", description: "a health check exists and passes", required: true },
      { id: "logs", description: "logs exist and are readable", required: true },
      { id: "restart-safe", description: "restart-safe behaviour validated", required: false },
    ],
    stopRules: [
      {
        id: "service.unbounded",
        whenMissing: "health-check",
        detail: "changes are unbounded in a live system: switch to bounded live runs and health checks first",
      },
    ],
  },
  {
    name: "CONTRACT",
    intent: "Stabilize integration boundaries",
    typicalOutputs: "minimal repros, fixes, regression guards",
    primaryRisk: "endless debugging without closure",
    keywords: ["api", "integration", "config", "env", "keyring", "abi", "postgres", "promptflow"],
    evidence: [
      { id: "minimal-repro", description: "a minimal repro captured", required: true },
      { id: "fix-verified", description: "a fix applied and verified", required: true },
      { id: "regression-guard", description: "a regression guard added (test, gate or check)", required: true },
    ],
    stopRules: [{ id: "contract.no-repro", whenMissing: "minimal-repro", detail: "no minimal repro: force a minimal repro, then test one axis at a time" }],
  },
  {
    name: "GOVERNANCE",
    intent: "Reduce decision load and constrain WIP",
    typicalOutputs: "decisions, constraints, lock-ins, schedules",
    primaryRisk: "meta overbuild, shallow planning",
    keywords: ["strategy", "review", "roadmap", "triage", "prioritize", "control tower", "standards", "wip"],
    evidence: [
      { id: "decision", description: "one decision artifact that changes future behaviour", required: true },
      { id: "constraint", description: "a WIP constraint, cadence update, or explicit archiving", required: false },
    ],
    stopRules: [
      { id: "governance.no-constraint", whenMissing: "decision", detail: "plans without constraints: the output must change future selection behaviour" },
    ],
  },
  {
    name: "CONTACT",
    intent: "Stakeholder throughput with low overhead",
    typicalOutputs: "touches, follow-ups, queue movement",
    primaryRisk: "avoidance, scattered attention",
    keywords: ["outreach", "lead", "linkedin", "crm", "follow-up", "qualification"],
    evidence: [
      { id: "touches", description: "touches sent or the queue advanced, recorded", required: true },
      { id: "follow-up", description: "follow-ups scheduled", required: true },
      { id: "template", description: "a template improved to reduce future friction", required: false },
    ],
    stopRules: [{ id: "contact.drafting", whenMissing: "touches", detail: "drafting endlessly: send the message, then schedule the follow-up" }],
  },
]);
