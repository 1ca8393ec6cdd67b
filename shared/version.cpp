#include "version.hpp"

#include <boost/version.hpp>
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
  return text;
}

}  // namespace kit
