#include <gtest/gtest.h>
#include <iterator>
#include <fstream>
#include <filesystem>

#include <boost/json/parse.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <map>
#include <sstream>

#include "records.hpp"
#include "records_export.hpp"
#include "timeline.hpp"

namespace kit {

namespace {

RequestRecord bar(int number, int lane, double start, double end, bool ok = true) {
  return ok ? test::answered(number, start, end, 200, lane)
            : test::failed(number, Failure::timeout, "timed out after 1 s", start, end, lane);
}

// The talk's pictures: sync is one lane of back-to-back bars, async one bar per lane.
std::vector<RequestRecord> sync_run() { return {bar(1, 1, 0, 1), bar(2, 1, 1, 2), bar(3, 1, 2, 3)}; }
std::vector<RequestRecord> async_run() { return {bar(1, 1, 0, 1), bar(2, 2, 0, 1), bar(3, 3, 0, 1, false)}; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> lane_rows(const std::string& text) {
  std::vector<std::string> rows;
  for (const auto& line : lines_of(text))
    if (line.rfind("lane ", 0) == 0) rows.push_back(line);
  return rows;
}

std::size_t display_width(const std::string& utf8) {
  std::size_t width = 0;
  for (unsigned char c : utf8) width += (c & 0xC0) != 0x80;
  return width;
}

}  // namespace

TEST(TimelineText, OneLaneForSyncOneLanePerRequestForAsync) {
  const TerminalStyle style{.columns = 80, .utf8 = false, .colour = false};
  EXPECT_EQ(lane_rows(timeline_text(sync_run(), Seconds(3), style)).size(), 1u);
  EXPECT_EQ(lane_rows(timeline_text(async_run(), Seconds(1), style)).size(), 3u);
  EXPECT_NE(timeline_text(sync_run(), Seconds(3), style).find("3 requests on 1 lane,"), std::string::npos);
}

TEST(TimelineText, RowsFitTheTerminalWidth) {
  for (int columns : {40, 80, 132}) {
    for (bool utf8 : {false, true}) {
      const TerminalStyle style{.columns = columns, .utf8 = utf8, .colour = false};
      for (const auto& line : lines_of(timeline_text(async_run(), Seconds(1), style))) {
        EXPECT_LE(display_width(line), static_cast<std::size_t>(columns)) << line;
      }
      for (const auto& row : lane_rows(timeline_text(sync_run(), Seconds(3), style))) {
        EXPECT_EQ(display_width(row), static_cast<std::size_t>(columns)) << row;
      }
    }
  }
}

TEST(TimelineText, BackToBackBarsEachLabelled) {
  const TerminalStyle style{.columns = 9 + 2 + 30, .utf8 = false, .colour = false};
  const auto rows = lane_rows(timeline_text(sync_run(), Seconds(3), style));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], "lane 1   |1=========2=========3=========|");
}

TEST(TimelineText, FailuresAreMarked) {
  const TerminalStyle style{.columns = 9 + 2 + 20, .utf8 = false, .colour = false};
  const auto rows = lane_rows(timeline_text(async_run(), Seconds(1), style));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "lane 1   |1===================|");
  EXPECT_EQ(rows[2], "lane 3   |3xxxxxxxxxxxxxxxxxxx|");
}

TEST(TimelineText, AsciiOrUtf8AndColourOnlyWhenAsked) {
  const std::string ascii = timeline_text(async_run(), Seconds(1), {.columns = 60, .utf8 = false, .colour = false});
  for (unsigned char c : ascii) EXPECT_LT(c, 0x80);
  EXPECT_EQ(ascii.find('\033'), std::string::npos);
  const std::string fancy = timeline_text(async_run(), Seconds(1), {.columns = 60, .utf8 = true, .colour = true});
  EXPECT_NE(fancy.find("\u2588"), std::string::npos);
  EXPECT_NE(fancy.find("\033[32m"), std::string::npos);
  EXPECT_NE(fancy.find("\033[31m"), std::string::npos);
}

TEST(TimelineText, ManyLanesAreCapped) {
  std::vector<RequestRecord> records;
  for (int i = 1; i <= 100; ++i) records.push_back(bar(i, i, 0, 1));
  const std::string text = timeline_text(records, Seconds(1), {.columns = 60, .utf8 = false}, 40);
  EXPECT_EQ(lane_rows(text).size(), 40u);
  EXPECT_NE(text.find("... 60 more lanes"), std::string::npos);
}

