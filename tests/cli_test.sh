#!/usr/bin/env bash
# End-to-end checks of the `mqlscore` command line: exit statuses, messages, bad input.
# usage: tests/cli_test.sh path/to/mqlscore   (run from the repository root)
set -u
cli=$1
rules=examples/b2b-saas.rules.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# run NAME EXPECTED_STATUS COMMAND...: runs it, keeping stdout and stderr in $work/out, $work/err
run() {
  local name=$1 expected=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local status=$?
  [[ $status == "$expected" ]] || fail "$name: exit $status, expected $expected; stderr: $(head -c 500 "$work/err")"
}
contains() { grep -qF -- "$2" "$work/$1" || fail "$3: $1 lacks '$2'; it has: $(head -c 500 "$work/$1")"; }

# validate
run "validate example" 0 "$cli" validate "$rules"
[[ $(cat "$work/out") == ok ]] || fail "validate prints ok"
[[ ! -s "$work/err" ]] || fail "validate example: nothing on stderr, got $(head -c 300 "$work/err")"
run "validate track warnings" 0 "$cli" validate tests/rules-corpus/valid/track-anything.json
[[ $(cat "$work/out") == ok ]] || fail "validate with track warnings still prints ok"
[[ $(cat "$work/err") == 'widget warning: track.scroll must be false or a list of percentages, not [25,"x"]; using the default
widget warning: track.engaged_seconds must be false or a list of seconds, not "often"; using the default
widget warning: track.scrolls is not a setting (page_views, ctas, forms, downloads, scroll, engaged_seconds, traits); ignored' ]] ||
  fail "validate track warnings: $(cat "$work/err")"
run "validate invalid" 1 "$cli" validate tests/rules-corpus/invalid/limit-per-month.json
[[ $(cat "$work/out") == '/rules/0/limit/per: must be one of session, day, week, ever; not "month"' ]] ||
  fail "validate message: $(cat "$work/out")"
run "validate accounts" 1 "$cli" validate tests/rules-corpus/invalid/accounts-people-zero.json
[[ $(cat "$work/out") == '/accounts/stages/0/people: must be a whole number of at least 1' ]] ||
  fail "validate accounts message: $(cat "$work/out")"
run "validate not json" 1 "$cli" validate tests/rules-corpus/invalid/not-json.json
contains out "the rules file is not valid JSON: parse error at line 1" "not json"
run "validate missing file" 1 "$cli" validate "$work/nope.json"
contains out "cannot read $work/nope.json" "missing rules file"
run "validate usage" 64 "$cli" validate
contains err "usage: mqlscore validate" "usage text"

# hash: FNV-1a 64 of the file's bytes, the rules_hash signals carry
run "hash example" 0 "$cli" hash examples/b2b-saas.rules.json
expected_hash=$(node -e '
  let h = 1469598103934665603n;  // the offset basis of every release so far (docs/cli.md)
  for (const b of require("fs").readFileSync(process.argv[1])) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  console.log(h.toString(16).padStart(16, "0"));' examples/b2b-saas.rules.json)
[[ $(cat "$work/out") == "$expected_hash" ]] || fail "hash: $(cat "$work/out"), expected $expected_hash"
run "hash invalid" 1 "$cli" hash tests/rules-corpus/invalid/limit-per-month.json
[[ ! -s "$work/out" ]] || fail "hash invalid: nothing on stdout"
contains err '/rules/0/limit/per: must be one of session, day, week, ever; not "month"' "hash names the problems"
run "hash usage" 64 "$cli" hash

# a rules file nested 10,000 levels deep, and one larger than 16 MiB
node -e '
  const deep = "[".repeat(10000) + "]".repeat(10000);
  process.stdout.write(`{"version":1,"stages":[{"name":"v"}],"rules":[{"id":"a","on":"x","points":1,"if":{"all":${deep}}}]}`);
' >"$work/deep.json"
run "deep rules" 1 "$cli" validate "$work/deep.json"
[[ $(wc -l <"$work/out") -ge 1 && $(wc -l <"$work/out") -le 2 ]] || fail "deep rules: one short message, got $(wc -c <"$work/out") bytes"
head -c 17000000 /dev/zero | tr '\0' ' ' >"$work/huge.json"
run "huge rules" 1 "$cli" validate "$work/huge.json"
contains out "the rules file is 17000000 bytes; the limit is 16 MiB" "huge rules"
run "score with bad rules" 2 "$cli" score --rules tests/rules-corpus/invalid/limit-per-month.json /dev/null
contains err '/rules/0/limit/per: must be one of session, day, week, ever; not "month"' "score repeats validate's messages"

# score: one line per visitor, in order of first appearance
scripts/gen-events --visitors 50 --events 2000 --seed 7 --out "$work/events.jsonl"
run "score" 0 "$cli" score --rules "$rules" "$work/events.jsonl"
node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const events = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse);
  const order = [...new Set(events.map(e => e.visitor))];
  if (lines.length !== order.length) throw new Error(`${lines.length} lines for ${order.length} visitors`);
  lines.forEach((l, i) => {
    if (l.visitor !== order[i]) throw new Error(`line ${i} is ${l.visitor}, expected ${order[i]}`);
    for (const k of ["engagement", "fit", "score"]) if (typeof l[k] !== "number") throw new Error(k);
    if (Math.abs(l.score - l.engagement - l.fit) > 2e-6) throw new Error("score != engagement + fit");
    for (const s of l.signals) if (s.type !== "stage_changed" || !Array.isArray(s.reasons)) throw new Error("signal");
  });
  if (!lines.some(l => l.stage === "mql" || l.stage === "sql")) throw new Error("nobody qualified");
' "$work/out" "$work/events.jsonl" || fail "score output shape"
cp "$work/out" "$work/first"
run "score from stdin" 0 "$cli" score --rules "$rules" <"$work/events.jsonl"
cmp -s "$work/out" "$work/first" || fail "stdin gives the same result as a file"
run "score from - " 0 "$cli" score --rules "$rules" - <"$work/events.jsonl"
cmp -s "$work/out" "$work/first" || fail "- reads stdin"

# --at: the reporting time decays engagement and can drop a non-sticky stage
printf '%s\n' '{"type":"page_view","ts":"2026-01-01T00:00:00Z","visitor":"a","url":"https://x.com/pricing"}' \
  '{"type":"cta_click","ts":"2026-01-01T00:01:00Z","visitor":"a","cta":"book-demo"}' >"$work/at.jsonl"
run "score now" 0 "$cli" score --rules "$rules" "$work/at.jsonl"
contains out '"stage":"engaged"' "engaged before decay"
run "score --at" 0 "$cli" score --rules "$rules" --at 2026-03-01T00:00:00Z "$work/at.jsonl"
contains out '"stage":"visitor"' "decayed at --at"
contains out '"from":"engaged","to":"visitor"' "a signal for the decay"
run "score --at ms" 0 "$cli" score --rules "$rules" --at 1772323200000 "$work/at.jsonl"
contains out '"to":"visitor"' "--at in milliseconds"
run "score bad --at" 64 "$cli" score --rules "$rules" --at tomorrow "$work/at.jsonl"

# bad lines: reported with their line number, skipped, exit 3; the rest is scored
{
  echo '{"type":"page_view","ts":1767225600000,"visitor":"good","url":"https://x.com/pricing"}'
  echo 'not json at all'
  head -c 300 /dev/urandom | tr -d '\n'; echo
  echo '{"type":"page_view","ts":true,"visitor":"x"}'
  echo '{"type":"page_view","ts":{"a":1},"visitor":"x"}'
  echo '{"type":"page_view","ts":1e400,"visitor":"x"}'
  echo '{"type":"page_view","ts":1767225600000}'
  echo '{"ts":1767225600000,"visitor":"x"}'
  echo '{"type":"session_start","ts":1767225600000,"visitor":"x"}'
  node -e 'process.stdout.write(`{"type":"page_view","ts":1,"visitor":"x","title":"${"a".repeat(100 * 1024 * 1024)}"}\n`)'
  echo ''
  echo '{"type":"page_view","ts":1767225600001,"visitor":"good","url":"https://x.com/pricing"}'
} >"$work/bad.jsonl"
run "bad lines" 3 "$cli" score --rules "$rules" "$work/bad.jsonl"
contains err "bad.jsonl:2: not valid JSON: parse error at line 1, column 1: invalid literal" "junk line"
contains err "bad.jsonl:3: not valid JSON" "binary line"
contains err "bad.jsonl:4: ts must be milliseconds since the epoch (a number) or an RFC 3339 string" "ts bool"
contains err "bad.jsonl:5: ts must be milliseconds" "ts object"
contains err "bad.jsonl:6: not valid JSON: parse error at line 1, column 26: 1e400 is too large for a number" "1e400"
contains err "bad.jsonl:7: visitor is required (a non-empty string)" "no visitor"
contains err "bad.jsonl:8: type is required" "no type"
contains err "bad.jsonl:9: session_start events are made by the scorer and cannot be sent" "session_start"
contains err "bad.jsonl:10: line longer than 1 MiB; skipped" "100 MB line"
contains err "bad.jsonl: 9 bad lines skipped" "summary"
[[ $(wc -l <"$work/out") == 1 ]] || fail "bad lines: the good visitor is still scored"
contains out '"visitor":"good","engagement":30' "good lines scored"
# Lines far longer than a read chunk (64 KiB) but within the 1 MiB limit are scored whole.
{
  echo '{"type":"page_view","ts":1767225600000,"visitor":"long","url":"https://x.com/pricing",'
  printf '"title":"%s"}\n' "$(head -c 900000 /dev/zero | tr '\0' 'a')"
} | tr -d '\n' >"$work/long.jsonl"
echo >>"$work/long.jsonl"
echo '{"type":"page_view","ts":1767225600001,"visitor":"long","url":"https://x.com/demo"}' >>"$work/long.jsonl"
run "long line" 0 "$cli" score --rules "$rules" "$work/long.jsonl"
contains out '"visitor":"long","engagement":25' "long line scored (pricing 15 + demo 10)"
run "missing events file" 4 "$cli" score --rules "$rules" "$work/none.jsonl"
run "unknown option" 64 "$cli" score --rules "$rules" --verbose
run "unknown command" 64 "$cli" frobnicate

# explain: the timeline of one visitor
run "explain" 0 "$cli" explain --rules "$rules" --visitor a "$work/at.jsonl"
contains out "visitor a: 2 events in 1 sessions" "explain header"
contains out "2026-01-01T00:00:00Z  page_view url=https://x.com/pricing" "explain event"
contains out "pricing-page +15" "explain award"
contains out ">>> stage visitor -> engaged" "explain stage change"
contains out "why:" "explain reasons"
contains out "book-demo-click 15  - Clicked a sales call-to-action" "explain reason text"
run "explain unknown visitor" 1 "$cli" explain --rules "$rules" --visitor nobody "$work/at.jsonl"
contains err 'no events for visitor "nobody"' "unknown visitor"

# backtest (../shared/spec/backtest-v1.md), on the case worked by hand in tests/fixtures/backtest/
bt=tests/fixtures/backtest
run "backtest json" 0 "$cli" backtest --rules $bt/rules.json --outcomes $bt/outcomes.csv --json $bt/events.jsonl
[[ $(cat "$work/out") == "$(cat $bt/expected.json)" ]] || fail "backtest json: $(cat "$work/out")"
run "backtest: several rows per visitor, no ts, e-mail in capitals" 0 "$cli" backtest --rules $bt/rules.json \
  --outcomes $bt/outcomes-more.csv --json $bt/events.jsonl
[[ $(cat "$work/out") == "$(cat $bt/expected-more.json)" ]] || fail "backtest more: $(cat "$work/out")"
run "backtest from stdin" 0 "$cli" backtest --rules $bt/rules.json --outcomes $bt/outcomes.csv --json <$bt/events.jsonl
[[ $(cat "$work/out") == "$(cat $bt/expected.json)" ]] || fail "backtest from stdin: $(cat "$work/out")"
run "backtest tables and report" 0 "$cli" backtest --rules $bt/rules.json --outcomes $bt/outcomes.csv \
  --report "$work/report.html" $bt/events.jsonl
contains out "3 visitors, 2 positive (base rate 0.666667), 2 outcome rows matched no visitor" "backtest summary"
contains out "mql          2          2          1       1   1.5          1.5" "backtest stage table"
contains report.html "<h2>Funnel by stage</h2>" "report funnel"
contains report.html "<h2>Precision and recall by engagement threshold</h2>" "report curve"
contains report.html "<h2>Rules ranked by lift</h2>" "report lift"
! grep -qE '<script|src=|href=' "$work/report.html" || fail "the report needs no network and runs no script"
run "backtest positive labels" 0 "$cli" backtest --rules $bt/rules.json --outcomes $bt/outcomes.csv \
  --positive rejected --thresholds 15 --json $bt/events.jsonl
contains out '"visitors":3,"positives":0,"base_rate":0,' "no positives"
contains out '"thresholds":[{"engagement":15,"reached":2,"positives":0,"precision":0,"recall":null}]' "recall null without positives"
printf 'visitor,outcome\na,s q l\n' >"$work/bad.csv"
run "backtest bad outcome row" 2 "$cli" backtest --rules $bt/rules.json --outcomes "$work/bad.csv" $bt/events.jsonl
[[ $(cat "$work/err") == "mqlscore: $work/bad.csv: line 2: outcome must be 1 to 64 of A-Z a-z 0-9 _ . - (got \"s q l\")" ]] ||
  fail "bad outcome row: $(cat "$work/err")"
[[ ! -s "$work/out" ]] || fail "no figures from a malformed outcomes file"
printf '{"type":"page_view","visitor":"a","ts":1}\n{"type":"page_view"\n' >"$work/bad.jsonl"
run "backtest bad event line" 2 "$cli" backtest --rules $bt/rules.json --outcomes $bt/outcomes.csv "$work/bad.jsonl"
contains err "$work/bad.jsonl:2: not valid JSON" "bad event line named"
run "backtest missing events" 2 "$cli" backtest --rules $bt/rules.json --outcomes $bt/outcomes.csv "$work/none.jsonl"
[[ $(cat "$work/err") == "mqlscore: cannot read $work/none.jsonl: No such file or directory" ]] || fail "missing events: $(cat "$work/err")"
run "backtest invalid rules" 1 "$cli" backtest --rules tests/rules-corpus/invalid/limit-per-month.json --outcomes $bt/outcomes.csv $bt/events.jsonl
contains err '/rules/0/limit/per: must be one of session, day, week, ever; not "month"' "backtest rules problems"
run "backtest missing outcomes" 2 "$cli" backtest --rules $bt/rules.json $bt/events.jsonl
contains err "--outcomes OUTCOMES.csv is required" "backtest usage"
run "backtest unreadable outcomes" 2 "$cli" backtest --rules $bt/rules.json --outcomes "$work/none.csv" $bt/events.jsonl
contains err "cannot read $work/none.csv" "unreadable outcomes"
run "backtest bad thresholds" 2 "$cli" backtest --rules $bt/rules.json --outcomes $bt/outcomes.csv --thresholds 10,x $bt/events.jsonl
contains err '--thresholds: "x" is not a number' "bad thresholds"

# diff: the stage counts are those of two score runs
python3 - "$rules" "$work/b.json" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))
rules["rules"][0]["points"] = 30          # pricing-page counts double
rules["stages"][1]["engagement"] = 50     # and mql comes earlier
json.dump(rules, open(sys.argv[2], "w"))
PY
events=examples/b2b-saas.events.jsonl
run "diff json" 0 "$cli" diff --rules "$rules" --rules "$work/b.json" --json $events
cp "$work/out" "$work/diff.json"
"$cli" score --rules "$rules" $events >"$work/score-a.jsonl"
"$cli" score --rules "$work/b.json" $events >"$work/score-b.jsonl"
node -e '
  const fs = require("fs");
  const [diff, a, b] = process.argv.slice(1).map((f) => fs.readFileSync(f, "utf8"));
  const count = (lines) => { const c = {}; for (const l of lines.trim().split("\n")) { const s = JSON.parse(l).stage; c[s] = (c[s] || 0) + 1; } return c; };
  const ca = count(a), cb = count(b), d = JSON.parse(diff);
  for (const s of d.stages) if ((ca[s.stage] || 0) !== s.a || (cb[s.stage] || 0) !== s.b) { console.error("stage", s.stage, s, ca, cb); process.exit(1); }
  const finals = (lines) => Object.fromEntries(lines.trim().split("\n").map((l) => JSON.parse(l)).map((v) => [v.visitor, v.stage]));
  const fa = finals(a), fb = finals(b);
  const moved = Object.keys(fa).filter((v) => fa[v] !== fb[v]);
  const listed = new Set(d.changed_visitors.map((c) => c.visitor));
  if (!moved.every((v) => listed.has(v)) || d.changed !== d.changed_visitors.length || d.visitors !== Object.keys(fa).length) { console.error("changed", moved, [...listed]); process.exit(1); }
