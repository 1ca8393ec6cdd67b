#pragma once
// A request's body from the command line: -D FILE and -d @FILE (- or @- for
// stdin), read once, so that every request is sent from this one buffer.
#include <memory>
#include <string>

namespace kit {

// FILE's bytes, all of them (curl's --data-binary), up to 64 MiB; "-" reads
// stdin. Throws std::invalid_argument saying why it cannot.
std::shared_ptr<const std::string> body_from_file(const std::string& path);

// -d's body: the text itself, or with @FILE the file's text without its
// carriage returns and newlines, as curl's -d reads it. Throws as above.
std::shared_ptr<const std::string> body_from_data_flag(const std::string& data);

}  // namespace kit
