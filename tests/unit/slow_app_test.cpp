#include <gtest/gtest.h>

#include "access_log.hpp"
#include "slow_app.hpp"

namespace kit {

TEST(SlowApp, GetWaitsTheConfiguredDelayAndAnswersTheBody) {
  const AppResponse r = respond(AppConfig{}, "GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "This is a slow web api");
  EXPECT_DOUBLE_EQ(r.delay.count(), 1.0);
  EXPECT_EQ(AppResponse::content_type, "text/plain; charset=utf-8");
}

TEST(SlowApp, QueryDelayOverridesForOneRequest) {
  EXPECT_DOUBLE_EQ(respond(AppConfig{}, "GET", "/?delay=0.25").delay.count(), 0.25);
  EXPECT_DOUBLE_EQ(respond(AppConfig{}, "HEAD", "/any/path?delay=0").delay.count(), 0.0);
  EXPECT_DOUBLE_EQ(respond(AppConfig{}, "GET", "/?delay=60").delay.count(), 60.0);
}

TEST(SlowApp, BadDelaysGet400WithOneLineReason) {
  for (const char* target : {"/?delay=abc", "/?delay=-1", "/?delay=61", "/?delay=nan", "/?delay=inf",
                             "/?delay=", "/?delay=1e999", "/?delay=0.5s"}) {
    const AppResponse r = respond(AppConfig{}, "GET", target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.body.find("bad delay"), 0u) << r.body;
    EXPECT_EQ(r.body.find('\n'), r.body.size() - 1) << "one line: " << r.body;
    EXPECT_EQ(r.delay.count(), 0.0) << "a refusal does not wait";
  }
}

TEST(SlowApp, MaxDelayIsConfigurable) {
  AppConfig config;
  config.max_delay = 2;
  EXPECT_EQ(respond(config, "GET", "/?delay=3").status, 400);
  EXPECT_EQ(respond(config, "GET", "/?delay=2").status, 200);
}

TEST(SlowApp, StatusQueryChoosesTheStatus) {
  EXPECT_EQ(respond(AppConfig{}, "GET", "/?status=503").status, 503);
  EXPECT_EQ(respond(AppConfig{}, "GET", "/?status=99").status, 400);
  EXPECT_EQ(respond(AppConfig{}, "GET", "/?status=2.5").status, 400);
}

TEST(SlowApp, OtherMethodsGet405WithAllow) {
  for (const char* method : {"BREW", "CONNECT", "TRACE", "get"}) {
    const AppResponse r = respond(AppConfig{}, method, "/");
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.allow, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    EXPECT_EQ(r.delay.count(), 0.0);
  }
}

TEST(SlowApp, MethodsWithABodyWaitAndSayWhatTheyRead) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    const AppResponse r = respond(AppConfig{}, method, "/?delay=0.5", 7);
    EXPECT_EQ(r.status, 200) << method;
    EXPECT_EQ(r.body, "This is a slow web api");
    EXPECT_EQ(r.delay.count(), 0.5);
    ASSERT_TRUE(r.body_bytes_read) << method;
    EXPECT_EQ(*r.body_bytes_read, 7u);
  }
  EXPECT_FALSE(respond(AppConfig{}, "GET", "/").body_bytes_read);
  EXPECT_EQ(respond(AppConfig{}, "GET", "/", 3).status, 413) << "GET takes no body";
}

TEST(SlowApp, OptionsAnswersAllowAtOnce) {
  const AppResponse r = respond(AppConfig{}, "OPTIONS", "/");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.allow, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  EXPECT_EQ(r.delay.count(), 0.0);
  EXPECT_TRUE(r.body.empty());
}

TEST(SlowApp, AccessLogLine) {
  EXPECT_EQ(access_log_line("GET", "/?delay=0.2", 200, 0.2014, "worker 2"), "GET /?delay=0.2 200 0.201 s worker 2");
  EXPECT_EQ(access_log_line("GET", "/", 200, 0.9004, "worker 3", 0.6002),
            "GET / 200 0.900 s (queued 0.600 s) worker 3");
  EXPECT_EQ(access_log_line("GET", "/", 200, 0.3, "thread 1", 0.0001), "GET / 200 0.300 s thread 1");
}

}  // namespace kit
