// mqlscore: validate a rules file, score event logs, explain one visitor (contract §6).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/backtest.h"
#include "cli/diff.h"
#include "cli/fast_event_parser.h"
#include "cli/line_reader.h"
#include "cli/outcomes.h"
#include "cli/progress.h"
#include "cli/report_html.h"
#include "cli/rules_lint.h"
#include "cli/score_csv.h"
#include "cli/track_settings.h"
#include "cli/visitor_table.h"
#include "core/account_stages.h"
#include "core/condition.h"
#include "core/event.h"
#include "core/json_reader.h"
#include "core/json_writer.h"
#include "core/number_text.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/strings.h"
#include "core/timestamp.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

// Exit statuses, documented in docs/cli.md.
constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;   // validate: the rules file has problems; explain: no such visitor
constexpr int kExitBadRules = 2;  // score/explain: the rules file cannot be used
constexpr int kExitBadLines = 3;  // some event lines were reported and skipped
constexpr int kExitNoInput = 4;   // the events file cannot be read
constexpr int kExitUsage = 64;
// backtest and diff (backtest-v1.md §4): 1 the rules file is invalid, 2 bad usage or input.
constexpr int kExitWorkbenchBadInput = 2;

constexpr std::size_t kMaxEventBytes = 1 << 20;
constexpr int kMaxReportedBadLines = 100;
constexpr std::uint64_t kProgressMinBytes = 32ull << 20;

const char kUsage[] =
    "usage: mqlscore validate RULES.json\n"
    "       mqlscore hash RULES.json\n"
    "       mqlscore score --rules RULES.json [--at TS] [--until TS] [--stats] [--format "
    "json|csv]\n"
    "                [--stage NAME] [EVENTS.jsonl]\n"
    "       mqlscore explain --rules RULES.json --visitor ID [--at TS] [--until TS] "
    "[EVENTS.jsonl]\n"
    "       mqlscore backtest --rules RULES.json --outcomes OUTCOMES.csv [--positive sql,won]\n"
    "                [--thresholds 10,20,...] [--at TS] [--until TS] [--json] [--report "
    "REPORT.html]\n"
    "                [EVENTS.jsonl]\n"
    "       mqlscore diff --rules A.json --rules B.json [--outcomes OUTCOMES.csv] [--at TS]\n"
    "                [--until TS] [--json] [--report DIFF.html] [EVENTS.jsonl]\n"
    "\n"
    "EVENTS.jsonl holds one JSON event per line; without it (or with -) events are read from\n"
    "stdin.\n"
    "TS is milliseconds since the epoch, an RFC 3339 time (2026-01-02T10:00:00Z) or a date\n"
    "(2026-01-02, midnight UTC). --at reports as of TS; --until also leaves out the events after "
    "it.\n"
    "--stats prints lines, visitors, time, peak memory and each rule's awards on stderr.\n"
    "--format csv: one row per visitor (e-mail, company, stage, scores, when it reached each "
    "stage).\n"
    "--stage NAME keeps the visitors in that stage or a higher one.\n"
    "Exit status: 0 ok, 1 invalid rules (validate, hash) or unknown visitor (explain),\n"
    "2 unusable rules file, 3 bad event lines were skipped, 4 events unreadable, 64 usage.\n"
    "backtest, diff: 0 done, 1 invalid rules, 2 bad usage or an unreadable or malformed input.\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "mqlscore: %s\n%s", problem.c_str(), kUsage);
  return kExitUsage;
}

// Reads a rules file and parses it. Problems go to `out` (stdout for validate, stderr otherwise).
// The file's text goes to *text, when given, if it could be read.
bool LoadRules(const std::string& path, RuleSet* rules, FILE* out, std::string* text = nullptr) {
  std::string read_text;
  if (text == nullptr) text = &read_text;
  Problems problems;
  int fd = ::open(path.c_str(), O_RDONLY);
  struct stat info;
  if (fd < 0 || ::fstat(fd, &info) != 0) {
    problems.push_back({"", "cannot read " + path + ": " + std::strerror(errno)});
  } else if (S_ISDIR(info.st_mode)) {
    problems.push_back({"", "cannot read " + path + ": it is a directory"});
  } else if (static_cast<std::uint64_t>(info.st_size) > kMaxRulesBytes) {
    problems.push_back({"", "the rules file is " + std::to_string(info.st_size) +
                                " bytes; the limit is 16 MiB (" + std::to_string(kMaxRulesBytes) +
                                " bytes)"});
  } else {
    char buffer[1 << 16];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof(buffer))) > 0 && text->size() <= kMaxRulesBytes) {
      text->append(buffer, static_cast<std::size_t>(n));
    }
    problems = RuleSet::Parse(*text, rules);
    // The accounts section is the collector's: checked here too, so validate names its problems.
    Value document;
    std::vector<AccountStage> account_stages;
    if (ReadJson(*text, kMaxRulesDepth, &document).ok()) {
      for (Problem& problem : ParseAccountStages(document, &account_stages)) {
        problems.push_back(std::move(problem));
      }
    }
  }
  if (fd >= 0) ::close(fd);
  for (const Problem& problem : problems) std::fprintf(out, "%s\n", problem.ToString().c_str());
  return problems.empty();
}

