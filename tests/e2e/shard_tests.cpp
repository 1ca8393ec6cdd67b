// --shard, --start-at, --result and --merge through the real binaries on
// loopback: shards started together add up to the whole run, and what
// cannot be merged is refused with one line. tests/e2e/shards_test.sh runs
// the same on four network namespaces, launched by pdsh.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "process.hpp"
#include "terminal_session.hpp"

namespace kit::test {

namespace {

std::string unix_seconds_from_now(double seconds) {
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", now + seconds);
  return text;
}

class ShardFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kit-shards-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::string path(const std::string& name) const { return folder_ + "/" + name; }

  // Runs client_async with `args` as shards 0 to count - 1, all at once,
  // each writing its result to r<K>.txt.
  ProgramResult run_shards(int count, const std::vector<std::string>& args) {
    const std::string script = "for k in $(seq 0 " + std::to_string(count - 1) + "); do \"$@\" --shard $k/" +
                               std::to_string(count) + " --result " + folder_ + "/r$k.txt & done; wait";
    return run_program("client_async", args, 60, {"/bin/bash", "-c", script, "bash"});
  }
  std::vector<std::string> results(int count) const {
    std::vector<std::string> files;
    for (int k = 0; k < count; ++k) files.push_back(path("r" + std::to_string(k) + ".txt"));
    return files;
  }

 private:
  std::string folder_;
};

std::vector<std::string> merge_of(std::vector<std::string> files, std::vector<std::string> flags = {}) {
  files.insert(files.begin(), "--merge");
  files.insert(files.end(), flags.begin(), flags.end());
  return files;
}

}  // namespace

TEST_F(ShardFiles, ThreeShardsStartedTogetherMergeIntoTheWholeRun) {
  ServerProcess server({"--async", "--delay", "0.2", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult shards = run_shards(3, {server.url(), "-n", "31", "-q", "--start-at", unix_seconds_from_now(2)});
  ASSERT_EQ(shards.exit_code, 0) << shards.err;

  for (const char* program : {"client_async", "client_sync"}) {
    const ProgramResult merged = run_program(program, merge_of(results(3), {"--json", "-"}));
    EXPECT_EQ(merged.exit_code, 0) << merged.err;
    EXPECT_NE(merged.err.find("merged 3 of 3 shards: first sends within "), std::string::npos) << merged.err;
    EXPECT_NE(merged.err.find("31 requests, 31 ok, 0 failed in "), std::string::npos) << merged.err;
    const boost::json::value json = boost::json::parse(merged.out);
    EXPECT_EQ(json.at("summary").at("requests").as_int64(), 31) << merged.out;
    EXPECT_EQ(json.at("summary").at("status_counts").at("200").as_int64(), 31) << merged.out;
  }
}

TEST_F(ShardFiles, AMissingShardOrAFailedOneMakesTheMergeFail) {
  ServerProcess server({"--async", "--delay", "0.1", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  ASSERT_EQ(run_shards(3, {server.url(), "-n", "6", "-q"}).exit_code, 0);
  std::vector<std::string> two = results(3);
  two.erase(two.begin() + 1);
  const ProgramResult missing = run_program("client_async", merge_of(two));
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_NE(missing.err.find("shard 1/3 is missing: no input holds its result"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("4 requests, 4 ok, 0 failed"), std::string::npos) << missing.err;

  const std::string nobody = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";
  run_shards(2, {nobody, "-n", "4", "-q"});  // each shard exits 1; bash's wait says 0
  const ProgramResult failed = run_program("client_async", merge_of(results(2)));
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.err.find("shard 0/2 ended with exit status 1"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("4 requests, 0 ok, 4 failed"), std::string::npos) << failed.err;
}

TEST_F(ShardFiles, WhatCannotBeMergedIsRefusedWithOneLineAndNothingMerged) {
  ServerProcess server({"--async", "--delay", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  ASSERT_EQ(run_shards(2, {server.url(), "-n", "4", "-q"}).exit_code, 0);
  std::ifstream first(results(2)[0]);
  std::string line;
  std::getline(first, line);
  std::ofstream(path("truncated.txt")) << "\n" << line.substr(0, line.size() - 40) << "\n";
  std::ofstream(path("other.txt")) << "ns3: " << line << "\n";
  ASSERT_EQ(run_shards(2, {server.url(), "-n", "5", "-q"}).exit_code, 0);  // another plan in r0, r1

  const struct {
    std::vector<std::string> files;
    std::string says;
  } cases[] = {
      {{path("truncated.txt")}, "truncated.txt line 2: not JSON (truncated or corrupt); nothing merged"},
      {{path("other.txt"), results(2)[1]}, "r1.txt line 1: a result of another plan than "},
      {{results(2)[0], results(2)[0]}, "r0.txt line 1: shard 0/2 a second time (first in "},
      {{path("none.txt")}, "cannot read "},
  };
  for (const auto& c : cases) {
    const ProgramResult merged = run_program("client_async", merge_of(c.files));
    EXPECT_EQ(merged.exit_code, 2) << merged.err;
    EXPECT_NE(merged.err.find(c.says), std::string::npos) << merged.err;
    EXPECT_EQ(merged.err.find("requests,"), std::string::npos) << merged.err;
    EXPECT_EQ(std::count(merged.err.begin(), merged.err.end(), '\n'), 1) << merged.err;
  }
}

TEST(Shards, ATerminalSeesTheWaitForTheStartThenTheRun) {
  ServerProcess server({"--async", "--delay", "0.2", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult run =
      run_in_terminal("client_async", {server.url(), "-n", "3", "-q", "--start-at", unix_seconds_from_now(2)});
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("starting in 1."), std::string::npos) << run.out;
  const std::vector<std::string> screen = screen_of(run.out);
  ASSERT_FALSE(screen.empty()) << run.out;
  EXPECT_EQ(screen.front().rfind("3 requests, 3 ok, 0 failed in ", 0), 0u) << run.out;
  for (const std::string& line : screen) EXPECT_EQ(line.find("starting in"), std::string::npos) << line;
}

TEST(Shards, BadShardFlagsAreOneLineAndExit2BeforeAnythingIsSent) {
  const struct {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"--shard", "4/4"}, "--shard '4/4': K counts from 0 to N - 1"},
      {{"--shard", "1/0"}, "--shard '1/0': N is a number of shards from 1 to 10000"},
      {{"--shard", "x"}, "--shard 'x': expected K/N"},
      {{"--shard", "0/4", "-c", "3"}, "each shard needs at least one connection"},
      {{"--start-at", "soon"}, "--start-at 'soon': expected Unix seconds"},
      {{"--start-at", unix_seconds_from_now(-5)}, "s ago"},
      {{"--start-at", unix_seconds_from_now(90000)}, "more than a day away"},
      {{"--merge", "x.txt", "-n", "4"}, "--merge adds up results that name their plan: --requests has no place"},
      {{"--result", "-", "--json", "-"}, "cannot both write to stdout"},
  };
  const std::string nobody = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";
  for (const auto& c : cases) {
    std::vector<std::string> args = {nobody};
    if (c.args.front() == "--merge") args.clear();
    args.insert(args.end(), c.args.begin(), c.args.end());
    const ProgramResult result = run_program("client_async", args);
    EXPECT_EQ(result.exit_code, 2) << c.says << ": " << result.err;
    EXPECT_NE(result.err.find(c.says), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("refused"), std::string::npos) << "something was sent: " << result.err;
  }
  const ProgramResult sync = run_program("client_sync", {nobody, "--shard", "0/2"});
  EXPECT_EQ(sync.exit_code, 2) << sync.err;
}

}  // namespace kit::test
