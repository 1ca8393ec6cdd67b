#include <gtest/gtest.h>

#include "http_target.hpp"

namespace kit {

TEST(ParseHttpUrl, TheDefaultUrl) {
  const HttpTarget t = parse_http_url("http://localhost:8000/");
  EXPECT_EQ(t.host, "localhost");
  EXPECT_EQ(t.port, "8000");
  EXPECT_EQ(t.host_header, "localhost:8000");
  EXPECT_EQ(t.target, "/");
}

TEST(ParseHttpUrl, KeepsPathAndQueryAndDefaultsThePort) {
  const HttpTarget t = parse_http_url("http://example.test/slow/api?delay=0.25&x=%20");
  EXPECT_EQ(t.port, "80");
  EXPECT_EQ(t.host_header, "example.test");
  EXPECT_EQ(t.target, "/slow/api?delay=0.25&x=%20");
}

TEST(ParseHttpUrl, NoPathMeansSlash) {
  EXPECT_EQ(parse_http_url("http://127.0.0.1:9").target, "/");
  EXPECT_EQ(parse_http_url("http://127.0.0.1:9?delay=1").target, "/?delay=1");
}

TEST(ParseHttpUrl, Ipv6LiteralsLoseTheirBracketsForConnecting) {
  const HttpTarget t = parse_http_url("http://[::1]:8000/");
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.host_header, "[::1]:8000");
}

TEST(ParseHttpUrl, RejectsWhatCannotBeFetched) {
  for (const char* bad : {"", "localhost:8000", "not a url", "ftp://host/", "http://", "http://[::1",
                          "http://host:99999/", "http://host:0/", "http://host:x/"}) {
    EXPECT_THROW(parse_http_url(bad), BadUrl) << bad;
  }
}

TEST(ParseHttpUrl, TheReasonNamesTheUrl) {
  try {
    parse_http_url("ftp://host/");
    FAIL() << "no exception";
  } catch (const BadUrl& e) {
    EXPECT_NE(std::string(e.what()).find("'ftp://host/'"), std::string::npos) << e.what();
  }
}

}  // namespace kit

namespace kit {

TEST(ResolveRedirect, RelativeAndAbsoluteLocations) {
  const HttpTarget from = parse_http_url("http://127.0.0.1:8000/a/b?x=1");
  EXPECT_EQ(resolve_redirect(from, "/final").url, "http://127.0.0.1:8000/final");
  EXPECT_EQ(resolve_redirect(from, "c").target, "/a/c");
  EXPECT_EQ(resolve_redirect(from, "http://other.test/z").host, "other.test");
  EXPECT_EQ(resolve_redirect(from, "//other.test:81/z").port, "81");
  EXPECT_THROW(resolve_redirect(from, "ftp://x/"), BadUrl);
  EXPECT_THROW(resolve_redirect(from, "http://[bad"), BadUrl);
}

}  // namespace kit
