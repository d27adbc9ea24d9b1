// The rules playground (web/playground/index.html): a rules editor with live validation, a journey
// editor, the journey's scores over time, the state in the link, and a backtest in a Web Worker.
// Scored by the widget's own WebAssembly core (wasm/mqlscore-core.mjs).
import { EditorView, basicSetup } from 'codemirror';
import { json } from '@codemirror/lang-json';
import uPlot from 'uplot';
import createMqlscoreCore from '../../wasm/mqlscore-core.mjs';
import { appendEvent, decodeState, encodeState, offsetOfProblem, replayJourney, visitorEvents } from './journey.js';

const $ = (id) => document.getElementById(id);
const STAGE_COLOURS = ['rgba(216,131,59,.18)', 'rgba(59,111,216,.16)', 'rgba(45,122,58,.14)', 'rgba(120,60,160,.12)'];
const DEFAULT_EVENTS = [
  ['page_view', { url: 'https://www.acme-analytics.com/pricing' }],
  ['cta_click', { cta: 'book-demo' }],
  ['identify', { traits: { email: 'ann@northwind.com', employees: 850, industry: 'software', country: 'US', title: 'VP Marketing' } }],
].reduce((text, [type, fields], i) => appendEvent(text, type, fields, i === 2 ? 1 : 0), '');

const coreReady = createMqlscoreCore({ wasmUrl: new URL('mqlscore-core.wasm', document.baseURI).href });
let core = null;
let rules = null;      // the core's Rules for the editor's text, or null while it has problems
let chart = null;
let lastReplay = null;
let gapDays = 0;       // added to the next appended event

const rulesEditor = new EditorView({
  parent: $('rules-editor'),
  extensions: [basicSetup, json(), EditorView.updateListener.of((update) => { if (update.docChanged) changed(); }),
    EditorView.contentAttributes.of({ 'data-testid': 'rules-editor', 'aria-label': 'rules file (JSON)' })],
});
const eventsEditor = $('events-editor');
eventsEditor.addEventListener('input', () => changed());

const rulesText = () => rulesEditor.state.doc.toString();
function setRulesText(text) {
  rulesEditor.dispatch({ changes: { from: 0, to: rulesEditor.state.doc.length, insert: text } });
}

// Re-scores on every edit; the link follows a moment later.
let saveTimer = null;
function changed() {
  render();
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveState, 150);
}

async function saveState() {
  const fragment = await encodeState({ rules: rulesText(), events: eventsEditor.value });
  history.replaceState(null, '', `#${fragment}`);
}

function showProblems(problems) {
  const list = $('problems');
  list.replaceChildren(...problems.map((problem) => {
    const item = document.createElement('li');
    item.textContent = problem;
    item.title = 'show it in the editor';
    item.addEventListener('click', () => goToProblem(problem));
    return item;
  }));
}

function goToProblem(problem) {
  const at = offsetOfProblem(rulesText(), problem);
  rulesEditor.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  rulesEditor.focus();
}

// The rules are parsed again only when their text changed: a journey edit re-scores only.
let parsedText = null;
function render() {
  if (!core) return;
  if (rulesText() !== parsedText) {
    parsedText = rulesText();
    if (rules) rules.delete();
    rules = new core.Rules(parsedText);
    showProblems(rules.ok() ? [] : rules.problems());
    lint(parsedText);
    if (!rules.ok()) {
      rules.delete();
      rules = null;
    }
  }
  showJourney(rules ? replayJourney(core, rules, eventsEditor.value) : null);
}

function showJourney(replay) {
  lastReplay = replay;
  $('events-problem').textContent = replay && replay.problem ? replay.problem : '';
  const final = replay && replay.final;
  $('final-stage').textContent = final ? final.stage : '';
  $('final-scores').textContent = final
    ? `engagement ${round(final.engagement)}, fit ${round(final.fit)}, score ${round(final.score)}`
    : (replay ? 'no events yet' : 'fix the rules first');
  $('reasons').replaceChildren(...(final ? final.reasons : []).map((reason) => {
    const item = document.createElement('li');
    item.textContent = `${reason.rule} ${reason.points > 0 ? '+' : ''}${round(reason.points)}`;
    return item;
  }));
  drawChart(replay && replay.points.length ? replay : null);
}

const round = (n) => String(Math.round(n * 100) / 100);

// The background: the visitor's stage between one point and the next (set by drawChart).
let stageNames = [];
function drawStageBands(u) {
  const points = lastReplay ? lastReplay.points : [];
  const { ctx, bbox } = u;
  ctx.save();
  for (let i = 0; i < points.length; i++) {
    const from = u.valToPos(points[i].ts / 1000, 'x', true);
    const to = i + 1 < points.length ? u.valToPos(points[i + 1].ts / 1000, 'x', true) : bbox.left + bbox.width;
    ctx.fillStyle = STAGE_COLOURS[stageNames.indexOf(points[i].stage) % STAGE_COLOURS.length] || 'transparent';
    ctx.fillRect(from, bbox.top, Math.max(to - from, 1), bbox.height);
  }
  ctx.restore();
}

