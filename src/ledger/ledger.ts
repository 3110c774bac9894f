import { canonicalJson } from "../core/canonical-json.js";
import { systemClock, type Clock } from "../core/clock.js";
import { RunledgerError, toRunledgerError, type Issue } from "../core/errors.js";
import { ActorSchema, ProjectSchema, type Actor } from "../contracts/common.js";
import { EVENT_CATALOGUE, isEventType, STRINGIFY_IS_CANONICAL, type EventType } from "./events.js";
import { ChainVerifier, type ChainBreak, type ChainHead, type PendingRow, type StoredRow } from "./hash-chain.js";
import type { FoldedEvent, LedgerEvent, NewEvent } from "./ledger-event.js";
import type { LedgerCapabilities, LedgerStore, LedgerWriter, SealedGroup } from "./ledger-store.js";
import { deriveGroup } from "./read-models/derive-group.js";
import type { GroupDeriver, ReadModelStore, RowsDeriver } from "./read-models/read-model-store.js";
import { READ_MODEL_VERSION } from "./read-models/read-model-version.js";

export interface LedgerOptions {
  /** Stamps each event's observation time; defaults to the system clock. */
  readonly clock?: Clock;
  /**
   * Applied to every event's payload before it is validated and hashed: the one place where secret
   * values are masked on their way into the ledger, which can never forget them.
   */
  readonly redactor?: EventRedactor;
}

/** Masks secrets in a payload (a copy); `learn` adds values to mask, e.g. those an engine reads from a secret source. */
export interface EventRedactor {
  value<T>(input: T): T;
  learn?(values: Iterable<string>): void;
}

export interface ReadQuery {
  readonly afterSeq?: number;
  readonly project?: string;
  readonly types?: readonly EventType[];
  readonly pageSize?: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Events whose hash was recomputed and found right. */
  readonly checked: number;
  readonly head: ChainHead;
  readonly broken?: ChainBreak;
}

interface Prepared {
  readonly row: PendingRow;
  readonly actor: Actor;
  readonly at: string;
  readonly data: unknown;
}

/** Rows handed to the store's writer at a time: it seals and inserts them while the next are prepared. */
const SEND_ROWS = 128;

interface Waiter {
  readonly items: readonly Prepared[];
  resolve(events: LedgerEvent[]): void;
  reject(error: unknown): void;
}

/**
 * The append-only, hash-chained event log over any LedgerStore. Appends made while a commit is in
 * flight, or in the same turn of the event loop, are committed together (group commit); each
 * append() call is atomic. Each call's events go to the store's writer as they are validated, a
 * chunk at a time, and are dropped if a later one is invalid.
 */
export class Ledger {
  private readonly clock: Clock;
  private readonly writer: LedgerWriter;
  /** The redactor every payload passes, if the ledger was given one. */
  readonly redactor: EventRedactor | undefined;
  /** Frozen actor objects already validated: callers pass the same one for every event they append. */
  private readonly actors = new WeakMap<object, Actor>();
  /** Projects already found valid: a string cannot change. */
  private readonly projects = new Set<string>();
  private queue: Waiter[] = [];
  private draining = false;

  constructor(
    private readonly store: LedgerStore,
    options: LedgerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.redactor = options.redactor;
    this.writer = store.writer();
  }

  get capabilities(): LedgerCapabilities {
    return this.store.capabilities;
  }

  /** The read models the store keeps beside the events, if it keeps them. */
  get readModels(): ReadModelStore | undefined {
    return this.store.readModels;
  }

  /**
   * Rebuilds the read models from the chain when they were derived by another version of the code
   * or a table was lost; derives the events they do not reflect yet (appended by a writer that keeps
   * none). Resolves to whether it changed them.
   */
  async openReadModels(onProgress?: (seq: number, head: number) => void): Promise<boolean> {
    const models = this.store.readModels;
    if (!models) return false;
    const [status, head] = await Promise.all([this.guard(() => models.status()), this.head()]);
    if (status.version === READ_MODEL_VERSION && status.seq === head.seq) return false;
    if (status.version === READ_MODEL_VERSION && status.seq < head.seq) {
      await this.guard(() => models.catchUp(deriveRows));
      return true;
    }
    await this.rebuildReadModels(onProgress);
    return true;
  }

  /** Clears the read models and derives them again from every event, in one transaction. */
  async rebuildReadModels(onProgress?: (seq: number, head: number) => void): Promise<void> {
    const models = this.store.readModels;
    if (!models) throw new RunledgerError("ERR_CONFIG", { detail: `the ${this.store.capabilities.backend} ledger keeps no read models` });
    await this.guard(() => models.rebuild(deriveRows, READ_MODEL_VERSION, onProgress));
  }

