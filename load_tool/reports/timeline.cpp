#include "timeline.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>

#include "load_chart.hpp"
#include "svg_text.hpp"
#include "units.hpp"

namespace kit {

namespace {

std::map<int, std::vector<const RequestRecord*>> by_lane(const std::vector<RequestRecord>& records) {
  std::map<int, std::vector<const RequestRecord*>> lanes;
  for (const RequestRecord& r : records) lanes[r.lane].push_back(&r);
  return lanes;
}

// One character cell of the chart: a glyph and which part of a bar it shows.
struct Cell {
  std::string glyph = " ";
  enum Paint { none, ok, failed, setup, queued } paint = none;
};

const char* colour_of(Cell::Paint paint) {
  switch (paint) {
    case Cell::ok: return "\033[32m";      // green
    case Cell::failed: return "\033[31m";  // red
    case Cell::setup: return "\033[36m";   // cyan
    case Cell::queued: return "\033[33m";  // yellow
    case Cell::none: break;
  }
  return "\033[0m";
}

// The parts of a request's bar, in seconds since the start of the run: a new
// connection's set-up (connect, then TLS), then the wait in the server's
// queue when the server said (Server-Timing), then the rest (the app's time
// and the transfer). Each part ends within the bar.
struct BarParts {
  double start, setup_end, queue_end, end;
};

BarParts parts_of(const RequestRecord& r) {
  const double start = r.start.count(), end = std::max(start, r.end.count());
  const double setup_end = std::min(end, start + (r.connect + r.handshake).count());
  const double queue_end = std::min(end, setup_end + (r.server_queue ? r.server_queue->count() : 0.0));
  return {start, setup_end, queue_end, end};
}

std::string paint_row(const std::vector<Cell>& cells, bool colour) {
  std::string row;
  Cell::Paint current = Cell::none;
  for (const Cell& cell : cells) {
    if (colour && cell.paint != current) {
      row += colour_of(cell.paint);
      current = cell.paint;
    }
    row += cell.glyph;
  }
  if (colour && current != Cell::none) row += "\033[0m";
  return row;
}

// "3 requests", or "3 requests (5 tries)" when --retry asked some again.
std::string requests_and_tries(const std::vector<RequestRecord>& records) {
  const auto requests =
      std::count_if(records.begin(), records.end(), [](const RequestRecord& r) { return !r.retried; });
  std::string text = std::to_string(requests) + (requests == 1 ? " request" : " requests");
  if (static_cast<std::size_t>(requests) != records.size()) text += " (" + std::to_string(records.size()) + " tries)";
  return text;
}

// What a bar stands for: each try gets its own when there were retries.
const char* one_bar_per(const std::vector<RequestRecord>& records) {
  const bool retries = std::any_of(records.begin(), records.end(), [](const RequestRecord& r) { return r.retried; });
  return retries ? "one bar per try" : "one bar per request";
}

}  // namespace

namespace {

// The terminal's glyphs for each part of a bar, and which of them were used.
struct Glyphs {
  explicit Glyphs(bool utf8)
      : ok(utf8 ? "\u2588" : "="),
        failed(utf8 ? "\u2591" : "x"),
        setup(utf8 ? "\u2593" : "-"),
        queued(utf8 ? "\u2592" : "~"),
        border(utf8 ? "\u2502" : "|") {}
  std::string ok, failed, setup, queued, border;
  bool any_setup = false, any_queued = false;
};

// Paints one request's bar into its lane's cells; a cell shows the part
// that covers most of it, and the request's number is written over a bar
// wide enough for it.
void paint_bar(std::vector<Cell>& cells, const RequestRecord& r, double span, Glyphs& glyphs) {
  const int width = static_cast<int>(cells.size());
  const int first = std::clamp(static_cast<int>(r.start.count() / span * width), 0, width - 1);
  const int last = std::clamp(static_cast<int>(std::ceil(r.end.count() / span * width)) - 1, first, width - 1);
  const auto paint = r.ok() ? Cell::ok : Cell::failed;
  const BarParts parts = parts_of(r);
  auto cell_of = [&](double seconds) { return static_cast<int>(std::lround(seconds / span * width)); };
  const int setup_cells = cell_of(parts.setup_end) - cell_of(parts.start);
  const int queued_cells = cell_of(parts.queue_end) - cell_of(parts.setup_end);
  for (int i = first; i <= last; ++i) {
    const int k = i - first;
    if (k < setup_cells) {
      cells[i] = {glyphs.setup, Cell::setup};
    } else if (k < setup_cells + queued_cells) {
      cells[i] = {glyphs.queued, Cell::queued};
    } else {
      cells[i] = {r.ok() ? glyphs.ok : glyphs.failed, paint};
    }
  }
  const std::string label = std::to_string(r.number);
  if (last - first + 1 >= static_cast<int>(label.size()) + 1) {
    for (std::size_t k = 0; k < label.size(); ++k) cells[first + k].glyph = std::string(1, label[k]);
  }
  // The legend names a shade only if a cell still shows it, the label written over the bar's start.
  for (int i = first; i <= last; ++i) {
    glyphs.any_setup = glyphs.any_setup || cells[i].glyph == glyphs.setup;
    glyphs.any_queued = glyphs.any_queued || cells[i].glyph == glyphs.queued;
  }
}

// The time axis under the lanes, then the legend.
void write_axis_and_legend(std::ostream& out, const std::vector<RequestRecord>& records, Seconds total, bool utf8,
                           int label_width, int width, const Glyphs& glyphs) {
  const std::string start_mark = "0 s";
  const std::string end_mark = format_duration(total.count(), !utf8);
  std::string axis(static_cast<std::size_t>(width + 2), ' ');
  axis.replace(1, start_mark.size(), start_mark);
  if (end_mark.size() + start_mark.size() + 2 <= axis.size()) {
    axis.replace(axis.size() - 1 - end_mark.size(), end_mark.size(), end_mark);
  }
  out << std::string(static_cast<std::size_t>(label_width), ' ') << axis << '\n';
  out << glyphs.ok << " ok  " << glyphs.failed << " failed  ";
  if (glyphs.any_setup) out << glyphs.setup << " connect/TLS  ";
  if (glyphs.any_queued) out << glyphs.queued << " queued in the server  ";
  out << one_bar_per(records) << '\n';
}

}  // namespace

std::string timeline_text(const std::vector<RequestRecord>& records, Seconds total, const TerminalStyle& style,
                          int max_lanes) {
  const auto lanes = by_lane(records);
  const double span = std::max(total.count(), 1e-9);
  const int label_width = 9;  // "lane 123 "
  const int width = std::max(20, style.columns - label_width - 2);
  Glyphs glyphs(style.utf8);

  std::ostringstream out;
  out << "\nTimeline: " << requests_and_tries(records) << " on " << lanes.size()
      << (lanes.size() == 1 ? " lane" : " lanes") << ", " << format_duration(total.count(), !style.utf8) << "\n";
  int shown = 0;
  for (const auto& [lane, lane_records] : lanes) {
    if (shown++ == max_lanes) break;
    std::vector<Cell> cells(static_cast<std::size_t>(width));
    for (const RequestRecord* r : lane_records) paint_bar(cells, *r, span, glyphs);
    std::string name = "lane " + std::to_string(lane);
    name.resize(static_cast<std::size_t>(label_width - 1), ' ');
    out << name << ' ' << glyphs.border << paint_row(cells, style.colour) << glyphs.border << '\n';
  }
  if (static_cast<int>(lanes.size()) > max_lanes) {
    out << "... " << lanes.size() - max_lanes << " more lanes: see --svg\n";
  }
  write_axis_and_legend(out, records, total, style.utf8, label_width, width, glyphs);
  return out.str();
}

namespace {

// What hovering over a request's bar says.
std::string bar_tooltip(const RequestRecord& r, const std::vector<std::string>& methods) {
  std::string outcome = r.ok() ? "HTTP " + std::to_string(r.status) : r.error;
  outcome += ", " + format_duration((r.end - r.start).count());
  if (r.retried) outcome += ", tried again";
  if (r.late() > Seconds(0)) outcome += "; went out " + format_duration(r.late().count()) + " after its due time";
  if (!r.retried && r.began() != r.start) outcome += "; the whole request " + format_duration(r.duration().count());
  if (r.connect.count() > 0) outcome += "; connect " + format_duration(r.connect.count());
  if (r.handshake.count() > 0) outcome += ", TLS handshake " + format_duration(r.handshake.count());
  if (r.server_queue) outcome += "; queued in the server " + format_duration(r.server_queue->count());
  if (r.server_app) outcome += "; app " + format_duration(r.server_app->count());
  if (r.http2) outcome += "; an HTTP/2 stream of connection " + std::to_string(r.connection);
  std::string which =
      "request " + std::to_string(r.number) + (r.attempt > 1 || r.retried ? ", try " + std::to_string(r.attempt) : "");
  if (static_cast<std::size_t>(r.url) < methods.size()) which += " (" + methods[static_cast<std::size_t>(r.url)] + ")";
  return which + ": " + outcome;
}

// A grid line of the time axis, with its label below the plot.
void write_svg_tick(std::ostream& svg, double x, double top, double plot_height, const std::string& label) {
  svg << "<line class=\"grid\" x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << top + plot_height
      << "\"/>\n"
      << "<text x=\"" << x << "\" y=\"" << top + plot_height + 16 << "\" text-anchor=\"middle\">" << label
      << "</text>\n";
}

// One request's bar: its tooltip, the bar, its set-up and queue drawn over
// it, and its number when the bar is wide enough.
template <class XOf>
void write_svg_bar(std::ostream& svg, const RequestRecord& r, double y, double lane_height, const XOf& x_of,
                   const std::vector<std::string>& methods) {
  const double x = x_of(r.start.count());
  const double w = std::max(1.0, x_of(r.end.count()) - x);
  svg << "<g><title>" << escape_xml(bar_tooltip(r, methods)) << "</title><rect class=\"bar "
      << (r.ok() ? "ok" : "failed") << "\" x=\"" << x << "\" y=\"" << y + 2 << "\" width=\"" << w << "\" height=\""
      << lane_height - 4 << "\"/>";
  // The bar's first parts drawn over it: set-up, then the server's queue.
  const BarParts parts = parts_of(r);
  for (const auto& [css, from, to] :
       {std::tuple{"setup", parts.start, parts.setup_end}, std::tuple{"queued", parts.setup_end, parts.queue_end}}) {
    if (to <= from) continue;
    svg << "<rect class=\"" << css << "\" x=\"" << x_of(from) << "\" y=\"" << y + 2 << "\" width=\""
        << std::max(1.0, x_of(to) - x_of(from)) << "\" height=\"" << lane_height - 4 << "\"/>";
  }
  if (lane_height >= 14 && w >= 8.0 * std::to_string(r.number).size() + 6) {
    svg << "<text class=\"label\" x=\"" << x + 4 << "\" y=\"" << y + lane_height * 0.7 << "\">" << r.number
        << "</text>";
  }
  svg << "</g>\n";
}

}  // namespace

namespace {

// The SVG element and its style: the same shades as the dashboard's.
void write_svg_head(std::ostream& svg, double width, double height) {
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<style>.bar{stroke:#fff;stroke-width:1}.ok{fill:#3b8e3b}.failed{fill:#c83737}.lane{fill:#555}"
         ".grid{stroke:#ddd}.label{fill:#fff;font-size:11px}.setup{fill:#7fb8d8}.queued{fill:#e8b84a}"
         "polyline.p50{stroke:#3b8e3b;stroke-width:2}polyline.p99{stroke:#c83737;stroke-width:2}"
         "circle.p50{fill:#3b8e3b}circle.p99{fill:#c83737}</style>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
}

}  // namespace

namespace {

// No records to draw a bar for (--merge adds counts up): the chart of
// latency against offered load alone.
std::string load_chart_document(Seconds total, const std::string& title, const SvgContext& context) {
  const double left = 70, top = 56, width = 900;
  const SvgPart chart = load_chart_svg(context.load_slices, context.stages, left, top, width);
  std::ostringstream svg;
  svg.setf(std::ios::fixed);
  svg.precision(2);
  write_svg_head(svg, left + width + 20, top + chart.height + 16);
  svg << "<text x=\"" << left << "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" << escape_xml(title)
      << "</text>\n<text x=\"" << left << "\" y=\"40\" fill=\"#555\">" << escape_xml(format_duration(total.count()))
      << " of shards' results added up: counts, no bar per request"
      << "</text>\n"
      << chart.elements << "</svg>\n";
  return svg.str();
}

}  // namespace

std::string timeline_svg(const std::vector<RequestRecord>& records, Seconds total, const std::string& title,
                         const SvgContext& context) {
  if (records.empty() && !context.stages.empty()) return load_chart_document(total, title, context);
  const auto lanes = by_lane(records);
  const double span = std::max(total.count(), 1e-9);
  const int lane_count = static_cast<int>(lanes.size());
  const double lane_height = lane_count <= 50 ? 22 : lane_count <= 400 ? 8 : 3;
  const double left = 70, right = 20, top = 56, plot_width = 900;
  const double plot_height = lane_height * std::max(lane_count, 1);
  const double width = left + plot_width + right;
  const SvgPart load_chart =
      load_chart_svg(context.load_slices, context.stages, left, top + plot_height + 60, plot_width);
  const double height = top + plot_height + 44 + (load_chart.height > 0 ? load_chart.height + 16 : 0);
  auto x_of = [&](double seconds) { return left + seconds / span * plot_width; };

  std::ostringstream svg;
  svg.setf(std::ios::fixed);
  svg.precision(2);
  write_svg_head(svg, width, height);
  svg << "<text x=\"" << left << "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" << escape_xml(title)
      << "</text>\n"
      << "<text x=\"" << left << "\" y=\"40\" fill=\"#555\">" << requests_and_tries(records) << " on " << lane_count
      << " lanes in " << escape_xml(format_duration(span)) << "; " << one_bar_per(records)
      << ": blue is connect and TLS set-up, amber the wait in the server's queue"
         " (Server-Timing), green the rest; hover for details</text>\n";

  const double step = tick_step(span, 10);
  for (int i = 0; i * step <= span * (1 + 1e-9); ++i) {
    write_svg_tick(svg, x_of(i * step), top, plot_height, format_number(i * step, 3));
  }
  svg << "<text x=\"" << left + plot_width / 2 << "\" y=\"" << top + plot_height + 36
      << "\" text-anchor=\"middle\">seconds since the start of the run</text>\n";

  int row = 0;
  for (const auto& [lane, lane_records] : lanes) {
    const double y = top + row++ * lane_height;
    if (lane_height >= 14) {
      svg << "<text class=\"lane\" x=\"" << left - 8 << "\" y=\"" << y + lane_height * 0.7
          << "\" text-anchor=\"end\">lane " << lane << "</text>\n";
    }
    for (const RequestRecord* r : lane_records) write_svg_bar(svg, *r, y, lane_height, x_of, context.methods);
  }
  svg << load_chart.elements << "</svg>\n";
  return svg.str();
}

}  // namespace kit
