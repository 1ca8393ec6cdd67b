#include "http2_session.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <new>

#include "refusals.hpp"

namespace kit {

namespace {

Http2ServerSession& session_of(void* user_data) { return *static_cast<Http2ServerSession*>(user_data); }

std::string_view text(const std::uint8_t* bytes, std::size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}

constexpr std::size_t most_header_list_bytes = 64 * 1024;  // as an HTTP/1.1 request's headers

}  // namespace

Http2ServerSession::Http2ServerSession(std::uint32_t max_streams, std::size_t max_body, bool readable_by_pages)
    : max_body_(max_body), readable_by_pages_(readable_by_pages) {
  const http2::CallbacksPointer callbacks = http2::new_callbacks();
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks.get(), on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks.get(), on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks.get(), on_data);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks.get(), on_frame);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks.get(), on_frame_sent);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks.get(), on_stream_close);
  nghttp2_session* session = nullptr;
  if (nghttp2_session_server_new2(&session, callbacks.get(), this, http2::hardened_options().get()) != 0) {
    throw std::bad_alloc();
  }
  session_.reset(session);
  const std::array<nghttp2_settings_entry, 2> settings{
      {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, max_streams},
       {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, static_cast<std::uint32_t>(most_header_list_bytes)}}};
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
}

bool Http2ServerSession::receive(const std::uint8_t* bytes, std::size_t size) {
  return http2::receive(session_.get(), bytes, size) >= 0;
}

std::vector<Http2StreamRequest> Http2ServerSession::take_requests() {
  // A stream the client reset in the same read (rapid reset) is dropped before any work is done for it.
  std::erase_if(complete_, [this](const Http2StreamRequest& request) { return stream(request.stream) == nullptr; });
  return std::exchange(complete_, {});
}

Http2ServerSession::Stream* Http2ServerSession::stream(std::int32_t id) {
  const auto found = streams_.find(id);
  return found == streams_.end() ? nullptr : &found->second;
}

void Http2ServerSession::respond(std::int32_t id, Http2Answer answer) {
  Stream* open = stream(id);
  if (open == nullptr) return;  // reset by the client while the app worked on it
  open->answer = std::move(answer);
  submit(id, *open);
}

void Http2ServerSession::submit(std::int32_t id, Stream& open) {
  const std::string status = std::to_string(open.answer.status);
  std::vector<nghttp2_nv> headers{http2::header(":status", status)};
  for (const auto& [name, value] : open.answer.fields) headers.push_back(http2::header(name, value));
  const http2::DataProvider body = http2::body_provider(nullptr, read_body);
  const bool has_body = !open.answer.body.empty();
  http2::submit_response(session_.get(), id, headers.data(), headers.size(), has_body ? &body : nullptr);
}

void Http2ServerSession::refuse(std::int32_t id) {
  nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
}

void Http2ServerSession::say_goaway() {
  nghttp2_submit_goaway(session_.get(), NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(session_.get()),
                        NGHTTP2_NO_ERROR, nullptr, 0);
}

bool Http2ServerSession::take_output(std::string& out, std::size_t most) {
  while (out.size() < most) {
    const std::uint8_t* bytes = nullptr;
    const http2::Length size = http2::next_to_send(session_.get(), &bytes);
    if (size < 0) return false;
    if (size == 0) break;
    out.append(text(bytes, static_cast<std::size_t>(size)));
  }
  return true;
}

bool Http2ServerSession::finished() const {
  return nghttp2_session_want_read(session_.get()) == 0 && nghttp2_session_want_write(session_.get()) == 0;
}

bool Http2ServerSession::progressed() { return std::exchange(progressed_, false); }

int Http2ServerSession::on_begin_headers(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
  // Only for a stream libnghttp2 opened (within our SETTINGS_MAX_CONCURRENT_STREAMS): its close erases the entry.
  const bool opened = nghttp2_session_find_stream(session, frame->hd.stream_id) != nullptr;
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST && opened) {
    session_of(user_data).streams_[frame->hd.stream_id];
  }
  return 0;
}

int Http2ServerSession::on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name_bytes,
                                  std::size_t name_size, const std::uint8_t* value_bytes, std::size_t value_size,
                                  std::uint8_t, void* user_data) {
  Stream* open = session_of(user_data).stream(frame->hd.stream_id);
  if (open == nullptr) return 0;
  open->header_bytes += name_size + value_size + 32;  // RFC 9113's measure of a header list
  if (open->header_bytes > most_header_list_bytes) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // the stream is reset
  const std::string_view name = text(name_bytes, name_size);
  if (name == ":method") open->method = text(value_bytes, value_size);
  if (name == ":path") open->target = text(value_bytes, value_size);
  return 0;
}

int Http2ServerSession::on_data(nghttp2_session*, std::uint8_t, std::int32_t id, const std::uint8_t*, std::size_t size,
                                void* user_data) {
  Http2ServerSession& self = session_of(user_data);
  Stream* open = self.stream(id);
  if (open == nullptr || open->too_large) return 0;
  open->body_bytes += size;  // counted, as the app reads it, and dropped
  if (open->body_bytes > self.max_body_) {
    open->too_large = true;  // refused at once; libnghttp2 resets the rest of the upload once the answer is out
    self.respond(id,
                 http2_answer(refusal(413, self.max_body_), boost::beast::http::verb::post, self.readable_by_pages_));
  }
  return 0;
}

int Http2ServerSession::on_frame(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  Http2ServerSession& self = session_of(user_data);
  const bool request_done = (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
                            (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  Stream* open = self.stream(frame->hd.stream_id);
  if (!request_done || open == nullptr || open->too_large) return 0;
  open->withdrawn = std::make_shared<std::atomic<bool>>(false);
  self.complete_.push_back({frame->hd.stream_id, open->method, open->target, open->body_bytes, open->withdrawn});
  self.progressed_ = true;
  return 0;
}

int Http2ServerSession::on_frame_sent(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  if (frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS) session_of(user_data).progressed_ = true;
  return 0;
}

int Http2ServerSession::on_stream_close(nghttp2_session*, std::int32_t id, std::uint32_t, void* user_data) {
  Http2ServerSession& self = session_of(user_data);
  if (Stream* closing = self.stream(id); closing && closing->withdrawn)
    *closing->withdrawn = true;  // answered or reset
  self.streams_.erase(id);
  self.progressed_ = true;
  return 0;
}

http2::Length Http2ServerSession::read_body(nghttp2_session*, std::int32_t id, std::uint8_t* into, std::size_t room,
                                            std::uint32_t* flags, nghttp2_data_source*, void* user_data) {
  Stream* open = session_of(user_data).stream(id);
  if (open == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  const std::string& body = open->answer.body;
  const std::size_t size = std::min(room, body.size() - open->body_sent);
  std::memcpy(into, body.data() + open->body_sent, size);
  open->body_sent += size;
  if (open->body_sent == body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<http2::Length>(size);
}

}  // namespace kit
