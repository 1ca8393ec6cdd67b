// Text from the network, made printable: what passes, what is escaped, and
// that every report built from such text stays well-formed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

#include "records.hpp"
#include "records_export.hpp"
#include "safe_text.hpp"
#include "stats.hpp"
#include "timeline.hpp"

namespace kit {

TEST(Printable, PlainTextAndUtf8PassAsTheyAre) {
  EXPECT_EQ(printable("/next?a=1&b=2"), "/next?a=1&b=2");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(Printable, ControlBytesAndBrokenUtf8AreEscaped) {
  EXPECT_EQ(printable("\x1b[31mred\x07"), "\\x1b[31mred\\x07");
  EXPECT_EQ(printable("tab\there\r\n"), "tab\\x09here\\x0d\\x0a");
  EXPECT_EQ(printable(std::string("nul\0", 4)), "nul\\x00");
  EXPECT_EQ(printable("\x7f"), "\\x7f");
  EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(printable("\xc3"), "\\xc3") << "a sequence cut short";
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf") << "an overlong form";
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80") << "a surrogate";
  EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80") << "past U+10FFFF";
  EXPECT_EQ(printable("\xc2\x9b"), "\\xc2\\x9b") << "a C1 control, which terminals obey";
}

TEST(Printable, LongTextIsCut) {
  EXPECT_EQ(printable(std::string(10, 'a'), 4), "aaaa...");
  EXPECT_EQ(printable(std::string(2000, 'a')).size(), 1024u + 3);
}

TEST(Printable, ReportsOfHostileTextStayWellFormed) {
  RequestRecord redirect{.number = 1, .lane = 1, .start = Seconds(0), .end = Seconds(0.5)};
  redirect.set_response(302, "", "/\x1b]0;owned\x07<&>\xff");
  const RequestRecord broken = test::failed(2, Failure::bad_response, "bad \xfe\x1b[2J", 0, 0.4);
  EXPECT_EQ(redirect.error.find('\x1b'), std::string::npos) << redirect.error;
  EXPECT_EQ(broken.error, "bad \\xfe\\x1b[2J");

  const std::vector<RequestRecord> records{redirect, broken};
  const std::string svg = timeline_svg(records, Seconds(1), "client_async");
  std::istringstream in(svg);
  boost::property_tree::ptree tree;
  EXPECT_NO_THROW(boost::property_tree::read_xml(in, tree)) << svg;

  const Summary summary = summarize(records, Seconds(1));
  const RunInfo info{"client_async", "client_async http://h/", {"http://h/"}};
  boost::system::error_code error;
  boost::json::parse(records_json(info, records, summary), error);  // refuses invalid UTF-8
  EXPECT_FALSE(error) << error.message();
  const std::string csv = records_csv(info, records, summary);
  EXPECT_EQ(csv.find('\x1b'), std::string::npos);
  EXPECT_EQ(csv.find('\xff'), std::string::npos);
}

}  // namespace kit

namespace kit {

TEST(AsciiLowercase, LowersAsciiLettersOnly) {
  EXPECT_EQ(ascii_lowercase("Laptop-7.LOCAL"), "laptop-7.local");
  EXPECT_EQ(ascii_lowercase("en_US.UTF-8"), "en_us.utf-8");
  EXPECT_EQ(ascii_lowercase("\xC3\x84Z"), "\xC3\x84z") << "bytes past ASCII stay as they are";
}

}  // namespace kit
