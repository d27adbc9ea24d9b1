#include "core/account_stages.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace {

using Lines = std::vector<std::string>;

Lines Problems(const std::string& accounts, std::vector<mqlscore::AccountStage>* stages = nullptr) {
  mqlscore::Value document;
  REQUIRE(mqlscore::ReadJson("{\"accounts\":" + accounts + "}", 64, &document).ok());
  std::vector<mqlscore::AccountStage> parsed;
  Lines out;
  for (const mqlscore::Problem& p : mqlscore::ParseAccountStages(document, &parsed)) {
    out.push_back(p.ToString());
  }
  if (stages != nullptr) *stages = parsed;
  return out;
}

}  // namespace

TEST_CASE("Account stages are read highest first, with their thresholds", "[account_stages]") {
  std::vector<mqlscore::AccountStage> stages;
  REQUIRE(Problems(R"({"stages":[{"name":"mqa","engagement":150,"people":2,"fit":10},
                                 {"name":"engaged-account","engagement":50,"x-why":"notes"}],
                       "x-owner":"marketing ops"})",
                   &stages)
              .empty());
  REQUIRE(stages.size() == 2);
  CHECK(stages[0].name == "mqa");
  CHECK(*stages[0].min_engagement == 150);
  CHECK(*stages[0].min_fit == 10);
  CHECK(stages[0].min_people == 2);
  CHECK_FALSE(stages[1].min_fit.has_value());
  CHECK(stages[1].min_people == 0);

  SECTION("an account gets the first stage whose every threshold it meets") {
    CHECK(mqlscore::AccountStageFor(stages, 200, 20, 2) == "mqa");
    CHECK(mqlscore::AccountStageFor(stages, 200, 20, 1) == "engaged-account");
    CHECK(mqlscore::AccountStageFor(stages, 200, 5, 3) == "engaged-account");
    CHECK(mqlscore::AccountStageFor(stages, 49.9, 20, 3) == "");
  }
}

TEST_CASE("A rules file without an accounts section has no account stages", "[account_stages]") {
  mqlscore::Value document;
  REQUIRE(mqlscore::ReadJson(R"({"version":1})", 64, &document).ok());
  std::vector<mqlscore::AccountStage> stages;
  CHECK(mqlscore::ParseAccountStages(document, &stages).empty());
  CHECK(stages.empty());
}

TEST_CASE("Problems in the accounts section are named with their JSON Pointer",
          "[account_stages]") {
  CHECK(Problems("[]") ==
        Lines{"/accounts: must be an object such as {\"stages\": [...]}, not an array"});
  CHECK(Problems("{}") == Lines{"/accounts: needs \"stages\", an array of account stages"});
  CHECK(Problems(R"({"stages":[]})") == Lines{"/accounts/stages: needs at least one stage"});
  CHECK(Problems(R"({"stages":[{"name":"a"}],"stage":1})") ==
        Lines{"/accounts/stage: unknown key in the accounts section (known: stages; or x-... for "
              "notes)"});
  std::vector<mqlscore::AccountStage> stages;
  CHECK(Problems(R"({"stages":[{"name":"a b","engagement":-1,"people":1.5},
                               {"engagement":"high","fit":"x","people":0,"colour":"red"},
                               {"name":"c"},{"name":"c","description":3},7]})",
                 &stages) ==
        Lines{"/accounts/stages/0/name: \"a b\" is not a valid name (1 to 64 of A-Z a-z 0-9 _ . -)",
              "/accounts/stages/0/engagement: must be at least 0",
              "/accounts/stages/0/people: must be a whole number of at least 1",
              "/accounts/stages/1/engagement: must be a number, not a string",
              "/accounts/stages/1/fit: must be a number, not a string",
              "/accounts/stages/1/people: must be a whole number of at least 1",
              "/accounts/stages/1/colour: unknown key in an account stage (known: description, "
              "engagement, fit, name, people; or x-... for notes)",
              "/accounts/stages/1: an account stage needs a \"name\"",
              "/accounts/stages/3/name: duplicate account stage name \"c\"",
              "/accounts/stages/3/description: must be a string, not a number",
              "/accounts/stages/4: an account stage must be an object, not a number"});
  CHECK(stages.empty());
}
