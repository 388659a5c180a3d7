// What `mistasync provision` asks for, read from its command line and its spec file
// before any request: the batch's machines and options, and what the server must supply
// (the backend, the key, a stored script, by name or id). Unit-tested without a server
// (test_cli_provision_request).
#pragma once

#include "cli.hpp"

#include <string>
#include <vector>

namespace mistcli {

struct provision_request {
    /// The batch's machines: names, and what a spec file sets per machine. Image, size,
    /// location and key left empty take the batch's (`base`, then the server's defaults).
    std::vector<mistasync::machine_spec> specs;
    mistasync::machine_spec base;           ///< the batch's own fields (empty: the server's default)
    mistasync::provision_options options;   ///< everything but the callbacks
    std::string backend;                    ///< by name or id; empty: the first enabled backend
    std::string key;                        ///< by name or id; empty: the account's default key
    std::string run_script;                 ///< --run-script: a stored script, by name or id
    std::string inventory;                  ///< --inventory FILE
    std::string events;                     ///< --events FILE, or - for stdout
    bool dry_run = false;                   ///< --dry-run: the plan, nothing created
    /// The batch has a script stage (progress shows it).
    bool has_scripts() const;
};

/// The request of a command line, with the spec file's settings where the command line
/// has none (`file`: read from `spec_path`, or nullptr). Reads only the files the flags
/// name (--script, --cloud-init). Throws usage_failure saying what is wrong.
provision_request read_provision_request(const arguments& command_line, const batch_spec_file* file,
                                         const std::string& spec_path = {});

}  // namespace mistcli
