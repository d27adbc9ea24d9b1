#include "cli/report_html.h"

#include <algorithm>
#include <cmath>

#include "core/number_text.h"
#include "core/timestamp.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

std::string Number(double value) {
  std::string text;
  AppendNumberText(RoundReported(value), &text);
  return text;
}

std::string OrDash(const std::optional<double>& value) { return value ? Number(*value) : "–"; }

// A line chart of `series` (each a name, a colour and one y per x) over `xs`, y from 0 to 1.
struct Series {
  std::string name, colour;
  std::vector<std::optional<double>> ys;
};
std::string LineChartSvg(const std::vector<double>& xs, const std::vector<Series>& series,
                         const std::string& x_label) {
  const double width = 640, height = 280, left = 48, right = 16, top = 16, bottom = 40;
  if (xs.empty()) return "<p>No thresholds.</p>";
  double x_min = xs.front(), x_max = std::max(xs.back(), xs.front() + 1);
  auto px = [&](double x) { return left + (x - x_min) / (x_max - x_min) * (width - left - right); };
  auto py = [&](double y) { return top + (1 - y) * (height - top - bottom); };
  std::string svg = "<svg viewBox=\"0 0 " + Number(width) + " " + Number(height) +
                    "\" role=\"img\" aria-label=\"" + EscapeHtml(x_label) + "\">";
  for (double y : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    svg += "<line class=\"grid\" x1=\"" + Number(left) + "\" x2=\"" + Number(width - right) +
           "\" y1=\"" + Number(py(y)) + "\" y2=\"" + Number(py(y)) + "\"/><text x=\"" +
           Number(left - 6) + "\" y=\"" + Number(py(y) + 4) + "\" text-anchor=\"end\">" +
           Number(y) + "</text>";
  }
  for (double x : xs) {
    svg += "<text x=\"" + Number(px(x)) + "\" y=\"" + Number(height - bottom + 16) +
           "\" text-anchor=\"middle\">" + Number(x) + "</text>";
  }
  svg += "<text x=\"" + Number((left + width - right) / 2) + "\" y=\"" + Number(height - 4) +
         "\" text-anchor=\"middle\">" + EscapeHtml(x_label) + "</text>";
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string points;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (!series[s].ys[i]) continue;
      points += Number(px(xs[i])) + "," + Number(py(*series[s].ys[i])) + " ";
      svg += "<circle cx=\"" + Number(px(xs[i])) + "\" cy=\"" + Number(py(*series[s].ys[i])) +
             "\" r=\"3\" fill=\"" + series[s].colour + "\"><title>" + EscapeHtml(series[s].name) +
             " at " + Number(xs[i]) + ": " + Number(*series[s].ys[i]) + "</title></circle>";
    }
    svg += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + series[s].colour +
           "\" points=\"" + points + "\"/>";
    svg += "<text x=\"" + Number(width - right - 4) + "\" y=\"" + Number(top + 14 + 16 * s) +
           "\" text-anchor=\"end\" fill=\"" + series[s].colour + "\">" +
           EscapeHtml(series[s].name) + "</text>";
  }
  return svg + "</svg>";
}

std::string TableHtml(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><thead><tr>";
  for (const std::string& h : header) out += "<th>" + EscapeHtml(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += "<td>" + EscapeHtml(cell) + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

}  // namespace

std::string EscapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string BarChartSvg(const std::vector<Bar>& bars, const std::string& unit) {
  const double width = 640, label_width = 180, row = 26, value_space = 190;
  double top = 0;
  for (const Bar& bar : bars) top = std::max(top, std::fabs(bar.value));
  if (top == 0) top = 1;
  std::string svg = "<svg viewBox=\"0 0 " + Number(width) + " " +
                    Number(row * std::max<std::size_t>(bars.size(), 1) + 8) +
                    "\" role=\"img\" aria-label=\"" + EscapeHtml(unit) + "\">";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    double length = std::fabs(bars[i].value) / top * (width - label_width - value_space);
    double y = 4 + row * i;
    svg += "<text x=\"" + Number(label_width - 8) + "\" y=\"" + Number(y + 16) +
           "\" text-anchor=\"end\">" + EscapeHtml(bars[i].label) + "</text>";
    svg += std::string("<rect class=\"") + (bars[i].second ? "bar alt" : "bar") + "\" x=\"" +
           Number(label_width) + "\" y=\"" + Number(y + 3) + "\" width=\"" + Number(length) +
           "\" height=\"" + Number(row - 8) + "\"><title>" + EscapeHtml(bars[i].label) + ": " +
           Number(bars[i].value) + " " + EscapeHtml(unit) + "</title></rect>";
    if (bars[i].part > 0) {
      svg += "<rect class=\"bar alt\" x=\"" + Number(label_width) + "\" y=\"" + Number(y + 3) +
             "\" width=\"" + Number(bars[i].part / top * (width - label_width - value_space)) +
             "\" height=\"" + Number(row - 8) + "\"/>";
    }
    svg += "<text x=\"" + Number(label_width + length + 6) + "\" y=\"" + Number(y + 16) + "\">" +
           Number(bars[i].value) + (bars[i].note.empty() ? "" : " " + EscapeHtml(bars[i].note)) +
           "</text>";
  }
  return svg + "</svg>";
}

