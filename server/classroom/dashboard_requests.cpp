// The dashboard's answers to everything but its event stream: the pages,
// the student page's settings and QR code, run reports; and the checks that
// a request is meant for this dashboard (DNS rebinding).
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include "dashboard.hpp"
#include "dashboard_assets.hpp"
#include "plain_response.hpp"
#include "safe_text.hpp"

namespace kit {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

// DNS rebinding: a page on some web site whose name an attacker points at
// this machine can reach the dashboard from a student's browser, and its
// requests carry that name. Answer only to an address, to localhost, to
// this machine's own name or one --allow-host names, and to pages from the same place.
bool Dashboard::addressed_to_us(const Request& request) const {
  const auto host = boost::urls::parse_authority(request[http::field::host]);
  if (!host || host->has_userinfo()) return false;
  if (host->host_type() != boost::urls::host_type::name) return check_origin(request, *host);
  const std::string name = ascii_lowercase(host->host());
  const bool ours = name == "localhost" || name.ends_with(".localhost") || name == machine_name_ ||
                    name == machine_name_ + ".local" || allowed_name(name);
  return ours && check_origin(request, *host);
}

bool Dashboard::allowed_name(const std::string& name) const {
  return std::any_of(settings_.allowed_hosts.begin(), settings_.allowed_hosts.end(), [&](const std::string& allowed) {
    if (allowed.starts_with('.')) return name == allowed.substr(1) || name.ends_with(allowed);
    return name == allowed;
  });
}

bool Dashboard::check_origin(const Request& request, const boost::urls::authority_view& host) const {
  const auto origin_field = request.find(http::field::origin);
  if (origin_field == request.end()) return true;  // not sent by a page on another site
  const auto origin = boost::urls::parse_absolute_uri(origin_field->value());
  return origin && std::string_view(origin->encoded_host_and_port()) == std::string_view(host.encoded_host_and_port());
}

// Every request but the event stream: the pages, the student page's
// settings and QR code, and run reports.
std::string Dashboard::respond_to(const Request& request, const asio::ip::address& peer) {
  const bool head = request.method() == http::verb::head;
  const auto url = boost::urls::parse_origin_form(request.target());  // /class?name=Ada is /class
  const std::string target = url ? std::string(url->encoded_path()) : std::string();
  const bool report = request.method() == http::verb::post && target == "/class/report";
  if (request.method() != http::verb::get && !head && !report) {
    return plain_response(http::status::method_not_allowed, "text/plain; charset=utf-8", "GET, or POST /class/report\n",
                          false);
  }
  if (!addressed_to_us(request)) {
    return plain_response(http::status::forbidden, "text/plain; charset=utf-8",
                          "this dashboard answers to its own addresses only: to reach it by another name, start "
                          "the server with --allow-host NAME\n",
                          head);
  }
  if (report) return take_report(request, peer);
  if (target == "/class/server") return plain_response(http::status::ok, "application/json", class_server_json(), head);
  if (target == "/class/qr.svg" && !qr_code_svg_.empty()) {
    return plain_response(http::status::ok, "image/svg+xml", qr_code_svg_, head);
  }
  if (const DashboardAsset* asset = dashboard_asset(target)) {
    return plain_response(http::status::ok, asset->content_type, asset->content, head);
  }
  return plain_response(http::status::not_found, "text/plain; charset=utf-8", "not found\n", head);
}

std::string Dashboard::take_report(const Request& request, const asio::ip::address& peer) {
  const ClassReports::Taken taken = class_reports_.take(request.body(), peer, std::chrono::steady_clock::now());
  if (taken.status == 200) class_changed_ = true;
  return plain_response(static_cast<http::status>(taken.status), "text/plain; charset=utf-8",
                        taken.status == 200 ? "kept\n" : taken.problem + "\n", false);
}

// Where the student page finds the slow server: its port on the page's own host.
std::string Dashboard::class_server_json() const {
  return json::serialize(json::object{{"port", class_details_.server_port},
                                      {"tls", class_details_.tls},
                                      {"delay", class_details_.delay},
                                      {"page", class_details_.page_url},
                                      {"reachable", class_details_.reachable}});
}

}  // namespace kit
