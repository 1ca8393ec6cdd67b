#pragma once
// libnghttp2, as both the clients and the server call it. Its names for the
// same calls changed between the versions the kit builds with (1.52 on
// Debian 12 to testing's), and its attack limits came to Debian 12 as
// security backports: each has one name here, chosen at build time.
#include <nghttp2/nghttp2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace kit::http2 {

#if NGHTTP2_VERSION_NUM >= 0x013d00  // 1.61: the ssize_t calls are deprecated
using Length = nghttp2_ssize;
using DataProvider = nghttp2_data_provider2;
#else
using Length = ssize_t;
using DataProvider = nghttp2_data_provider;
#endif

// A request body's or response body's bytes, as libnghttp2 asks for them.
using ReadBody = Length (*)(nghttp2_session*, std::int32_t stream, std::uint8_t* into, std::size_t room,
                            std::uint32_t* flags, nghttp2_data_source* source, void* user_data);

Length receive(nghttp2_session* session, const std::uint8_t* bytes, std::size_t size);  // mem_recv
Length next_to_send(nghttp2_session* session, const std::uint8_t** bytes);              // mem_send
std::int32_t submit_request(nghttp2_session* session, const nghttp2_nv* headers, std::size_t count,
                            const DataProvider* body, void* stream_data);
int submit_response(nghttp2_session* session, std::int32_t stream, const nghttp2_nv* headers, std::size_t count,
                    const DataProvider* body);
DataProvider body_provider(void* source, ReadBody read);

struct SessionDeleter {
  void operator()(nghttp2_session* session) const { nghttp2_session_del(session); }
};
using SessionPointer = std::unique_ptr<nghttp2_session, SessionDeleter>;

struct CallbacksDeleter {
  void operator()(nghttp2_session_callbacks* callbacks) const { nghttp2_session_callbacks_del(callbacks); }
};
using CallbacksPointer = std::unique_ptr<nghttp2_session_callbacks, CallbacksDeleter>;
CallbacksPointer new_callbacks();

struct OptionDeleter {
  void operator()(nghttp2_option* option) const { nghttp2_option_del(option); }
};
using OptionPointer = std::unique_ptr<nghttp2_option, OptionDeleter>;
// A session's options with the limits against hostile peers that this
// libnghttp2 has: CONTINUATION frames per header block, and (for a server)
// streams reset per second, beside the library's own caps on queued
// SETTINGS and PING answers.
OptionPointer hardened_options();

// A name/value pair that libnghttp2 copies.
nghttp2_nv header(std::string_view name, std::string_view value);

// "h2" between the protocols ALPN offers (wire format), first.
inline constexpr std::string_view alpn_h2_then_http1{"\x02h2\x08http/1.1", 12};
inline constexpr std::string_view client_preface{"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"};

}  // namespace kit::http2
