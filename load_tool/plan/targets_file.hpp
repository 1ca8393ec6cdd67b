#pragma once
// --targets FILE, in vegeta's plain format: each target is a "METHOD URL"
// line, then its "Name: value" header lines and an optional "@path" body
// line, with a blank line between targets. Lines that start with # are
// comments. Request k takes target k mod their count, as URLs do.
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "http_target.hpp"
#include "request_shape.hpp"

namespace kit {

struct FileTarget {
  HttpTarget target;
  RequestShape shape;  // its method, headers and body
};

using ReadBody = std::function<std::shared_ptr<const std::string>(const std::string& path)>;

// Throws BadUrl naming `source` and the line of whatever is wrong.
std::vector<FileTarget> read_targets(std::istream& in, const std::string& source, const ReadBody& read_body);

}  // namespace kit
