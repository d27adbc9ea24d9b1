#include "cli/css_selector.h"

#include <catch2/catch.hpp>

using mqlscore::IsCssSelector;

// tests/css_selector_agree_test.mjs holds the parser to Chromium's on a larger corpus.
TEST_CASE("Selectors as rules files write them are CSS selectors", "[css]") {
  for (const char* selector :
       {"a.demo", "a[href$='/demo']", "[data-action=\"contact-sales\"]", "form#demo", "nav > a.cta",
        "ul li + li, h1 ~ p", "a:not(.x, #y)", "li:nth-child(2n+1)", "div:has(> img)",
        "input[type=submit i]", "#\\31 23", "*|*", "a::before", "a:is()"}) {
    INFO(selector);
    CHECK(IsCssSelector(selector));
  }
}

TEST_CASE("A typo or a dangling part is not a CSS selector", "[css]") {
  for (const char* selector : {"", " ", "a,", "> a", "a >", "a]", "a:hovr", "a:not()", ".1a",
                               "a[=x]", "a + + b", "a{}", "a|b", "a::foo", "[x=y z]"}) {
    INFO(selector);
    CHECK_FALSE(IsCssSelector(selector));
  }
}

TEST_CASE("What is left open at the end is closed there, as browsers read it", "[css]") {
  CHECK(IsCssSelector("a[href"));
  CHECK(IsCssSelector("[x=\"y"));
  CHECK(IsCssSelector("a:not(:hover"));
  CHECK_FALSE(IsCssSelector("[x=\"y\nz\"]"));
}
