// The options commands read, as typed constants: a command names an option only through
// opt::..., so a misspelled option does not build (tests/cli_option_names.sh shows it). The
// verb table (verbs.cpp) declares them; test_cli_verbs checks that it declares every
// constant here, and `arguments` refuses, at the read, an option its verb does not declare.
// Kept free of other headers: the build check compiles it alone.
#pragma once

#include <string_view>

namespace mistcli {

/// An option's canonical spelling ("--backend"): the verb table's first long name of it.
struct option_name {
    std::string_view text;
};

// Every option a command reads: X(constant, spelling).
#define MISTCLI_EVERY_OPTION(X) \
    X(allow_existing_names, "--allow-existing-names") \
    X(allow_plain_http, "--allow-plain-http") \
    X(ansible, "--ansible") \
    X(api, "--api") \
    X(async, "--async") \
    X(availability_zone, "--availability-zone") \
    X(backend, "--backend") \
    X(batch, "--batch") \
    X(batch_id, "--batch-id") \
    X(ca_file, "--ca-file") \
    X(cidr, "--cidr") \
    X(cloud_init, "--cloud-init") \
    X(columns, "--columns") \
    X(concurrency, "--concurrency") \
    X(count, "--count") \
    X(deadline, "--deadline") \
    X(debug, "--debug") \
    X(description, "--description") \
    X(disk, "--disk") \
    X(docker_command, "--docker-command") \
    X(dry_run, "--dry-run") \
    X(email, "--email") \
    X(entrypoint, "--entrypoint") \
    X(events, "--events") \
    X(extra, "--extra") \
    X(field, "--field") \
    X(file, "--file") \
    X(github, "--github") \
    X(help, "--help") \
    X(host, "--host") \
    X(image, "--image") \
    X(image_extra, "--image-extra") \
    X(insecure, "--insecure") \
    X(inventory, "--inventory") \
    X(journal, "--journal") \
    X(json, "--json") \
    X(keep_failed_scripts, "--keep-failed-scripts") \
    X(key, "--key") \
    X(location, "--location") \
    X(max_attempts, "--max-attempts") \
    X(max_failures, "--max-failures") \
    X(name, "--name") \
    X(network, "--network") \
    X(new_name, "--new-name") \
    X(no_batch_tag, "--no-batch-tag") \
    X(no_header, "--no-header") \
    X(no_probe, "--no-probe") \
    X(org, "--org") \
    X(output, "--output") \
    X(params, "--params") \
    X(password, "--password") \
    X(private_, "--private") \
    X(probe_deadline, "--probe-deadline") \
    X(profile, "--profile") \
    X(provider, "--provider") \
    X(quantity, "--quantity") \
    X(quiet, "--quiet") \
    X(reconcile_window, "--reconcile-window") \
    X(rollback, "--rollback") \
    X(run_script, "--run-script") \
    X(script, "--script") \
    X(script_id, "--script-id") \
    X(script_params, "--script-params") \
    X(script_url, "--script-url") \
    X(search, "--search") \
    X(sim_boot_delay, "--sim-boot-delay") \
    X(sim_ssh_delay, "--sim-ssh-delay") \
    X(simulator, "--simulator") \
    X(size, "--size") \
    X(spec, "--spec") \
    X(starred, "--starred") \
    X(su, "--su") \
    X(subnet_cidr, "--subnet-cidr") \
    X(subnet_name, "--subnet-name") \
    X(tag, "--tag") \
    X(timeout, "--timeout") \
    X(title, "--title") \
    X(token, "--token") \
    X(url, "--url") \
    X(user, "--user") \
    X(value, "--value") \
    X(version, "--version") \
    X(wait, "--wait")

namespace opt {
#define MISTCLI_OPTION_CONSTANT(id, spelling) inline constexpr option_name id{spelling};
MISTCLI_EVERY_OPTION(MISTCLI_OPTION_CONSTANT)
#undef MISTCLI_OPTION_CONSTANT
}  // namespace opt

/// Every constant of opt, in the order of their spellings.
inline constexpr option_name every_option_read[] = {
#define MISTCLI_OPTION_ENTRY(id, spelling) opt::id,
    MISTCLI_EVERY_OPTION(MISTCLI_OPTION_ENTRY)
#undef MISTCLI_OPTION_ENTRY
};

}  // namespace mistcli
