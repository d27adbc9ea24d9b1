// The outcomes file of a backtest (../shared/spec/backtest-v1.md §1): CSV (RFC 4180, UTF-8) with a
// header row naming `visitor` and/or `email`, `outcome` and optionally `ts`, in any order (other
// columns are ignored). Read with Debian's libcsv, strictly (outcomes.cc); the rows' checks are
// in outcome_rows.cc.
#ifndef MQLSCORE_CLI_OUTCOMES_H_
#define MQLSCORE_CLI_OUTCOMES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace mqlscore {

struct OutcomeRow {
  std::size_t line = 0;  // where its record starts, from 1
  std::string visitor;   // empty when the row is keyed by `email`
  std::string email;     // trimmed and lower-cased; empty when keyed by `visitor`
  std::string outcome;   // 1 to 64 of A-Z a-z 0-9 _ . -
  bool has_ts = false;
  double ts = 0;  // ms since the epoch
};

// Whether `label` can be an outcome: 1 to 64 of A-Z a-z 0-9 _ . - (case-sensitive).
bool IsOutcomeLabel(std::string_view label);

// "line 3: " + message, as the outcome checks word their problems.
std::string AtLine(std::size_t line, const std::string& message);

// `email` as outcomes and traits are compared: spaces trimmed, ASCII lower-cased.
std::string NormalizeEmail(std::string_view email);

// One CSV record as a tokenizer read it: the line it starts on, its fields.
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// The rows of the records of an outcomes file, the first being its header row, appended to *rows;
// fails as ReadOutcomes does on the first malformed one (*rows unchanged). For a tokenizer of
// another's (the playground reads CSV with papaparse).
Status OutcomesFromRecords(const std::vector<CsvRecord>& records, std::vector<OutcomeRow>* rows);

// One CSV line: every field quoted as RFC 4180 asks, CRLF at the end (with libcsv).
std::string CsvRow(const std::vector<std::string>& fields);

// Appends the rows of `csv` to *rows (empty lines are skipped). Fails, kInvalid, at the first
// malformed row: "line 3: outcome must be 1 to 64 of A-Z a-z 0-9 _ . - (got \"s q l\")"; *rows is
// then unchanged.
Status ReadOutcomes(std::string_view csv, std::vector<OutcomeRow>* rows);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_OUTCOMES_H_