  /** Validates every event (all problems at once, ERR_EVENT_INVALID), then appends them atomically. */
  append(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    const items: Prepared[] = [];
    const issues: Issue[] = [];
    try {
      const at = this.clock.now().toISOString();
      // The body's opening, `{"actor":…,"at":…,"data":`, is the same for every event of one actor here.
      const openings = new Map<Actor, string>();
      for (let from = 0; from < events.length; from += SEND_ROWS) {
        const to = Math.min(events.length, from + SEND_ROWS);
        const chunk = this.prepare(events, from, to, at, openings, issues);
        if (issues.length > 0) continue;
        this.writer.send(
          chunk.map((item) => item.row),
          from === 0,
          to === events.length,
        );
        for (const item of chunk) items.push(item);
      }
      if (issues.length > 0) {
        const first = issues[0] as Issue;
        throw new RunledgerError("ERR_EVENT_INVALID", { detail: `${first.path.join(".")}: ${first.message}`, issues });
      }
    } catch (error) {
      if (items.length > 0) this.writer.drop();
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.scheduleDrain();
    });
  }

  async appendOne(event: NewEvent): Promise<LedgerEvent> {
    const [stored] = await this.append([event]);
    return stored as LedgerEvent;
  }

  async head(): Promise<ChainHead> {
    return this.guard(() => this.store.head());
  }

  /** Events in sequence order, optionally filtered; bodies are parsed, not re-hashed (see verify). */
  async *read(query: ReadQuery = {}): AsyncGenerator<LedgerEvent> {
    const limit = query.pageSize ?? 5_000;
    let afterSeq = query.afterSeq ?? 0;
    for (;;) {
      const rows = await this.guard(() => this.store.scan({ afterSeq, limit, project: query.project, types: query.types }));
      for (const row of rows) yield toEvent(row);
      const last = rows.at(-1);
      if (!last || rows.length < limit) return;
      afterSeq = last.seq;
    }
  }

  /** Re-hashes the whole chain and compares it with the recorded head; reports the first bad event. */
  async verify(options: { pageSize?: number } = {}): Promise<VerifyReport> {
    const limit = options.pageSize ?? 20_000;
    const verifier = new ChainVerifier();
    const recorded = await this.head();
    const own = await this.guard(async () => this.store.verifyChain?.(recorded));
    if (own) {
      return own.broken ? { ok: false, checked: own.broken.seq - 1, head: recorded, broken: own.broken } : { ok: true, checked: recorded.seq, head: recorded };
    }
    let afterSeq = 0;
    let broken: ChainBreak | undefined;
    for (;;) {
      const scanned = await this.guard(() => this.store.scan({ afterSeq, limit }));
      // Events appended after the head was read are left for the next verify.
      const rows = (scanned.at(-1)?.seq ?? 0) > recorded.seq ? scanned.filter((r) => r.seq <= recorded.seq) : scanned;
      broken = verifier.feed(rows);
      const last = rows.at(-1);
      if (broken || !last || rows.length < limit) break;
      afterSeq = last.seq;
    }
    broken ??= verifier.finish(recorded);
    return broken ? { ok: false, checked: Math.max(0, broken.seq - 1), head: recorded, broken } : { ok: true, checked: verifier.checked, head: verifier.head };
  }

  /** Throws ERR_LEDGER_TAMPERED naming the first bad event when verify() finds a break. */
  async assertIntact(): Promise<VerifyReport> {
    const report = await this.verify();
    if (report.broken) {
      throw new RunledgerError("ERR_LEDGER_TAMPERED", {
        detail: `event ${report.broken.seq} (${report.broken.reason})`,
        context: { seq: report.broken.seq, reason: report.broken.reason },
      });
    }
    return report;
  }

  /** Waits for pending appends, then closes the store. */
  async close(): Promise<void> {
    while (this.draining) await new Promise((resolve) => setImmediate(resolve));
    await this.store.close();
  }

  /** Validates events `from` to `to`, adding their problems to `issues`, and builds their rows. */
  private prepare(events: readonly NewEvent[], from: number, to: number, at: string, openings: Map<Actor, string>, issues: Issue[]): Prepared[] {
    const prepared: Prepared[] = [];
    for (let index = from; index < to; index++) {
      const event = events[index] as NewEvent;
      const before = issues.length;
      if (!isEventType(event.type)) {
        issues.push(invalid([index, "type"], `unknown event type ${JSON.stringify(event.type)}`));
        continue;
      }
      const project = this.parseProject(event.project);
      if (!project.success) issues.push(invalid([index, "project"], project.error.issues[0]?.message ?? "invalid project"));
      const actor = this.parseActor(event.actor);
      if (!actor.success) for (const i of actor.error.issues) issues.push(invalid([index, "actor", ...pathOf(i.path)], i.message));
      const data = EVENT_CATALOGUE[event.type].safeParse(this.redactor ? this.redactor.value(event.data) : event.data);
      if (!data.success) for (const i of data.error.issues) issues.push(invalid([index, "data", ...pathOf(i.path)], i.message));
      if (!project.success || !actor.success || !data.success || issues.length > before) continue;
      let opening = openings.get(actor.data);
      if (opening === undefined) openings.set(actor.data, (opening = openingOf(actor.data, at)));
      const body = canonicalBody(event.type, opening, actor.data, at, data.data);
      prepared.push({ row: { type: event.type, project: project.data, body }, actor: actor.data, at, data: data.data });
    }
    return prepared;
  }

  private parseProject(project: unknown): ReturnType<typeof ProjectSchema.safeParse> {
    if (typeof project === "string" && this.projects.has(project)) return { success: true, data: project };
    const parsed = ProjectSchema.safeParse(project);
    if (parsed.success) this.projects.add(parsed.data);
    return parsed;
  }

  private parseActor(actor: unknown): ReturnType<typeof ActorSchema.safeParse> {
    const known = typeof actor === "object" && actor !== null ? this.actors.get(actor) : undefined;
    if (known) return { success: true, data: known };
    const parsed = ActorSchema.safeParse(actor);
    // Only a frozen object cannot change after it was checked.
    if (parsed.success && Object.isFrozen(actor)) this.actors.set(actor as object, Object.freeze(parsed.data));
    return parsed;
  }

  /**
   * Commits on the next turn of the event loop rather than at once: the I/O that completed
   * meanwhile (a stat, a process exit) gets to append first, and shares the commit.
   */
  private scheduleDrain(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      // commit() is called now, in this turn: rows sent from here on belong to the next group.
      const group = await this.guard(() => this.writer.commit(this.store.readModels ? deriverOf(batch) : undefined));
      const rows = batch.reduce((n, waiter) => n + waiter.items.length, 0);
      if (group.hashes.length !== rows) {
        throw new RunledgerError("ERR_STORAGE", { detail: `the store committed ${group.hashes.length} rows of ${rows}` });
      }
      let position = 0;
      for (const waiter of batch) {
        waiter.resolve(waiter.items.map((item) => sealedEvent(item, group, position++)));
      }
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
    this.draining = false;
    if (this.queue.length > 0) this.scheduleDrain();
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toRunledgerError(error, "ERR_STORAGE");
    }
  }
}

