#include "refusals.hpp"

#include <string>

namespace kit {

AppResponse refusal(int status, std::size_t max_body) {
  AppResponse response;
  response.status = status;
  switch (status) {
    case 413: return body_too_large(max_body);
    case 431: response.body = "request headers too large: at most 8 KiB\n"; break;
    case 501: response.body = "transfer coding not implemented: only chunked\n"; break;
    case 503: response.body = "server busy\n"; break;
    default: response.status = 400; response.body = "malformed request\n";
  }
  return response;
}

AppResponse too_many_requests(double rate, int retry_after_seconds) {
  AppResponse response;
  response.status = 429;
  response.body = "too many requests: this server takes " + number_text(rate) + " a second; retry after " +
                  std::to_string(retry_after_seconds) + " s\n";
  return response;
}

}  // namespace kit
