// --urls FILE: one URL per line, comments and blank lines skipped.
#include <gtest/gtest.h>

#include <sstream>

#include "stats.hpp"
#include "records.hpp"
#include "url_list.hpp"

namespace kit {

TEST(UrlList, OneUrlPerLineWithCommentsAndBlankLines) {
  std::istringstream in("# pages to fetch\n\nhttp://a:1/x\n   http://b:2/?delay=0.5  \r\n  # done\n");
  const auto targets = read_url_list(in, "pages.txt");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].host_header, "a:1");
  EXPECT_EQ(targets[0].target, "/x");
  EXPECT_EQ(targets[1].url, "http://b:2/?delay=0.5");
}

TEST(UrlList, ABadLineIsNamed) {
  std::istringstream in("http://a/\n\nftp://b/\n");
  try {
    read_url_list(in, "pages.txt");
    FAIL() << "ftp:// accepted";
  } catch (const BadUrl& e) {
    EXPECT_EQ(std::string(e.what()).rfind("pages.txt line 3: ", 0), 0u) << e.what();
  }
}

TEST(UrlList, NothingButCommentsIsAnEmptyList) {
  std::istringstream in("# nothing yet\n\n");
  EXPECT_TRUE(read_url_list(in, "pages.txt").empty());
}

TEST(ByHost, OneLinePerHostInTheOrderFirstNamedOnlyWhenThereAreSeveral) {
  std::vector<RequestRecord> records;
  for (int k = 0; k < 6; ++k) {
    RequestRecord r = k == 4 ? test::refused(k + 1) : test::answered(k + 1, 0, 0.1 * (k % 3 + 1));
    r.url = k % 3;  // URLs 0 and 2 on host b, URL 1 on host a
    records.push_back(r);
  }
  const Summary s = summarize(tally_of(records), Seconds(1), {"b:1", "a:1", "b:1"});
  ASSERT_EQ(s.hosts.size(), 2u);
  EXPECT_EQ(s.hosts[0].host, "b:1");
  EXPECT_EQ(s.hosts[0].requests, 4);
  EXPECT_EQ(s.hosts[0].ok, 4);
  EXPECT_NEAR(*s.hosts[0].average, (0.1 + 0.3 + 0.1 + 0.3) / 4, 1e-9);
  EXPECT_EQ(s.hosts[1].host, "a:1");
  EXPECT_EQ(s.hosts[1].failed, 1);
  EXPECT_TRUE(summarize(tally_of(records), Seconds(1), {"b:1", "b:1", "b:1"}).hosts.empty());
}

}  // namespace kit
