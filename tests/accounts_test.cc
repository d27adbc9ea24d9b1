#include "collector/accounts.h"

#include <catch2/catch.hpp>

namespace {

mqlscore::RuleSet Rules() {
  mqlscore::RuleSet rules;
  REQUIRE(mqlscore::RuleSet::Parse(R"({"version":1,"decay":{"half_life_days":1},
      "stages":[{"name":"mql","engagement":60},{"name":"engaged","engagement":10},{"name":"visitor"}],
      "rules":[]})",
                                   &rules)
              .empty());
  return rules;
}

mqlscore::AccountMember Member(const char* visitor, const char* email, const char* company,
                               const char* stage, double engagement, double fit, double ts) {
  mqlscore::AccountMember m;
  m.visitor = visitor;
  m.email = email;
  m.company = company;
  m.stage = stage;
  m.engagement = engagement;
  m.fit = fit;
  m.ts = ts;
  return m;
}

}  // namespace

TEST_CASE("A lead's account is its e-mail's domain, unless free mail, else its company",
          "[accounts]") {
  CHECK(mqlscore::AccountOf("Ann@Northwind.com ", "Other") == "northwind.com");
  CHECK(mqlscore::AccountOf("ann@gmail.com", " Northwind ") == "northwind");
  CHECK(mqlscore::AccountOf("ann@yahoo.co.uk", "") == "");
  CHECK(mqlscore::AccountOf("", "") == "");
  CHECK(mqlscore::AccountOf("not an address", "Acme") == "acme");
  CHECK(mqlscore::IsFreeMailDomain("gmail.com"));
  CHECK(mqlscore::IsFreeMailDomain("outlook.com"));
  CHECK_FALSE(mqlscore::IsFreeMailDomain("northwind.com"));
}

TEST_CASE("An account sums its people's engagement decayed to now and takes their best",
          "[accounts]") {
  mqlscore::RuleSet rules = Rules();
  const double day = 86400000;
  std::vector<std::pair<std::string, mqlscore::AccountMember>> members = {
      {"northwind.com", Member("v1", "ann@northwind.com", "Northwind", "mql", 100, 30, 10 * day)},
      {"northwind.com",
       Member("v2", "ann@northwind.com", "Northwind Inc", "engaged", 40, 10, 9 * day)},
      {"northwind.com",
       Member("v3", "bob@northwind.com", "Northwind", "engaged", 20, 50, 10 * day)},
      {"acme.io", Member("v4", "", "Acme", "engaged", 10, 0, 8 * day)},
      {"", Member("v5", "", "", "mql", 500, 0, 10 * day)},
  };
  std::vector<mqlscore::AccountStage> stages = {{"mqa", 100.0, std::nullopt, 2}};
  auto accounts = mqlscore::SummarizeAccounts(members, rules, stages, 11 * day);
  REQUIRE(accounts.size() == 2);
  const mqlscore::Account& northwind = accounts[0];
  CHECK(northwind.key == "northwind.com");
  CHECK(northwind.name == "Northwind");
  CHECK(northwind.visitors == 3);
  CHECK(northwind.people == 2);  // v1 and v2 are one person
  CHECK(northwind.engagement == Approx(100 / 2.0 + 40 / 4.0 + 20 / 2.0));
  CHECK(northwind.best_fit == 50);
  CHECK(northwind.best_stage == "mql");
  CHECK(northwind.last_activity == 10 * day);
  CHECK(northwind.stage == "");  // 70 of the 100 it needs
  CHECK(accounts[1].key == "acme.io");
  CHECK(accounts[1].people == 1);

  auto later =
      mqlscore::SummarizeAccounts(members, rules, {{"mqa", 60.0, std::nullopt, 2}}, 11 * day);
  CHECK(later[0].stage == "mqa");
}
