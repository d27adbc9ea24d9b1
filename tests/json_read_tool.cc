// For tests/json_readers_agree_test.mjs: reads JSON texts with the native reader (ReadJson) and
// prints what it made of each. Each line of stdin is one text, written as a JSON string literal
// (so that a text may hold newlines or a byte order mark); each line of stdout is "ok " and the
// value as compact JSON, or "error " and the message.
// usage: json_read_tool MAX_DEPTH < texts
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "core/json_reader.h"
#include "core/json_writer.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: json_read_tool MAX_DEPTH < texts\n");
    return 64;
  }
  int max_depth = std::atoi(argv[1]);
  std::string line;
  while (std::getline(std::cin, line)) {
    mqlscore::Value quoted, value;
    if (!mqlscore::ReadJson(line, 1, &quoted).ok() || !quoted.is_string()) {
      std::fprintf(stderr, "json_read_tool: not a JSON string: %s\n", line.c_str());
      return 65;
    }
    mqlscore::Status read = mqlscore::ReadJson(quoted.string_value(), max_depth, &value);
    std::string out = read.ok() ? "ok " + mqlscore::ToJsonText(value) : "error " + read.message();
    std::printf("%s\n", out.c_str());
  }
  return 0;
}