// One chart for the page: an edit gives it new data, which is cheaper than a new chart.
function drawChart(replay) {
  const box = $('timeline');
  if (!replay) {
    if (chart) chart.destroy();
    chart = null;
    return;
  }
  stageNames = JSON.parse(rulesText()).stages.map((s) => s.name);
  const data = [replay.points.map((p) => p.ts / 1000), replay.points.map((p) => p.engagement), replay.points.map((p) => p.fit)];
  if (chart) {
    chart.setData(data);
  } else {
    chart = new uPlot({
      width: Math.max(box.clientWidth, 320), height: 280,
      series: [{}, { label: 'engagement', stroke: '#3b6fd8', width: 2, points: { show: true } },
        // Fit changes only at an identify: a step, not a slope.
        { label: 'fit', stroke: '#2d7a3a', width: 2, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) }],
      axes: [{}, { label: 'points' }],
      hooks: { drawClear: [drawStageBands], setCursor: [(u) => showTooltip(u, lastReplay)] },
    }, data, box);
  }
  const canvas = chart.root.querySelector('canvas');
  canvas.setAttribute('aria-label', `engagement and fit over the journey; final stage ${replay.final.stage}`);
  canvas.dataset.testid = 'timeline';
}

// What each rule gave or took at step `index` of the journey shown (replayed up to it on demand).
function awardsOf(index) {
  if (!rules) return [];
  const step = lastReplay.steps[index];
  if (!step.awards) step.awards = replayJourney(core, rules, eventsEditor.value, index).steps[index].awards;
  return step.awards;
}

// The hovered point: its event, the points each rule awarded there, the scores after it.
function showTooltip(u, replay) {
  const tip = $('tooltip');
  const index = u.cursor.idx;
  if (index === null || index === undefined || u.cursor.left < 0) { tip.hidden = true; return; }
  const point = replay.points[index];
  const step = point.step === null ? null : replay.steps[point.step];
  const lines = step
    ? [`${step.event.type} (line ${step.line})`, ...awardsOf(point.step).map((a) => `${a.rule} ${a.points > 0 ? '+' : ''}${round(a.points)}`)]
    : ['between events: decay'];
  lines.push(`engagement ${round(point.engagement)}, fit ${round(point.fit)}; ${point.stage}`);
  tip.replaceChildren(...lines.map((text, i) => { const div = document.createElement(i ? 'div' : 'strong'); div.textContent = text; return div; }));
  const box = u.over.getBoundingClientRect();
  tip.style.left = `${box.left + u.cursor.left + 12}px`;
  tip.style.top = `${box.top + u.cursor.top + 12}px`;
  tip.hidden = false;
}

// The journey's buttons.
for (const button of document.querySelectorAll('[data-add]')) {
  button.addEventListener('click', () => {
    const type = button.dataset.add;
    if (type === 'gap') {
      gapDays += Number($('add-days').value) || 0;
      $('events-problem').textContent = `the next event comes ${gapDays} days later`;
      return;
    }
    let fields;
    if (type === 'page_view') fields = { url: new URL($('add-path').value || '/', 'https://www.acme-analytics.com').href };
    if (type === 'cta_click') fields = { cta: $('add-cta').value };
    if (type === 'form_submit') fields = { form: $('add-form').value };
    if (type === 'download') fields = { url: `https://www.acme-analytics.com/files/${$('add-file').value}`, file: $('add-file').value };
    if (type === 'identify') {
      try { fields = { traits: JSON.parse($('add-traits').value) }; } catch (error) {
        $('events-problem').textContent = `traits: not JSON (${error.message})`;
        return;
      }
    }
    eventsEditor.value = appendEvent(eventsEditor.value, type, fields, gapDays);
    gapDays = 0;
    changed();
  });
}

// A visitor of the sample log, into the journey editor.
let sampleLog = null;
const sampleReady = fetch('sample.events.jsonl').then((r) => (r.ok ? r.text() : '')).then((text) => {
  sampleLog = text;
  const ids = [...new Set(text.split('\n').filter(Boolean).map((line) => JSON.parse(line).visitor))];
  $('sample-visitor').append(...ids.map((id) => new Option(id, id)));
}).catch(() => {});
$('sample-visitor').addEventListener('change', (e) => {
  if (!e.target.value || !sampleLog) return;
  eventsEditor.value = visitorEvents(sampleLog, e.target.value);
  changed();
});