TEST(TimelineSvg, IsWellFormedWithOneBarPerRequest) {
  std::vector<RequestRecord> records = async_run();
  records.push_back(bar(4, 1, 1, 2));
  const std::string svg = timeline_svg(records, Seconds(2), "client_async -n 4 'http://h/?a=1&b=<2>'");
  std::istringstream in(svg);
  boost::property_tree::ptree tree;
  ASSERT_NO_THROW(boost::property_tree::read_xml(in, tree)) << svg;
  int bars = 0;
  int titles_with_status = 0;
  for (const auto& [name, child] : tree.get_child("svg")) {
    if (name != "g") continue;
    if (child.get<std::string>("rect.<xmlattr>.class").rfind("bar ", 0) == 0) ++bars;
    if (child.get<std::string>("title").find("HTTP 200") != std::string::npos) ++titles_with_status;
  }
  EXPECT_EQ(bars, 4);
  EXPECT_EQ(titles_with_status, 3);
  EXPECT_NE(svg.find("'http://h/?a=1&amp;b=&lt;2&gt;'"), std::string::npos);
  EXPECT_NE(svg.find("request 3: timed out after 1 s"), std::string::npos);
}

TEST(RecordsJson, ParsesAndKeepsEveryRecord) {
  const auto records = async_run();
  const auto document = boost::json::parse(
      records_json({"client_async", "client_async -n 3", {"http://h/"}}, records, summarize(records, Seconds(1))));
  const auto& requests = document.at("requests").as_array();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].at("lane").as_int64(), 2);
  EXPECT_DOUBLE_EQ(requests[1].at("end").as_double(), 1.0);
  EXPECT_EQ(requests[2].at("failure").as_string(), "timeout");
  EXPECT_TRUE(requests[0].at("error").is_null());
  EXPECT_EQ(document.at("summary").at("requests").as_int64(), 3);
  EXPECT_EQ(document.at("summary").at("ok").as_int64(), 2);
  EXPECT_EQ(document.at("program").as_string(), "client_async");
  EXPECT_EQ(requests[1].at("url").as_string(), "http://h/");
}

TEST(RecordsJson, AllFailedGivesNullLatencies) {
  const std::vector<RequestRecord> records{bar(1, 1, 0, 1, false)};
  const auto document = boost::json::parse(records_json({}, records, summarize(records, Seconds(1))));
  EXPECT_TRUE(document.at("summary").at("average").is_null());
}

TEST(RecordsCsv, OneRowPerRecordAndTheSummaryAsComments) {
  const auto records = async_run();
  const auto lines = lines_of(records_csv({}, records, summarize(records, Seconds(1))));
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "number,lane,start,end,duration,status,bytes,new_connection,connect,handshake,server_queue,server_app,"
            "ok,failure,error,url,due,attempt,retried,method,service_time,protocol,connection");
  EXPECT_EQ(lines[1],
            "1,1,0.000000,1.000000,1.000000,200,22,false,0.000000,0.000000,,,true,,,,,1,false,GET,1.000000,http/1.1,0");
  EXPECT_EQ(lines[3],
            "3,3,0.000000,1.000000,1.000000,0,0,false,0.000000,0.000000,,,false,timeout,timed out after 1 s,,,1,"
            "false,GET,1.000000,http/1.1,0");
  EXPECT_EQ(lines[4], "# requests,3");
}

// A request that waited 0.6 s in a worker pool's queue, then 0.3 s in the app.
RequestRecord queued_bar(int number, int lane) {
  RequestRecord r = bar(number, lane, 0, 0.9);
  r.server_queue = Seconds(0.6);
  r.server_app = Seconds(0.3);
  return r;
}

TEST(ServerTimingInReports, JsonAndCsvCarryTheServersFigures) {
  const std::vector<RequestRecord> records{bar(1, 1, 0, 0.3), queued_bar(2, 2)};
  const Summary summary = summarize(records, Seconds(0.9));
  const auto document = boost::json::parse(records_json({}, records, summary));
  const auto& requests = document.at("requests").as_array();
  EXPECT_TRUE(requests[0].at("server_queue").is_null());
  EXPECT_DOUBLE_EQ(requests[1].at("server_queue").as_double(), 0.6);
  EXPECT_DOUBLE_EQ(requests[1].at("server_app").as_double(), 0.3);
  EXPECT_DOUBLE_EQ(document.at("summary").at("server_queue_slowest").as_double(), 0.6);
  const auto lines = lines_of(records_csv({}, records, summary));
  EXPECT_EQ(
      lines[2],
      "2,2,0.000000,0.900000,0.900000,200,22,false,0.000000,0.000000,0.600000,0.300000,true,,,,,1,false,GET,0.900000,"
      "http/1.1,0");
}

