// `mqlscore score --format csv`: one row per visitor, what a CRM import or a spreadsheet takes:
// visitor, email, company, stage, engagement, fit, score, when the visitor first reached each
// stage (RFC 3339; every stage but the last), its top reasons, and the time the row is as of.
// Fields are quoted as RFC 4180 asks (outcomes.h's CsvRow, with Debian's libcsv).
#ifndef MQLSCORE_CLI_SCORE_CSV_H_
#define MQLSCORE_CLI_SCORE_CSV_H_

#include <string>
#include <vector>

#include "core/rules.h"
#include "core/visitor.h"

namespace mqlscore {

// The header row, with its line break.
std::string ScoreCsvHeader(const RuleSet& rules);

// The row of `visitor` as of `at` (after ReportAt(at)), with its line break; `signals` are its
// stage changes.
std::string ScoreCsvRow(const RuleSet& rules, const Visitor& visitor,
                        const std::vector<Signal>& signals, double at);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_SCORE_CSV_H_