' "$work/diff.json" "$work/score-a.jsonl" "$work/score-b.jsonl" || fail "diff counts differ from two score runs"
run "diff tables, outcomes and report" 0 "$cli" diff --rules "$rules" --rules "$work/b.json" \
  --outcomes examples/b2b-saas.outcomes.csv --report "$work/diff.html" $events
contains out "40 visitors, " "diff summary"
contains out "Backtest under B" "diff with outcomes"
contains diff.html "<h2>Where visitors end</h2>" "diff report"
contains diff.html "<h2>Against sales outcomes</h2>" "diff report backtest"
run "diff one rules file" 2 "$cli" diff --rules "$rules" $events
contains err "two rules files are required" "diff usage"

# "as of a date": --until leaves out the later events and reports at that time; a date is midnight UTC
ex=examples/b2b-saas.events.jsonl
run "score --until a date" 0 "$cli" score --rules "$rules" --until 2026-01-10 $ex
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const asOf = Date.UTC(2026, 0, 10);
  if (!lines.every((l) => l.as_of === asOf)) { console.error("as_of", lines[0]); process.exit(1); }
  if (!lines.every((l) => l.signals.every((s) => s.ts <= asOf))) { console.error("a later signal"); process.exit(1); }
' "$work/out" || fail "score --until: every line as of 2026-01-10, nothing after it"
node -e '
  const until = Date.UTC(2026, 0, 10);
  const time = (ts) => (typeof ts === "number" ? ts : Date.parse(ts));
  const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").filter((l) => time(JSON.parse(l).ts) <= until);
  process.stdout.write(lines.join("\n") + "\n");' <$ex >"$work/until.jsonl"