TEST(ServerTimingInReports, TimelineShowsTheQueueInItsOwnShade) {
  const TerminalStyle style{.columns = 9 + 2 + 30, .utf8 = false, .colour = false};
  const auto text = timeline_text({bar(1, 1, 0, 0.3), queued_bar(2, 2)}, Seconds(0.9), style);
  const auto rows = lane_rows(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "lane 1   |1=========                    |");
  EXPECT_EQ(rows[1], "lane 2   |2~~~~~~~~~~~~~~~~~~~==========|");
  EXPECT_NE(text.find("~ queued in the server"), std::string::npos);
  const std::string colour = timeline_text({queued_bar(1, 1)}, Seconds(0.9), {.columns = 60, .colour = true});
  EXPECT_NE(colour.find("\033[33m"), std::string::npos) << "the queue in yellow";
}

// A queue of a cell or so lies under the request's number: the legend then
// does not name a shade that no cell shows.
TEST(ServerTimingInReports, TheLegendNamesOnlyShadesThatAreDrawn) {
  const TerminalStyle style{.columns = 9 + 2 + 30, .utf8 = false, .colour = false};
  RequestRecord r = bar(1, 1, 0, 0.9);
  r.server_queue = Seconds(0.03);  // one cell of 30 over 0.9 s: the "1" covers it
  const auto text = timeline_text({r}, Seconds(0.9), style);
  EXPECT_EQ(lane_rows(text).at(0).find('~'), std::string::npos) << text;
  EXPECT_EQ(text.find("queued in the server"), std::string::npos) << text;
}

TEST(ServerTimingInReports, SvgDrawsSetupQueueAndRestAsThreeParts) {
  RequestRecord r = queued_bar(1, 1);
  r.connect = Seconds(0.09);  // then 0.6 s queued, then the rest up to 0.9 s
  const std::string svg = timeline_svg({r}, Seconds(0.9), "pool");
  std::istringstream in(svg);
  boost::property_tree::ptree tree;
  ASSERT_NO_THROW(boost::property_tree::read_xml(in, tree)) << svg;
  std::map<std::string, double> width_of;  // class -> width
  for (const auto& [name, child] : tree.get_child("svg")) {
    if (name != "g") continue;
    for (const auto& [part, rect] : child) {
      if (part == "rect") width_of[rect.get<std::string>("<xmlattr>.class")] = rect.get<double>("<xmlattr>.width");
    }
  }
  ASSERT_EQ(width_of.size(), 3u) << svg;
  const double bar = width_of.at("bar ok");
  EXPECT_NEAR(width_of.at("setup") / bar, 0.1, 0.01);
  EXPECT_NEAR(width_of.at("queued") / bar, 0.6 / 0.9, 0.01);
}

TEST(WriteOutput, WholeFileOrNothing) {
  const std::string path = ::testing::TempDir() + "/kit-write-output-test.txt";
  std::ostringstream standard_output;
  EXPECT_EQ(write_output(path, "hello\n", standard_output), "");
  EXPECT_EQ(standard_output.str(), "");
  EXPECT_EQ(write_output("-", "to stdout\n", standard_output), "");
  EXPECT_EQ(standard_output.str(), "to stdout\n");
  EXPECT_EQ(check_writable(path), "");
  EXPECT_NE(write_output("/no/such/folder/x.json", "{}", standard_output), "");
  EXPECT_NE(check_writable("/no/such/folder/x.json"), "");
  EXPECT_NE(check_writable(::testing::TempDir()), "");  // a directory
  std::remove(path.c_str());
}

TEST(WriteOutput, AnExistingFileKeepsItsModeAndNoTemporaryIsLeft) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(::testing::TempDir()) / "kit-write-output-mode";
  fs::remove_all(folder);
  fs::create_directory(folder);
  const fs::path path = folder / "report.json";
  std::ofstream(path) << "old";
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  std::ostringstream standard_output;
  ASSERT_EQ(write_output(path.string(), "new", standard_output), "");
  EXPECT_EQ(fs::status(path).permissions(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  std::ifstream in(path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "new");
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++files;
  EXPECT_EQ(files, 1) << "the temporary file was renamed, not left beside it";
  fs::remove_all(folder);
}

// --http2: hovering over a bar names the connection whose stream carried it.
TEST(TimelineSvg, AnHttp2BarNamesItsConnection) {
  RequestRecord r = bar(1, 1, 0, 0.5);
  r.http2 = true;
  r.connection = 2;
  EXPECT_NE(timeline_svg({r}, Seconds(0.5), "h2").find("an HTTP/2 stream of connection 2"), std::string::npos);
  r.http2 = false;
  EXPECT_EQ(timeline_svg({r}, Seconds(0.5), "h1").find("HTTP/2"), std::string::npos);
}

}  // namespace kit
