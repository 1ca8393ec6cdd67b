#include "http2_library.hpp"

#include <new>

namespace kit::http2 {

Length receive(nghttp2_session* session, const std::uint8_t* bytes, std::size_t size) {
#if NGHTTP2_VERSION_NUM >= 0x013d00
  return nghttp2_session_mem_recv2(session, bytes, size);
#else
  return nghttp2_session_mem_recv(session, bytes, size);
#endif
}

Length next_to_send(nghttp2_session* session, const std::uint8_t** bytes) {
#if NGHTTP2_VERSION_NUM >= 0x013d00
  return nghttp2_session_mem_send2(session, bytes);
#else
  return nghttp2_session_mem_send(session, bytes);
#endif
}

std::int32_t submit_request(nghttp2_session* session, const nghttp2_nv* headers, std::size_t count,
                            const DataProvider* body, void* stream_data) {
#if NGHTTP2_VERSION_NUM >= 0x013d00
  return nghttp2_submit_request2(session, nullptr, headers, count, body, stream_data);
#else
  return nghttp2_submit_request(session, nullptr, headers, count, body, stream_data);
#endif
}

int submit_response(nghttp2_session* session, std::int32_t stream, const nghttp2_nv* headers, std::size_t count,
                    const DataProvider* body) {
#if NGHTTP2_VERSION_NUM >= 0x013d00
  return nghttp2_submit_response2(session, stream, headers, count, body);
#else
  return nghttp2_submit_response(session, stream, headers, count, body);
#endif
}

DataProvider body_provider(void* source, ReadBody read) {
  DataProvider provider{};
  provider.source.ptr = source;
  provider.read_callback = read;
  return provider;
}

CallbacksPointer new_callbacks() {
  nghttp2_session_callbacks* callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&callbacks) != 0) throw std::bad_alloc();
  return CallbacksPointer(callbacks);
}

OptionPointer hardened_options() {
  nghttp2_option* option = nullptr;
  if (nghttp2_option_new(&option) != 0) throw std::bad_alloc();
  OptionPointer owned(option);
#ifdef KIT_HAVE_NGHTTP2_MAX_CONTINUATIONS
  nghttp2_option_set_max_continuations(option, 8);
#endif
#ifdef KIT_HAVE_NGHTTP2_STREAM_RESET_RATE_LIMIT
  nghttp2_option_set_stream_reset_rate_limit(option, 1000, 33);  // libnghttp2's own default, stated
#endif
  nghttp2_option_set_max_outbound_ack(option, 1000);
  nghttp2_option_set_max_settings(option, 32);
  return owned;
}

nghttp2_nv header(std::string_view name, std::string_view value) {
  // libnghttp2 copies both (no NO_COPY flag): the pointers need only last the call.
  return nghttp2_nv{reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                    NGHTTP2_NV_FLAG_NONE};
}

}  // namespace kit::http2
