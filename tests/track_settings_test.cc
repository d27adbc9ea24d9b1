#include "cli/track_settings.h"

#include "test_support.h"

using mqlscore::TrackSettingWarnings;
using Lines = std::vector<std::string>;

namespace {

std::string WithTrack(const std::string& track) {
  return R"({"version":1,"stages":[{"name":"visitor"}],"rules":[],"track":)" + track + "}";
}

}  // namespace

TEST_CASE("Settings the widget can use, true, false and x- notes give no warning", "[track]") {
  CHECK(TrackSettingWarnings(WithTrack(R"({"page_views":false,"ctas":{"demo":"a.demo"},"forms":true,
      "downloads":["PDF",".epub"],"scroll":[25,100],"engaged_seconds":[],"x-note":[1]})"))
            .empty());
  CHECK(TrackSettingWarnings(WithTrack(R"({"ctas":false,"forms":false,"downloads":false,
      "scroll":false,"engaged_seconds":false,"page_views":true})"))
            .empty());
}

TEST_CASE("A file without a track object, or not JSON, gives no warning", "[track]") {
  CHECK(TrackSettingWarnings(R"({"version":1})").empty());
  CHECK(TrackSettingWarnings(WithTrack("[1]")).empty());
  CHECK(TrackSettingWarnings("{not json").empty());
}

TEST_CASE("Each unknown setting and each unusable value is named in the widget's words",
          "[track]") {
  SECTION("an unknown setting") {
    CHECK(TrackSettingWarnings(WithTrack(R"({"scrolls":[10]})")) ==
          Lines{"track.scrolls is not a setting (page_views, ctas, forms, downloads, scroll, "
                "engaged_seconds, traits); ignored"});
  }
  SECTION("values of the wrong kind, in the order of the section") {
    CHECK(
        TrackSettingWarnings(WithTrack(R"({"page_views":"no","ctas":[],"forms":{"a":1},
        "downloads":["pdf",3],"scroll":[25,"x"],"engaged_seconds":"often","traits":"email"})")) ==
        Lines{
            R"(track.page_views must be true or false, not "no"; using the default)",
            "track.ctas must be false or an object of CSS selectors, not []; using the default",
            R"(track.forms must be false or an object of CSS selectors, not {"a":1}; using the default)",
            R"(track.downloads must be false or a list of file extensions, not ["pdf",3]; using the default)",
            R"(track.scroll must be false or a list of percentages, not [25,"x"]; using the default)",
            R"(track.engaged_seconds must be false or a list of seconds, not "often"; using the default)",
            R"(track.traits must be false or a list of trait names, not "email"; using the default)",
        });
  }
  SECTION("numbers out of range") {
    CHECK(
        TrackSettingWarnings(WithTrack(R"({"scroll":[0,101],"engaged_seconds":[-5]})")) ==
        Lines{
            "track.scroll must be false or a list of percentages, not [0,101]; using the default",
            "track.engaged_seconds must be false or a list of seconds, not [-5]; using the default",
        });
  }
}

TEST_CASE("A CTA or form selector that is not CSS is named, in the widget's words", "[track]") {
  CHECK(TrackSettingWarnings(WithTrack(R"({"ctas":{"demo":"a.demo","broken":"a]"},
      "forms":{"quote":"form >"}})")) ==
        Lines{"track.ctas.broken: \"a]\" is not a CSS selector; ignored",
              "track.forms.quote: \"form >\" is not a CSS selector; ignored"});
}
