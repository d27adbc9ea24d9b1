#include "cli/css_selector.h"

#include <algorithm>
#include <array>
#include <string>

namespace mqlscore {
namespace {

// Pseudo-classes with no argument, and those with a selector list or another argument.
constexpr std::array<std::string_view, 44> kPlainPseudoClasses = {"active",
                                                                  "any-link",
                                                                  "autofill",
                                                                  "checked",
                                                                  "default",
                                                                  "defined",
                                                                  "disabled",
                                                                  "empty",
                                                                  "enabled",
                                                                  "first-child",
                                                                  "first-of-type",
                                                                  "focus",
                                                                  "focus-visible",
                                                                  "focus-within",
                                                                  "fullscreen",
                                                                  "hover",
                                                                  "in-range",
                                                                  "indeterminate",
                                                                  "invalid",
                                                                  "last-child",
                                                                  "last-of-type",
                                                                  "link",
                                                                  "modal",
                                                                  "only-child",
                                                                  "only-of-type",
                                                                  "optional",
                                                                  "out-of-range",
                                                                  "paused",
                                                                  "placeholder-shown",
                                                                  "playing",
                                                                  "popover-open",
                                                                  "read-only",
                                                                  "read-write",
                                                                  "required",
                                                                  "root",
                                                                  "scope",
                                                                  "target",
                                                                  "user-invalid",
                                                                  "user-valid",
                                                                  "valid",
                                                                  "visited",
                                                                  "-webkit-any-link",
                                                                  "-webkit-autofill",
                                                                  "-webkit-full-screen"};
constexpr std::array<std::string_view, 14> kPseudoElements = {"after",
                                                              "backdrop",
                                                              "before",
                                                              "cue",
                                                              "file-selector-button",
                                                              "first-letter",
                                                              "first-line",
                                                              "grammar-error",
                                                              "marker",
                                                              "placeholder",
                                                              "selection",
                                                              "spelling-error",
                                                              "target-text",
                                                              "details-content"};
constexpr std::array<std::string_view, 4> kArgumentPseudoElements = {"part", "slotted", "highlight",
                                                                     "cue"};
constexpr std::array<std::string_view, 2> kSelectorListPseudoClasses = {"not", "has"};
// Their lists are forgiving: a selector in them that does not parse is left out, not an error.
constexpr std::array<std::string_view, 2> kForgivingPseudoClasses = {"is", "where"};
constexpr std::array<std::string_view, 6> kArgumentPseudoClasses = {
    "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type", "lang", "dir"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool SelectorListToEnd() { return SelectorList() && (SkipSpace(), at_ == text_.size()); }

 private:
  // `relative`: each selector may start with a combinator, as inside :has().
  bool SelectorList(bool relative = false) {
    do {
      SkipSpace();
      if (relative && (Eat('>') || Eat('+') || Eat('~'))) SkipSpace();
      if (!ComplexSelector()) return false;
      SkipSpace();
    } while (Eat(','));
    return true;
  }

  // compound (combinator compound)*; whitespace alone is the descendant combinator.
  bool ComplexSelector() {
    if (!CompoundSelector()) return false;
    for (;;) {
      bool spaced = SkipSpace();
      if (Eat('>') || Eat('+') || Eat('~')) {
        SkipSpace();
        if (!CompoundSelector()) return false;
      } else if (spaced && at_ < text_.size() && text_[at_] != ',' && text_[at_] != ')') {
        if (!CompoundSelector()) return false;
      } else {
        return true;
      }
    }
  }

  bool CompoundSelector() {
    bool any = TypeSelector();
    for (;;) {
      if (Eat('#')) {
        if (!Name()) return false;
      } else if (Eat('.')) {
        if (!Ident(nullptr)) return false;
      } else if (Eat('[')) {
        if (!Attribute()) return false;
      } else if (Eat(':')) {
        if (!Pseudo()) return false;
      } else {
        return any;
      }
      any = true;
    }
  }

  // [namespace|]name, where the name may be '*'. Only the namespaces "*" (any) and "" (none)
  // exist for querySelector: a page cannot declare others.
  bool TypeSelector() {
    std::size_t start = at_;
    bool any_namespace = Eat('*');
    bool named = !any_namespace && Ident(nullptr);
    if (at_ < text_.size() && text_[at_] == '|' &&
        (at_ + 1 == text_.size() || text_[at_ + 1] != '=')) {
      if (named) return false;
      ++at_;
      if (Eat('*') || Ident(nullptr)) return true;
      at_ = start;
      return false;
    }
    return any_namespace || named;
  }

  // A bracket or parenthesis left open at the end is closed there, as CSS reads it.
  bool Close(char c) { return Eat(c) || at_ == text_.size(); }

  // After '[': name, optionally an operator and a value, optionally i or s, then ']'.
  bool Attribute() {
    SkipSpace();
    if (!Ident(nullptr)) return false;
    SkipSpace();
    if (Close(']')) return true;
    if (at_ < text_.size() &&
        std::string_view("~|^$*").find(text_[at_]) != std::string_view::npos) {
      ++at_;
    }
    if (!Eat('=')) return false;
    SkipSpace();
    if (!String() && !Ident(nullptr)) return false;
    SkipSpace();
    std::string flag;
    if (Ident(&flag) && flag != "i" && flag != "s" && flag != "I" && flag != "S") return false;
    SkipSpace();
    return Close(']');
  }

  // After ':': a pseudo-class, or after "::" a pseudo-element.
  bool Pseudo() {
    bool element = Eat(':');
    std::string name;
    if (!Ident(&name)) return false;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (element) {
      // Chromium takes any ::-webkit- pseudo-element (it had many), and of others the standard
      // ones.
      if (name.rfind("-webkit-", 0) == 0 || Contains(kPseudoElements, name)) return true;
      return Contains(kArgumentPseudoElements, name) && Eat('(') && Balanced(false);
    }
    if (Contains(kPlainPseudoClasses, name)) return true;
    if (Contains(kSelectorListPseudoClasses, name)) {
      return Eat('(') && SelectorList(name == "has") && Close(')');
    }
    if (Contains(kForgivingPseudoClasses, name)) return Eat('(') && Balanced(true);
    if (Contains(kArgumentPseudoClasses, name)) return Eat('(') && Balanced(false);
    return false;
  }

  // After '(': anything with balanced brackets and closed strings up to the matching ')' (or the
  // end), empty only when `may_be_empty`.
  bool Balanced(bool may_be_empty) {
    int depth = 1;
    std::size_t start = at_;
    while (at_ < text_.size() && depth > 0) {
      char c = text_[at_];
      if (c == '"' || c == '\'') {
        if (!String()) return false;
        continue;
      }
      ++at_;
      if (c == '\\' && at_ < text_.size()) ++at_;
      if (c == '(') ++depth;
      if (c == ')') --depth;
    }
    std::size_t end = depth == 0 ? at_ - 1 : at_;
    return may_be_empty || text_.substr(start, end - start).find_first_not_of(" \t\n\r\f") !=
                               std::string_view::npos;
  }

  // A quoted string; one left open at the end is closed there, one broken by a newline is invalid.
  bool String() {
    if (at_ >= text_.size() || (text_[at_] != '"' && text_[at_] != '\'')) return false;
    char quote = text_[at_++];
    while (at_ < text_.size()) {
      char c = text_[at_++];
      if (c == quote) return true;
      if (c == '\n') return false;
      if (c == '\\' && at_ < text_.size()) ++at_;
    }
    return true;
  }

  // A CSS identifier ("--x", "-a", "a1", "\31 23", non-ASCII); its text into *out when given.
  bool Ident(std::string* out) {
    std::size_t start = at_;
    if (Eat('-') && !Eat('-') && !NameStart()) {
      at_ = start;
      return false;
    }
    if (at_ == start && !NameStart()) return false;
    while (NameChar()) {
    }
    if (out != nullptr) *out = std::string(text_.substr(start, at_ - start));
    return true;
  }

  // The name after '#': name characters, at least one.
  bool Name() {
    bool any = false;
    while (NameChar()) any = true;
    return any;
  }

  bool NameStart() {
    if (at_ >= text_.size()) return false;
    unsigned char c = static_cast<unsigned char>(text_[at_]);
    // NUL reads as U+FFFD, as CSS preprocesses it.
    if (std::isalpha(c) || c == '_' || c >= 0x80 || c == 0) return ++at_, true;
    return Escape();
  }

  bool NameChar() {
    if (at_ < text_.size() &&
        (std::isdigit(static_cast<unsigned char>(text_[at_])) || text_[at_] == '-')) {
      return ++at_, true;
    }
    return NameStart();
  }

  // "\\" and one character, or up to 6 hex digits and one optional space ("\\31 23" is "123").
  // A backslash at the very end stands for U+FFFD.
  bool Escape() {
    if (at_ >= text_.size() || text_[at_] != '\\') return false;
    if (at_ + 1 == text_.size()) return ++at_, true;
    if (text_[at_ + 1] == '\n') return false;
    ++at_;
    std::size_t digits = 0;
    while (digits < 6 && at_ < text_.size() &&
           std::isxdigit(static_cast<unsigned char>(text_[at_]))) {
      ++at_;
      ++digits;
    }
    if (digits == 0) {
      ++at_;
    } else if (at_ < text_.size() &&
               std::string_view(" \t\n\r\f").find(text_[at_]) != std::string_view::npos) {
      ++at_;
    }
    return true;
  }

  bool SkipSpace() {
    std::size_t start = at_;
    while (at_ < text_.size() &&
           std::string_view(" \t\n\r\f").find(text_[at_]) != std::string_view::npos) {
      ++at_;
    }
    return at_ > start;
  }

  bool Eat(char c) {
    if (at_ < text_.size() && text_[at_] == c) return ++at_, true;
    return false;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

bool IsCssSelector(std::string_view selector) { return Parser(selector).SelectorListToEnd(); }

}  // namespace mqlscore
