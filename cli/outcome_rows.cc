// The checks of an outcomes file's rows (outcomes.h), without its tokenizer: also built into the
// playground's WebAssembly module, where papaparse reads the CSV.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "cli/outcomes.h"
#include "core/strings.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trimmed(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

bool ParseTime(const std::string& text, double* ms) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(value)) {
    *ms = value;
    return true;
  }
  return ParseRfc3339(text, ms);
}

}  // namespace

std::string AtLine(std::size_t line, const std::string& message) {
  return "line " + std::to_string(line) + ": " + message;
}

bool IsOutcomeLabel(std::string_view label) {
  if (label.empty() || label.size() > 64) return false;
  return std::all_of(label.begin(), label.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '.' || c == '-';
  });
}

std::string NormalizeEmail(std::string_view email) { return Lower(Trimmed(email)); }

Status OutcomesFromRecords(const std::vector<CsvRecord>& records, std::vector<OutcomeRow>* rows) {
  if (records.empty()) return Status::Invalid("line 1: no header row");
  const std::vector<std::string>& header = records[0].fields;
  auto column = [&](const char* name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (Lower(Trimmed(header[i])) == name) return static_cast<int>(i);
    }
    return -1;
  };
  int visitor = column("visitor"), email = column("email"), outcome = column("outcome"),
      ts = column("ts");
  if (outcome < 0 || (visitor < 0 && email < 0)) {
    std::string names;
    for (const std::string& name : header) names += (names.empty() ? "" : ", ") + name;
    return Status::Invalid(AtLine(records[0].line,
                                  "the header row must name an outcome column and a visitor or "
                                  "an email column (it has: " +
                                      names + ")"));
  }
  std::vector<OutcomeRow> read;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (record.fields.size() != header.size()) {
      return Status::Invalid(AtLine(record.line, std::to_string(record.fields.size()) +
                                                     " fields; the header row has " +
                                                     std::to_string(header.size())));
    }
    auto field = [&](int index) {
      return index < 0 ? std::string() : Trimmed(record.fields[index]);
    };
    OutcomeRow row;
    row.line = record.line;
    row.visitor = field(visitor);
    if (row.visitor.empty()) row.email = NormalizeEmail(field(email));
    if (row.visitor.empty() && row.email.empty()) {
      return Status::Invalid(AtLine(record.line, "a row needs a visitor or an email"));
    }
    row.outcome = field(outcome);
    if (!IsOutcomeLabel(row.outcome)) {
      return Status::Invalid(
          AtLine(record.line, "outcome must be 1 to 64 of A-Z a-z 0-9 _ . - (got " +
                                  QuoteForMessage(row.outcome) + ")"));
    }
    std::string time = field(ts);
    if (!time.empty()) {
      if (!ParseTime(time, &row.ts)) {
        return Status::Invalid(AtLine(record.line, "ts " + QuoteForMessage(time) +
                                                       " is neither milliseconds since the epoch "
                                                       "nor an RFC 3339 time"));
      }
      row.has_ts = true;
    }
    read.push_back(std::move(row));
  }
  rows->insert(rows->end(), read.begin(), read.end());
  return Status::Ok();
}

}  // namespace mqlscore
