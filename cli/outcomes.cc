#include "cli/outcomes.h"

#include <csv.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/strings.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

// Collects libcsv's fields into records, each with the line it starts on.
struct Records {
  struct Record {
    std::size_t line = 0;
    std::vector<std::string> fields;
  };
  std::vector<Record> records;
  std::size_t line = 1;  // of the text being fed
  bool in_record = false;

  static void OnField(void* data, std::size_t size, void* self) {
    Records& r = *static_cast<Records*>(self);
    if (!r.in_record) {
      r.records.push_back({r.line, {}});
      r.in_record = true;
    }
    r.records.back().fields.emplace_back(static_cast<const char*>(data), size);
  }
  static void OnRecordEnd(int, void* self) { static_cast<Records*>(self)->in_record = false; }
};

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

std::string AtLine(std::size_t line, const std::string& message) {
  return "line " + std::to_string(line) + ": " + message;
}

}  // namespace

bool IsOutcomeLabel(std::string_view label) {
  if (label.empty() || label.size() > 64) return false;
  return std::all_of(label.begin(), label.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '.' || c == '-';
  });
}

std::string NormalizeEmail(std::string_view email) { return Lower(Trimmed(email)); }

Status ReadOutcomes(std::string_view csv, std::vector<OutcomeRow>* rows) {
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);  // a byte order mark
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return Status::Unavailable("cannot start the CSV reader");
  }
  Records records;
  // Fed a line at a time, so that each record knows the line it starts on.
  Status failed;
  while (!csv.empty() && failed.ok()) {
    std::size_t end = csv.find('\n');
    std::string_view piece = csv.substr(0, end == std::string_view::npos ? csv.size() : end + 1);
    if (csv_parse(&parser, piece.data(), piece.size(), Records::OnField, Records::OnRecordEnd,
                  &records) != piece.size()) {
      failed = Status::Invalid(
          AtLine(records.line, std::string("not valid CSV: ") + csv_strerror(csv_error(&parser))));
    }
    csv.remove_prefix(piece.size());
    ++records.line;
  }
  if (failed.ok() && csv_fini(&parser, Records::OnField, Records::OnRecordEnd, &records) != 0) {
    failed =
        Status::Invalid(AtLine(records.line - 1, "not valid CSV: a quoted field is not closed"));
  }
  csv_free(&parser);
  if (!failed.ok()) return failed;
  if (records.records.empty()) return Status::Invalid("line 1: no header row");

  const std::vector<std::string>& header = records.records[0].fields;
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
    return Status::Invalid(AtLine(records.records[0].line,
                                  "the header row must name an outcome column and a visitor or "
                                  "an email column (it has: " +
                                      names + ")"));
  }
  std::vector<OutcomeRow> read;
  for (std::size_t r = 1; r < records.records.size(); ++r) {
    const Records::Record& record = records.records[r];
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
