#pragma once
// One HTTP/2 connection's protocol on the server, in libnghttp2: bytes in,
// complete requests out, answers in, bytes out. It does no I/O; the front
// end reads and writes for it (http2_serving.cpp) and hands each request to
// the model as it does an HTTP/1.1 one. Bounded against hostile clients:
// header lists, CONTINUATION frames, resets per second, queued SETTINGS and
// PING answers, and streams at once.
#include <atomic>
#include <cstdint>
#include <memory>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "answers.hpp"
#include "http2_library.hpp"

namespace kit {

// A stream's complete request.
struct Http2StreamRequest {
  std::int32_t stream = 0;
  std::string method, target;
  std::size_t body_bytes = 0;
  std::shared_ptr<std::atomic<bool>> withdrawn;  // set once the stream closes: the model may skip it
};

class Http2ServerSession {
 public:
  Http2ServerSession(std::uint32_t max_streams, std::size_t max_body, bool readable_by_pages);
  Http2ServerSession(const Http2ServerSession&) = delete;
  Http2ServerSession& operator=(const Http2ServerSession&) = delete;

  // What arrived; false when the connection must end (GOAWAY is queued if it can be said).
  bool receive(const std::uint8_t* bytes, std::size_t size);
  std::vector<Http2StreamRequest> take_requests();  // completed since the last call, and not reset since
  // The answer to a stream, unless the client has reset it meanwhile.
  void respond(std::int32_t stream, Http2Answer answer);
  void refuse(std::int32_t stream);  // RST_STREAM(REFUSED_STREAM): not processed, safe to send again
  void say_goaway();                 // no new streams; those in flight are answered
  // Appends what is ready to go out, up to about `most` bytes; false on a session error.
  bool take_output(std::string& out, std::size_t most);
  bool finished() const;  // neither side wants anything more
  // A request came, a stream ended or an answer's bytes went out, since last asked.
  bool progressed();

 private:
  struct Stream {
    std::string method, target;
    std::size_t header_bytes = 0, body_bytes = 0;
    bool too_large = false;
    std::shared_ptr<std::atomic<bool>> withdrawn;  // once its request is complete
    Http2Answer answer;
    std::size_t body_sent = 0;
  };
  Stream* stream(std::int32_t id);
  void submit(std::int32_t id, Stream& stream);

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_header(nghttp2_session*, const nghttp2_frame*, const std::uint8_t*, std::size_t, const std::uint8_t*,
                       std::size_t, std::uint8_t, void*);
  static int on_data(nghttp2_session*, std::uint8_t, std::int32_t, const std::uint8_t*, std::size_t, void*);
  static int on_frame(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_frame_sent(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_stream_close(nghttp2_session*, std::int32_t, std::uint32_t, void*);
  static http2::Length read_body(nghttp2_session*, std::int32_t, std::uint8_t*, std::size_t, std::uint32_t*,
                                 nghttp2_data_source*, void*);

  http2::SessionPointer session_;
  std::size_t max_body_;
  bool readable_by_pages_;
  std::map<std::int32_t, Stream> streams_;  // open streams, at most max_streams
  std::vector<Http2StreamRequest> complete_;
  bool progressed_ = false;
};

}  // namespace kit