std::string HtmlPage(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         EscapeHtml(title) +
         "</title><style>"
         "body{font:15px/1.45 system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em;"
         "color:#1d2330}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}"
         "svg{width:100%;height:auto;font-size:12px}svg text{fill:#1d2330}"
         ".bar{fill:#3b6fd8}.bar.alt{fill:#d8833b}.grid{stroke:#dde2ea}"
         "table{border-collapse:collapse;margin-top:.6em;font-size:13px}"
         "td,th{padding:.2em .7em;border-bottom:1px solid #e4e7ee;text-align:right}"
         "td:first-child,th:first-child{text-align:left}.note{color:#5b6474}"
         "</style></head><body>\n" +
         body + "\n</body></html>\n";
}

std::string BacktestHtml(const BacktestFigures& f, const std::string& title) {
  std::string body = "<h1>Backtest of " + EscapeHtml(title) + "</h1><p>" +
                     std::to_string(f.visitors) + " visitors, " + std::to_string(f.positives) +
                     " positive (base rate " + OrDash(f.base_rate) + "); " +
                     std::to_string(f.unmatched_outcomes) + " outcome rows matched no visitor.</p>";

  std::vector<Bar> funnel;
  std::vector<std::vector<std::string>> stage_rows;
  for (const StageFigures& s : f.stages) {
    funnel.push_back({s.stage, static_cast<double>(s.reached),
                      "(" + std::to_string(s.positives) + " positive)",
                      static_cast<double>(s.positives)});
    stage_rows.push_back({s.stage, std::to_string(s.reached), std::to_string(s.positives),
                          OrDash(s.precision), OrDash(s.recall), OrDash(s.lift),
                          OrDash(s.median_days_to_stage)});
  }
  body +=
      "<h2>Funnel by stage</h2><p class=\"note\">Visitors who reached each stage or a higher "
      "one; in orange, the positives among them.</p>" +
      BarChartSvg(funnel, "visitors") +
      TableHtml(
          {"stage", "reached", "positives", "precision", "recall", "lift", "median days to stage"},
          stage_rows);

  std::vector<double> xs;
  Series precision{"precision", "#3b6fd8", {}}, recall{"recall", "#d8833b", {}};
  std::vector<std::vector<std::string>> threshold_rows;
  for (const ThresholdFigures& t : f.thresholds) {
    xs.push_back(t.engagement);
    precision.ys.push_back(t.precision);
    recall.ys.push_back(t.recall);
    threshold_rows.push_back({Number(t.engagement), std::to_string(t.reached),
                              std::to_string(t.positives), OrDash(t.precision), OrDash(t.recall)});
  }
  body +=
      "<h2>Precision and recall by engagement threshold</h2><p class=\"note\">Visitors whose "
      "peak engagement reached each threshold.</p>" +
      LineChartSvg(xs, {precision, recall}, "peak engagement at least") +
      TableHtml({"engagement ≥", "reached", "positives", "precision", "recall"}, threshold_rows);

  std::vector<RuleFigures> ranked = f.rules;
  std::stable_sort(ranked.begin(), ranked.end(), [](const RuleFigures& a, const RuleFigures& b) {
    return a.lift.has_value() != b.lift.has_value() ? a.lift.has_value()
                                                    : a.lift.value_or(0) > b.lift.value_or(0);
  });
  std::vector<Bar> lifts;
  std::vector<std::vector<std::string>> rule_rows;
  for (const RuleFigures& r : ranked) {
    if (r.lift) lifts.push_back({r.rule, *r.lift, "(" + r.kind + ")"});
    rule_rows.push_back({r.rule, r.kind, std::to_string(r.fired_positive),
                         std::to_string(r.fired_negative), OrDash(r.lift)});
  }
  body +=
      "<h2>Rules ranked by lift</h2><p class=\"note\">How much more often a rule fired (or "
      "held) for positive visitors than for negative ones; rules without a lift (never fired "
      "for a negative visitor, or no positives) are listed last.</p>" +
      BarChartSvg(lifts, "lift") +
      TableHtml({"rule", "kind", "fired positive", "fired negative", "lift"}, rule_rows);
  return HtmlPage("mqlscore backtest: " + title, body);
}

