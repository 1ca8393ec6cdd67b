#pragma once
// Why an HTTP/2 stream or connection ended without an answer, as error codes
// that the lane's records name like HTTP/1.1's.
#include <boost/system/error_code.hpp>
#include <cstdint>

#include "record.hpp"

namespace kit::async {

enum class Http2Error {
  refused = 1,  // REFUSED_STREAM, or above a GOAWAY's last stream: not processed, safe to ask again
  header_list_too_large,
  not_http2,                // an h2c server that answered in HTTP/1.1
  reset_by_server = 0x100,  // RST_STREAM with another code: the code is added
  going_away = 0x1000,      // GOAWAY with an error: its code is added
  protocol = 0x2000         // libnghttp2 found the peer's frames invalid, or a flood: its (negative) error subtracted
};

const boost::system::error_category& http2_category();
// `detail`: the HTTP/2 error code of a reset or GOAWAY, or libnghttp2's error.
boost::system::error_code make_error(Http2Error error, long detail = 0);
// The failure a record counts for an error of http2_category().
Failure http2_failure(const boost::system::error_code& error);

}  // namespace kit::async
