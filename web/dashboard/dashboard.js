// The lead dashboard: the collector's /v1/leads as a table, one lead's score timeline as an SVG
// chart (engagement and fit at each stage change, stage bands, the rules behind the score), and
// the forwarding's dead letters (/v1/forwarding) when there are any.
(function () {
  'use strict';
  var STAGE_COLOURS = { sql: '#d7f0de', mql: '#dbe4fa', engaged: '#f7e6cf' };
  var selected = null;

  function el(tag, attrs, text) {
    var node = document.createElementNS(tag === 'svg' || /^(line|rect|polyline|circle|text|g)$/.test(tag) ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // A stored time no date can hold (1e300, say) shows as such; the other rows still render.
  function time(ts) {
    var date = new Date(ts);
    return isNaN(date.getTime()) ? 'invalid time' : date.toISOString().replace('T', ' ').slice(0, 19);
  }

  function renderLeads(leads) {
    var body = document.querySelector('#leads tbody');
    body.textContent = '';
    leads.forEach(function (lead) {
      var row = el('tr');
      var person = lead.person || {};
      row.appendChild(el('td', {}, lead.visitor));
      row.appendChild(el('td', {}, person.name || person.email || ''));
      row.appendChild(el('td', {}, person.company || ''));
      var stage = el('td');
      stage.appendChild(el('span', { class: 'badge ' + lead.to }, lead.to));
      row.appendChild(stage);
      [lead.score, lead.engagement, lead.fit].forEach(function (n) { row.appendChild(el('td', {}, n.toFixed(1))); });
      row.appendChild(el('td', {}, time(lead.ts)));
      row.appendChild(el('td', { class: lead.verdict }, lead.verdict));
      row.appendChild(el('td', {}, lead.status || ''));
      row.addEventListener('click', function () { selected = lead.visitor; loadLead(); });
      body.appendChild(row);
    });
  }

  function renderLead(lead) {
    document.getElementById('lead').hidden = false;
    document.getElementById('lead-title').textContent = lead.visitor;
    var svg = document.getElementById('chart');
    svg.textContent = '';
    var s = lead.signals;
    var W = 720, H = 260, L = 40, R = 20, T = 15, B = 35;
    var t0 = s[0].ts, t1 = Math.max(s[s.length - 1].ts, t0 + 1);
    var max = Math.max.apply(null, s.map(function (x) { return Math.max(x.engagement, x.fit); }).concat([10]));
    var x = function (ts) { return L + ((ts - t0) / (t1 - t0)) * (W - L - R); };
    var y = function (v) { return H - B - (v / max) * (H - T - B); };
    s.forEach(function (sig, i) {  // stage bands: from this change to the next
      var end = i + 1 < s.length ? s[i + 1].ts : t1;
      svg.appendChild(el('rect', { x: x(sig.ts), y: T, width: Math.max(x(end) - x(sig.ts), 4), height: H - T - B, fill: STAGE_COLOURS[sig.to] || '#eef0f4' }));
      svg.appendChild(el('text', { x: x(sig.ts) + 3, y: T + 12, 'font-size': 11, fill: '#445' }, sig.to));
    });
    [['engagement', '#2450c7'], ['fit', '#1b7f3b']].forEach(function (series) {
      var points = s.map(function (sig) { return x(sig.ts) + ',' + y(sig[series[0]]); }).join(' ');
      svg.appendChild(el('polyline', { points: points, fill: 'none', stroke: series[1], 'stroke-width': 2 }));
      s.forEach(function (sig) { svg.appendChild(el('circle', { cx: x(sig.ts), cy: y(sig[series[0]]), r: 3.5, fill: series[1] })); });
    });
    svg.appendChild(el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#99a' }));
    svg.appendChild(el('text', { x: L, y: H - 12, 'font-size': 11 }, time(t0)));
    svg.appendChild(el('text', { x: W - R - 120, y: H - 12, 'font-size': 11 }, time(t1)));
    svg.appendChild(el('text', { x: 4, y: y(max) + 4, 'font-size': 11 }, max.toFixed(0)));
    svg.appendChild(el('text', { x: W - R - 170, y: T + 28, 'font-size': 11, fill: '#2450c7' }, '— engagement'));
    svg.appendChild(el('text', { x: W - R - 80, y: T + 28, 'font-size': 11, fill: '#1b7f3b' }, '— fit'));
    var reasons = document.getElementById('reasons');
    reasons.textContent = '';
    s[s.length - 1].reasons.forEach(function (r) { reasons.appendChild(el('li', {}, r.rule + ': ' + r.points.toFixed(1))); });
    document.getElementById('status').textContent = lead.status || 'not a lead yet';
    var history = document.getElementById('status-history');
    history.textContent = '';
    (lead.status_history || []).forEach(function (c) {
      history.appendChild(el('li', {}, time(c.at) + '  ' + c.status + (c.reason ? ' (' + c.reason + ')' : '') + ' by ' + c.by));
    });
  }

  // The handoff: sales says what became of the lead; the collector keeps who said it and when.
  Array.prototype.forEach.call(document.querySelectorAll('[data-status]'), function (button) {
    button.addEventListener('click', function () {
      fetch('/v1/leads/' + encodeURIComponent(selected) + '/status', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: button.getAttribute('data-status'), reason: document.getElementById('status-reason').value }) })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          document.getElementById('status-error').textContent = answer.error || '';
          loadLead();
          loadLeads();
        }).catch(function () {});
    });
  });

  // Without a session the collector answers 401: the team signs in with one of its tokens, which
  // the collector trades for an HttpOnly session cookie.
  var signIn = document.getElementById('sign-in');
  function loadLeads() {
    fetch('/v1/leads').then(function (r) {
      signIn.hidden = r.status !== 401;
      return r.ok ? r.json().then(renderLeads) : null;
    }).catch(function () {});
  }
  signIn.addEventListener('submit', function (event) {
    event.preventDefault();
    fetch('/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: document.getElementById('token').value }) })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        document.getElementById('sign-in-error').textContent = answer.error || '';
        if (!answer.error) loadLeads();
      }).catch(function () {});
  });
  function loadLead() {
    if (!selected) return;
    fetch('/v1/leads/' + encodeURIComponent(selected)).then(function (r) { return r.json(); }).then(renderLead).catch(function () {});
  }
  // Signals the webhook refused for good, or that failed too often: shown until someone looks.
  function loadForwarding() {
    fetch('/v1/forwarding').then(function (r) { return r.ok ? r.json() : null; }).then(function (state) {
      if (!state) return;
      var section = document.getElementById('forwarding');
      section.hidden = state.dead.length === 0 && state.waiting === 0;
      document.getElementById('forwarding-waiting').textContent =
        state.waiting + ' verified signal(s) waiting to be forwarded; ' + state.dead.length + ' dead letter(s).';
      var body = document.querySelector('#dead-letters tbody');
      body.textContent = '';
      state.dead.forEach(function (letter) {
        var row = el('tr');
        [letter.id, letter.reason, letter.http_status || 'no answer', letter.attempts, time(letter.failed_at)].forEach(function (cell) {
          row.appendChild(el('td', {}, String(cell)));
        });
        body.appendChild(row);
      });
    }).catch(function () {});
  }
  // A link to one lead (the Slack alerts carry one): #visitor=ID.
  var linked = /[#&]visitor=([^&]+)/.exec(location.hash);
  if (linked) selected = decodeURIComponent(linked[1]);
  loadLeads();
  loadLead();
  loadForwarding();
  setInterval(function () { loadLeads(); loadLead(); loadForwarding(); }, 3000);
})();
