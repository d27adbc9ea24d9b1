// The scoring core for JavaScript (wasm/mqlscore-core.mjs over the Embind module; wasm/README.md).
// Every failure is a value: nothing here throws for bad input.

/** JSON data as JSON.parse returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Outcome<T extends object> = ({ ok: true } & T) | { ok: false; error: string };

// The scores and reasons are the same as the widget's API gives them.
import type { Reason, Scores, StageChangedSignal } from '../web/mqlscore';

export type { Reason, Scores };

/** A stage change (rules-v1.md §5): the widget's signal without what the widget adds. */
export type Signal = Omit<StageChangedSignal, 'id' | 'site' | 'rules_hash' | 'previous' | 'evidence' | 'evidence_complete'>;

export interface Rules {
  /** True when the file has no problems; only then can visitors be scored with it. */
  ok(): boolean;
  /** Every problem, with its JSON Pointer: "/rules/3/limit/per: must be one of ...". */
  problems(): string[];
  /** FNV-1a 64 of the file's UTF-8 bytes, 16 hex digits. */
  hash(): string;
  /** Frees it; visitors made with it keep it alive until they are freed too. */
  delete(): void;
}

export interface Visitor {
  /** Scores one event (rules-v1.md §2); the stage changes it caused. */
  track(event: Json): Outcome<{ signals: Signal[] }>;  // or its JSON text
  /** Scores as of `at` (ms since the epoch; a time before the latest event counts as it). */
  scores(at: number): Scores | { ok: false; error: string };
  /** The whole scoring state (docs/snapshot.md), for JSON.stringify. */
  snapshot(): Json;
  /** Goes on from a snapshot(), of these rules or others (what still applies is kept). */
  restore(snapshot: Json): Outcome<{}>;  // or its JSON text
  delete(): void;
}

export interface Core {
  Rules: new (text: string) => Rules;
  Visitor: new (rules: Rules, id: string) => Visitor;
}

/** Loads the module: from `wasmUrl` (fetched, compiled while it streams in) or from its bytes. */
export default function createMqlscoreCore(source: { wasmUrl: string } | { wasmBinary: BufferSource }): Promise<Core>;

/** fetch() that rejects, naming `name`, unless the answer is 2xx. */
export function fetchOk(url: string, name?: string): Promise<Response>;

/** JSON.parse as the core reads JSON: a leading byte order mark skipped, lone surrogates refused. */
export function readJson(text: string): { value: Json } | { error: string };
