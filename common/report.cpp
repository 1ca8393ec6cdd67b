#include "report.hpp"

#include <algorithm>
#include <ostream>

#include "units.hpp"

namespace kit {

std::string failure_line(const RequestRecord& record) {
  return "request " + std::to_string(record.number) + ": " + record.error;
}

std::string recap_line(const std::vector<RequestRecord>& records, Seconds elapsed) {
  const auto ok = std::count_if(records.begin(), records.end(),
                                [](const RequestRecord& r) { return r.ok(); });
  const auto failed = static_cast<long>(records.size()) - ok;
  return std::to_string(records.size()) + (records.size() == 1 ? " request, " : " requests, ") +
         std::to_string(ok) + " ok, " + std::to_string(failed) + " failed in " +
         format_fixed(elapsed.count(), 3) + " s";
}

int exit_code_for(const std::vector<RequestRecord>& records) {
  return std::all_of(records.begin(), records.end(), [](const RequestRecord& r) { return r.ok(); })
             ? 0
             : 1;
}

int report_run(const std::vector<RequestRecord>& records, Seconds elapsed,
               const ClientOptions& options, std::ostream& out, std::ostream& err) {
  for (const RequestRecord& record : records) {
    if (!record.ok()) {
      err << failure_line(record) << '\n';
    } else if (!options.quiet) {
      out << record.body << '\n';
    }
  }
  out.flush();
  err << recap_line(records, elapsed) << std::endl;
  return exit_code_for(records);
}

}  // namespace kit