"$cli" score --rules "$rules" --at 2026-01-10 "$work/until.jsonl" | sed 's/}$//' >"$work/cut.jsonl"
sed 's/,"as_of":[0-9]*}$//' "$work/out" >"$work/until-out.jsonl"
cmp -s "$work/cut.jsonl" "$work/until-out.jsonl" || fail "score --until T is score --at T of the events up to T"
run "score --until garbage" 64 "$cli" score --rules "$rules" --until soon $ex
contains err "--until soon is neither milliseconds nor an RFC 3339 time or date" "bad --until"

# score --format csv and --stage
run "score csv" 0 "$cli" score --rules "$rules" --format csv --stage mql $ex
[[ $(head -1 "$work/out") == '"visitor","email","company","stage","engagement","fit","score","first_sql","first_mql","first_engaged","reasons","as_of"'$'\r' ]] ||
  fail "csv header: $(head -1 "$work/out")"
awk -F'","' 'NR > 1 && $4 != "mql" && $4 != "sql" { bad = 1 } END { exit bad }' "$work/out" || fail "--stage mql keeps mql and sql only"
[[ $(($(wc -l <"$work/out") - 1)) == $("$cli" score --rules "$rules" $ex | grep -cE '"stage":"(mql|sql)"') ]] || fail "--stage mql keeps every mql and sql"
contains out '"v-000035","lead35@contoso.com","Contoso"' "csv e-mail and company from the traits"
run "score unknown stage" 64 "$cli" score --rules "$rules" --stage lead $ex
contains err "--stage lead is not a stage of $rules (sql, mql, engaged, visitor)" "unknown stage"

