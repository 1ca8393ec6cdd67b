#pragma once
// A progress line on stderr for runs longer than a second: done/total, ok,
// failed, elapsed. Only when stderr is a terminal; erased at the end.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "record.hpp"

namespace kit {

class ProgressLine {
 public:
  // total 0: unknown (a -z run); silent unless stderr is a tty and `shown`
  ProgressLine(int total, const RunClock& clock, bool shown = true);
  ~ProgressLine() { stop(); }
  // Stops drawing and erases the line: call it before the report is written.
  void stop();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void count(const RequestRecord& finished);  // safe from any thread

 private:
  void draw_until_stopped();

  const int total_;
  const RunClock& clock_;
  std::atomic<int> ok_{0};
  std::atomic<int> failed_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  // A thread of its own, so the line moves even while a blocking client waits.
  std::thread painter_;
};

}  // namespace kit
