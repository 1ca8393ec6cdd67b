#include "qr_code.hpp"

#include <qrencode.h>

#include <memory>
#include <sstream>

namespace kit {

std::string qr_code_svg(std::string_view text) {
  const std::string input(text);
  const std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code) return "";
  constexpr int quiet_zone = 4;  // modules of white around it, as scanners expect
  const int size = code->width + 2 * quiet_zone;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << size << ' ' << size
      << "\" shape-rendering=\"crispEdges\"><rect width=\"" << size << "\" height=\"" << size
      << "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) svg << 'M' << x + quiet_zone << ',' << y + quiet_zone << "h1v1h-1z";
    }
  }
  svg << "\"/></svg>\n";
  return svg.str();
}

}  // namespace kit
