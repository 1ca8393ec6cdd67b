#pragma once
// Numbers for people: short, with the unit that reads best.
#include <string>

namespace kit {

// "1.003 s", "12.4 ms", "85 µs" (or "85 us" when ascii is true).
std::string format_duration(double seconds, bool ascii = false);

// A plain decimal with at most `decimals` digits after the point: 0.25 -> "0.25", 30 -> "30".
std::string format_number(double value, int decimals = 3);

// Always `decimals` digits after the point: 1.0 -> "1.000".
std::string format_fixed(double value, int decimals = 3);

}  // namespace kit
