// The verbs and their options (verbs.hpp). Aliases are the Python `mist` command's
// spellings, 2015 and 2022, so that scripts written for it keep working.
#include "verbs.hpp"

#include "commands.hpp"

#include <sstream>

namespace mistcli {

namespace {

// Options shared by several verbs.
const option_spec backend_option{"--backend,--backend-id,--backend-name,--cloud,--cloud-id,--cloud-name", "BACKEND",
                                 "the backend, by name or id"};
const option_spec machine_option{"--machine,--machine-id,--machine-name", "MACHINE",
                                 "the machine, by name or id (instead of the MACHINE argument)", false, true};
const option_spec key_option{"--key,--key-id", "KEY", "the SSH key, by name or id"};
const option_spec wait_option{"--wait", nullptr, "wait until done (see --deadline)"};
const option_spec deadline_option{"--deadline", "SECONDS", "how long --wait waits (600 by default)"};
const option_spec new_name_option{"--new-name", "NAME", "the new name"};

// The fields of a create beyond name, image, size, location and key (create_flags.cpp).
const std::vector<option_spec> create_fields = {
    {"--network,--network-id", "ID", "a network to attach (repeatable)", true},
    {"--image-extra", "TEXT", "the image's provider-specific extra"},
    {"--disk", "GB", "disk size"},
    {"--cloud-init", "FILE", "a cloud-init document"},
    {"--script", "FILE", "a post-deploy script, run once the machine answers SSH"},
    {"--script-id", "SCRIPT", "a stored script to run after deployment"},
    {"--script-params", "PARAMS", "its parameters"},
    {"--docker-command", "COMMAND", "the container's command (Docker backends)"},
    {"--extra", "JSON", "more create fields, as a JSON object"},
};

std::vector<option_spec> with(std::vector<option_spec> first, const std::vector<option_spec>& more) {
    first.insert(first.end(), more.begin(), more.end());
    return first;
}

std::vector<verb_spec> make_verbs() {
    return {
        {"list-providers", list_providers_command, {}, "the providers the server supports", nullptr, {}, "mistasync list-providers"},
        {"list-orgs", list_orgs_command, {"list-organizations"}, "the organizations the user belongs to (v1)", nullptr, {}, "mistasync list-orgs"},
        {"list-backends", list_backends_command, {"list-clouds"}, "the account's backends (clouds)", nullptr, {}, "mistasync list-backends --output csv"},
        {"describe-backend", describe_backend_command, {"describe-cloud"}, "one backend, in full", "BACKEND",
         {{"--id,--name", "BACKEND", "the backend (instead of the BACKEND argument)", false, true}},
         "mistasync describe-backend EC2"},
        {"add-backend", add_backend_command, {"add-cloud"}, "adds a backend", nullptr,
         with({{"--title,--name", "TITLE", "its name"},
               {"--provider", "PROVIDER", "the provider (mistasync list-providers)"},
               {"--field", "KEY=VALUE", "a provider field, e.g. api_key=... (repeatable)", true}},
              provider_flag_options()),
         "mistasync add-backend --title Docker --provider docker --field docker_host=10.0.0.2"},
        {"rename-backend", rename_backend_command, {"rename-cloud"}, "renames a backend", "BACKEND",
         {{"--id", "BACKEND", "the backend (instead of the BACKEND argument)", false, true}, new_name_option},
         "mistasync rename-backend EC2 --new-name ec2-eu"},
        {"delete-backend", delete_backend_command, {"delete-cloud"}, "removes a backend from the account (its machines stay at the provider)", "BACKEND",
         {{"--id", "BACKEND", "the backend (instead of the BACKEND argument)", false, true}},
         "mistasync delete-backend ec2-eu"},
        {"list-images", list_images_command, {}, "a backend's images", nullptr,
         {backend_option,
          {"--search", "TEXT", "images matching TEXT, searched by the server ('all': every image, as without --search)"},
          {"--starred", nullptr, "starred images only (what the Python client shows unless --search all)"}},
         "mistasync list-images --backend EC2 --search ubuntu"},
        {"list-sizes", list_sizes_command, {}, "a backend's sizes", nullptr, {backend_option}, "mistasync list-sizes --backend EC2"},
        {"list-locations", list_locations_command, {}, "a backend's locations", nullptr, {backend_option}, "mistasync list-locations --backend EC2"},
        {"list-networks", list_networks_command, {}, "a backend's networks", nullptr, {backend_option}, "mistasync list-networks --backend EC2"},
        {"create-network", create_network_command, {}, "creates a network (v1), with a first subnet when --subnet-cidr is given", nullptr,
         {backend_option,
          {"--name", "NAME", "its name"},
          {"--cidr", "CIDR", "its address range (required on EC2 and Azure, refused on GCE)"},
          {"--description", "TEXT", "a description"},
          {"--subnet-cidr", "CIDR", "a first subnet's range"},
          {"--subnet-name", "NAME", "the first subnet's name"},
          {"--availability-zone", "ZONE", "the first subnet's zone (required on EC2)"}},
         "mistasync create-network --backend EC2 --name lab --cidr 10.1.0.0/16"},
        {"delete-network", delete_network_command, {}, "deletes a network and its subnets (v1)", "NETWORK",
         {backend_option, {"--network,--network-id", "NETWORK", "the network (instead of the NETWORK argument)", false, true}},
         "mistasync delete-network lab --backend EC2"},
        {"list-subnets", list_subnets_command, {}, "a network's subnets (v1)", "NETWORK",
         {backend_option, {"--network,--network-id", "NETWORK", "the network (instead of the NETWORK argument)", false, true}},
         "mistasync list-subnets lab --backend EC2"},
        {"create-subnet", create_subnet_command, {}, "creates a subnet in a network (v1)", "NETWORK",
         {backend_option,
          {"--network,--network-id", "NETWORK", "the network (instead of the NETWORK argument)", false, true},
          {"--cidr", "CIDR", "its address range"},
          {"--name", "NAME", "its name"},
          {"--availability-zone", "ZONE", "its zone (required on EC2)"}},
         "mistasync create-subnet lab --backend EC2 --cidr 10.1.1.0/24 --availability-zone ap-northeast-1a"},
        {"delete-subnet", delete_subnet_command, {}, "deletes a subnet (v1)", "SUBNET",
         {backend_option,
          {"--network,--network-id", "NETWORK", "the network it is in"},
          {"--subnet,--subnet-id", "SUBNET", "the subnet, by id, name or range (instead of the SUBNET argument)", false, true}},
         "mistasync delete-subnet 10.1.1.0/24 --backend EC2 --network lab"},
        {"list-keys", list_keys_command, {}, "the account's SSH keys", nullptr, {}, "mistasync list-keys"},
        {"describe-key", describe_key_command, {}, "one key: its public key and the machines it is on", "KEY",
         {{"--id", "KEY", "the key (instead of the KEY argument)", false, true},
          {"--private", nullptr, "print the private key too"}},
         "mistasync describe-key deploy"},
        {"add-key", add_key_command, {}, "adds an SSH key (generated by the server unless --file is given)", nullptr,
         {{"--name", "NAME", "its name"},
          {"--file,--key-path", "PEM", "the private key file"},
          {"--generate,--auto-generate", nullptr, "let the server make the key (the default)"}},
         "mistasync add-key --name deploy --file ~/.ssh/deploy.pem"},
        {"rename-key", rename_key_command, {}, "renames a key", "KEY",
         {{"--id", "KEY", "the key (instead of the KEY argument)", false, true}, new_name_option},
         "mistasync rename-key deploy --new-name deploy-old"},
        {"delete-key", delete_key_command, {}, "deletes a key", "KEY", {{"--id", "KEY", "the key (instead of the KEY argument)", false, true}},
         "mistasync delete-key deploy-old"},
        {"create-machine", create_machine_command, {}, "creates one machine (or, with --async, several in a job)", nullptr,
         with({backend_option,
               {"--name,--machine-name", "NAME", "the machine's name"},
               {"--image,--image-id", "IMAGE", "the image id"},
               {"--size,--size-id", "SIZE", "the size id"},
               {"--location,--location-id", "LOCATION", "the location id"},
               key_option, wait_option, deadline_option,
               {"--async", nullptr, "let the server create in the background; prints the job id"},
               {"--quantity", "N", "how many (with --async)"}},
              create_fields),
         "mistasync create-machine --backend EC2 --name web-1 --image ami-123 --size t3.micro --key deploy --wait"},
        {"list-machines", list_machines_command, {}, "machines, of one backend or all", nullptr,
         {backend_option, {"--tag", "KEY[=VALUE]", "machines carrying this tag only (v1 servers)"}},
         "mistasync list-machines --backend EC2 --tag team=web"},
        {"describe-machine", describe_machine_command, {}, "one machine, in full", "MACHINE", {machine_option, backend_option},
         "mistasync describe-machine web-1"},
        {"reboot", machine_action_command, {}, "reboots a machine", "MACHINE", {machine_option, backend_option}, "mistasync reboot web-1"},
        {"start", machine_action_command, {}, "starts a stopped machine", "MACHINE", {machine_option, backend_option}, "mistasync start web-1"},
        {"stop", machine_action_command, {}, "stops a machine", "MACHINE", {machine_option, backend_option}, "mistasync stop web-1"},
        {"destroy", machine_action_command, {}, "destroys a machine", "MACHINE", {machine_option, backend_option}, "mistasync destroy web-1"},
        {"probe", probe_command, {}, "whether a machine answers SSH (exit 3 when it does not yet)", "MACHINE",
         {machine_option, backend_option, wait_option, deadline_option}, "mistasync probe web-1 --wait --deadline 300"},
        {"associate-key", key_on_machine_command, {}, "puts a key on a machine", "MACHINE",
         {machine_option, key_option, backend_option, {"--host", "HOST", "the address to reach it at"},
          {"--user", "USER", "the SSH user"}},
         "mistasync associate-key web-1 --key deploy"},
        {"disassociate-key", key_on_machine_command, {}, "takes a key off a machine", "MACHINE",
         {machine_option, key_option, backend_option, {"--host", "HOST", "the address it is reached at"},
          {"--user", "USER", "the SSH user"}},
         "mistasync disassociate-key web-1 --key deploy"},
        {"tag", tag_command, {}, "sets tags on a machine", "MACHINE",
         {machine_option, backend_option, {"--tag,--new-tag", "KEY[=VALUE]", "a tag (repeatable)", true}},
         "mistasync tag web-1 --tag team=web --tag env=prod"},
        {"add-tag", add_tag_command, {}, "sets one tag on a machine (the Python client's spelling of tag)", "MACHINE",
         {machine_option, backend_option, {"--key", "KEY", "the tag's key"}, {"--value", "VALUE", "its value"}},
         "mistasync add-tag web-1 --key team --value web"},
        {"remove-tag", remove_tag_command, {}, "removes a tag from a machine", "MACHINE",
         {machine_option, backend_option, {"--key", "KEY", "the tag's key"}, {"--value", "VALUE", "(accepted, not needed)"}},
         "mistasync remove-tag web-1 --key team"},
        {"job", job_command, {}, "a job of the server (an asynchronous create, a script run)", "JOB_ID", {wait_option, deadline_option},
         "mistasync job 0f3c... --wait", "the job's id"},
        {"provision", provision_command, {}, "creates machines in bulk and waits until each answers SSH", nullptr,
         with({backend_option,
               {"--image,--image-id", "IMAGE", "the image id"},
               {"--size,--size-id", "SIZE", "the size id"},
               {"--location,--location-id", "LOCATION", "the location id"},
               key_option,
               {"--name", "PREFIX", "machines are named PREFIX-1 ... PREFIX-N"},
               {"--count", "N", "how many (10 by default)"},
               {"--concurrency", "C", "creates in flight (50 by default)"},
               {"--probe-deadline", "SECONDS", "how long each machine may take to answer SSH (600)"},
               {"--journal", "FILE", "record every step; run again with the same file to resume"},
               {"--rollback", nullptr, "destroy what was made if the batch fails or is interrupted"},
               {"--allow-existing-names", nullptr, "go on although machines of these names exist"},
               {"--reconcile-window", "SECONDS", "how long an unknown create may take to show up (60)"},
               {"--run-script", "SCRIPT_ID", "a stored script to run on each machine once it answers"},
               {"--keep-failed-scripts", nullptr, "a failed script does not fail its machine"},
               {"--events", "FILE|-", "a JSON line per change of a machine"},
               {"--inventory", "FILE", "the delivered machines, as .json, .csv or an Ansible .ini"},
               {"--max-failures", "N|P%", "stop early once N machines, or P % of them, failed"},
               {"--max-attempts", "N", "creates per name (3 by default)"},
               {"--tag", "KEY=VALUE", "a tag on every machine (v1 servers; repeatable)", true},
               {"--batch-id", "ID", "the batch's id (12 hex digits are chosen otherwise)"},
               {"--no-batch-tag", nullptr, "do not tag machines mistasync.batch=ID"},
               {"--no-probe", nullptr, "do not wait for SSH"},
               {"--spec", "FILE", "the batch in a JSON or YAML file (flags win)"},
               {"--dry-run", nullptr, "check the batch against the server and print the plan"}},
              create_fields),
         "mistasync provision --backend EC2 --image ami-123 --size t3.micro --key deploy --name web --count 100 --journal web.journal"},
        {"cleanup", cleanup_command, {}, "destroys what a provision journal, or a batch tag, says a batch made", nullptr,
         {backend_option, {"--journal", "FILE", "the provision journal"}, {"--batch", "ID", "the batch id (v1 servers)"}},
         "mistasync cleanup --journal web.journal"},
        {"list-scripts", list_scripts_command, {}, "the account's stored scripts", nullptr, {}, "mistasync list-scripts"},
        {"add-script", add_script_command, {}, "stores a script", nullptr,
         {{"--name", "NAME", "its name"},
          {"--file,--script-file", "FILE", "the script's text"},
          {"--script-url", "URL", "a URL the server fetches it from"},
          {"--github", "OWNER/REPO", "a GitHub repository"},
          {"--entrypoint", "PATH", "the file to run in the repository"},
          {"--ansible", nullptr, "an Ansible playbook, not an executable"},
          {"--description", "TEXT", "what it does"}},
         "mistasync add-script --name hello --file hello.sh"},
        {"remove-script", remove_script_command, {}, "deletes a stored script", "SCRIPT",
         {{"--id", "SCRIPT", "the script (instead of the SCRIPT argument)", false, true}}, "mistasync remove-script hello"},
        {"run-script", run_script_command, {}, "runs a stored script on a machine", "MACHINE",
         {machine_option, backend_option,
          {"--script-id,--id", "SCRIPT", "the script, by name or id"},
          {"--params", "PARAMS", "its parameters"},
          {"--su", nullptr, "run it as root"},
          wait_option, deadline_option},
         "mistasync run-script web-1 --script-id hello --wait"},
        {"user-info", user_info_command, {"whoami"}, "who the credentials belong to", nullptr, {}, "mistasync user-info"},
        {"completion", nullptr, {}, "prints a shell completion script: bash, zsh or fish (no server needed)", "SHELL", {},
         "mistasync completion bash > /etc/bash_completion.d/mistasync", "bash, zsh or fish"},
        {"man-page", nullptr, {}, "prints this command's manual page, in roff (no server needed)", nullptr, {},
         "mistasync man-page | man -l -"},
    };
}

}  // namespace

const std::vector<verb_spec>& verbs() {
    static const std::vector<verb_spec> all = make_verbs();
    return all;
}

const std::vector<option_spec>& global_options() {
    static const std::vector<option_spec> all = {
        {"--url", "URL", "the mist.io server (or MIST_URL, or mist_uri in ~/.mist)"},
        {"--email", "EMAIL", "log in with an email and password (or MIST_EMAIL)"},
        {"--password", "PASSWORD", "(or MIST_PASSWORD)"},
        {"--token", "TOKEN", "an API token (or MIST_TOKEN)"},
        {"--org", "ORG", "the organization (id or name) an --email/--password login is for (or MIST_ORG, org_name in ~/.mist)"},
        {"--profile", "NAME", "the [profile NAME] section of ~/.mist (or MIST_PROFILE): url, token or email and password, org, api, ca_file"},
        {"--api", "ERA", "legacy, v1, v2 or auto (the default: asks the server; v1 where v1 and v2 are both served)"},
        {"--ca-file", "PEM", "trust this CA for the server's certificate"},
        {"--insecure", nullptr, "do not verify the server's certificate (says so on stderr)"},
        {"--timeout", "SECONDS", "each request's time limit (120)"},
        {"--allow-plain-http", nullptr, "send a token or password over http:// to a host that is not this machine"},
        {"-o,--output", "FORMAT", "table (the default), json, yaml, csv, ids or names0 (NUL-ended names)"},
        {"--json", nullptr, "the same as --output json"},
        {"--columns", "A,B,...", "the table's or CSV's columns, by header name, in this order"},
        {"--no-header", nullptr, "a table or CSV without its header"},
        {"-q,--quiet", nullptr, "ids only, one per line (the same as --output ids)"},
        {"--pretty", nullptr, "a table (the default; accepted for the Python client's scripts)"},
        {"--simulator", nullptr, "an embedded simulator serves the commands: nothing real is made (or MIST_URL=simulator)"},
        {"--debug", nullptr, "each HTTP exchange on stderr: method, path, status, time, retries (no secrets)"},
        {"--sim-boot-delay", "SECONDS", "the simulator's boot time (2)"},
        {"--sim-ssh-delay", "SECONDS", "the simulator's time from running to SSH (2)"},
        {"--version", nullptr, "print the version and exit"},
    };
    return all;
}

std::string canonical_verb(const std::string& name) {
    for (const verb_spec& v : verbs()) {
        if (v.name == name) return v.name;
        for (const std::string& a : v.aliases)
            if (a == name) return v.name;
    }
    return {};
}

std::vector<std::string> spellings(const char* names) {
    std::vector<std::string> out;
    std::stringstream in(names);
    for (std::string name; std::getline(in, name, ',');) out.push_back(name);
    return out;
}

std::string canonical_name(const option_spec& option) {
    for (const std::string& name : spellings(option.names))
        if (name.starts_with("--")) return name;
    return spellings(option.names).front();
}

command find_command(const std::string& verb) {
    for (const verb_spec& v : verbs())
        if (v.name == verb) return v.run;
    return nullptr;
}

std::set<std::string, std::less<>> declared_options(const std::string& verb) {
    std::set<std::string, std::less<>> out{"--help"};
    for (const option_spec& o : global_options()) out.insert(canonical_name(o));
    for (const verb_spec& v : verbs())
        if (v.name == verb)
            for (const option_spec& o : v.options) out.insert(canonical_name(o));
    return out;
}

}  // namespace mistcli
