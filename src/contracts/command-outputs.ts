import { CONTRACT_SCHEMAS, type ContractName } from "./contract-schemas.js";

/**
 * The contract of what each CLI command prints on stdout with `--json` when it succeeds, by
 * command path (`artifacts get`), as a `$defs` name of `contracts/runledger.schema.json`. A
 * failure prints `CommandError` whatever the command; every stderr line is a `LogLine`. A test
 * holds every registered command to an entry here.
 */
export const COMMAND_OUTPUTS = Object.freeze({
  init: "InitOutput",
  run: "RunOutput",
  resume: "RunOutput",
  complete: "RunOutput",
  effect: "EffectOutput",
  next: "RunOutput",
  runs: "RunsOutput",
  show: "RunOutput",
  receipt: "ReceiptOutput",
  explain: "ExplainOutput",
  "artifacts get": "ArtifactGetOutput",
  verify: "VerifyOutput",
  modes: "ModesOutput",
  classify: "ClassifyOutput",
  audit: "AuditOutput",
  "debug new": "DebugPacketOutput",
  "debug hypothesis": "DebugPacketOutput",
  "debug experiment": "DebugPacketOutput",
  "debug close": "DebugPacketOutput",
  "debug show": "DebugPacketOutput",
  "debug list": "DebugPacketsOutput",
  "debug missing": "DebugMissingOutput",
  "access grant": "AccessGrantOutput",
  "access revoke": "AccessRevokeOutput",
  "access list": "AccessListOutput",
  "admin pause": "AdminControlOutput",
  "admin resume": "AdminControlOutput",
  "admin drain": "AdminControlOutput",
  "admin replay": "RunOutput",
  "admin retention": "RetentionOutput",
  "admin rebuild-read-models": "ReadModelRebuildOutput",
  "operator list": "OperatorListOutput",
  "operator show": "OperatorShowOutput",
  "operator register": "OperatorTransitionOutput",
  "operator activate": "OperatorTransitionOutput",
  "operator deprecate": "OperatorTransitionOutput",
  "operator remove": "OperatorTransitionOutput",
  "watermark list": "WatermarkListOutput",
  "watermark show": "WatermarkShowOutput",
  "watermark override": "WatermarkOverrideOutput",
  "monitor run": "MonitorOutput",
  "gate status": "GatesOutput",
  "gate approve": "RunOutput",
  "gate reject": "RunOutput",
  "secret set": "SecretChangeOutput",
  "secret rotate": "SecretChangeOutput",
  "secret remove": "SecretChangeOutput",
  "secret list": "SecretListOutput",
} as const satisfies Record<string, ContractName>);

/** A command path of COMMAND_OUTPUTS. */
export type CommandPath = keyof typeof COMMAND_OUTPUTS;

/** The schema of what `command --json` prints on success. */
export function commandOutputSchema<P extends CommandPath>(command: P): (typeof CONTRACT_SCHEMAS)[(typeof COMMAND_OUTPUTS)[P]] {
  return CONTRACT_SCHEMAS[COMMAND_OUTPUTS[command]];
}
