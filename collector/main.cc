// mqlscore-collector: the reference marketing endpoint. Receives the widget's signal batches,
// verifies each against its evidence with the scoring core, stores them durably in SQLite and
// serves the leads. See docs/collector.md. This file parses the arguments and routes requests;
// batch.h checks what comes in, store.h keeps it, signal_json.h writes what goes out.
#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "cli/outcomes.h"
#include "collector/accounts.h"
#include "collector/admin_auth.h"
#include "collector/batch.h"
#include "collector/bounded_server.h"
#include "collector/forwarder.h"
#include "collector/handoff.h"
#include "collector/http_safety.h"
#include "collector/lead_views.h"
#include "collector/origin.h"
#include "collector/rate_limit.h"
#include "collector/signal_json.h"
#include "collector/store.h"
#include "collector/timeline.h"
#include "core/account_stages.h"
#include "core/json_reader.h"
#include "core/rules.h"
#include "core/status.h"
#include "core/strings.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

constexpr int kServerThreads = 64;
constexpr std::size_t kMaxBodyBytes = 1 << 20;

const char kUsage[] =
    "usage: mqlscore-collector --listen HOST:PORT --db FILE.sqlite|postgresql://... --rules "
    "RULES.json "
    "[--rules ...] [--static DIR] [--allow-origin ORIGIN]... [--forward URL "
    "[--forward-secret-file FILE] [--forward-max-attempts N]] [--slack-webhook URL "
    "[--public-url URL]] [--admin-token-file FILE] "
    "[--admin-listen HOST:PORT] [--rate-limit N] [--max-signals-per-visitor N] "
    "[--request-timeout SECONDS]\n";

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string admin_host;  // --admin-listen: the team's routes there only
  int admin_port = 0;
  std::string db;
  std::vector<std::string> rules_paths;
  std::string static_dir;
  std::string forward;
  std::string slack;       // --slack-webhook: an alert per new MQL
  std::string public_url;  // --public-url: the dashboard's address in alerts
  Forwarder::Options forwarding;
  std::string admin_tokens;
  int rate_limit = 20;  // batches a second per client, twice that at once; 0: none
  int max_signals_per_visitor = 1000;
  RequestLimits request_limits;
  std::set<std::string> origins;
};

Status ParseArgs(int argc, char** argv, Config* config) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--listen" || arg == "--admin-listen") {
      std::string listen = value();
      auto colon = listen.rfind(':');
      if (colon == std::string::npos) {
        return Status::Invalid(arg + " needs HOST:PORT");
      }
      int port = std::atoi(listen.c_str() + colon + 1);
      if (port <= 0 || port > 65535) {
        return Status::Invalid(arg + ": bad port in " + listen);
      }
      (arg == "--listen" ? config->host : config->admin_host) = listen.substr(0, colon);
      (arg == "--listen" ? config->port : config->admin_port) = port;
    } else if (arg == "--db") {
      config->db = value();
    } else if (arg == "--rules") {
      config->rules_paths.push_back(value());
    } else if (arg == "--static") {
      config->static_dir = value();
    } else if (arg == "--forward") {
      config->forward = value();
    } else if (arg == "--forward-secret-file") {
      std::string path = value();
      std::ifstream file(path);
      std::getline(file, config->forwarding.secret);
      if (config->forwarding.secret.empty()) {
        return Status::Invalid("--forward-secret-file " + path +
                               ": no secret on its first line (or it cannot be read)");
      }
    } else if (arg == "--rate-limit") {
      std::string n = value();
      config->rate_limit = std::atoi(n.c_str());
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos) {
        return Status::Invalid(
            "--rate-limit needs a whole number of batches a second (0: none), not " + n);
      }
    } else if (arg == "--max-signals-per-visitor") {
      std::string n = value();
      config->max_signals_per_visitor = std::atoi(n.c_str());
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos ||
          config->max_signals_per_visitor < 1) {
        return Status::Invalid(
            "--max-signals-per-visitor needs a whole number of at least 1, not " + n);
      }
    } else if (arg == "--request-timeout") {
      std::string n = value();
      int seconds = std::atoi(n.c_str());
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || seconds < 1 ||
          seconds > 3600) {
        return Status::Invalid(
            "--request-timeout needs a whole number of seconds from 1 to 3600, not " + n);
      }
      config->request_limits.deadline = std::chrono::seconds(seconds);
    } else if (arg == "--slack-webhook") {
      config->slack = value();
    } else if (arg == "--public-url") {
      config->public_url = value();
    } else if (arg == "--admin-token-file") {
      config->admin_tokens = value();
    } else if (arg == "--forward-max-attempts") {
      std::string n = value();
      config->forwarding.max_attempts = std::atoi(n.c_str());
      if (config->forwarding.max_attempts < 1 ||
          n.find_first_not_of("0123456789") != std::string::npos) {
        return Status::Invalid("--forward-max-attempts needs a whole number of at least 1, not " +
                               n);
      }
    } else if (arg == "--allow-origin") {
      std::string origin;
      Status normalized = NormalizeOrigin(value(), &origin);
      if (!normalized.ok()) return normalized;
      config->origins.insert(origin);
    } else {
      return Status::Invalid("unknown option " + arg);
    }
  }
  if (config->db.empty() || config->rules_paths.empty()) {
    return Status::Invalid("--db and --rules are required");
  }
  if (config->admin_port == config->port) {
    return Status::Invalid("--admin-listen needs a port of its own, not --listen's");
  }
  return Status::Ok();
}

}  // namespace
}  // namespace mqlscore

