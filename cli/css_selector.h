// Whether a CSS selector list (track.ctas, track.forms) is one a browser's querySelector accepts,
// for `mqlscore validate`. The widget asks the browser itself; this is the syntax of Selectors
// Level 4 (https://www.w3.org/TR/selectors-4/#grammar) with the pseudo-classes browsers know, so
// that a typo is named before the rules file reaches a page. No C++ library in Debian parses
// selectors without a whole HTML engine (litehtml), hence this small parser.
#ifndef MQLSCORE_CLI_CSS_SELECTOR_H_
#define MQLSCORE_CLI_CSS_SELECTOR_H_

#include <string_view>

namespace mqlscore {

// True for "a.demo, [data-action='contact-sales'] > span:not(.x)"; false for "a[href",
// "> a", "a,", "a:hovr" or "".
bool IsCssSelector(std::string_view selector);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_CSS_SELECTOR_H_
