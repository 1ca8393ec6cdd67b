#pragma once
// --http2 and --connections: client_async's requests as streams on shared
// HTTP/2 connections. client_sync knows the flags only to say it has no HTTP/2.
#include <CLI/CLI.hpp>

#include "options.hpp"

namespace kit {

void add_http2_flags(CLI::App& app, ClientOptions& options);
// Throws CLI::ValidationError for flags that do not go together.
void check_http2_flags(const CLI::App& app, const ClientOptions& options);

}  // namespace kit
