#include "wasm/js_value.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace mqlscore {

using emscripten::val;

Status FromJs(const val& v, int depth, Value* out) {
  std::string type = v.typeOf().as<std::string>();
  if (type == "string") {
    *out = Value(v.as<std::string>());
  } else if (type == "number") {
    double d = v.as<double>();
    if (!std::isfinite(d)) return Status::Invalid("a number is too large (beyond 1.8e308)");
    *out = Value(d);
  } else if (type == "boolean") {
    *out = Value(v.as<bool>());
  } else if (type != "object" || v.isNull()) {
    *out = Value();
  } else if (depth == 0) {
    return Status::TooDeep("");
  } else if (v.isArray()) {
    unsigned length = v["length"].as<unsigned>();
    Value::Array items(length);
    for (unsigned i = 0; i < length; ++i) {
      Status item = FromJs(v[i], depth - 1, &items[i]);
      if (!item.ok()) return item;
    }
    *out = std::move(items);
  } else {
    val keys = val::global("Object").call<val>("keys", v);
    unsigned length = keys["length"].as<unsigned>();
    Value::Object members;
    members.reserve(length);
    for (unsigned i = 0; i < length; ++i) {
      val key = keys[i];
      val member = v[key];
      std::string member_type = member.typeOf().as<std::string>();
      if (member_type == "undefined" || member_type == "function") continue;
      members.emplace_back(key.as<std::string>(), Value());
      Status item = FromJs(member, depth - 1, &members.back().second);
      if (!item.ok()) return item;
    }
    *out = std::move(members);
  }
  return Status::Ok();
}

Status ReadJs(const val& v, int max_depth, Value* out) {
  Status read;
  if (v.typeOf().as<std::string>() == "string") {
    val parsed = val::module_property("readJson")(v);
    read = parsed.hasOwnProperty("error") ? Status::Invalid(parsed["error"].as<std::string>())
                                          : FromJs(parsed["value"], max_depth, out);
  } else {
    read = FromJs(v, max_depth, out);
  }
  return read.code() == Status::Code::kTooDeep ? Status::TooDeep(TooDeepMessage(max_depth)) : read;
}

val ToJs(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return val::null();
    case Value::Type::kBool:
      return val(value.bool_value());
    case Value::Type::kNumber:
      return val(value.number_value());
    case Value::Type::kString:
      return val(value.string_value());
    case Value::Type::kArray: {
      val items = val::array();
      const Value::Array& array = value.array_items();
      for (std::size_t i = 0; i < array.size(); ++i) items.set(i, ToJs(array[i]));
      return items;
    }
    case Value::Type::kObject: {
      val members = val::object();
      for (const Value::Member& member : value.object_members()) {
        members.set(member.first, ToJs(member.second));
      }
      return members;
    }
  }
  return val::null();
}

val Failure(const std::string& error) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", error);
  return out;
}

val Success(const char* name, val value) {
  val out = val::object();
  out.set("ok", true);
  out.set(name, std::move(value));
  return out;
}

}  // namespace mqlscore
