#include "units.hpp"

#include <cmath>
#include <cstdio>

namespace kit {

std::string format_number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string out = text;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

std::string format_fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string format_duration(double seconds, bool ascii) {
  char text[64];
  const double magnitude = std::fabs(seconds);
  if (magnitude >= 1.0 || magnitude == 0.0) {
    std::snprintf(text, sizeof text, "%.3f s", seconds);
  } else if (magnitude >= 1e-3) {
    std::snprintf(text, sizeof text, "%.1f ms", seconds * 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f %s", seconds * 1e6, ascii ? "us" : "\u00b5s");
  }
  return text;
}

}  // namespace kit