/** JSON.stringify escapes a lone surrogate as `\\udXXX`; canonical JSON rejects it. */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;

/** `{"actor":…,"at":…,"data":` in canonical JSON: actor and at sort before data, so the body starts so. */
function openingOf(actor: Actor, at: string): string {
  return canonicalJson({ actor, at, data: null }).slice(0, -"null}".length);
}

/**
 * The event body as canonical JSON: the opening, then the payload; where the payload schema fixes
 * key order, straight from JSON.stringify.
 */
function canonicalBody(type: EventType, opening: string, actor: Actor, at: string, data: unknown): string {
  if (!STRINGIFY_IS_CANONICAL.has(type)) return canonicalJson({ actor, at, data });
  const json = JSON.stringify(data);
  // A false alarm (a literal backslash before "ud8…") only costs the general path.
  // includes() first: a plain substring search costs a tenth of the regular expression, which runs only on a hit.
  return json.includes("\\u") && ESCAPED_SURROGATE.test(json) ? canonicalJson({ actor, at, data }) : `${opening}${json}}`;
}

function pathOf(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((key) => (typeof key === "number" ? key : String(key)));
}

/** Derives the read models' writes of stored rows (a rebuild's page, events a writer without models appended). */
const deriveRows: RowsDeriver = (rows, source) => deriveGroup(rows.map(toEvent), source);

/**
 * Derives the read models' writes of a group's events, numbered from the head the store found. The
 * payload is the one stored: where canonical JSON reorders its keys, read back from the body, so
 * that the models (and their JSON) are the same as a rebuild from the chain makes them.
 */
function deriverOf(batch: readonly Waiter[]): GroupDeriver {
  return (base, source, behind) => {
    const events: FoldedEvent[] = behind.map(toEvent);
    for (const waiter of batch) {
      for (const item of waiter.items) {
        const { type, project, body } = item.row;
        const data = STRINGIFY_IS_CANONICAL.has(type as EventType) ? item.data : (JSON.parse(body) as { data: unknown }).data;
        events.push({ seq: base + events.length - behind.length + 1, type, project, actor: item.actor, at: item.at, data } as FoldedEvent);
      }
    }
    return deriveGroup(events, source);
  };
}

/** The event at `position` in a committed group. */
function sealedEvent(item: Prepared, group: SealedGroup, position: number): LedgerEvent {
  return {
    seq: group.seq + position + 1,
    type: item.row.type,
    project: item.row.project,
    actor: item.actor,
    at: item.at,
    data: item.data,
    prev: position === 0 ? group.prev : group.hashes[position - 1],
    hash: group.hashes[position],
  } as LedgerEvent;
}

function invalid(path: (string | number)[], message: string): Issue {
  return { code: "ERR_EVENT_INVALID", path, message };
}

function toEvent(row: StoredRow): LedgerEvent {
  let body: { actor: Actor; at: string; data: unknown };
  try {
    body = JSON.parse(row.body) as typeof body;
  } catch (cause) {
    throw new RunledgerError("ERR_LEDGER_TAMPERED", { detail: `event ${row.seq} (unreadable body)`, cause });
  }
  if (!isEventType(row.type)) {
    throw new RunledgerError("ERR_LEDGER_TAMPERED", { detail: `event ${row.seq} (unknown type ${row.type})` });
  }
  return { seq: row.seq, type: row.type, project: row.project, actor: body.actor, at: body.at, data: body.data, prev: row.prev, hash: row.hash } as LedgerEvent;
}
