// mqlscore-collector: the reference marketing endpoint. Receives the widget's signal batches,
// verifies each against its evidence with the scoring core, stores them durably in SQLite and
// serves the leads. See docs/collector.md.
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "collector/forwarder.h"
#include "collector/store.h"
#include "collector/verify.h"
#include "core/json_value.h"
#include "core/rules.h"

namespace mqlscore {
namespace {

constexpr std::size_t kMaxBodyBytes = 1 << 20;
constexpr std::size_t kMaxSignals = 500;
constexpr std::size_t kMaxEvidence = 200;
constexpr std::size_t kMaxReasons = 200;
constexpr std::size_t kMaxText = 128;

const char kUsage[] =
    "usage: mqlscore-collector --listen HOST:PORT --db FILE.sqlite --rules RULES.json "
    "[--rules ...] [--static DIR] [--allow-origin ORIGIN]... [--forward URL]\n";

std::string ErrorJson(const std::string& message) {
  std::string out = "{\"error\":";
  AppendJsonString(message, &out);
  return out + "}";
}

bool IsText(const Value* v, std::size_t max) {
  return v != nullptr && v->is_string() && !v->string_value().empty() &&
         v->string_value().size() <= max;
}
bool IsNumber(const Value* v) { return v != nullptr && v->is_number(); }

bool IsSignalId(const Value* v) {
  if (!IsText(v, 64)) return false;
  for (char c : v->string_value()) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Checks one signal against the payload of docs/signals.md; returns "" or what is wrong.
std::string CheckSignal(const Value& s) {
  if (!s.is_object()) return "a signal must be an object";
  if (!IsSignalId(s.Find("id"))) return "id must be 1 to 64 of A-Z a-z 0-9 - _";
  const Value* type = s.Find("type");
  if (type == nullptr || !type->is_string() || type->string_value() != "stage_changed") {
    return "type must be \"stage_changed\"";
  }
  for (const char* key : {"visitor", "from", "to"}) {
    if (!IsText(s.Find(key), kMaxText))
      return std::string(key) + " must be a string of 1 to 128 bytes";
  }
  for (const char* key : {"ts", "engagement", "fit", "score"}) {
    if (!IsNumber(s.Find(key))) return std::string(key) + " must be a number";
  }
  const Value* hash = s.Find("rules_hash");
  if (!IsText(hash, 16) || hash->string_value().size() != 16)
    return "rules_hash must be 16 hex digits";
  const Value* reasons = s.Find("reasons");
  if (reasons == nullptr || !reasons->is_array() || reasons->array_items().size() > kMaxReasons) {
    return "reasons must be an array of at most 200";
  }
  for (const Value& r : reasons->array_items()) {
    if (!r.is_object() || !IsText(r.Find("rule"), 64) || !IsNumber(r.Find("points"))) {
      return "each reason must be {\"rule\": string, \"points\": number}";
    }
  }
  const Value* evidence = s.Find("evidence");
  if (evidence == nullptr || !evidence->is_array() ||
      evidence->array_items().size() > kMaxEvidence) {
    return "evidence must be an array of at most 200 events";
  }
  for (const Value& e : evidence->array_items()) {
    if (!e.is_object()) return "each evidence event must be an object";
  }
  return "";
}

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string db;
  std::vector<std::string> rules_paths;
  std::string static_dir;
  std::string forward;
  std::set<std::string> origins;
};

bool ParseArgs(int argc, char** argv, Config* config, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--listen") {
      std::string listen = value();
      auto colon = listen.rfind(':');
      if (colon == std::string::npos) {
        *error = "--listen needs HOST:PORT";
        return false;
      }
      config->host = listen.substr(0, colon);
      config->port = std::atoi(listen.c_str() + colon + 1);
      if (config->port <= 0 || config->port > 65535) {
        *error = "--listen: bad port in " + listen;
        return false;
      }
    } else if (arg == "--db") {
      config->db = value();
    } else if (arg == "--rules") {
      config->rules_paths.push_back(value());
    } else if (arg == "--static") {
      config->static_dir = value();
    } else if (arg == "--forward") {
      config->forward = value();
    } else if (arg == "--allow-origin") {
      config->origins.insert(value());
    } else {
      *error = "unknown option " + arg;
      return false;
    }
  }
  if (config->db.empty() || config->rules_paths.empty()) {
    *error = "--db and --rules are required";
    return false;
  }
  return true;
}

}  // namespace
}  // namespace mqlscore

