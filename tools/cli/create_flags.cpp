// The create flags beyond the seed's name, image, size, location and key: what real
// providers need (networks, Linode's image extra and disk), a bootstrap (cloud-init, a
// post-deploy script), Docker's command, and any other field as JSON.
#include "cli.hpp"

#include "../strict_number.hpp"
#include "files.hpp"

#include <fstream>
#include <sstream>

namespace mistcli {

std::string read_text_file(const std::string& path, const char* flag) {
    std::string text = read_input_file(path, flag, 1024 * 1024);
    // An empty script would be "run" and report success; a NUL byte means a binary, which
    // the server refuses (400) for every machine of a batch.
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw usage_failure(std::string(flag) + ": " + path + " is empty");
    if (text.find('\0') != std::string::npos)
        throw usage_failure(std::string(flag) + ": " + path + " is not text (it holds NUL bytes): the server takes scripts and documents as text");
    return text;
}

void apply_create_flags(const arguments& args, mistasync::machine_spec& spec) {
    spec.networks = args.all(opt::network);
    spec.image_extra = args.get(opt::image_extra);
    if (args.has(opt::disk)) spec.disk = static_cast<long long>(args.count(opt::disk, 1, 1'000'000'000));
    if (auto f = args.get(opt::cloud_init); !f.empty()) spec.cloud_init = read_text_file(f, "--cloud-init");
    if (auto f = args.get(opt::script); !f.empty()) spec.script = read_text_file(f, "--script");
    spec.script_id = args.get(opt::script_id);
    spec.script_params = args.get(opt::script_params);
    if (!spec.script.empty() && !spec.script_id.empty()) throw usage_failure("give --script FILE or --script-id ID, not both");
    if (!spec.script_params.empty() && spec.script_id.empty()) throw usage_failure("--script-params goes with --script-id");
    spec.docker_command = args.get(opt::docker_command);
    spec.extra = args.get(opt::extra);
}

}  // namespace mistcli