std::string DiffHtml(const DiffFigures& diff) {
  std::string body = "<h1>" + EscapeHtml(diff.rules_a) + " → " + EscapeHtml(diff.rules_b) +
                     "</h1><p>" + std::to_string(diff.visitors) + " visitors; " +
                     std::to_string(diff.changed.size()) +
                     " end in another stage, or reach it at another time, under B.</p>";
  std::vector<Bar> bars;
  std::vector<std::vector<std::string>> stage_rows;
  for (const StageCount& c : diff.stages) {
    bars.push_back({c.stage + " · A", static_cast<double>(c.a), "", 0, false});
    bars.push_back({c.stage + " · B", static_cast<double>(c.b), "", 0, true});
    long change = static_cast<long>(c.b) - static_cast<long>(c.a);
    stage_rows.push_back({c.stage, std::to_string(c.a), std::to_string(c.b),
                          (change > 0 ? "+" : "") + std::to_string(change)});
  }
  body +=
      "<h2>Where visitors end</h2><p class=\"note\">Visitors in each stage at the end of the "
      "log, under A (blue) and B (orange).</p>" +
      BarChartSvg(bars, "visitors") + TableHtml({"stage", "A", "B", "B − A"}, stage_rows);

  std::vector<std::vector<std::string>> rows;
  auto side = [](const FinalStage& s) {
    return s.stage + (s.reached_at ? " since " + FormatRfc3339(*s.reached_at) : "") + ", score " +
           Number(s.scores.score);
  };
  for (std::size_t i = 0; i < diff.changed.size() && i < 1000; ++i) {
    const VisitorChange& change = diff.changed[i];
    std::string reasons;
    for (const ReasonChange& r : change.reasons) {
      reasons += (reasons.empty() ? "" : "; ") + r.rule + " " + (r.a ? Number(*r.a) : "–") + " → " +
                 (r.b ? Number(*r.b) : "–");
    }
    rows.push_back({change.visitor, side(change.a), side(change.b), reasons});
  }
  body += "<h2>Visitors who change</h2>";
  if (diff.changed.size() > 1000) {
    body += "<p class=\"note\">The first 1,000 of " + std::to_string(diff.changed.size()) +
            "; <code>--json</code> lists every one.</p>";
  }
  body += TableHtml({"visitor", "under A", "under B", "the rules that made the difference"}, rows);

  if (diff.backtest_a && diff.backtest_b) {
    const BacktestFigures& a = *diff.backtest_a;
    const BacktestFigures& b = *diff.backtest_b;
    std::vector<std::vector<std::string>> backtest_rows;
    for (const StageFigures& s : a.stages) {
      auto other = std::find_if(b.stages.begin(), b.stages.end(),
                                [&](const StageFigures& t) { return t.stage == s.stage; });
      bool has = other != b.stages.end();
      backtest_rows.push_back(
          {s.stage, std::to_string(s.reached), has ? std::to_string(other->reached) : "–",
           OrDash(s.precision), has ? OrDash(other->precision) : "–", OrDash(s.recall),
           has ? OrDash(other->recall) : "–", OrDash(s.lift), has ? OrDash(other->lift) : "–"});
    }
    body += "<h2>Against sales outcomes</h2><p class=\"note\">" + std::to_string(a.positives) +
            " positive of " + std::to_string(a.visitors) +
            " visitors. Each stage of A, with B's stage of the same name.</p>" +
            TableHtml({"stage", "reached A", "reached B", "precision A", "precision B", "recall A",
                       "recall B", "lift A", "lift B"},
                      backtest_rows);
  }
  return HtmlPage("mqlscore diff: " + diff.rules_a + " → " + diff.rules_b, body);
}

}  // namespace mqlscore
