// Shows the visitor's own score at the bottom of each demo page.
(function () {
  function show() {
    var s = window.mqlscore && typeof window.mqlscore.score === 'function' ? window.mqlscore.score() : null;
    if (!s) return;
    var why = s.reasons.slice(0, 3).map(function (r) { return r.rule + ' ' + r.points.toFixed(0); }).join(', ');
    document.getElementById('mql-status').innerHTML = 'You: <b>' + s.stage + '</b> (engagement ' + s.engagement.toFixed(0) +
      ', fit ' + s.fit.toFixed(0) + ')' + (why ? ' because ' + why : '') + ' · <a href="/dashboard/">dashboard</a>';
  }
  setInterval(show, 1000);
  document.addEventListener('mqlscore:stage_changed', show);
})();
