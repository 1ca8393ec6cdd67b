#pragma once
// The student page's address as a QR code that phones can scan from the
// projector, drawn as SVG (libqrencode; no network).
#include <string>
#include <string_view>

namespace kit {

// A standalone SVG of `text` as a QR code, dark modules on white with the
// usual quiet zone; "" when it cannot be encoded.
std::string qr_code_svg(std::string_view text);

}  // namespace kit