// A time on the command line: ms since the epoch, an RFC 3339 time, or a date (midnight UTC).
bool ParseAt(const std::string& text, double* at) {
  char* end = nullptr;
  double ms = std::strtod(text.c_str(), &end);
  if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(ms)) {
    *at = ms;
    return true;
  }
  if (text.size() == 10 && ParseRfc3339(text + "T00:00:00Z", at)) return true;
  return ParseRfc3339(text, at);
}

struct Options {
  std::string rules;
  std::string events;       // empty: stdin
  std::string events_name;  // in messages, when `events` is a copy of stdin
  std::string visitor;
  bool has_at = false;
  double at = 0;
  bool has_until = false;  // only events at or before `until`, reported at it
  double until = 0;
  bool stats = false;
  bool csv = false;   // score --format csv
  std::string stage;  // score --stage: only visitors in this stage or a higher one

  // The reporting time for a visitor whose latest event is at `last_ts`.
  double ReportTime(double last_ts) const { return has_at ? at : has_until ? until : last_ts; }
};

// An argument that is not an option's: the events file, once. An error message or "".
std::string EventsArgument(const std::string& arg, std::string* events) {
  if (arg.size() > 1 && arg[0] == '-') return "unknown option " + arg;
  if (!events->empty()) return "only one events file, please (got " + *events + " and " + arg + ")";
  *events = arg;
  return "";
}

// Parses "--rules R [--at TS] [--visitor V] [FILE]"; returns an error message or "".
std::string ParseOptions(int argc, char** argv, bool want_visitor, Options* options) {
  bool has_visitor = false;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)name;
      return argv[++i];
    };
    if (arg == "--rules") {
      const char* v = value("--rules");
      if (v == nullptr) return "--rules needs a file";
      options->rules = v;
    } else if (arg == "--at") {
      const char* v = value("--at");
      if (v == nullptr) return "--at needs a time";
      if (!ParseAt(v, &options->at)) {
        return std::string("--at ") + v + " is neither milliseconds nor an RFC 3339 time";
      }
      options->has_at = true;
    } else if (arg == "--until") {
      const char* v = value("--until");
      if (v == nullptr) return "--until needs a time";
      if (!ParseAt(v, &options->until)) {
        return std::string("--until ") + v +
               " is neither milliseconds nor an RFC 3339 time or date";
      }
      options->has_until = true;
    } else if (arg == "--stats") {
      options->stats = true;
    } else if (arg == "--format" && !want_visitor) {
      const char* v = value("--format");
      if (v == nullptr || (std::string(v) != "csv" && std::string(v) != "json")) {
        return "--format takes json or csv";
      }
      options->csv = std::string(v) == "csv";
    } else if (arg == "--stage" && !want_visitor) {
      const char* v = value("--stage");
      if (v == nullptr) return "--stage needs a stage name";
      options->stage = v;
    } else if (arg == "--visitor" && want_visitor) {
      const char* v = value("--visitor");
      if (v == nullptr) return "--visitor needs an id";
      options->visitor = v;
      has_visitor = true;
    } else {
      std::string problem = EventsArgument(arg, &options->events);
      if (!problem.empty()) return problem;
    }
  }
  if (options->rules.empty()) return "--rules RULES.json is required";
  if (want_visitor && !has_visitor) return "--visitor ID is required";
  return "";
}

