#pragma once
// A URL's request, written once for the run from the method, headers and
// body that -m, -H and -d ask for: as HTTP/1.1 bytes (Beast writes them),
// or as the header list and body of an HTTP/2 stream.
#include <string>
#include <utility>
#include <vector>

#include "http_target.hpp"
#include "options.hpp"
#include "request_shape.hpp"

namespace kit::async {

std::string http1_request(const HttpTarget& target, const RequestShape& shape, const ClientOptions& options);

// Names in lower case, the pseudo-headers first, no connection-specific
// field (RFC 9113, 8.2.2): what libnghttp2 is handed for a stream.
struct Http2Message {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
};
Http2Message http2_request(const HttpTarget& target, const RequestShape& shape, const ClientOptions& options);

}  // namespace kit::async
