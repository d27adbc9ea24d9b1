// The public API of the mqlscore widget on `window.mqlscore` (docs/widget.md).

import type { Reason, Scores, Signal } from '../wasm/mqlscore-core';

export type { Reason, Scores };

/** A stage change as the widget sends it: the core's signal, with what the endpoint needs. */
export interface StageChangedSignal extends Signal {
  /** Unique per signal; the endpoint deduplicates on it. */
  id: string;
  site: string;
  /** FNV-1a 64 of the rules file the widget scored with (16 hex digits). */
  rules_hash: string;
  /** The visitor's events as scored, oldest first, for the endpoint to re-score. */
  evidence: Array<Record<string, unknown>>;
  /** False when older events were dropped from `evidence` (it keeps the latest 200). */
  evidence_complete: boolean;
}

export interface MqlscoreApi {
  /** Scores a custom event, e.g. track("video_play", { props: { video: "intro" } }). */
  track(type: string, fields?: Record<string, unknown>): void;
  /** Merges traits into the visitor's traits (null deletes one) and recomputes fit. */
  identify(traits: Record<string, unknown>): void;
  /** Current scores, or null while loading or when the widget is inactive. */
  score(): Scores | null;
  /** Called for every stage change, after it is queued for the endpoint. */
  on(event: 'stage_changed', handler: (signal: StageChangedSignal) => void): void;
  /** Forgets this visitor: a new visitor id, scores from zero. */
  reset(): void;
  /** The site's consent decision; true lets the widget store and send (see data-consent). */
  consent(granted: boolean): void;
  /** Runs [method, ...args] calls, as queued before load: stub-queue snippets keep working. */
  push(...calls: Array<[string, ...unknown[]]>): void;
  /** Resolves with the API once loaded, or with null when the widget stays inactive. */
  ready: Promise<MqlscoreApi | null>;
  /** The widget's release, as in package.json. */
  readonly version: string;
}

/** Before the script loads, window.mqlscore may be a queue of [method, ...args] calls. */
export type MqlscoreQueue = Array<[string, ...unknown[]]>;

declare global {
  interface Window {
    mqlscore: MqlscoreApi | MqlscoreQueue;
  }
  interface DocumentEventMap {
    'mqlscore:stage_changed': CustomEvent<StageChangedSignal>;
  }
}
