// shared/platform: numbers read as std::from_chars reads them, whichever C++
// library the kit is built with (libc++ 14 has no floating-point from_chars),
// and a thread that joins when it goes.
#include <gtest/gtest.h>

#include <atomic>
#include <string_view>

#include "fd_limit.hpp"
#include "platform.hpp"

namespace kit::platform {

namespace {

struct Parsed {
  bool ok;
  double value;
  std::size_t used;
};

Parsed parse(std::string_view text) {
  double value = -1;
  const auto [end, error] = parse_number(text.data(), text.data() + text.size(), value);
  return {error == std::errc{}, value, static_cast<std::size_t>(end - text.data())};
}

}  // namespace

TEST(Platform, ParsesNumbersAsFromCharsDoes) {
  EXPECT_TRUE(parse("0.25").ok);
  EXPECT_DOUBLE_EQ(parse("0.25").value, 0.25);
  EXPECT_EQ(parse("0.25").used, 4u);
  EXPECT_DOUBLE_EQ(parse("1e3").value, 1000);
  EXPECT_DOUBLE_EQ(parse("-2").value, -2);
  EXPECT_EQ(parse("1.5s").used, 3u) << "stops where the number does";
  for (std::string_view bad : {"", "abc", " 1", "+1", "\t1", "."}) {
    EXPECT_FALSE(parse(bad).ok) << "'" << bad << "'";
    EXPECT_EQ(parse(bad).used, 0u) << "'" << bad << "'";
  }
  int whole = 0;
  const std::string_view port = "8080";
  EXPECT_EQ(parse_number(port.data(), port.data() + port.size(), whole).ec, std::errc{});
  EXPECT_EQ(whole, 8080);
}

TEST(Platform, AJoiningThreadIsJoinedWhenItGoes) {
  std::atomic<bool> ran{false};
  {
    JoiningThread thread([&] { ran = true; });
  }
  EXPECT_TRUE(ran);
  JoiningThread moved([&] { ran = false; });
  moved = JoiningThread([] {});  // joins the first before it takes the second
  EXPECT_FALSE(ran);
}

}  // namespace kit::platform

namespace kit {

// The server's connections and its dashboard's, when the descriptors that
// fit are fewer than both want: the dashboard gives way first.
TEST(DescriptorShares, TheDashboardGivesWayFirstThenTheServer) {
  EXPECT_EQ(share_descriptors(1000, 100, 128, 32).server, 100) << "room for both";
  EXPECT_EQ(share_descriptors(1000, 100, 128, 32).dashboard, 128);
  EXPECT_EQ(share_descriptors(200, 100, 128, 32).server, 100);
  EXPECT_EQ(share_descriptors(200, 100, 128, 32).dashboard, 100) << "the dashboard takes what is left";
  EXPECT_EQ(share_descriptors(128, 100, 128, 32).server, 96) << "the dashboard keeps its least";
  EXPECT_EQ(share_descriptors(128, 100, 128, 32).dashboard, 32);
  EXPECT_EQ(share_descriptors(10, 100, 128, 32).server, 1) << "the server never goes under one";
  EXPECT_EQ(share_descriptors(10, 100, 128, 32).dashboard, 9);
  EXPECT_EQ(share_descriptors(50, 100, 0, 32).server, 50) << "no dashboard";
  EXPECT_EQ(share_descriptors(50, 100, 0, 32).dashboard, 0);
}

}  // namespace kit
