#include "load_chart.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include "latencies.hpp"
#include "svg_text.hpp"
#include "units.hpp"

namespace kit {

namespace {

// A slice of the run: the rate its schedule offered, and the latencies of
// the requests due in it.
struct Slice {
  double begin = 0, end = 0;
  double offered = 0;              // requests a second, by the schedule
  std::optional<double> p50, p99;  // of the successful ones, from the due time
};

// About ten requests a slice, between 4 and 40 slices over the stages: the
// tally's fine slices taken a few at a time.
std::vector<Slice> slices_of(const std::vector<Latencies>& fine, const std::vector<StageLine>& stages) {
  const double span = stages.back().end.count();
  std::size_t requests = 0;
  for (const Latencies& latencies : fine) requests += latencies.count();
  const int fine_count = static_cast<int>(fine.size());
  const int count = std::min(fine_count, static_cast<int>(std::clamp<std::size_t>(requests / 10, 4, 40)));
  std::vector<Slice> slices(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    const int first = k * fine_count / count, last = (k + 1) * fine_count / count;
    Slice& slice = slices[static_cast<std::size_t>(k)];
    slice.begin = span * first / fine_count;
    slice.end = span * last / fine_count;
    slice.offered = offered_rate_between(stages, Seconds(slice.begin), Seconds(slice.end));
    // One fine slice is read as it is; several are added up first.
    Latencies taken_together;
    if (last - first > 1) {
      for (int f = first; f < last; ++f) taken_together.add(fine[static_cast<std::size_t>(f)].counted());
    }
    const Latencies& latencies = last - first == 1 ? fine[static_cast<std::size_t>(first)] : taken_together;
    slice.p50 = latencies.percentile(50);
    slice.p99 = latencies.percentile(99);
  }
  return slices;
}

struct Axes {
  double left, top, width, height, most_rate, most_latency;
  double x(double rate) const { return left + rate / most_rate * width; }
  double y(double seconds) const { return top + height - seconds / most_latency * height; }
};

void write_axes(std::ostream& svg, const Axes& a) {
  const double rate_step = tick_step(a.most_rate, 8), latency_step = tick_step(a.most_latency, 5);
  for (int i = 0; i * rate_step <= a.most_rate * (1 + 1e-9); ++i) {
    const double x = a.x(i * rate_step);
    svg << "<line class=\"grid\" x1=\"" << x << "\" y1=\"" << a.top << "\" x2=\"" << x << "\" y2=\"" << a.top + a.height
        << "\"/><text x=\"" << x << "\" y=\"" << a.top + a.height + 16 << "\" text-anchor=\"middle\">"
        << format_number(i * rate_step, 1) << "</text>\n";
  }
  for (int i = 0; i * latency_step <= a.most_latency * (1 + 1e-9); ++i) {
    const double y = a.y(i * latency_step);
    svg << "<line class=\"grid\" x1=\"" << a.left << "\" y1=\"" << y << "\" x2=\"" << a.left + a.width << "\" y2=\""
        << y << "\"/><text x=\"" << a.left - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
        << escape_xml(format_duration(i * latency_step)) << "</text>\n";
  }
  svg << "<text x=\"" << a.left + a.width / 2 << "\" y=\"" << a.top + a.height + 36
      << "\" text-anchor=\"middle\">offered load: requests due a second by the schedule</text>\n";
}

// One percentile's points, joined in time order, each with its tooltip.
void write_series(std::ostream& svg, const std::vector<Slice>& slices, const Axes& a, double p, const char* css) {
  std::ostringstream points, dots;
  dots.setf(std::ios::fixed);
  dots.precision(2);
  points.setf(std::ios::fixed);
  points.precision(2);
  for (const Slice& slice : slices) {
    const auto seconds = p == 50 ? slice.p50 : slice.p99;
    if (!seconds) continue;
    const double x = a.x(slice.offered), y = a.y(*seconds);
    points << x << ',' << y << ' ';
    dots << "<circle class=\"" << css << "\" cx=\"" << x << "\" cy=\"" << y << "\" r=\"3\"><title>"
         << escape_xml(format_number(slice.begin, 2) + "-" + format_number(slice.end, 2) +
                       " s: " + format_fixed(slice.offered, 1) + " requests/s offered, p" + format_number(p, 0) + " " +
                       format_duration(*seconds))
         << "</title></circle>\n";
  }
  svg << "<polyline class=\"" << css << "\" fill=\"none\" points=\"" << points.str() << "\"/>\n" << dots.str();
}

// Little's law, a line per stage.
void write_littles_law(std::ostream& svg, const std::vector<StageLine>& stages, double left, double top) {
  svg << "<text x=\"" << left << "\" y=\"" << top
      << "\" font-weight=\"bold\">Little's law: requests in flight"
         " = achieved rate x average latency</text>\n";
  for (std::size_t k = 0; k < stages.size(); ++k) {
    const StageLine& s = stages[k];
    std::string line = "stage " + std::to_string(k + 1) + " (" + format_number(s.start_rate, 1) + " to " +
                       format_number(s.end_rate, 1) + " requests/s): " + format_fixed(s.in_flight, 1) +
                       " in flight measured";
    if (s.rate_x_latency) {
      line += ", " + format_fixed(s.achieved_rate, 1) + "/s x " + format_duration(*s.average) + " = " +
              format_fixed(*s.rate_x_latency, 1);
    }
    svg << "<text x=\"" << left << "\" y=\"" << top + 18 * (k + 1.0) << "\">" << escape_xml(line) << "</text>\n";
  }
}

}  // namespace

SvgPart load_chart_svg(const std::vector<Latencies>& load_slices, const std::vector<StageLine>& stages, double left,
                       double top, double width) {
  if (stages.empty() || load_slices.empty()) return {};
  const std::vector<Slice> slices = slices_of(load_slices, stages);
  double most_rate = 1, most_latency = 1e-3;
  for (const Slice& slice : slices) {
    most_rate = std::max(most_rate, slice.offered);
    if (slice.p99) most_latency = std::max(most_latency, *slice.p99);
  }
  const Axes axes{left, top + 30, width, 260, most_rate * 1.05, most_latency * 1.1};
  std::ostringstream svg;
  svg.setf(std::ios::fixed);
  svg.precision(2);
  svg << "<text x=\"" << left << "\" y=\"" << top + 12 << "\" font-size=\"14\" font-weight=\"bold\">"
      << "Latency against offered load</text><text x=\"" << left << "\" y=\"" << top + 26 << "\" fill=\"#555\">"
      << "a point per slice of the run, by the requests due in it: p50 in green, p99 in red; "
         "where they climb, the server no longer keeps up</text>\n";
  write_axes(svg, axes);
  write_series(svg, slices, axes, 50, "p50");
  write_series(svg, slices, axes, 99, "p99");
  const double law_top = axes.top + axes.height + 64;
  write_littles_law(svg, stages, left, law_top);
  return {svg.str(), law_top + 18 * static_cast<double>(stages.size()) + 12 - top};
}

}  // namespace kit