$('share').addEventListener('click', async () => {
  await saveState();
  try {
    await navigator.clipboard.writeText(location.href);
    $('share-status').textContent = 'link copied';
  } catch {
    $('share-status').textContent = 'the link is this page\'s address';
  }
});

// The backtest, in a worker: the page stays responsive whatever the history's size.
const worker = new Worker('backtest-worker.js');
let backtestRuns = 0;
const pendingBacktests = new Map();
worker.addEventListener('message', ({ data }) => {
  const pending = pendingBacktests.get(data.run);
  pendingBacktests.delete(data.run);
  if (pending) pending(data);
});
// What validate warns about in these rules (valid, but almost surely a mistake), from the worker.
function lint(text) {
  const run = ++backtestRuns;
  pendingBacktests.set(run, ({ warnings }) => {
    if (text !== rulesText()) return;  // an older text's
    $('warnings').replaceChildren(...warnings.map((warning) => {
      const item = document.createElement('li');
      item.textContent = warning;
      item.title = 'show it in the editor';
      item.addEventListener('click', () => goToProblem(warning));
      return item;
    }));
  });
  worker.postMessage({ run, lint: text });
}

function runBacktest(sample = $('backtest-sample').value) {
  const run = ++backtestRuns;
  $('backtest-status').textContent = 'running…';
  const started = performance.now();
  return new Promise((resolve) => {
    pendingBacktests.set(run, resolve);
    worker.postMessage({ run, rules: rulesText(), sample });
  }).then((answer) => {
    $('backtest-status').textContent = answer.ok
      ? `done in ${Math.round(performance.now() - started)} ms` : answer.error;
    if (answer.ok) showBacktest(answer.figures);
    return answer;
  });
}
$('run-backtest').addEventListener('click', () => runBacktest());

function showBacktest(figures) {
  const box = $('backtest-result');
  const table = (header, rows) => {
    const element = document.createElement('table');
    element.innerHTML = `<thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`;
    const body = element.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const cell of row) {
        const td = tr.insertCell();
        if (cell instanceof Node) td.append(cell); else td.textContent = cell === null ? '–' : String(cell);
      }
    }
    return element;
  };
  const widest = Math.max(1, ...figures.stages.map((s) => s.reached));
  const bar = (reached, positives) => {
    const funnel = document.createElement('span');
    funnel.className = 'funnel';
    for (const [count, name] of [[reached, 'bar'], [positives, 'bar positive']]) {
      const part = document.createElement('span');
      part.className = name;
      part.style.width = `${(200 * count) / widest}px`;
      funnel.append(part);
    }
    return funnel;
  };
  const summary = document.createElement('p');
  summary.textContent = `${figures.visitors} visitors, ${figures.positives} positive (base rate ${figures.base_rate ?? '–'}), ${figures.unmatched_outcomes} outcome rows matched no visitor.`;
  const curve = document.createElement('div');
  box.replaceChildren(summary, table(['stage', 'funnel (orange: positive)', 'reached', 'positives', 'precision', 'recall', 'lift', 'median days'],
    figures.stages.map((s) => [s.stage, bar(s.reached, s.positives), s.reached, s.positives, s.precision, s.recall, s.lift, s.median_days_to_stage])), curve);
  if (figures.thresholds.length > 1) {
    new uPlot({
      width: 520, height: 220, scales: { x: { time: false }, y: { range: [0, 1] } },
      series: [{ label: 'engagement ≥' }, { label: 'precision', stroke: '#3b6fd8', width: 2 }, { label: 'recall', stroke: '#d8833b', width: 2 }],
      axes: [{ label: 'peak engagement at least' }, {}],
    }, [figures.thresholds.map((t) => t.engagement), figures.thresholds.map((t) => t.precision), figures.thresholds.map((t) => t.recall)], curve);
  }
}

window.playground = {
  setRules(text) { setRulesText(text); },
  cursor: () => rulesEditor.state.selection.main.head,
  setEvents(text) { eventsEditor.value = text; changed(); },
  rules: rulesText,
  events: () => eventsEditor.value,
  journey: () => lastReplay,
  awards: (step) => awardsOf(step),
  runBacktest,
  ready: null,
};

window.playground.ready = (async () => {
  core = await coreReady;
  const state = await decodeState(location.hash);
  if (state) {
    setRulesText(state.rules);
    eventsEditor.value = state.events;
  } else {
    const response = await fetch('rules.json');
    setRulesText(response.ok ? await response.text() : '{"version": 1, "stages": [{"name": "visitor"}], "rules": []}');
    eventsEditor.value = DEFAULT_EVENTS;
  }
  render();
  await sampleReady;
  return window.playground;
})();