int main(int argc, char** argv) {
  using namespace mqlscore;
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Config config;
  Status args = ParseArgs(argc, argv, &config);
  if (!args.ok()) {
    std::fprintf(stderr, "mqlscore-collector: %s\n%s", args.message().c_str(), kUsage);
    return 64;
  }
  // The database and its journal hold personal data: owner-only, whatever the caller's umask.
  ::umask(077);
  RulesByHash rules_by_hash;
  const RuleSet* current_rules = nullptr;  // the first --rules: accounts decay and stage by it
  std::vector<AccountStage> account_stages;
  for (const std::string& path : config.rules_paths) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    auto rules = std::make_unique<RuleSet>();
    Problems problems =
        file ? RuleSet::Parse(text.str(), rules.get()) : Problems{{"", "cannot read " + path}};
    Value document;
    std::vector<AccountStage> stages;
    if (problems.empty() && ReadJson(text.str(), kMaxRulesDepth, &document).ok()) {
      problems = ParseAccountStages(document, &stages);
    }
    if (current_rules == nullptr) {
      current_rules = rules.get();
      account_stages = stages;
    }
    if (!problems.empty()) {
      for (const Problem& p : problems)
        std::fprintf(stderr, "%s: %s\n", path.c_str(), p.ToString().c_str());
      return 2;
    }
    std::string hash = rules->hash();
    rules_by_hash[hash] = std::move(rules);
  }
  std::unique_ptr<Store> store;
  Status opened = OpenStore(config.db, config.max_signals_per_visitor, &store);
  if (!opened.ok()) {
    std::fprintf(stderr, "mqlscore-collector: %s\n", opened.message().c_str());
    return 1;
  }

  AdminAuth admin;
  if (!config.admin_tokens.empty()) {
    Status read = admin.ReadTokenFile(config.admin_tokens);
    if (!read.ok()) {
      std::fprintf(stderr, "mqlscore-collector: %s\n", read.message().c_str());
      return 64;
    }
  }

  std::unique_ptr<Forwarder> forwarder, slack;
  for (auto [url, sender, channel] : {std::tuple{&config.forward, &forwarder, Channel::kForward},
                                      std::tuple{&config.slack, &slack, Channel::kSlack}}) {
    if (url->empty()) continue;
    Forwarder::Options options = config.forwarding;
    if (channel == Channel::kSlack) options.secret.clear();  // Slack's URL is its secret
    *sender = std::make_unique<Forwarder>(store.get(), channel, *url, options);
    Status started = (*sender)->Start();
    if (!started.ok()) {
      std::fprintf(stderr, "mqlscore-collector: %s\n", started.message().c_str());
      return 64;
    }
  }
  std::string dashboard =
      (config.public_url.empty() ? "http://" + config.host + ":" + std::to_string(config.port)
                                 : config.public_url) +
      "/dashboard/";
  std::function<std::string(const StoredSignal&)> slack_message;
  if (slack) {
    slack_message = [dashboard](const StoredSignal& s) { return SlackMessageJson(s, dashboard); };
  }

  // At most 100 header lines and 64 KiB of head, and each request read whole within
  // --request-timeout (15 s): bounded_server.h.
  BoundedServer server(config.request_limits);
  server.set_payload_max_length(kMaxBodyBytes);
  server.set_tcp_nodelay(true);  // without it, each answer waits ~40 ms on delayed ACKs
  // A slow client holds a thread while it dribbles its request in (Debian's cpp-httplib reads a
  // request on the connection's thread): 64 of them, not the default 8, so that a handful cannot
  // starve everyone else; each read may wait 5 s, a connection serves at most 100 requests and
  // idles at most 5 s.
  server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_keep_alive_max_count(100);
  server.set_keep_alive_timeout(5);
  std::string static_root;
  if (!config.static_dir.empty()) {
    char* real = ::realpath(config.static_dir.c_str(), nullptr);
    if (real != nullptr) static_root = real;
    std::free(real);
    if (static_root.empty() || !server.set_mount_point("/", static_root)) {
      std::fprintf(stderr, "mqlscore-collector: --static %s is not a folder\n",
                   config.static_dir.c_str());
      return 64;
    }
  }
  server.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
  // Every answer: no guessing of types. The API's: never cached. The dashboard's: its own
  // scripts only, never in a frame.
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
  auto is_api = [](const std::string& path) {
    return path.rfind("/v1/", 0) == 0 || path == "/healthz";
  };
  // CORS: only the allowed origins (or any with --allow-origin '*'); requests without an Origin
  // (servers, curl) are not browsers, and pages served by this collector (--static) are its own
  // origin: neither needs CORS. A refused origin is logged the first time, with the allowed ones,
  // and its 403 carries the CORS header too: without it the browser hides the status from the
  // widget, which could not tell the refusal from a network failure.
  std::string allowed_list;
  for (const std::string& origin : config.origins) {
    allowed_list += (allowed_list.empty() ? "" : ", ") + origin;
  }
  std::mutex refused_mutex;
  std::set<std::string> refused_origins;
  auto origin_allowed = [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Origin")) return true;
    std::string origin = req.get_header_value("Origin");
    if (origin == "http://" + req.get_header_value("Host")) return true;
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Vary", "Origin");
    if (config.origins.count(origin) || config.origins.count("*")) return true;
    std::lock_guard<std::mutex> lock(refused_mutex);
    if (refused_origins.size() < 1000 && refused_origins.insert(origin).second) {
      std::fprintf(stderr, "mqlscore-collector: refused signals from origin %s (allowed: %s)\n",
                   QuoteForMessage(origin).c_str(),
                   allowed_list.empty() ? "none; add --allow-origin" : allowed_list.c_str());
    }
    return false;
  };
  auto json = [](httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, "application/json");
  };
  // The team only: with --admin-token-file, a token (Authorization: Bearer) or a dashboard
  // session (its cookie); without one, this machine only, so that a forgotten flag exposes
  // nothing. Answers 401 itself when the request may not go on.
  auto now_ms = [] {
    return std::chrono::duration<double, std::milli>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  auto client_of = [](const httplib::Request& req) {
    return ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"));
  };
  auto session_of = [](const httplib::Request& req) {
    std::string cookies = req.get_header_value("Cookie");
    std::size_t at = cookies.find("mqlscore_session=");
    if (at == std::string::npos || (at > 0 && cookies[at - 1] != ' ' && cookies[at - 1] != ';')) {
      return std::string();
    }
    at += 17;
    return cookies.substr(at, cookies.find(';', at) - at);
  };
  // Who a team request comes from, for the status history: the token's name, or "localhost".
  auto who = [&](const httplib::Request& req) {
    std::string authorization = req.get_header_value("Authorization");
    if (authorization.rfind("Bearer ", 0) == 0) {
      std::string name = admin.NameForToken(std::string_view(authorization).substr(7));
      if (!name.empty()) return name;
    }
    std::string name = admin.SessionName(session_of(req), now_ms());
    return name.empty() ? std::string("localhost") : name;
  };
  auto team_only = [&](const httplib::Request& req, httplib::Response& res) {
    if (!admin.has_tokens()) {
      if (IsLoopbackAddress(client_of(req))) return true;
      json(res, 401,
           ErrorJson("only this machine may read the leads; start the collector with "
                     "--admin-token-file to let the team in"));
      return false;
    }
    std::string authorization = req.get_header_value("Authorization");
    bool signed_in = (authorization.rfind("Bearer ", 0) == 0 &&
                      !admin.NameForToken(std::string_view(authorization).substr(7)).empty()) ||
                     !admin.SessionName(session_of(req), now_ms()).empty();
    if (signed_in) return true;
    res.set_header("WWW-Authenticate", "Bearer");
    json(res, 401, ErrorJson("sign in: Authorization: Bearer <token>, or the dashboard's sign-in"));
    return false;
  };
  // State changes from a browser must come from this collector's own pages: a cross-site form
  // or script cannot sign anyone in or out (the session cookie is SameSite=Strict as well).
  auto same_origin = [](const httplib::Request& req) {
    return !req.has_header("Origin") ||
           req.get_header_value("Origin") == "http://" + req.get_header_value("Host") ||
           req.get_header_value("Origin") == "https://" + req.get_header_value("Host");
  };

  // With --admin-listen, the team's routes answer there and the rest on --listen only.
  auto for_team = [](const std::string& path) {
    for (const char* prefix : {"/v1/leads", "/v1/accounts", "/v1/funnel", "/v1/campaigns",
                               "/v1/outcomes", "/v1/forwarding", "/v1/session", "/dashboard"}) {
      if (path.rfind(prefix, 0) == 0) return true;
    }
    return false;
  };
  server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    using Result = httplib::Server::HandlerResponse;
    if (config.admin_port != 0 && req.path != "/healthz" &&
        for_team(req.path) != (req.local_port == config.admin_port)) {
      json(res, 404,
           ErrorJson(for_team(req.path) ? "the team's routes answer on --admin-listen only"
                                        : "not on the team's address"));
      return Result::Handled;
    }
    if (is_api(req.path)) {
      // cpp-httplib 0.11 caps a body by its Content-Length only: a chunked body and an inflated
      // gzip one grew without bound (CVE-2025-46728). The widget sends neither, so neither is
      // taken, before any of the body is read.
      if (req.method == "POST" && req.has_header("Transfer-Encoding")) {
        res.set_header("Connection", "close");  // its unread body must not pass for a request
        json(res, 411, ErrorJson("send the batch with a Content-Length, not chunked"));
        return Result::Handled;
      }
      if (req.method == "POST" && req.has_header("Content-Encoding") &&
          req.get_header_value("Content-Encoding") != "identity") {
        res.set_header("Connection", "close");
        json(res, 415, ErrorJson("send the batch uncompressed"));
        return Result::Handled;
      }
      if (!req.has_header("Range")) return Result::Unhandled;
      // cpp-httplib cuts any answer into the requested ranges, a refusal too (a thousand
      // overlapping ranges of one answer were 1.3 GB): the request is its own object, handed to
      // us as const, so its parsed ranges can go.
      const_cast<httplib::Request&>(req).ranges.clear();
      res.status = 416;
      res.set_content(ErrorJson("the API answers whole, without Range"), "application/json");
      return Result::Handled;
    }
    bool refused =
        !IsPublicPath(req.path) || (!static_root.empty() && !StaysInside(static_root, req.path));
    if (refused) {
      res.status = 404;
      return Result::Handled;
    }
    // Without tokens there is no sign-in: the dashboard, like the leads, is this machine's only.
    if (req.path.rfind("/dashboard", 0) == 0 && !admin.has_tokens() && !team_only(req, res)) {
      return Result::Handled;
    }
    if (req.has_header("Range") && !IsModestRange(req.get_header_value("Range"), 4)) {
      const_cast<httplib::Request&>(req).ranges.clear();
      res.status = 416;
      return Result::Handled;
    }
    return Result::Unhandled;
  });
  server.set_post_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (is_api(req.path)) {
      res.set_header("Cache-Control", "no-store");
    } else if (req.path.rfind("/dashboard", 0) == 0) {
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                     "form-action 'self'; object-src 'none'");
      res.set_header("X-Frame-Options", "DENY");
    }
  });

  server.Options("/v1/signals", [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_allowed(req, res)) return json(res, 403, ErrorJson("origin not allowed"));
    res.set_header("Access-Control-Allow-Methods", "POST");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.status = 204;
  });

  RateLimiter limiter(std::max(config.rate_limit, 1), 2.0 * std::max(config.rate_limit, 1));
  auto seconds = [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  server.Post("/v1/signals", [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_allowed(req, res)) return json(res, 403, ErrorJson("origin not allowed"));
    // Per client: a browser sends a batch or two a page, a script that floods gets 429 (the
    // widget waits as Retry-After says).
    int wait = config.rate_limit > 0 ? limiter.Take(client_of(req), seconds()) : 0;
    if (wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      return json(
          res, 429,
          ErrorJson("too many batches from this client; retry in " + std::to_string(wait) + " s"));
    }
    std::vector<StoredSignal> batch;
    Status read = ReadBatch(req.body, rules_by_hash, store.get(), now_ms(), &batch);
    if (read.code() == Status::Code::kUnavailable) {
      return json(res, 503, ErrorJson("not stored: " + read.message()));
    }
    if (!read.ok()) {
      return json(res, read.code() == Status::Code::kTooLarge ? 413 : 400,
                  ErrorJson(read.message()));
    }
    int inserted = 0;
    Status stored = store->InsertBatch(batch, forwarder != nullptr, slack_message, &inserted);
    if (!stored.ok()) return json(res, 503, ErrorJson("not stored: " + stored.message()));
    if (forwarder && inserted > 0) forwarder->Wake();
    if (slack && inserted > 0) slack->Wake();
    json(res, 200, BatchAnswerJson(batch.size(), inserted));
  });

  server.Post("/v1/session", [&](const httplib::Request& req, httplib::Response& res) {
    if (!same_origin(req)) return json(res, 403, ErrorJson("sign in from the dashboard itself"));
    if (!admin.has_tokens()) {
      return json(res, 404, ErrorJson("no sign-in without --admin-token-file"));
    }
    Value body;
    std::string name;
    if (ReadJson(req.body, 2, &body).ok() && body.Find("token") != nullptr &&
        body.Find("token")->is_string()) {
      name = admin.NameForToken(body.Find("token")->string_value());
    }
    if (name.empty()) return json(res, 401, ErrorJson("that is not one of the team's tokens"));
    bool https = req.get_header_value("X-Forwarded-Proto") == "https";
    res.set_header("Set-Cookie", "mqlscore_session=" + admin.StartSession(name, now_ms()) +
                                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200" +
                                     (https ? "; Secure" : ""));
    json(res, 200, SignedInJson(name));
  });
  server.Delete("/v1/session", [&](const httplib::Request& req, httplib::Response& res) {
    if (!same_origin(req)) return json(res, 403, ErrorJson("sign out from the dashboard itself"));
    admin.EndSession(session_of(req));
    res.set_header("Set-Cookie", "mqlscore_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    res.status = 204;
  });

  // ?limit= (1 to 1000; 100 by default) and ?offset=; a bad one is -1.
  auto number = [](const httplib::Request& req, const char* name, int fallback) {
    if (!req.has_param(name)) return fallback;
    std::string text = req.get_param_value(name);
    bool digits = !text.empty() && text.size() < 10 &&
                  text.find_first_not_of("0123456789") == std::string::npos;
    return digits ? std::atoi(text.c_str()) : -1;
  };
  // The leads list's query (docs/collector.md, "GET /v1/leads"); an error message or "".
  auto lead_filter = [&](const httplib::Request& req, int max_limit, LeadFilter* f) {
    f->limit = number(req, "limit", std::min(100, max_limit));
    f->offset = number(req, "offset", 0);
    if (f->limit < 1 || f->limit > max_limit || f->offset < 0) {
      return "limit must be 1 to " + std::to_string(max_limit) + " and offset a whole number";
    }
    f->stage = req.get_param_value("stage");
    f->status = req.get_param_value("status");
    f->verdict = req.get_param_value("verdict");
    f->account = req.get_param_value("account");
    f->search = req.get_param_value("q");
    for (auto [name, bound] :
         {std::pair<const char*, double*>{"since", &f->since}, {"until", &f->until}}) {
      if (!req.has_param(name)) continue;
      std::string text = req.get_param_value(name);
      char* end = nullptr;
      double ms = std::strtod(text.c_str(), &end);
      bool is_ms = !text.empty() && end == text.c_str() + text.size() && std::isfinite(ms);
      if (!is_ms && !ParseRfc3339(text.size() == 10 ? text + "T00:00:00Z" : text, &ms)) {
        return std::string(name) + " must be ms since the epoch, a date or an RFC 3339 time";
      }
      *bound = ms;
    }
    if (req.has_param("sort")) f->sort = req.get_param_value("sort");
    std::string order = req.get_param_value("order");
    if (!order.empty() && order != "asc" && order != "desc") {
      return std::string("order must be asc or desc");
    }
    f->ascending = order == "asc";
    return std::string();
  };
  // The leads the query asks for, up to `max_limit` (all of them, up to it, with `all`), and how
  // many match in all; answers the error itself and returns false when there is one.
  auto read_leads = [&](const httplib::Request& req, httplib::Response& res, int max_limit,
                        bool all, std::vector<StoredSignal>* leads, std::int64_t* total) {
    LeadFilter filter;
    std::string problem = lead_filter(req, max_limit, &filter);
    if (!problem.empty()) {
      json(res, 400, ErrorJson(problem));
      return false;
    }
    if (all && !req.has_param("limit")) filter.limit = max_limit;
    Status read = store->Leads(filter, leads, total);
    if (!read.ok()) {
      json(res, read.code() == Status::Code::kInvalid ? 400 : 503, ErrorJson(read.message()));
    }
    return read.ok();
  };
  server.Get("/v1/leads", [&](const httplib::Request& req, httplib::Response& res) {
    std::vector<StoredSignal> leads;
    std::int64_t total = 0;
    if (!team_only(req, res) || !read_leads(req, res, 1000, false, &leads, &total)) return;
    res.set_header("X-Total-Count", std::to_string(total));
    json(res, 200, LeadsJson(leads));
  });
  server.Get("/v1/leads.csv", [&](const httplib::Request& req, httplib::Response& res) {
    std::vector<StoredSignal> leads;
    std::int64_t total = 0;
    if (!team_only(req, res) || !read_leads(req, res, 100000, true, &leads, &total)) return;
    res.set_header("Content-Disposition", "attachment; filename=\"leads.csv\"");
    res.status = 200;
    res.set_content(LeadsCsv(leads), "text/csv; charset=utf-8");
  });
  server.Get(R"(/v1/leads/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    std::vector<StoredSignal> signals;
    Status read = store->Lead(req.matches[1], &signals);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    if (signals.empty()) return json(res, 404, ErrorJson("no such lead"));
    std::vector<StatusChange> history;
    read = store->StatusHistory(req.matches[1], &history);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    json(res, 200, LeadJson(req.matches[1], signals, history));
  });
  server.Get(R"(/v1/leads/([^/]+)/timeline)", [&](const httplib::Request& req,
                                                  httplib::Response& res) {
    if (!team_only(req, res)) return;
    std::vector<EvidenceRow> evidence;
    Status read = store->VisitorEvidence(req.matches[1], &evidence);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    if (evidence.empty()) return json(res, 404, ErrorJson("no verified evidence for this visitor"));
    json(res, 200, TimelineJson(req.matches[1], ReplayTimeline(rules_by_hash, evidence, now_ms())));
  });
  server.Get("/v1/accounts", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    std::vector<std::pair<std::string, AccountMember>> members;
    Status read = store->AccountMembers("", &members);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    json(res, 200,
         AccountsJson(SummarizeAccounts(members, *current_rules, account_stages, now_ms())));
  });
  server.Get(R"(/v1/accounts/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    std::vector<std::pair<std::string, AccountMember>> members;
    Status read = store->AccountMembers(req.matches[1], &members);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    if (members.empty()) return json(res, 404, ErrorJson("no such account"));
    Account account = SummarizeAccounts(members, *current_rules, account_stages, now_ms())[0];
    LeadFilter filter;
    filter.account = req.matches[1];
    filter.limit = 1000;
    std::vector<StoredSignal> people;
    std::int64_t total = 0;
    read = store->Leads(filter, &people, &total);
    // Each person's signals are those of all its visitors, which share its account.
    std::vector<StoredSignal> signals;
    for (std::size_t i = 0; read.ok() && i < people.size(); ++i) {
      std::vector<StoredSignal> of_person;
      read = store->Lead(people[i].visitor, &of_person);
      std::move(of_person.begin(), of_person.end(), std::back_inserter(signals));
    }
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    std::stable_sort(signals.begin(), signals.end(),
                     [](const StoredSignal& a, const StoredSignal& b) { return a.ts < b.ts; });
    json(res, 200, AccountJson(account, people, signals));
  });
  server.Get("/v1/funnel", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    int weeks = number(req, "weeks", 12);
    if (weeks < 1 || weeks > 260) return json(res, 400, ErrorJson("weeks must be 1 to 260"));
    std::vector<FunnelLead> leads;
    Status read = store->FunnelLeads(&leads);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    json(res, 200, FunnelJson(BuildFunnel(leads, now_ms(), weeks)));
  });
  server.Get("/v1/campaigns", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    std::vector<FunnelLead> leads;
    Status read = store->FunnelLeads(&leads);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    json(res, 200, CampaignsJson(Campaigns(leads)));
  });
  // The handoff (docs/collector.md): sales says what became of a lead.
  server.Post(R"(/v1/leads/([^/]+)/status)", [&](const httplib::Request& req,
                                                 httplib::Response& res) {
    if (!team_only(req, res)) return;
    if (!same_origin(req))
      return json(res, 403, ErrorJson("change statuses from the dashboard itself"));
    std::string visitor = req.matches[1];
    std::vector<StatusChange> history;
    Status read = store->StatusHistory(visitor, &history);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    if (history.empty()) {
      std::vector<StoredSignal> signals;
      read = store->Lead(visitor, &signals);
      if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
      return json(
          res, 404,
          ErrorJson(signals.empty() ? "no such lead" : "not a lead yet: it has not reached MQL"));
    }
    Value body;
    std::string status, reason;
    if (ReadJson(req.body, 2, &body).ok() && body.is_object()) {
      const Value* s = body.Find("status");
      const Value* r = body.Find("reason");
      if (s != nullptr && s->is_string()) status = s->string_value();
      if (r != nullptr && r->is_string()) reason = r->string_value();
    }
    std::string problem = StatusChangeProblem(history.back().status, status, reason);
    if (!problem.empty()) return json(res, 400, ErrorJson(problem));
    Status added = store->AddStatus({visitor, status, reason, who(req), now_ms()});
    if (!added.ok()) return json(res, 503, ErrorJson("not stored: " + added.message()));
    read = store->StatusHistory(visitor, &history);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    json(res, 200, StatusHistoryJson(history));
  });
  // A CRM's export (the outcomes CSV of backtest-v1.md): its statuses, as they are.
  server.Post("/v1/outcomes", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    if (!same_origin(req)) return json(res, 403, ErrorJson("import from the dashboard itself"));
    std::vector<OutcomeRow> rows;
    Status read = ReadOutcomes(req.body, &rows);
    if (!read.ok()) return json(res, 400, ErrorJson("outcomes: " + read.message()));
    std::vector<StatusChange> changes;
    std::size_t unmatched = 0;
    std::string by = who(req);
    for (const OutcomeRow& row : rows) {
      std::vector<std::string> visitors;
      if (!row.visitor.empty()) {
        std::vector<StoredSignal> signals;
        read = store->Lead(row.visitor, &signals);
        if (!signals.empty()) visitors.push_back(row.visitor);
      } else {
        read = store->VisitorsWithEmail(row.email, &visitors);
      }
      if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
      if (visitors.empty()) ++unmatched;
      for (const std::string& visitor : visitors) {
        changes.push_back({visitor, row.outcome, "imported", by, row.has_ts ? row.ts : now_ms()});
      }
    }
    Status added = store->AddStatuses(changes);
    if (!added.ok()) return json(res, 503, ErrorJson("not stored: " + added.message()));
    json(res, 200, ImportAnswerJson(changes.size(), unmatched));
  });
  server.Get("/v1/outcomes.csv", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    std::vector<StatusChange> changes;
    std::vector<std::string> emails;
    Status read = store->StatusChanges(&changes, &emails);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    res.status = 200;
    res.set_content(OutcomesCsv(changes, emails), "text/csv; charset=utf-8");
  });
  server.Get("/v1/forwarding", [&](const httplib::Request& req, httplib::Response& res) {
    if (!team_only(req, res)) return;
    std::vector<Store::DeadLetter> dead;
    std::int64_t waiting = 0;
    Channel channel =
        req.get_param_value("channel") == "slack" ? Channel::kSlack : Channel::kForward;
    Status read = store->Forwarding(channel, &dead, &waiting);
    if (!read.ok()) return json(res, 503, ErrorJson(read.message()));
    json(res, 200, ForwardingJson(dead, waiting));
  });
  server.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
    json(res, 200, HealthJson());
  });

  if (!server.bind_to_port(config.host, config.port)) {
    std::fprintf(stderr, "mqlscore-collector: cannot listen on %s:%d\n", config.host.c_str(),
                 config.port);
    return 1;
  }
  std::fprintf(stderr, "mqlscore-collector: listening on http://%s:%d\n", config.host.c_str(),
               config.port);
  if (config.admin_port != 0) {
    if (!server.AlsoListen(config.admin_host, config.admin_port, 8)) {
      std::fprintf(stderr, "mqlscore-collector: cannot listen on %s:%d (--admin-listen)\n",
                   config.admin_host.c_str(), config.admin_port);
      return 1;
    }
    std::fprintf(stderr, "mqlscore-collector: the team's routes on http://%s:%d\n",
                 config.admin_host.c_str(), config.admin_port);
  }
  server.listen_after_bind();
  return 0;
}
