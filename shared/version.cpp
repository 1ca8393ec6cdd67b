#include "version.hpp"

#include <algorithm>
#include <boost/version.hpp>
#include <cctype>
#include <nghttp2/nghttp2ver.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

namespace kit {

std::string version_text(std::string_view program) {
  std::string text(program);
  text += " " KIT_VERSION " (slow-server demo kit)\nbuilt with Boost ";
  text += std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
          std::to_string(BOOST_VERSION % 100);
  text += ", cpp-httplib " KIT_HTTPLIB_VERSION ", " OPENSSL_VERSION_TEXT;
  // A program built on one system and run on another may load another OpenSSL.
  const std::string running = OpenSSL_version(OPENSSL_VERSION);
  if (running != OPENSSL_VERSION_TEXT) text += " (running " + running + ")";
  return text + ", libnghttp2 " NGHTTP2_VERSION;
}

std::string invoked_name(const char* argv0, std::string_view usual) {
  std::string_view name = argv0 ? argv0 : "";
  if (const auto slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const bool plain = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  return std::string(plain ? name : usual);
}

std::string with_program_name(std::string text, std::string_view usual, std::string_view name) {
  const std::string from = "\n  " + std::string(usual), to = "\n  " + std::string(name);
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace kit
