#pragma once
// The flags of a run spread over many processes or machines: --shard,
// --start-at and --result make one shard's run; --merge adds the results up.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "options.hpp"

namespace kit {

struct DistributedFlags {
  std::optional<std::string> shard, start_at;
};

void add_distributed_flags(CLI::App& app, ClientOptions& options, DistributedFlags& flags);

// Reads --shard and --start-at, and refuses what cannot go together; throws
// CLI::ValidationError. `url_file` is --urls' or --targets' file.
void check_distributed_flags(const CLI::App& app, ClientOptions& options, const DistributedFlags& flags,
                             const std::string& url_file);

}  // namespace kit
