#include "cli/fast_event_parser.h"

#include <catch2/catch.hpp>

#include "core/json_reader.h"
#include "core/json_writer.h"

using namespace mqlscore;

namespace {

std::string Describe(const FieldValue& v) {
  switch (v.kind) {
    case FieldValue::Kind::kMissing:
      return "missing";
    case FieldValue::Kind::kString:
      return "string " + std::string(v.text);
    case FieldValue::Kind::kNumber: {
      return "number " + ToJsonText(Value(v.number));
    }
    case FieldValue::Kind::kBool:
      return v.boolean ? "true" : "false";
    case FieldValue::Kind::kObject:
      return "object";
    case FieldValue::Kind::kArray:
      return "array";
  }
  return "?";
}

// Reads `text` with both readers; they must agree on acceptance, messages and every member.
void CheckAgreement(const std::string& text) {
  std::string padded = text + std::string(64, ' ');
  FastEventParser fast(1 << 20);
  const EventMembers* fast_members = nullptr;
  Status fast_read = fast.Parse(std::string_view(padded.data(), text.size()), &fast_members);
  std::string fast_error = fast_read.message();
  Value body;
  Status core_read = ReadJson(text, kMaxValueDepth, &body);
  if (core_read.ok() && !body.is_object())
    core_read = Status::Invalid("an event must be a JSON object");
  bool core_ok = core_read.ok();
  std::string core_error = core_read.message();
  INFO(text << " | fast: " << fast_error << " | core: " << core_error);
  REQUIRE(fast_read.ok() == core_ok);
  if (!core_ok) {
    // simdjson's refusals are re-read by the core's reader, so the messages are the same.
    CHECK(fast_error == core_error);
    return;
  }
  ValueMembers core_members(&body);
  for (const auto& member : body.object_members()) {
    CHECK(Describe(fast_members->Get(member.first)) == Describe(core_members.Get(member.first)));
    Value a, b;
    CHECK(fast_members->Copy(member.first, &a) == core_members.Copy(member.first, &b));
    CHECK(a == b);
  }
  for (const std::vector<std::string>& path :
       {std::vector<std::string>{"props", "plan", "tier"}, {"props", "x"}, {"a", "b"}, {"nope"}}) {
    CHECK(Describe(fast_members->GetPath(path)) == Describe(core_members.GetPath(path)));
  }
  Event fast_event, core_event;
  Status fast_checked = Event::From(fast_members, &fast_event);
  Status core_checked = Event::From(&core_members, &core_event);
  REQUIRE(fast_checked.ok() == core_checked.ok());
  CHECK(fast_checked.message() == core_checked.message());
  if (fast_checked.ok()) {
    CHECK(fast_event.type() == core_event.type());
    CHECK(fast_event.ts() == core_event.ts());
    CHECK(fast_event.visitor() == core_event.visitor());
  }
}

}  // namespace

TEST_CASE("The fast event reader agrees with the core's reader", "[fast_event_parser]") {
  SECTION("valid events") {
    for (
        const char* text :
        {R"({"type":"page_view","ts":1767348000000,"url":"https://x.com/a?b=c","visitor":"v1"})",
         R"({"type":"a","type":"b","ts":"2026-01-02T10:00:00Z"})",
         R"({"type":"x","ts":1,"n":[0,-0,1.5,1e-7],"big":18446744073709551615,"bigger":18446744073709551616})",
         R"({"type":"x","ts":1.5,"s":"\u00e9\ud83d\ude00\n\t\"","\u0075rl":"/escaped-key"})",
         R"({"type":"identify","ts":1,"traits":{"a":{"b":[null,true,false]},"a":2}})",
         R"({"type":"x","ts":1,"props":{"plan":{"tier":"gold"},"x":null}})",
         R"(  {"type":"x","ts":2}  )", R"({"type":null,"ts":1})", R"({"type":"x","ts":true})",
         R"({"type":"identify","ts":1,"traits":"no"})", R"({"type":"session_start","ts":1})"}) {
      CheckAgreement(text);
    }
  }
  SECTION("invalid lines") {
    for (const char* text :
         {"", "garbage", "{\"a\":1", "{\"a\":1}}", "{\"a\":1} x", "{\"n\":1e400}", "{'a':1}",
          "{\"s\":\"\xff\xfe\"}", "{\"s\":\"tab\there\"}", "{\"a\":01}", "{\"a\":NaN}",
          "{\"a\":[1,]}", "[1,2]", "\"just a string\"", "12", "null"}) {
      CheckAgreement(text);
    }
    CheckAgreement(std::string("\x00\x01\x02{}", 5));
  }
  SECTION("nesting") {
    auto nested = [](int depth) {
      return "{\"type\":\"x\",\"ts\":1,\"props\":" + std::string(depth - 1, '[') +
             std::string(depth - 1, ']') + "}";
    };
    CheckAgreement(nested(64));
    CheckAgreement(nested(65));
    CheckAgreement(nested(5000));
  }
}

