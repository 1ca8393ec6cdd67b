// Server-Timing headers as real servers send them, odd ones included.
#include <gtest/gtest.h>

#include <utility>

#include "server_timing.hpp"

namespace kit {

namespace {

std::optional<double> ms(std::string_view header, std::string_view name) {
  const auto seconds = server_timing_duration(header, name);
  return seconds ? std::optional<double>(seconds->count() * 1000) : std::nullopt;
}

}  // namespace

TEST(ServerTiming, TheServersValueIsInMilliseconds) {
  EXPECT_EQ(server_timing_value(0.60021, 0.30009), "queue;dur=600.2, app;dur=300.1");
  EXPECT_EQ(server_timing_value(0, 1), "queue;dur=0.0, app;dur=1000.0");
}

TEST(ServerTiming, WhatTheServerWritesTheClientsReadBack) {
  for (const auto& [queue, app] : {std::pair{0.0, 1.0}, std::pair{0.6002, 0.3001}, std::pair{12.5, 0.0001}}) {
    const ServerTimes times = read_server_timing(server_timing_value(queue, app));
    ASSERT_TRUE(times.queue && times.app);
    EXPECT_NEAR(times.queue->count(), queue, 0.00005);  // written to 0.1 ms
    EXPECT_NEAR(times.app->count(), app, 0.00005);
  }
}

TEST(ServerTiming, ReadsTheKitsOwnHeader) {
  EXPECT_DOUBLE_EQ(*ms("queue;dur=600.2, app;dur=300.1", "queue"), 600.2);
  EXPECT_DOUBLE_EQ(*ms("queue;dur=600.2, app;dur=300.1", "app"), 300.1);
}

TEST(ServerTiming, SpacesCaseDescriptionsAndQuotes) {
  const std::string_view header = R"(cache;desc="Cache Read";dur=23.2 , db ; dur = 53 , App;desc="a, b; c";dur="7")";
  EXPECT_DOUBLE_EQ(*ms(header, "cache"), 23.2);
  EXPECT_DOUBLE_EQ(*ms(header, "app"), 7);  // names are case-insensitive; a quoted value counts
  EXPECT_FALSE(ms(header, "queue")) << "not sent";
}

TEST(ServerTiming, MetricsWithoutAUsableDurationHaveNone) {
  EXPECT_FALSE(ms("queue", "queue"));
  EXPECT_FALSE(ms("queue;desc=waiting", "queue"));
  for (const char* bad : {"queue;dur=", "queue;dur=abc", "queue;dur=-5", "queue;dur=nan", "queue;dur=1e999"}) {
    EXPECT_FALSE(ms(bad, "queue")) << bad;
  }
}

TEST(ServerTiming, TheFirstMetricOfANameCounts) {
  EXPECT_DOUBLE_EQ(*ms("queue;dur=1, queue;dur=2", "queue"), 1);
  EXPECT_FALSE(ms("queue;dur=x, queue;dur=2", "queue"));
}

TEST(ServerTiming, MalformedHeadersAreIgnoredNotFatal) {
  for (const std::string bad :
       {"", ",,,", ";;;", "=", "\"", "queue;dur=\"12", "\x01\x02", "queue dur=3", "a;b;c;d=;e=\"\\"}) {
    EXPECT_NO_THROW(server_timing_duration(bad, "queue")) << bad;
  }
  EXPECT_NO_THROW(server_timing_duration(std::string(10000, ','), "queue"));
  EXPECT_FALSE(ms("queue dur=3", "queue"));
}

TEST(ServerTiming, ReadsQueueAndAppInSeconds) {
  const ServerTimes times = read_server_timing("queue;dur=250, app;dur=200");
  ASSERT_TRUE(times.queue && times.app);
  EXPECT_DOUBLE_EQ(times.queue->count(), 0.25);
  EXPECT_DOUBLE_EQ(times.app->count(), 0.2);
  const ServerTimes none = read_server_timing("");
  EXPECT_FALSE(none.queue || none.app);
}

}  // namespace kit