// Reads events line by line and calls on_event(const Event&) for each good one with a visitor
// (the event is valid during the call only); reports bad lines on stderr. Returns the exit status
// and, when `lines` is not null, sets *lines to the number of lines read.
template <typename OnEvent>
int ReadEvents(const Options& options, OnEvent on_event, std::uint64_t* lines = nullptr) {
  int fd = 0;
  std::string name = "stdin";
  if (!options.events.empty() && options.events != "-") {
    name = options.events_name.empty() ? options.events : options.events_name;
    fd = ::open(options.events.c_str(), O_RDONLY);
    if (fd < 0) {
      std::fprintf(stderr, "mqlscore: cannot read %s: %s\n", options.events.c_str(),
                   std::strerror(errno));
      return kExitNoInput;
    }
  }
  struct stat info;
  std::uint64_t size = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) ? info.st_size : 0;
  Progress progress(::isatty(2) && size >= kProgressMinBytes, size);
  LineReader reader(fd, kMaxEventBytes);
  FastEventParser parser(kMaxEventBytes);
  std::uint64_t bad_lines = 0;
  auto report = [&](std::uint64_t line, const std::string& message) {
    if (++bad_lines <= kMaxReportedBadLines) {
      progress.Finish();
      std::fprintf(stderr, "%s:%llu: %s\n", name.c_str(), static_cast<unsigned long long>(line),
                   message.c_str());
    }
  };
  std::string_view line;
  Event event;
  std::uint64_t fills = 0;
  int status = kExitOk;
  while (true) {
    LineReader::Result result = reader.Next(&line);
    if (result == LineReader::Result::kEnd) break;
    if (result == LineReader::Result::kError) {
      std::fprintf(stderr, "mqlscore: error reading %s: %s\n", name.c_str(), std::strerror(errno));
      status = kExitNoInput;
      break;
    }
    std::uint64_t number = reader.line_number();
    progress.Update(number, reader.bytes_consumed());
    if (result == LineReader::Result::kTooLong) {
      report(number, "line longer than 1 MiB; skipped");
      continue;
    }
    if (reader.fills() != fills) {  // parse the complete lines now buffered together
      fills = reader.fills();
      std::string_view ahead = reader.Ahead();
      std::string_view lines(line.data(), static_cast<std::size_t>(ahead.data() - line.data()) +
                                              ahead.substr(0, ahead.rfind('\n') + 1).size());
      parser.ReadAhead(lines);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const EventMembers* members = nullptr;
    Status parsed = parser.Parse(line, &members);
    if (!parsed.ok()) {
      report(number, "not valid JSON: " + parsed.message());
      continue;
    }
    Status checked = Event::From(members, &event);
    if (!checked.ok()) {
      report(number, checked.message());
      continue;
    }
    if (event.visitor().empty()) {
      report(number, "visitor is required (a non-empty string)");
      continue;
    }
    on_event(event);
  }
  progress.Finish();
  if (fd > 0) ::close(fd);
  if (lines != nullptr) *lines = reader.line_number();
  if (bad_lines > kMaxReportedBadLines) {
    std::fprintf(stderr, "%s: %llu more bad lines not shown\n", name.c_str(),
                 static_cast<unsigned long long>(bad_lines - kMaxReportedBadLines));
  }
  if (bad_lines > 0) {
    std::fprintf(stderr, "%s: %llu bad lines skipped\n", name.c_str(),
                 static_cast<unsigned long long>(bad_lines));
    if (status == kExitOk) status = kExitBadLines;
  }
  return status;
}

