// The mqlscore widget on `window.mqlscore` (docs/widget.md). Shipped as dist/mqlscore.d.ts.

/** A rule's share of the current score, rounded to 6 decimals. */
export interface Reason {
  rule: string;
  points: number;
}

export interface Scores {
  engagement: number;
  fit: number;
  score: number;
  /** The current stage, e.g. "mql". */
  stage: string;
  /** Largest first. */
  reasons: Reason[];
}

/** A stage change as the widget sends it (docs/signals.md). */
export interface StageChangedSignal {
  type: 'stage_changed';
  /** Unique per signal; the endpoint deduplicates on it. */
  id: string;
  site: string;
  visitor: string;
  /** Milliseconds since the epoch. */
  ts: number;
  from: string;
  to: string;
  engagement: number;
  fit: number;
  score: number;
  reasons: Reason[];
  /** FNV-1a 64 of the rules file scored with, 16 hex digits. */
  rules_hash: string;
  /** The id of the visitor's signal before this one. */
  previous?: string;
  /** The events scored since `previous`, oldest first. */
  evidence: Array<Record<string, unknown>>;
  /** False when older events were left out of `evidence`. */
  evidence_complete: boolean;
}

/** A call as a page queues it before the script has loaded: ['track', 'video_play', {...}]. */
export type MqlscoreCall = [string, ...unknown[]];
/** `window.mqlscore` before the script has loaded, as the page's snippet sets it (docs/widget.md). */
export type MqlscoreQueue = MqlscoreCall[];

export interface MqlscoreApi {
  /** Scores a custom event: track('video_play', { props: { video: 'intro' } }). */
  track(type: string, fields?: Record<string, unknown>): void;
  /** Merges traits into the visitor's (null deletes one) and recomputes fit. */
  identify(traits: Record<string, unknown>): void;
  /** The current scores; null while loading or when the widget is inactive. */
  score(): Scores | null;
  /** Called for every stage change. */
  on(event: 'stage_changed', handler: (signal: StageChangedSignal) => void): void;
  /** Forgets this visitor: a new visitor id, scores from zero. */
  reset(): void;
  /** The site's consent decision; false deletes what the widget stored. */
  consent(granted: boolean): void;
  /** Runs queued calls: stub-queue snippets keep working after load. */
  push(...calls: MqlscoreCall[]): void;
  /** The API once loaded; null when the widget stays inactive. */
  ready: Promise<MqlscoreApi | null>;
  /** The widget's release, as in package.json. */
  readonly version: string;
}

declare global {
  interface Window {
    /** The API once the script has run (before, a page's snippet may put a MqlscoreQueue here). */
    mqlscore: MqlscoreApi;
  }
  interface DocumentEventMap {
    'mqlscore:stage_changed': CustomEvent<StageChangedSignal>;
  }
}
