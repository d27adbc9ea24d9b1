#include "cli/outcomes.h"

#include <csv.h>

namespace mqlscore {
namespace {

// Collects libcsv's fields into records, each with the line it starts on.
struct Records {
  std::vector<CsvRecord> records;
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

}  // namespace

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string row;
  for (const std::string& field : fields) {
    std::string quoted(csv_write(nullptr, 0, field.data(), field.size()), '\0');
    csv_write(&quoted[0], quoted.size(), field.data(), field.size());
    row += (row.empty() ? "" : ",") + quoted;
  }
  return row + "\r\n";
}

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
  return OutcomesFromRecords(records.records, rows);
}

}  // namespace mqlscore
