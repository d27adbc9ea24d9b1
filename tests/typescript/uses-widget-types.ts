// A site's own TypeScript against dist/mqlscore.d.ts: compiled by tests/typescript_test.sh with
// `tsc --strict`; every line must type-check, and each @ts-expect-error must be an error.
import type { MqlscoreQueue, StageChangedSignal } from '../../dist/mqlscore';

window.mqlscore.on('stage_changed', (signal) => {
  const to: string = signal.to;
  const reasons: number = signal.reasons.length;
  const previous: string | undefined = signal.previous;
  console.log(to, reasons, previous, signal.evidence_complete);
});
window.mqlscore.track('video_play', { props: { video: 'intro' } });
window.mqlscore.identify({ email: 'ann@northwind.com', employees: 250 });
const scores = window.mqlscore.score();
if (scores !== null) console.log(scores.stage, scores.reasons[0]?.rule);
window.mqlscore.ready.then((api) => api?.consent(true));
const version: string = window.mqlscore.version;
document.addEventListener('mqlscore:stage_changed', (event) => console.log(event.detail.score));
const queue: MqlscoreQueue = [['track', 'video_play', {}], ['consent', true]];
const handler = (signal: StageChangedSignal): string => signal.rules_hash;

// @ts-expect-error: the only event is stage_changed
window.mqlscore.on('stage_change', () => {});
// @ts-expect-error: consent takes a boolean
window.mqlscore.consent('yes');
// @ts-expect-error: a signal's score is a number
const wrong: string = ({} as StageChangedSignal).score;

console.log(version, queue, handler, wrong);
