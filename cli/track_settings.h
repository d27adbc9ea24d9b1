// What the browser widget will warn about in a rules file's `track` section, for `mqlscore
// validate`. The scorer ignores the section (contract §1), so without this a marketer would see a
// mistake there only in the browser's console. The settings and the words are the widget's
// (web/src/payloads.js, trackSettings); tests/track_settings_agree_test.mjs holds the two to the
// same warnings.
#ifndef MQLSCORE_CLI_TRACK_SETTINGS_H_
#define MQLSCORE_CLI_TRACK_SETTINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace mqlscore {

// One warning per setting the widget does not know (keys starting with "x-" are notes) or cannot
// use, in the order of the section; none when `rules_text` is not JSON or has no `track` object.
std::vector<std::string> TrackSettingWarnings(std::string_view rules_text);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_TRACK_SETTINGS_H_
