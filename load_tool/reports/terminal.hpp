#pragma once
// What the terminal we print to can show: width, UTF-8, colour.

namespace kit {

struct TerminalStyle {
  int columns = 80;
  bool utf8 = true;     // box characters and µs; plain ASCII otherwise
  bool colour = false;  // ANSI colours
};

// For a file descriptor: width from COLUMNS or the tty (80 otherwise), UTF-8
// from the locale variables, colour only on a tty and when NO_COLOR is unset.
TerminalStyle terminal_style(int fd);

bool is_tty(int fd);

}  // namespace kit
