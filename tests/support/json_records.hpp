#pragma once
// The "requests" of a client's --json output, for the end-to-end tests.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "process.hpp"
#include "text.hpp"

namespace kit::test {

inline boost::json::array requests_in(const std::string& json_text) {
  return boost::json::parse(json_text).at("requests").as_array();
}

// Whether every request started before any had ended: they waited at the
// same time. A run's length says less on a busy machine, where starting
// threads, processes or TLS sessions (more so under the sanitizers) takes its time.
inline void expect_all_waited_at_once(const std::string& json_text) {
  double last_start = 0, first_end = 1e9;
  for (const auto& r : requests_in(json_text)) {
    last_start = std::max(last_start, r.at("start").to_number<double>());
    first_end = std::min(first_end, r.at("end").to_number<double>());
  }
  EXPECT_LT(last_start, first_end) << "one request waited for another: " << json_text;
}

// Runs `program args... --json FILE`: what it printed, and the file's text.
inline std::pair<ProgramResult, std::string> run_with_records(const std::string& program,
                                                              std::vector<std::string> args) {
  const std::string path = ::testing::TempDir() + "/kit-records-" + std::to_string(::getpid()) + ".json";
  args.insert(args.end(), {"--json", path});
  ProgramResult result = run_program(program, args);
  std::string records = read_file(path);
  std::remove(path.c_str());
  return {std::move(result), std::move(records)};
}

}  // namespace kit::test