int Validate(int argc, char** argv) {
  if (argc != 3) return Usage("validate takes one rules file");
  RuleSet rules;
  std::string text;
  bool valid = LoadRules(argv[2], &rules, stdout, &text);
  // What is valid but almost surely a mistake, and what the widget will warn about in `track`
  // (which the scorer ignores), go to stderr, so that stdout stays "ok" or the problems.
  Value document;
  if (ReadJson(text, kMaxRulesDepth, &document).ok()) {
    for (const std::string& warning : RulesWarnings(document)) {
      std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
  }
  for (const std::string& warning : TrackSettingWarnings(text)) {
    std::fprintf(stderr, "widget warning: %s\n", warning.c_str());
  }
  if (!valid) return kExitInvalid;
  std::printf("ok\n");
  return kExitOk;
}

// The rules_hash that signals scored with this file carry, and that the collector matches.
int Hash(int argc, char** argv) {
  if (argc != 3) return Usage("hash takes one rules file");
  RuleSet rules;
  if (!LoadRules(argv[2], &rules, stderr)) return kExitInvalid;
  std::printf("%s\n", rules.hash().c_str());
  return kExitOk;
}

int Score(int argc, char** argv) {
  Options options;
  std::string problem = ParseOptions(argc, argv, false, &options);
  if (!problem.empty()) return Usage(problem);
  RuleSet rules;
  if (!LoadRules(options.rules, &rules, stderr)) return kExitBadRules;

  int stage_limit = static_cast<int>(rules.stages().size());  // keep every visitor
  if (!options.stage.empty()) {
    stage_limit = rules.StageIndex(options.stage);
    if (stage_limit < 0) {
      std::string names;
      for (const Stage& stage : rules.stages()) names += (names.empty() ? "" : ", ") + stage.name;
      return Usage("--stage " + options.stage + " is not a stage of " + options.rules + " (" +
                   names + ")");
    }
  }

  // Cache-line aligned: the visitor's most used state then spans two lines, not three.
  struct alignas(64) Entry {
    Visitor visitor;
    std::vector<Signal> signals;
  };
  std::vector<Entry> entries;  // in order of first appearance
  VisitorIndex by_id;
  auto id_of = [&entries](std::uint32_t index) -> std::string_view {
    return entries[index].visitor.state().id;
  };
  // --stats: per rule, its awards and the visitors it awarded.
  struct RuleCount {
    std::uint64_t times = 0, visitors = 0;
  };
  std::vector<RuleCount> rule_counts(rules.rules().size());
  std::vector<std::vector<bool>> awarded;  // per visitor, per rule: awarded at least once
  std::vector<Step> steps;
  auto start = std::chrono::steady_clock::now();
  std::uint64_t lines = 0;
  int status = ReadEvents(
      options,
      [&](const Event& event) {
        if (options.has_until && event.ts() > options.until) return;
        bool added;
        std::uint32_t index = by_id.FindOrAdd(event.visitor(), id_of, &added);
        if (added) entries.push_back(Entry{Visitor(&rules, std::string(event.visitor())), {}});
        if (!options.stats) {
          entries[index].visitor.Track(event, &entries[index].signals);
          return;
        }
        steps.clear();
        entries[index].visitor.Track(event, &entries[index].signals, &steps);
        if (added) awarded.emplace_back(rules.rules().size(), false);
        for (const Step& step : steps) {
          for (const Step::Award& award : step.awards) {
            int rule = rules.RuleIndex(award.rule);
            if (rule < 0 || award.limited) continue;
            RuleCount& count = rule_counts[static_cast<std::size_t>(rule)];
            ++count.times;
            if (!awarded[index][static_cast<std::size_t>(rule)]) ++count.visitors;
            awarded[index][static_cast<std::size_t>(rule)] = true;
          }
        }
      },
      &lines);
  if (status == kExitNoInput) return status;
  std::string out = options.csv ? ScoreCsvHeader(rules) : "";
  for (Entry& entry : entries) {
    double at = options.ReportTime(entry.visitor.state().last_ts);
    entry.visitor.ReportAt(at, &entry.signals);
    if (rules.StageIndex(entry.visitor.stage()) > stage_limit) continue;
    if (options.csv) {
      out += ScoreCsvRow(rules, entry.visitor, entry.signals, at);
    } else {
      Value line = VisitorResultValue(entry.visitor.state().id, entry.visitor.ScoresAt(at),
                                      entry.visitor.stage(), entry.signals);
      if (options.has_until) line.Append("as_of", entry.visitor.ReportingTime(at));
      out += ToJsonText(line);
      out.push_back('\n');
    }
    if (out.size() > (1 << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (options.stats) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    struct rusage usage;
    ::getrusage(RUSAGE_SELF, &usage);
    std::fprintf(
        stderr,
        "mqlscore: %llu lines, %zu visitors in %.3f s (%.0f lines/s), peak memory %.1f MiB\n",
        static_cast<unsigned long long>(lines), entries.size(), seconds,
        seconds > 0 ? lines / seconds : 0.0, usage.ru_maxrss / 1024.0);
    for (std::size_t i = 0; i < rules.rules().size(); ++i) {
      if (rules.rules()[i].is_fit) continue;
      std::fprintf(stderr, "mqlscore: rule %s fired %llu times for %llu visitors\n",
                   rules.rules()[i].id.c_str(),
                   static_cast<unsigned long long>(rule_counts[i].times),
                   static_cast<unsigned long long>(rule_counts[i].visitors));
    }
  }
  return status;
}

std::string FormatNumber(double value) {
  std::string out;
  AppendNumberText(RoundReported(value), &out);
  return out;
}

std::string FormatScores(const Scores& scores) {
  return "engagement " + FormatNumber(scores.engagement) + ", fit " + FormatNumber(scores.fit) +
         ", score " + FormatNumber(scores.score);
}

std::string Describe(const Event& event) {
  std::string text(event.type());
  for (const char* key : {"url", "cta", "form", "file", "percent", "seconds", "traits"}) {
    Value value;
    if (!event.members().Copy(key, &value)) continue;
    text += std::string(" ") + key + "=";
    text += value.is_string() ? value.string_value() : ToJsonText(value);
  }
  return text;
}

// The value at `path` in the visitor's traits, as JSON, or "missing".
std::string TraitText(const Value& traits, const std::vector<std::string>& path) {
  const Value* value = &traits;
  for (const std::string& part : path) {
    value = value->is_object() ? value->Find(part) : nullptr;
    if (value == nullptr) return "missing";
  }
  return value->is_null() ? "missing" : ToJsonText(*value);
}

// "why not <next stage>": for the stage above the visitor's, each minimum with how far the
// visitor is from it, and the fit rules that do not hold with the traits they read.
std::string WhyNot(const RuleSet& rules, const Visitor& visitor, double at) {
  int current = rules.StageIndex(visitor.stage());
  if (current <= 0) return "\n" + visitor.stage() + " is the highest stage.\n";
  const Stage& next = rules.stages()[static_cast<std::size_t>(current) - 1];
  Scores scores = visitor.ScoresAt(at);
  std::string out = "\nwhy not " + next.name + " (the next stage):\n";
  auto minimum = [&](const char* name, const std::optional<double>& wanted, double has) {
    if (!wanted) return;
    out += std::string("    ") + name + " " + FormatNumber(has) + " of " + FormatNumber(*wanted) +
           (has >= *wanted ? ": enough" : ": " + FormatNumber(*wanted - has) + " short") + "\n";
  };
  minimum("engagement", next.min_engagement, scores.engagement);
  minimum("fit", next.min_fit, scores.fit);
  minimum("score", next.min_score, scores.score);
  std::string missing;
  for (std::size_t i = 0; i < rules.rules().size(); ++i) {
    const Rule& rule = rules.rules()[i];
    if (!rule.is_fit || visitor.state().fit_holds[i]) continue;
    std::string seen;
    rule.when.ForEachField([&](const FieldRef& field) {
      std::string name = field.source == FieldRef::Source::kTraits ? "traits" : "(not a trait)";
      for (const std::string& part : field.path) name += "." + part;
      std::string value = field.source == FieldRef::Source::kTraits
                              ? TraitText(visitor.state().traits, field.path)
                              : "always missing in a fit rule";
      std::string item = name + ": " + value;
      if (seen.find(item) == std::string::npos) seen += (seen.empty() ? "" : ", ") + item;
    });
    missing +=
        "    " + rule.id + " (" + FormatNumber(rule.points) + ") does not hold: " + seen + "\n";
  }
  if (!missing.empty()) out += "  fit rules that do not hold:\n" + missing;
  return out;
}

int Explain(int argc, char** argv) {
  Options options;
  std::string problem = ParseOptions(argc, argv, true, &options);
  if (!problem.empty()) return Usage(problem);
  RuleSet rules;
  if (!LoadRules(options.rules, &rules, stderr)) return kExitBadRules;
  Visitor visitor(&rules, options.visitor);
  std::vector<Signal> signals;
  std::vector<Step> steps;
  std::uint64_t events = 0;
  std::string out;
  int status = ReadEvents(options, [&](const Event& event) {
    if (event.visitor() != options.visitor) return;
    if (options.has_until && event.ts() > options.until) return;
    ++events;
    steps.clear();
    std::size_t signals_before = signals.size();
    visitor.Track(event, &signals, &steps);
    for (const Step& step : steps) {
      bool synthetic = &step != &steps.back();
      out += FormatRfc3339(step.ts) + "  ";
      if (synthetic) {
        out += "session " + std::to_string(step.session_number) + " starts\n";
      } else {
        out += Describe(event) + "\n";
      }
      if (step.fit_changed)
        out += "    traits changed: fit is now " + FormatNumber(step.scores.fit) + "\n";
      for (const Step::Award& award : step.awards) {
        if (award.limited) {
          out += "    " + award.rule + ": limit reached, no points\n";
        } else {
          out += "    " + award.rule + " " + (award.points >= 0 ? "+" : "") +
                 FormatNumber(award.points) + "\n";
        }
      }
      if (!step.awards.empty() || step.fit_changed) {
        out += "    = " + FormatScores(step.scores) + "\n";
      }
    }
    for (std::size_t i = signals_before; i < signals.size(); ++i) {
      out += "    >>> stage " + signals[i].from + " -> " + signals[i].to + "\n";
    }
  });
  if (status == kExitNoInput) return status;
  if (events == 0) {
    std::fprintf(stderr, "mqlscore: no events for visitor %s\n",
                 QuoteForMessage(options.visitor).c_str());
    return status == kExitOk ? kExitInvalid : status;
  }
  double at = visitor.ReportingTime(options.ReportTime(visitor.state().last_ts));
  std::size_t signals_before = signals.size();
  visitor.ReportAt(at, &signals);
  Scores scores = visitor.ScoresAt(at);
  std::string header = "visitor " + options.visitor + ": " + std::to_string(events) +
                       " events in " + std::to_string(visitor.state().session_number) +
                       " sessions\n\n";
  out = header + out;
  out += "\nat " + FormatRfc3339(at) + ": " + FormatScores(scores) + ", stage " + visitor.stage() +
         "\n";
  for (std::size_t i = signals_before; i < signals.size(); ++i) {
    out += "    >>> stage " + signals[i].from + " -> " + signals[i].to + " (decay)\n";
  }
  out += "why:\n";
  for (const Reason& reason : visitor.ReasonsAt(at)) {
    const Rule& rule = rules.rules()[rules.RuleIndex(reason.rule)];
    out += "    " + reason.rule + " " + FormatNumber(reason.points) +
           (rule.is_fit ? " (fit)" : "") +
           (rule.description.empty() ? "" : "  - " + rule.description) + "\n";
  }
  out += WhyNot(rules, visitor, at);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return status;
}

// backtest and diff: their options, and inputs read whole or twice.
struct WorkbenchOptions {
  std::vector<std::string> rules;
  std::string outcomes;
  std::set<std::string> positive = {"sql", "won"};
  std::optional<std::vector<double>> thresholds;
  bool has_at = false;
  double at = 0;
  bool has_until = false;  // only events at or before `until`, reported at it
  double until = 0;
  bool json = false;
  std::string report;
  std::string events;  // empty or "-": stdin
};

// Parses the options of `command` (backtest or diff); returns an error message or "".
std::string ParseWorkbenchOptions(int argc, char** argv, const std::string& command,
                                  WorkbenchOptions* options) {
  auto list = [](const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      items.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
    return items;
  };
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--rules" || arg == "--outcomes" || arg == "--positive" || arg == "--thresholds" ||
        arg == "--at" || arg == "--until" || arg == "--report") {
      if (!has_value) return arg + " needs a value";
      std::string value = argv[++i];
      if (arg == "--rules") {
        options->rules.push_back(value);
      } else if (arg == "--outcomes") {
        options->outcomes = value;
      } else if (arg == "--report") {
        options->report = value;
      } else if (arg == "--at" || arg == "--until") {
        double* time = arg == "--at" ? &options->at : &options->until;
        if (!ParseAt(value, time)) {
          return arg + " " + value + " is neither milliseconds nor an RFC 3339 time or date";
        }
        (arg == "--at" ? options->has_at : options->has_until) = true;
      } else if (arg == "--positive") {
        options->positive.clear();
        for (const std::string& label : list(value)) {
          if (!IsOutcomeLabel(label)) {
            return "--positive: " + QuoteForMessage(label) +
                   " is not an outcome label (1 to 64 of A-Z a-z 0-9 _ . -)";
          }
          options->positive.insert(label);
        }
      } else {
        std::vector<double> thresholds;
        for (const std::string& item : list(value)) {
          double t = 0;
          char* end = nullptr;
          t = std::strtod(item.c_str(), &end);
          if (item.empty() || end != item.c_str() + item.size() || !std::isfinite(t)) {
            return "--thresholds: " + QuoteForMessage(item) + " is not a number";
          }
          thresholds.push_back(t);
        }
        options->thresholds = thresholds;
      }
    } else if (arg == "--json") {
      options->json = true;
    } else {
      std::string problem = EventsArgument(arg, &options->events);
      if (!problem.empty()) return problem;
    }
  }
  std::size_t rules_wanted = command == "diff" ? 2 : 1;
  if (options->rules.size() != rules_wanted) {
    return command == "diff" ? "--rules A.json --rules B.json: two rules files are required"
                             : "--rules RULES.json is required, once";
  }
  if (command == "backtest" && options->outcomes.empty()) {
    return "--outcomes OUTCOMES.csv is required";
  }
  return "";
}

int WorkbenchUsage(const std::string& problem) {
  Usage(problem);
  return kExitWorkbenchBadInput;
}

// Reads a whole file, at most `limit` bytes; an error message naming it, or "".
std::string ReadWholeFile(const std::string& path, std::size_t limit, std::string* text) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return "cannot read " + path + ": " + std::strerror(errno);
  char buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text->append(buffer, n);
    if (text->size() > limit) {
      std::fclose(file);
      return path + " is larger than " + std::to_string(limit >> 20) + " MiB";
    }
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  return failed ? "error reading " + path + ": " + std::strerror(errno) : "";
}

