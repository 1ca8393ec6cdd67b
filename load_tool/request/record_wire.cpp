#include "record_wire.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace kit {

namespace {

constexpr std::uint32_t most_frame_bytes = 1u << 30;  // a body is at most --max-body; this is far above

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <class T>
  void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put(const std::string& text) {
    put(static_cast<std::uint32_t>(text.size()));
    out_ += text;
  }
  void put(const std::optional<Seconds>& value) {
    put(value.has_value());
    put(value.value_or(Seconds(0)).count());
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, bytes(sizeof value), sizeof value);
    return value;
  }
  std::string text() {
    const auto size = get<std::uint32_t>();
    return std::string(bytes(size), size);
  }
  bool flag() { return get<std::uint8_t>() != 0; }  // any byte but 0 is true, never an invalid bool
  std::optional<Seconds> maybe_seconds() {
    const bool has = flag();
    const double seconds = get<double>();
    return has ? std::optional<Seconds>(seconds) : std::nullopt;
  }
  bool done() const { return in_.empty(); }

 private:
  const char* bytes(std::size_t size) {
    if (size > in_.size()) throw std::runtime_error("a record frame ends too early");
    const char* at = in_.data();
    in_.remove_prefix(size);
    return at;
  }
  std::string_view in_;
};

}  // namespace

void append_record(std::string& out, const RequestRecord& r) {
  const std::size_t frame_start = out.size();
  out.append(sizeof(std::uint32_t), '\0');  // the length, written at the end
  Writer w(out);
  w.put(r.number), w.put(r.lane), w.put(r.url), w.put(r.attempt), w.put(r.connection);
  w.put(r.start.count()), w.put(r.end.count()), w.put(r.due);
  w.put(r.status), w.put(static_cast<int>(r.failure)), w.put(static_cast<std::uint64_t>(r.bytes));
  w.put(r.connect.count()), w.put(r.handshake.count());
  w.put(r.new_connection), w.put(r.retried), w.put(r.answer_started), w.put(r.http2), w.put(r.held_by_stream_limit);
  w.put(r.body), w.put(r.error), w.put(r.location);
  w.put(r.server_queue), w.put(r.server_app), w.put(r.retry_after);
  const auto length = static_cast<std::uint32_t>(out.size() - frame_start - sizeof(std::uint32_t));
  std::memcpy(out.data() + frame_start, &length, sizeof length);
}

std::optional<RequestRecord> take_record(std::string& in) {
  std::uint32_t length = 0;
  if (in.size() < sizeof length) return std::nullopt;
  std::memcpy(&length, in.data(), sizeof length);
  if (length > most_frame_bytes) throw std::runtime_error("a record frame is too long");
  if (in.size() < sizeof length + length) return std::nullopt;
  Reader read(std::string_view(in).substr(sizeof length, length));
  RequestRecord r;
  r.number = read.get<int>(), r.lane = read.get<int>(), r.url = read.get<int>(), r.attempt = read.get<int>();
  r.connection = read.get<int>();
  r.start = Seconds(read.get<double>()), r.end = Seconds(read.get<double>()), r.due = read.maybe_seconds();
  r.status = read.get<int>();
  const int failure = read.get<int>();
  if (failure < 0 || failure > static_cast<int>(Failure::other))
    throw std::runtime_error("a record's failure is unknown");
  r.failure = static_cast<Failure>(failure);
  r.bytes = static_cast<std::size_t>(read.get<std::uint64_t>());
  r.connect = Seconds(read.get<double>()), r.handshake = Seconds(read.get<double>());
  r.new_connection = read.flag(), r.retried = read.flag(), r.answer_started = read.flag();
  r.http2 = read.flag(), r.held_by_stream_limit = read.flag();
  r.body = read.text(), r.error = read.text(), r.location = read.text();
  r.server_queue = read.maybe_seconds(), r.server_app = read.maybe_seconds(), r.retry_after = read.maybe_seconds();
  if (!read.done()) throw std::runtime_error("a record frame is longer than its record");
  in.erase(0, sizeof length + length);
  return r;
}

}  // namespace kit