int main(int argc, char** argv) {
  using namespace mqlscore;
  Config config;
  std::string error;
  if (!ParseArgs(argc, argv, &config, &error)) {
    std::fprintf(stderr, "mqlscore-collector: %s\n%s", error.c_str(), kUsage);
    return 64;
  }
  std::map<std::string, std::unique_ptr<RuleSet>> rules_by_hash;
  for (const std::string& path : config.rules_paths) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    auto rules = std::make_unique<RuleSet>();
    Problems problems =
        file ? RuleSet::Parse(text.str(), rules.get()) : Problems{{"", "cannot read " + path}};
    if (!problems.empty()) {
      for (const Problem& p : problems)
        std::fprintf(stderr, "%s: %s\n", path.c_str(), p.ToString().c_str());
      return 2;
    }
    std::string hash = rules->hash();
    rules_by_hash[hash] = std::move(rules);
  }
  Store store;
  if (!store.Open(config.db, &error)) {
    std::fprintf(stderr, "mqlscore-collector: %s\n", error.c_str());
    return 1;
  }

  std::unique_ptr<Forwarder> forwarder;
  if (!config.forward.empty()) {
    forwarder = std::make_unique<Forwarder>(&store, config.forward);
    if (!forwarder->Start(&error)) {
      std::fprintf(stderr, "mqlscore-collector: %s\n", error.c_str());
      return 64;
    }
  }

  httplib::Server server;
  server.set_payload_max_length(kMaxBodyBytes);
  server.set_tcp_nodelay(true);  // without it, each answer waits ~40 ms on delayed ACKs
  if (!config.static_dir.empty() && !server.set_mount_point("/", config.static_dir)) {
    std::fprintf(stderr, "mqlscore-collector: --static %s is not a folder\n",
                 config.static_dir.c_str());
    return 64;
  }
  server.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");

  // CORS: only the allowed origins (or any with --allow-origin '*'); requests without an Origin
  // (servers, curl) are not browsers, and pages served by this collector (--static) are its own
  // origin: neither needs CORS.
  auto origin_allowed = [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Origin")) return true;
    std::string origin = req.get_header_value("Origin");
    if (origin == "http://" + req.get_header_value("Host")) return true;
    if (!config.origins.count(origin) && !config.origins.count("*")) return false;
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Vary", "Origin");
    return true;
  };
  auto json = [](httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, "application/json");
  };

  server.Options("/v1/signals", [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_allowed(req, res)) return json(res, 403, ErrorJson("origin not allowed"));
    res.set_header("Access-Control-Allow-Methods", "POST");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.status = 204;
  });

  server.Post("/v1/signals", [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_allowed(req, res)) return json(res, 403, ErrorJson("origin not allowed"));
    Value body;
    std::string parse_error;
    if (!ParseJsonValue(req.body, &body, &parse_error)) {
      return json(res, 400, ErrorJson("not JSON: " + parse_error));
    }
    const Value* signals = body.Find("signals");
    if (!body.is_object() || !IsText(body.Find("site"), kMaxText) || signals == nullptr ||
        !signals->is_array() || signals->array_items().empty()) {
      return json(res, 400, ErrorJson("expected {\"site\": string, \"signals\": [...]}"));
    }
    if (signals->array_items().size() > kMaxSignals) {
      return json(res, 413, ErrorJson("at most 500 signals per batch"));
    }
    std::vector<StoredSignal> batch;
    for (std::size_t i = 0; i < signals->array_items().size(); ++i) {
      const Value& s = signals->array_items()[i];
      std::string problem = CheckSignal(s);
      if (!problem.empty()) {
        return json(res, 400, ErrorJson("signals[" + std::to_string(i) + "]: " + problem));
      }
      StoredSignal stored;
      stored.id = s.Find("id")->string_value();
      stored.site = body.Find("site")->string_value();
      stored.visitor = s.Find("visitor")->string_value();
      stored.from = s.Find("from")->string_value();
      stored.to = s.Find("to")->string_value();
      stored.rules_hash = s.Find("rules_hash")->string_value();
      stored.ts = s.Find("ts")->number_value();
      stored.engagement = s.Find("engagement")->number_value();
      stored.fit = s.Find("fit")->number_value();
      stored.score = s.Find("score")->number_value();
      stored.reasons_json = ToJsonText(*s.Find("reasons"));
      auto rules = rules_by_hash.find(stored.rules_hash);
      stored.verdict = Verify(rules == rules_by_hash.end() ? nullptr : rules->second.get(), s);
      batch.push_back(std::move(stored));
    }
    int inserted = 0;
    std::string store_error;
    if (!store.InsertBatch(batch, forwarder != nullptr, &inserted, &store_error)) {
      return json(res, 503, ErrorJson("not stored: " + store_error));
    }
    if (forwarder && inserted > 0) forwarder->Wake();
    json(res, 200,
         "{\"accepted\":" + std::to_string(batch.size()) +
             ",\"stored\":" + std::to_string(inserted) + "}");
  });

  server.Get("/v1/leads", [&](const httplib::Request&, httplib::Response& res) {
    json(res, 200, store.LeadsJson());
  });
  server.Get(R"(/v1/leads/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    std::string lead = store.LeadJson(req.matches[1]);
    if (lead.empty()) return json(res, 404, ErrorJson("no such lead"));
    json(res, 200, lead);
  });
  server.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
    json(res, 200, "{\"ok\":true}");
  });

  if (!server.bind_to_port(config.host, config.port)) {
    std::fprintf(stderr, "mqlscore-collector: cannot listen on %s:%d\n", config.host.c_str(),
                 config.port);
    return 1;
  }
  std::fprintf(stderr, "mqlscore-collector: listening on http://%s:%d\n", config.host.c_str(),
               config.port);
  server.listen_after_bind();
  return 0;
}
