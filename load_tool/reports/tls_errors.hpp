#pragma once
// TLS failures in words: what OpenSSL's verification result means for a user.
#include <string>

namespace kit {

// "certificate not trusted (self-signed certificate): use --cacert FILE, or --insecure"
std::string describe_certificate_problem(long verify_result);

}  // namespace kit