# score --stats counts each rule's awards and visitors
run "score stats" 0 "$cli" score --rules "$rules" --stats $ex
contains err "mqlscore: rule pricing-page fired" "stats per rule"
# explain lists every award: counted visitor by visitor, the same numbers by another path
times=0 awarded=0
for visitor in $(grep -o '"visitor":"[^"]*","engagement"' <("$cli" score --rules "$rules" $ex) | cut -d'"' -f4); do
  n=$("$cli" explain --rules "$rules" --visitor "$visitor" $ex | grep -c '^    pricing-page +')
  times=$((times + n))
  ((n > 0)) && awarded=$((awarded + 1))
done
contains err "mqlscore: rule pricing-page fired $times times for $awarded visitors" "stats per rule agree with explain"

# explain: why not the next stage
run "explain why not" 0 "$cli" explain --rules "$rules" --visitor v-000007 $ex
contains out "why not mql (the next stage):" "why not header"
contains out "    fit 15 of 30: 15 short" "a minimum that falls short"
contains out '    industry-fit (15) does not hold: traits.industry: "manufacturing"' "the trait a fit rule saw"
run "explain until" 0 "$cli" explain --rules "$rules" --visitor v-000007 --until 2026-01-06 $ex
contains out "at 2026-01-06T00:00:00Z:" "explain as of a date"

# backtest and diff as of a date
run "backtest until" 0 "$cli" backtest --rules "$rules" --outcomes examples/b2b-saas.outcomes.csv --until 2026-01-10 --json $ex
[[ $(cat "$work/out") != $("$cli" backtest --rules "$rules" --outcomes examples/b2b-saas.outcomes.csv --json $ex) ]] ||
  fail "backtest --until leaves the later events out"

if ((failures)); then
  echo "$failures CLI check(s) failed"
  exit 1
fi
echo "CLI checks passed"