namespace {

// What a reader made of one line: its error, or its members as the core would copy them.
std::string Outcome(FastEventParser& parser, std::string_view line) {
  const EventMembers* members = nullptr;
  Status read = parser.Parse(line, &members);
  if (!read.ok()) return "error: " + read.message();
  Value body;
  REQUIRE(ReadJson(line, kMaxValueDepth, &body).ok());
  std::string out;
  for (const Value::Member& member : body.object_members()) {
    Value copy;
    members->Copy(member.first, &copy);
    out += member.first + "=" + ToJsonText(copy) + " " + Describe(members->Get(member.first)) + ";";
  }
  return out;
}

}  // namespace

// Splits `text` into the non-blank lines the command line would parse (without '\r').
std::vector<std::string_view> Lines(const std::string& text) {  // lines end with '\n'
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Reads `text` line by line with and without reading ahead; both must give the same outcomes.
// Returns how many lines were read ahead.
std::uint64_t CheckReadAhead(const std::string& text) {
  std::string padded = text + std::string(64, ' ');  // simdjson's padding
  std::vector<std::string_view> lines = Lines(padded);
  FastEventParser together(1 << 20), alone(1 << 20);
  together.ReadAhead(std::string_view(padded.data(), text.size()));
  for (std::string_view line : lines) {
    INFO(line);
    CHECK(Outcome(together, line) == Outcome(alone, line));
  }
  CHECK(alone.lines_read_ahead() == 0);
  return together.lines_read_ahead();
}

TEST_CASE("Lines read ahead together read exactly as they do one by one", "[fast_event_parser]") {
  SECTION("until a line holds two documents") {
    CHECK(CheckReadAhead(
              "{\"type\":\"page_view\",\"ts\":1,\"visitor\":\"a\",\"url\":\"https://x.com/p\"}\n"
              "{\"type\":\"cta_click\",\"ts\":2,\"cta\":\"demo\"}   \n"
              "\n   \n"
              "{\"type\":\"crlf\",\"ts\":3}\r\n"
              "  {\"type\":\"indented\",\"ts\":4}\n"
              "{\"type\":\"x\",\"ts\":5,\"props\":{\"plan\":{\"tier\":\"gold\"}}}\n"
              "{\"type\":\"one\",\"ts\":6} {\"type\":\"two\",\"ts\":7}\n"
              "{\"type\":\"after\",\"ts\":8}\n") == 5);
  }
  SECTION("until a line simdjson refuses") {
    CHECK(CheckReadAhead("{\"type\":\"a\",\"ts\":1}\n"
                         "{\"type\":\"a\",\"type\":\"b\",\"ts\":2,\"big\":18446744073709551616}\n"
                         "{\"type\":\"c\",\"ts\":3}\n") == 1);
    CHECK(CheckReadAhead("{\"type\":\"a\",\"ts\":1}\n[1,2]\n{\"ts\":2}\n12\n") == 4);
  }
  SECTION("not for a line with junk after its document") {
    CHECK(CheckReadAhead("{\"type\":\"a\",\"ts\":1}\n"
                         "{\"type\":\"b\",\"ts\":2}\x01\n"
                         "{\"type\":\"c\",\"ts\":3}\n") == 1);
  }
  SECTION("with the same nesting limit") {
    std::string deep =
        "{\"type\":\"x\",\"ts\":1,\"props\":" + std::string(70, '[') + std::string(70, ']') + "}\n";
    CHECK(CheckReadAhead("{\"type\":\"a\",\"ts\":1}\n" + deep + "{\"type\":\"c\",\"ts\":3}\n") ==
          1);
  }
  SECTION("not at all when a stray quote leaves a string open") {
    CHECK(CheckReadAhead(
              "{\"type\":\"a\",\"ts\":1}\nnot json \" at all\n{\"type\":\"c\",\"ts\":3}\n") == 0);
  }
  SECTION("every line of a clean log") {
    std::string clean;
    for (int i = 0; i < 1000; ++i) {
      clean += "{\"type\":\"page_view\",\"ts\":" + std::to_string(i) + ",\"visitor\":\"v" +
               std::to_string(i % 7) + "\"}\n";
    }
    CHECK(CheckReadAhead(clean) == 1000);
  }
}
