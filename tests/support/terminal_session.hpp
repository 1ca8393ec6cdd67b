#pragma once
// Runs a program on a pseudo terminal, as a person at a terminal runs it,
// and reads back the screen it leaves: progress lines drawn with \r and
// erased with ESC [K are only right if the last screen is.
#include <string>
#include <vector>

#include "process.hpp"

namespace kit::test {

// Runs build/NAME with stdout and stderr on one pseudo terminal of `columns`
// columns; `out` holds every byte it wrote, escapes included.
ProgramResult run_in_terminal(const std::string& name, const std::vector<std::string>& args,
                              double timeout_seconds = 30, int columns = 80);

// The lines a terminal shows after those bytes: \r goes back to the line's
// start, ESC [K erases to its end, other escape sequences (colours) are left out.
std::vector<std::string> screen_of(const std::string& bytes);

}  // namespace kit::test