// The events read twice: stdin is copied to a temporary file first. Removes the copy when done.
class RereadableEvents {
 public:
  // Events after `until` (when set) are left out. Sets *problem when stdin could not be copied.
  RereadableEvents(const std::string& events, std::optional<double> until, std::string* problem)
      : until_(until) {
    options_.events = events;
    if (!events.empty() && events != "-") return;
    const char* folder = std::getenv("TMPDIR");
    std::string name =
        std::string(folder != nullptr && *folder ? folder : "/tmp") + "/mqlscore-events-XXXXXX";
    std::vector<char> path(name.begin(), name.end());
    path.push_back('\0');
    int fd = ::mkstemp(path.data());
    if (fd < 0) {
      *problem = std::string("cannot copy stdin: ") + std::strerror(errno);
      return;
    }
    copy_ = path.data();
    char buffer[1 << 16];
    ssize_t n;
    while ((n = ::read(0, buffer, sizeof(buffer))) > 0) {
      if (::write(fd, buffer, static_cast<std::size_t>(n)) != n) {
        *problem = std::string("cannot copy stdin: ") + std::strerror(errno);
        break;
      }
    }
    if (n < 0) *problem = std::string("error reading stdin: ") + std::strerror(errno);
    ::close(fd);
    options_.events = copy_;
    options_.events_name = "stdin";
  }
  ~RereadableEvents() {
    if (!copy_.empty()) ::unlink(copy_.c_str());
  }
  // Calls on_event for every event; false (the lines named on stderr) when any was bad.
  template <typename OnEvent>
  bool Read(OnEvent on_event) const {
    status_ = ReadEvents(options_, [&](const Event& event) {
      if (!until_ || event.ts() <= *until_) on_event(event);
    });
    return status_ == kExitOk;
  }
  // After a Read that failed: what to add to the messages ReadEvents wrote.
  const char* Failure() const {
    return status_ == kExitNoInput ? ""
                                   : "mqlscore: the events have bad lines (above); no figures\n";
  }

