// The lead cockpit (docs/collector.md): the collector's leads as a table to filter, sort, search,
// page through and export; one lead's story (its events replayed from the verified evidence, the
// rules each fired, engagement and fit over time with their decay, its signals and its sales
// status); accounts; the funnel week by week; and which rules and campaigns bring MQLs that sales
// takes. Charts are SVG drawn here: a line chart and bars need no library, nothing to download,
// and nothing the dashboard's strict Content-Security-Policy would have to allow.
(function () {
  'use strict';
  const STAGE_COLOURS = { sql: '#d7f0de', mql: '#dbe4fa', engaged: '#f7e6cf' };
  const ENGAGEMENT = '#2450c7';
  const FIT = '#1b7f3b';
  const PAGE = 50;
  const SVG = /^(svg|line|rect|polyline|circle|text|title|g)$/;
  const state = { view: 'leads', visitor: null, account: null, sort: 'last_activity', order: 'desc', offset: 0, total: 0,
    timeline: null, timelineOf: -1 };

  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, text) {
    const node = document.createElementNS(SVG.test(tag) ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
    Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, attrs[k]));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // A stored time no date can hold (1e300, say) shows as such; the other rows still render.
  function time(ts) {
    const date = new Date(ts);
    return isNaN(date.getTime()) ? 'invalid time' : date.toISOString().replace('T', ' ').slice(0, 19);
  }
  const number = (n, digits = 1) => (typeof n === 'number' && isFinite(n) ? n.toFixed(digits) : '');
  function badge(stage) {
    const cell = el('td');
    if (stage) cell.appendChild(el('span', { class: 'badge ' + stage }, stage));
    return cell;
  }
  function row(values, onClick) {
    const tr = el('tr');
    values.forEach((v) => tr.appendChild(v instanceof Node ? v : el('td', {}, v === null || v === undefined ? '' : String(v))));
    if (onClick) {
      tr.tabIndex = 0;
      tr.addEventListener('click', onClick);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') onClick(); });
    }
    return tr;
  }
  function fill(tbody, rows) {
    tbody.textContent = '';
    rows.forEach((r) => tbody.appendChild(r));
  }

  // Every read: a 401 shows the sign-in form (the collector trades a team token for a session).
  const signIn = $('sign-in');
  function api(path) {
    return fetch(path).then((r) => {
      signIn.hidden = r.status !== 401;
      if (!r.ok) throw new Error(path + ' answered ' + r.status);
      return r;
    });
  }
  const json = (path) => api(path).then((r) => r.json());

  // A line chart: `lines` [{colour, points: [[ts, value]]}], stage `bands` [{from, to, stage}],
  // `dots` [{ts, value, title}] with their text on hover.
  function chart(svg, lines, bands, dots) {
    svg.textContent = '';
    const W = 720, H = Number(svg.getAttribute('viewBox').split(' ')[3]), L = 40, R = 20, T = 15, B = 35;
    const all = lines.flatMap((l) => l.points);
    if (all.length === 0) return;
    const t0 = Math.min(...all.map((p) => p[0])), t1 = Math.max(t0 + 1, ...all.map((p) => p[0]));
    const max = Math.max(10, ...all.map((p) => p[1]));
    const x = (ts) => L + ((ts - t0) / (t1 - t0)) * (W - L - R);
    const y = (v) => H - B - (v / max) * (H - T - B);
    bands.forEach((b) => {
      const from = x(Math.max(b.from, t0)), to = x(Math.min(b.to, t1));
      svg.appendChild(el('rect', { x: from, y: T, width: Math.max(to - from, 3), height: H - T - B, fill: STAGE_COLOURS[b.stage] || '#eef0f4' }));
      svg.appendChild(el('text', { x: from + 3, y: T + 12, 'font-size': 11, fill: '#445' }, b.stage));
    });
    lines.forEach((l) => {
      svg.appendChild(el('polyline', { points: l.points.map((p) => x(p[0]) + ',' + y(p[1])).join(' '), fill: 'none', stroke: l.colour, 'stroke-width': 2 }));
    });
    dots.forEach((d) => {
      const dot = el('circle', { cx: x(d.ts), cy: y(d.value), r: 3.5, fill: d.colour || ENGAGEMENT });
      dot.appendChild(el('title', {}, d.title));
      svg.appendChild(dot);
    });
    svg.appendChild(el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#99a' }));
    svg.appendChild(el('text', { x: L, y: H - 12, 'font-size': 11 }, time(t0)));
    svg.appendChild(el('text', { x: W - R - 120, y: H - 12, 'font-size': 11 }, time(t1)));
    svg.appendChild(el('text', { x: 4, y: y(max) + 4, 'font-size': 11 }, max.toFixed(0)));
  }

  // The leads: the filters and the page in the URL the collector reads (docs/collector.md).
  function leadQuery(paged) {
    const q = new URLSearchParams();
    const value = (id) => $(id).value.trim();
    if (value('q')) q.set('q', value('q'));
    [['f-stage', 'stage'], ['f-status', 'status'], ['f-verdict', 'verdict']].forEach(([id, name]) => { if (value(id)) q.set(name, value(id)); });
    if (value('f-since')) q.set('since', value('f-since'));
    if (value('f-until')) q.set('until', String(Date.parse(value('f-until')) + 86400000 - 1));  // the whole day
    q.set('sort', state.sort);
    q.set('order', state.order);
    if (paged) { q.set('limit', String(PAGE)); q.set('offset', String(state.offset)); }
    return q.toString();
  }
  // Only the latest request's answer is shown: an earlier one (the filters before a keystroke,
  // the refresh before a sort) may come back after it.
  let leadsAsked = 0;
  function loadLeads() {
    $('export').href = '/v1/leads.csv?' + leadQuery(false);
    const asked = ++leadsAsked;
    api('/v1/leads?' + leadQuery(true)).then((r) => r.json().then((leads) => {
      if (asked !== leadsAsked) return;
      state.total = Number(r.headers.get('X-Total-Count') || 0);
      renderLeads(leads);
    })).catch(() => {});
  }
  function renderLeads(leads) {
    fill(document.querySelector('#leads tbody'), leads.map((lead) => {
      const person = lead.person || {};
      const visitors = lead.visitors && lead.visitors.length > 1 ? lead.visitor + ' +' + (lead.visitors.length - 1) : lead.visitor;
      return row([person.name || '', person.email || '', person.company || '', badge(lead.to), number(lead.score),
        lead.status || '', el('td', { class: lead.verdict }, lead.verdict), time(lead.ts), visitors],
      () => { location.hash = '#visitor=' + encodeURIComponent(lead.visitor); });
    }));
    const last = Math.min(state.offset + leads.length, state.total);
    $('page-info').textContent = state.total === 0 ? 'no leads match' : (state.offset + 1) + '–' + last + ' of ' + state.total;
    $('prev').disabled = state.offset === 0;
    $('next').disabled = last >= state.total;
    document.querySelectorAll('#leads th[data-sort]').forEach((th) => {
      th.setAttribute('aria-sort', th.dataset.sort === state.sort ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none');
    });
  }
  $('filters').addEventListener('input', () => { state.offset = 0; loadLeads(); });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); loadLeads(); });
  $('next').addEventListener('click', () => { state.offset += PAGE; loadLeads(); });
  document.querySelectorAll('#leads th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    const text = ['name', 'email', 'company', 'stage', 'status'].includes(th.dataset.sort);
    state.order = state.sort === th.dataset.sort ? (state.order === 'asc' ? 'desc' : 'asc') : (text ? 'asc' : 'desc');
    state.sort = th.dataset.sort;
    state.offset = 0;
    loadLeads();
  }));

  // One lead: who, why, what sales said, what they did (replayed from the verified evidence).
  // The timeline is replayed by the collector: asked for again only when the lead has new
  // signals, not on every refresh.
  function loadLead() {
    const v = encodeURIComponent(state.visitor);
    json('/v1/leads/' + v).then((lead) => {
      renderLead(lead);
      if (lead.signals.length === state.timelineOf) return;
      state.timelineOf = lead.signals.length;
      json('/v1/leads/' + v + '/timeline').then(renderTimeline).catch(() => {
        $('timeline-note').textContent = 'No verified evidence to replay: the chart shows the stage changes.';
        fill(document.querySelector('#events tbody'), []);
      });
    }).catch(() => {});
  }
  function renderLead(lead) {
    const signals = lead.signals;
    const latest = signals.filter((s) => s.verdict === 'verified').pop() || signals[signals.length - 1];
    const person = latest.person || {};
    $('lead-title').textContent = person.name || person.email || lead.visitor;
    const visitors = [...new Set(signals.map((s) => s.visitor))];
    $('lead-who').textContent = [person.email, person.title, person.company].filter(Boolean).join(' · ') +
      (visitors.length > 1 ? ' — ' + visitors.length + ' visitors (devices): ' + visitors.join(', ') : ' — visitor ' + lead.visitor);
    fill($('reasons'), latest.reasons.map((r) => el('li', {}, r.rule + ': ' + number(r.points))));
    $('status').textContent = lead.status || 'not a lead yet';
    fill($('status-history'), (lead.status_history || []).map((c) =>
      el('li', {}, time(c.at) + '  ' + c.status + (c.reason ? ' (' + c.reason + ')' : '') + ' by ' + c.by)));
    fill(document.querySelector('#signals tbody'), signals.map((s) =>
      row([time(s.ts), s.visitor, s.from + ' → ' + s.to, number(s.score), el('td', { class: s.verdict }, s.verdict)])));
    if (!state.timeline) {  // until the replay comes: the stage changes alone
      chart($('chart'), [{ colour: ENGAGEMENT, points: signals.map((s) => [s.ts, s.engagement]) },
        { colour: FIT, points: signals.map((s) => [s.ts, s.fit]) }],
      signals.map((s, i) => ({ from: s.ts, to: i + 1 < signals.length ? signals[i + 1].ts : s.ts, stage: s.to })), []);
    }
  }
  function renderTimeline(timeline) {
    state.timeline = timeline;
    const events = timeline.events;
    $('timeline-note').textContent = timeline.complete ? '' : 'Part of the history was scored with rules the collector no longer has: it is left out.';
    const bands = [];
    events.forEach((e) => {
      if (bands.length === 0 || bands[bands.length - 1].stage !== e.stage) bands.push({ from: e.ts, to: e.ts, stage: e.stage });
      bands[bands.length - 1].to = e.ts;
    });
    const end = timeline.curve.length ? timeline.curve[timeline.curve.length - 1].ts : 0;
    if (bands.length) bands[bands.length - 1].to = end;
    bands.forEach((b, i) => { if (i + 1 < bands.length) b.to = bands[i + 1].from; });
    const awards = (e) => e.awards.map((a) => a.rule + (a.limited ? ' (limit reached)' : ' +' + number(a.points))).join(', ');
    chart($('chart'), [{ colour: ENGAGEMENT, points: timeline.curve.map((p) => [p.ts, p.engagement]) },
      { colour: FIT, points: timeline.curve.map((p) => [p.ts, p.fit]) }], bands,
    events.map((e) => ({ ts: e.ts, value: e.engagement, title: time(e.ts) + ' ' + e.type + (e.label ? ' ' + e.label : '') + (e.awards.length ? ': ' + awards(e) : '') })));
    fill(document.querySelector('#events tbody'), events.slice().reverse().map((e) =>
      row([time(e.ts), e.type, e.label, awards(e), number(e.engagement), number(e.fit), badge(e.stage)])));
  }
  // The handoff: sales says what became of the lead; the collector keeps who said it and when.
  document.querySelectorAll('[data-status]').forEach((button) => {
    button.addEventListener('click', () => {
      fetch('/v1/leads/' + encodeURIComponent(state.visitor) + '/status', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: button.getAttribute('data-status'), reason: $('status-reason').value }) })
        .then((r) => r.json())
        .then((answer) => {
          $('status-error').textContent = answer.error || '';
          loadLead();
        }).catch(() => {});
    });
  });

  // Accounts.
  function loadAccounts() {
    json('/v1/accounts').then((accounts) => {
      fill(document.querySelector('#accounts tbody'), accounts.map((a) =>
        row([a.name + (a.name !== a.account ? ' (' + a.account + ')' : ''), badge(a.stage), a.people, a.visitors, number(a.engagement),
          number(a.best_fit), a.best_stage, time(a.last_activity)], () => { location.hash = '#account=' + encodeURIComponent(a.account); })));
    }).catch(() => {});
  }
  function loadAccount() {
    json('/v1/accounts/' + encodeURIComponent(state.account)).then((answer) => {
      const a = answer.account;
      $('account-title').textContent = a.name;
      $('account-summary').textContent = (a.stage ? 'Account stage ' + a.stage + ' · ' : 'No account stage yet · ') + a.people +
        ' people on ' + a.visitors + ' visitors · engagement now ' + number(a.engagement) + ' · best fit ' + number(a.best_fit) +
        ' · last activity ' + time(a.last_activity);
      const colours = ['#2450c7', '#c77d24', '#1b7f3b', '#8a3fb3', '#b3261e', '#0b7f8a'];
      const byVisitor = {};
      answer.signals.forEach((s) => { (byVisitor[s.visitor] = byVisitor[s.visitor] || []).push(s); });
      const who = (s) => (s.person && (s.person.name || s.person.email)) || s.visitor;
      chart($('account-chart'), Object.keys(byVisitor).map((v, i) => ({ colour: colours[i % colours.length], points: byVisitor[v].map((s) => [s.ts, s.engagement]) })), [],
        answer.signals.map((s) => ({ ts: s.ts, value: s.engagement, colour: colours[Object.keys(byVisitor).indexOf(s.visitor) % colours.length], title: time(s.ts) + ' ' + who(s) + ': ' + s.from + ' → ' + s.to })));
      fill(document.querySelector('#account-people tbody'), answer.members.map((m) =>
        row([(m.person && m.person.name) || '', (m.person && m.person.email) || '', badge(m.to), number(m.score), m.status || '', time(m.ts)],
          () => { location.hash = '#visitor=' + encodeURIComponent(m.visitor); })));
      fill(document.querySelector('#account-signals tbody'), answer.signals.slice().reverse().map((s) =>
        row([time(s.ts), who(s), s.from + ' → ' + s.to, number(s.engagement), el('td', { class: s.verdict }, s.verdict)])));
    }).catch(() => {});
  }

  // The funnel: bars of the steps, the table, and week by week.
  function loadFunnel() {
    json('/v1/funnel?weeks=12').then((funnel) => {
      const svg = $('funnel-chart');
      svg.textContent = '';
      const max = Math.max(1, ...funnel.steps.map((s) => s.reached));
      funnel.steps.forEach((s, i) => {
        const y = 10 + i * 36;
        const width = Math.max(2, (s.reached / max) * 520);
        svg.appendChild(el('text', { x: 4, y: y + 20, 'font-size': 13 }, s.step));
        svg.appendChild(el('rect', { x: 90, y, width, height: 28, fill: i < 3 ? '#2450c7' : '#1b7f3b', opacity: 0.85 }));
        svg.appendChild(el('text', { x: 96 + width, y: y + 19, 'font-size': 12 }, s.reached + (s.rate === null ? '' : ' (' + (s.rate * 100).toFixed(0) + '%)')));
      });
      fill(document.querySelector('#funnel tbody'), funnel.steps.map((s) =>
        row([s.step, s.reached, s.rate === null ? '' : (s.rate * 100).toFixed(1) + '%', s.median_days === null ? '' : number(s.median_days)])));
      fill(document.querySelector('#funnel-weeks tbody'), funnel.weeks.slice().reverse().map((w) =>
        row([w.starts, w.reached.visitors, w.reached.engaged, w.reached.mql, w.reached.accepted, w.reached.sql, w.reached.won])));
    }).catch(() => {});
  }
  function loadCampaigns() {
    json('/v1/campaigns').then((rows) => {
      const most = Math.max(1, ...rows.map((r) => r.mqls));
      fill(document.querySelector('#campaigns tbody'), rows.map((r) => {
        const bar = el('td');
        const svg = el('svg', { viewBox: '0 0 100 10', class: 'bar', 'aria-hidden': 'true' });
        svg.appendChild(el('rect', { x: 0, y: 0, width: (r.mqls / most) * 100, height: 10, fill: '#dbe4fa' }));
        svg.appendChild(el('rect', { x: 0, y: 0, width: (r.sqls / most) * 100, height: 10, fill: '#1b7f3b' }));
        bar.appendChild(svg);
        return row([r.by.replace('_', ' '), r.key || '(none)', r.mqls, r.sqls, (r.sql_rate * 100).toFixed(0) + '%', bar]);
      }));
    }).catch(() => {});
  }

  // Signals the webhook refused for good, or that failed too often: shown until someone looks.
  function loadForwarding() {
    json('/v1/forwarding').then((forwarding) => {
      $('forwarding').hidden = forwarding.dead.length === 0 && forwarding.waiting === 0;
      $('forwarding-waiting').textContent =
        forwarding.waiting + ' verified signal(s) waiting to be forwarded; ' + forwarding.dead.length + ' dead letter(s).';
      fill(document.querySelector('#dead-letters tbody'), forwarding.dead.map((letter) =>
        row([letter.id, letter.reason, letter.http_status || 'no answer', letter.attempts, time(letter.failed_at)])));
    }).catch(() => {});
  }

  signIn.addEventListener('submit', (event) => {
    event.preventDefault();
    fetch('/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: $('token').value }) })
      .then((r) => r.json())
      .then((answer) => {
        $('sign-in-error').textContent = answer.error || '';
        if (!answer.error) load();
      }).catch(() => {});
  });

  // Views by the URL's fragment: #leads, #visitor=ID (the Slack alerts link so), #accounts,
  // #account=KEY, #funnel, #campaigns.
  function route() {
    const hash = location.hash.slice(1);
    const [name, value] = hash.split('=');
    const views = { visitor: 'lead', account: 'account', accounts: 'accounts', funnel: 'funnel', campaigns: 'campaigns' };
    state.view = views[name] || 'leads';
    if (name === 'visitor' && value) { state.visitor = decodeURIComponent(value); state.timeline = null; state.timelineOf = -1; }
    if (name === 'account' && value) state.account = decodeURIComponent(value);
    if ((state.view === 'lead' && !state.visitor) || (state.view === 'account' && !state.account)) state.view = 'leads';
    document.querySelectorAll('main > section[data-view]').forEach((s) => { s.hidden = s.dataset.view !== state.view; });
    const tab = { lead: 'leads', account: 'accounts' }[state.view] || state.view;
    document.querySelectorAll('#tabs a').forEach((a) => a.classList.toggle('current', a.dataset.view === tab));
    load();
  }
  function load() {
    ({ leads: loadLeads, lead: loadLead, accounts: loadAccounts, account: loadAccount, funnel: loadFunnel, campaigns: loadCampaigns })[state.view]();
    loadForwarding();
  }
  window.addEventListener('hashchange', route);
  route();
  setInterval(() => { if (state.view === 'leads' || state.view === 'lead') load(); else loadForwarding(); }, 3000);
})();
