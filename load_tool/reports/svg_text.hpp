#pragma once
// What the SVG reports share: text made safe for XML, and axis ticks.
#include <string>

namespace kit {

// Escapes &, <, > and " (the text is already printable: safe_text).
std::string escape_xml(const std::string& text);

// A tick step of 1, 2 or 5 times a power of ten giving at most `most` ticks over `total`.
double tick_step(double total, int most);

}  // namespace kit