 private:
  std::optional<double> until_;
  Options options_;
  mutable int status_ = kExitOk;
  std::string copy_;
};

// Loads a rules file for backtest or diff: *status is set when it cannot be used (unreadable: 2;
// invalid: 1, its problems on stderr as validate prints them).
bool LoadWorkbenchRules(const std::string& path, RuleSet* rules, int* status) {
  if (::access(path.c_str(), R_OK) != 0) {
    std::fprintf(stderr, "mqlscore: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
    *status = kExitWorkbenchBadInput;
    return false;
  }
  if (!LoadRules(path, rules, stderr)) {
    *status = kExitInvalid;
    return false;
  }
  return true;
}

double ReportTime(const WorkbenchOptions& options, const Visitor& visitor) {
  return options.has_at ? options.at : options.has_until ? options.until : visitor.state().last_ts;
}

std::optional<double> Until(const WorkbenchOptions& options) {
  return options.has_until ? std::optional<double>(options.until) : std::nullopt;
}

// Reads and checks an outcomes file; false (the problem on stderr) when it cannot be used.
bool LoadOutcomes(const std::string& path, std::vector<OutcomeRow>* rows) {
  std::string csv;
  std::string problem = ReadWholeFile(path, 256u << 20, &csv);
  if (problem.empty()) {
    Status read = ReadOutcomes(csv, rows);
    if (!read.ok()) problem = path + ": " + read.message();
  }
  if (!problem.empty()) std::fprintf(stderr, "mqlscore: %s\n", problem.c_str());
  return problem.empty();
}

// The records of backtest-v1 §2 for every visitor of the log under `rules`; false when the
// events have bad lines (named on stderr).
bool RecordBacktest(const RuleSet& rules, const std::vector<OutcomeRow>& outcomes,
                    const WorkbenchOptions& options, const RereadableEvents& events,
                    std::vector<VisitorRecord>* records, std::size_t* unmatched) {
  BacktestSettings settings{options.positive,
                            options.has_at ? std::optional<double>(options.at) : std::nullopt};
  return RecordVisitors(
      rules, outcomes, settings,
      [&events](const std::function<void(const Event&)>& on_event) {
        return events.Read(on_event);
      },
      records, unmatched);
}

// Writes a report; false (the problem on stderr) when it cannot.
bool WriteReport(const std::string& path, const std::string& html) {
  FILE* report = std::fopen(path.c_str(), "wb");
  if (report != nullptr && std::fwrite(html.data(), 1, html.size(), report) == html.size() &&
      std::fclose(report) == 0) {
    return true;
  }
  std::fprintf(stderr, "mqlscore: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
  return false;
}

int Backtest(int argc, char** argv) {
  WorkbenchOptions options;
  std::string problem = ParseWorkbenchOptions(argc, argv, "backtest", &options);
  if (!problem.empty()) return WorkbenchUsage(problem);
  RuleSet rules;
  int status = kExitOk;
  if (!LoadWorkbenchRules(options.rules[0], &rules, &status)) return status;
  std::vector<OutcomeRow> outcomes;
  if (!LoadOutcomes(options.outcomes, &outcomes)) return kExitWorkbenchBadInput;
  RereadableEvents events(options.events, Until(options), &problem);
  if (!problem.empty()) {
    std::fprintf(stderr, "mqlscore: %s\n", problem.c_str());
    return kExitWorkbenchBadInput;
  }
  std::vector<VisitorRecord> records;
  std::size_t unmatched = 0;
  if (!RecordBacktest(rules, outcomes, options, events, &records, &unmatched)) {
    std::fputs(events.Failure(), stderr);
    return kExitWorkbenchBadInput;
  }
  BacktestFigures figures =
      Backtest(rules, records, unmatched, options.thresholds.value_or(DefaultThresholds(rules)));
  if (!options.report.empty() &&
      !WriteReport(options.report, BacktestHtml(figures, options.rules[0]))) {
    return kExitWorkbenchBadInput;
  }
  std::string out =
      options.json ? ToJsonText(BacktestValue(figures)) + "\n" : BacktestText(figures);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int Diff(int argc, char** argv) {
  WorkbenchOptions options;
  std::string problem = ParseWorkbenchOptions(argc, argv, "diff", &options);
  if (!problem.empty()) return WorkbenchUsage(problem);
  RuleSet rules_a, rules_b;
  int status = kExitOk;
  if (!LoadWorkbenchRules(options.rules[0], &rules_a, &status) ||
      !LoadWorkbenchRules(options.rules[1], &rules_b, &status)) {
    return status;
  }
  std::vector<OutcomeRow> outcomes;
  if (!options.outcomes.empty() && !LoadOutcomes(options.outcomes, &outcomes)) {
    return kExitWorkbenchBadInput;
  }
  RereadableEvents events(options.events, Until(options), &problem);
  if (!problem.empty()) {
    std::fprintf(stderr, "mqlscore: %s\n", problem.c_str());
    return kExitWorkbenchBadInput;
  }
  // As `score` scores, once per rules file; no more is needed than the final stages.
  struct Scored {
    Visitor a, b;
    std::vector<Signal> signals_a, signals_b;
  };
  VisitorTable<Scored> visitors;
  auto make = [&](const std::string& id) {
    return Scored{Visitor(&rules_a, id), Visitor(&rules_b, id), {}, {}};
  };
  if (!events.Read([&](const Event& event) {
        Scored& scored = visitors[visitors.IndexOf(event.visitor(), make)];
        scored.a.Track(event, &scored.signals_a);
        scored.b.Track(event, &scored.signals_b);
      })) {
    std::fputs(events.Failure(), stderr);
    return kExitWorkbenchBadInput;
  }
  std::vector<std::string> ids;
  std::vector<FinalStage> final_a, final_b;
  for (std::uint32_t i = 0; i < visitors.size(); ++i) {
    Scored& scored = visitors[i];
    ids.push_back(visitors.id(i));
    final_a.push_back(FinalStageOf(&scored.a, &scored.signals_a, ReportTime(options, scored.a)));
    final_b.push_back(FinalStageOf(&scored.b, &scored.signals_b, ReportTime(options, scored.b)));
  }
  DiffFigures diff = Diff(rules_a, rules_b, ids, final_a, final_b);
  diff.rules_a = options.rules[0];
  diff.rules_b = options.rules[1];
  if (!options.outcomes.empty()) {
    for (auto [rules, figures] :
         {std::pair{&rules_a, &diff.backtest_a}, std::pair{&rules_b, &diff.backtest_b}}) {
      std::vector<VisitorRecord> records;
      std::size_t unmatched = 0;
      RecordBacktest(*rules, outcomes, options, events, &records, &unmatched);
      *figures = Backtest(*rules, records, unmatched,
                          options.thresholds.value_or(DefaultThresholds(*rules)));
    }
  }
  if (!options.report.empty() && !WriteReport(options.report, DiffHtml(diff))) {
    return kExitWorkbenchBadInput;
  }
  std::string out = options.json ? ToJsonText(DiffValue(diff)) + "\n" : DiffText(diff, 50);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace
}  // namespace mqlscore

int main(int argc, char** argv) {
  using namespace mqlscore;
  if (argc < 2) return Usage("a command is required");
  std::string command = argv[1];
  if (command == "validate") return Validate(argc, argv);
  if (command == "hash") return Hash(argc, argv);
  if (command == "score") return Score(argc, argv);
  if (command == "explain") return Explain(argc, argv);
  if (command == "backtest") return Backtest(argc, argv);
  if (command == "diff") return Diff(argc, argv);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  return Usage("unknown command " + command);
}
