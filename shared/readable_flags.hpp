#pragma once
// Flag checks for CLI11 that say what was expected in the user's words:
// "--delay: expected seconds, 0 or more; got '-1'", where CLI11's own Range
// prints its bounds to six decimals (a 309-digit one for "no upper bound")
// and calls a word that is not a number "not in range".
#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "platform.hpp"

namespace kit::flags {

inline std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

// --help: CLI11's text, then the examples. Not as CLI11's footer: from
// CLI11 2.5 on a footer is reflowed as one paragraph, and the examples'
// lines and columns would run together.
inline std::string help_with_examples(const CLI::App& app, const std::string& examples) {
  std::string help = app.help();
  while (!help.empty() && help.back() == '\n') help.pop_back();  // versions end it differently
  return help + "\n\n" + examples + "\n";
}

// A number from `low` to `high` (no upper bound by default); `what` says
// what it counts: "seconds", "requests". Whole numbers only with `whole`.
inline CLI::Validator number(const std::string& what, double low, double high = std::numeric_limits<double>::infinity(),
                             bool whole = false) {
  const std::string expected =
      what + ", " +
      (std::isinf(high) ? number_text(low) + " or more" : "from " + number_text(low) + " to " + number_text(high));
  return CLI::Validator(
      [=](std::string& input) -> std::string {
        double value = 0;
        const auto [end, error] = platform::parse_number(input.data(), input.data() + input.size(), value);
        const bool parsed = error == std::errc{} && end == input.data() + input.size() && std::isfinite(value);
        if (parsed && value >= low && value <= high && (!whole || value == std::floor(value))) return "";
        return "expected " + expected + "; got '" + input + "'";
      },
      "");
}

inline CLI::Validator whole_number(const std::string& what, double low,
                                   double high = std::numeric_limits<double>::infinity()) {
  return number(what, low, high, true);
}

// A transform of CLI11's (a size, a duration) whose errors say `expected`:
// "expected a size in bytes, like 100, 64k or 10m; got 'lots'".
inline CLI::Validator said_as(CLI::Validator transform, const std::string& expected) {
  return CLI::Validator(
      [transform, expected](std::string& input) -> std::string {
        const std::string given = input;
        try {
          if (transform(input).empty()) return "";
        } catch (const CLI::Error&) {  // CLI11's unit transforms throw for a unit they do not know
        }
        return "expected " + expected + "; got '" + given + "'";
      },
      "");
}

// CLI11's ExistingFile without its description, which --help would add to
// the type's name ("FILE:FILE").
inline CLI::Validator existing_file() {
  CLI::Validator check = CLI::ExistingFile;
  check.description("");
  return check;
}

// --help without "Needs:" and "Excludes:" after each flag: the rules hold
// all the same, and breaking one says so in a plain sentence.
inline void without_needs_and_excludes(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_needs().empty() && option->get_excludes().empty()) continue;
    std::string text = option->get_type_name();  // empty for a flag
    if (!text.empty() && !option->get_default_str().empty()) text += "=" + option->get_default_str();
    if (!text.empty() && option->get_expected_max() > 1) text += " ...";
    option->option_text(text.empty() ? " " : text);  // an empty text would mean CLI11's own
  }
}

// A DNS name as a Host header carries it ("lab-7.school.example"), or with
// a leading dot a whole domain (".school.example").
inline CLI::Validator host_name() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        const std::string_view name = input.starts_with('.') ? std::string_view(input).substr(1) : input;
        const bool letters_only = !name.empty() && name.size() <= 253 && name.front() != '.' && name.back() != '.' &&
                                  name.find("..") == std::string_view::npos &&
                                  name.find_first_not_of(
                                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789-.") == std::string_view::npos;
        if (letters_only) return "";
        return "expected a host name like lab-7.school.example or .school.example; got '" + input + "'";
      },
      "");
}

// A size in bytes with an optional unit, as CLI11's AsSizeValue reads it.
inline CLI::Validator size_in_bytes() {
  return said_as(CLI::AsSizeValue(false), "a size in bytes, like 100, 64k or 10m");
}

// CLI11's parse errors in one plain sentence each: an unknown flag, a flag
// without its value, flags that exclude each other; the rest as CLI11 says.
inline std::string plain_error(const CLI::ParseError& error) {
  const std::string what = error.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
    const std::string prefix = "The following argument was not expected: ";
    const std::string prefix_many = "The following arguments were not expected: ";
    if (what.rfind(prefix, 0) == 0) return "unknown flag or argument '" + what.substr(prefix.size()) + "'";
    if (what.rfind(prefix_many, 0) == 0) return "unknown flags or arguments: " + what.substr(prefix_many.size());
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) {
    const std::size_t colon = what.find(':');
    if (colon != std::string::npos && what.find("missing") != std::string::npos) {
      return what.substr(0, colon) + " needs a value";
    }
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error)) {
    const std::size_t excludes = what.find(" excludes ");
    if (excludes != std::string::npos) {
      return what.substr(0, excludes) + " and " + what.substr(excludes + 10) + " cannot be used together";
    }
  }
  return what;
}

}  // namespace kit::flags
