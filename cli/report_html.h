// The HTML reports of `mqlscore backtest --report` and `mqlscore diff --report`: one
// self-contained file each (inline CSS and SVG, no script, nothing fetched), so that it opens from
// a mail attachment or a shared drive without a network, and under any Content-Security-Policy.
#ifndef MQLSCORE_CLI_REPORT_HTML_H_
#define MQLSCORE_CLI_REPORT_HTML_H_

#include <string>

#include "cli/backtest.h"
#include "cli/diff.h"

namespace mqlscore {

// The funnel by stage, the precision/recall curve over the engagement thresholds and the rules
// ranked by lift, as charts, each with its table of figures. `title` names the rules file.
std::string BacktestHtml(const BacktestFigures& figures, const std::string& title);

// The stages under A and B as a chart, the visitors who change (the first 1,000) with the reasons
// that differ, and with outcomes both sides' backtest figures side by side.
std::string DiffHtml(const DiffFigures& diff);

// Text with & < > " ' escaped for HTML.
std::string EscapeHtml(const std::string& text);

// A horizontal bar chart in SVG: one bar per label, its value written at its end.
struct Bar {
  std::string label;
  double value = 0;
  std::string note;     // written after the value, e.g. "(12 positive)"
  double part = 0;      // drawn over the bar's start in the second colour (the positives)
  bool second = false;  // the whole bar in the second colour
};
std::string BarChartSvg(const std::vector<Bar>& bars, const std::string& unit);

// The page around `body`: title, styles.
std::string HtmlPage(const std::string& title, const std::string& body);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_REPORT_HTML_H_
