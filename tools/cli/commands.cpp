// The verbs of the Python client's `mist` command, one coroutine each.
#include "cli.hpp"
#include "files.hpp"
#include "lookup.hpp"
#include "verbs.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace mistcli {

namespace json = boost::json;
namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;

void no_match(const std::string& what) {
    diagnostics d;
    d.client_message = what;
    throw mistasync::error(errc::not_found_locally, d);
}

awaitable<backend> find_backend(client& mist, const std::string& ref) {
    co_return by_id_or_name(co_await mist.backends(), ref, "backend", [](const backend& b) { return b.title; });
}

awaitable<key> find_key(client& mist, const std::string& ref) {
    co_return by_id_or_name(co_await mist.keys(), ref, "key", [](const key& k) { return k.name; });
}

// Names each backend that could not be listed, on stderr: what was printed or found
// comes from the others only.
void report_failures(const machine_listing& listing) {
    for (auto& f : listing.failures)
        std::fprintf(stderr, "mistasync: backend '%s' could not be listed: %s\n", terminal_safe_line(f.backend_title).c_str(),
                     f.details.http_status ? (std::to_string(f.details.http_status) + " " + f.details.server_message).c_str()
                                           : f.error.message().c_str());
}

awaitable<machine> find_machine(context& c, const std::string& ref) {
    machine_listing all;
    if (auto b = c.args.get("--backend"); !b.empty()) all.machines = co_await (co_await find_backend(c.mist, b)).machines();
    else all = co_await c.mist.machines();
    auto is_id = [&](const machine& m) { return m.id == ref || m.uuid == ref; };
    auto is_named = [&](const machine& m) { return m.name == ref; };
    report_failures(all);
    if (std::none_of(all.begin(), all.end(), [&](const machine& m) { return is_id(m) || is_named(m); }) && !all.failures.empty()) {
        // Not in the backends that answered: it may be in one that did not.
        const backend_failure& first = all.failures.front();
        diagnostics d = first.details;
        d.client_message = "no machine with the name or id '" + ref + "' in the backends that answered; it may be in '" +
                           first.backend_title + "', which could not be listed";
        throw mistasync::error(first.error, d);
    }
    co_return pick_one(std::move(all.machines), ref, "machine", is_id, is_named);
}

namespace {

awaitable<backend> backend_arg(context& c) { co_return co_await find_backend(c.mist, c.args.required("--backend")); }

std::pair<std::string, std::string> key_value(const std::string& text, const char* flag) {
    auto eq = text.find('=');
    // The word is not echoed: --field api_secret:S would print the secret.
    if (eq == std::string::npos || eq == 0)
        throw usage_failure(std::string(flag) + " takes KEY=VALUE; one of its values has no '=' (not shown: it may be a secret)");
    return {text.substr(0, eq), text.substr(eq + 1)};
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

awaitable<int> list_backends(context& c) {
    auto list = co_await c.mist.backends();
    if (c.json) {
        json::array a;
        for (auto& b : list)
            a.push_back(json::object{{"id", b.id}, {"title", b.title}, {"provider", b.provider}, {"region", b.region}, {"enabled", b.enabled}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& b : list) rows.push_back({b.title, b.id, b.provider, b.enabled ? "enabled" : "disabled"});
        print_table({"NAME", "ID", "PROVIDER", "STATE"}, rows);
    }
    co_return ok;
}

awaitable<int> add_backend(context& c) {
    backend_spec spec;
    spec.title = c.args.required("--title");
    spec.provider = c.args.required("--provider");
    for (auto& f : c.args.all("--field")) spec.fields.push_back(key_value(f, "--field"));
    // The Python client's per-provider options (--docker-host ...), each one field.
    for (const provider_flag& f : provider_flags())
        if (c.args.has(f.flag)) spec.fields.emplace_back(f.field, f.from_file ? read_text_file(c.args.get(f.flag), f.flag) : c.args.get(f.flag));
    auto b = co_await c.mist.add_backend(spec);
    if (c.json) print_json(json::object{{"id", b.id}, {"title", b.title}, {"provider", b.provider}});
    else std::printf("added backend %s (%s)\n", terminal_safe_line(b.title).c_str(), terminal_safe_line(b.id).c_str());
    co_return ok;
}

awaitable<int> list_images(context& c) {
    auto b = co_await backend_arg(c);
    // "--search all" is every image, as in the Python client; --starred keeps the starred
    // ones (what the Python client shows by default).
    const std::string search = c.args.get("--search");
    auto list = search.empty() || search == "all" ? co_await b.images() : co_await b.search_images(search);
    if (c.args.has("--starred")) std::erase_if(list, [](const image& i) { return !i.starred; });
    if (c.json) {
        json::array a;
        for (auto& i : list) a.push_back(json::object{{"id", i.id}, {"name", i.name}, {"starred", i.starred}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& i : list) rows.push_back({i.name, i.id, i.starred ? "*" : ""});
        print_table({"NAME", "ID", "STAR"}, rows);
    }
    co_return ok;
}

awaitable<int> list_sizes(context& c) {
    auto list = co_await (co_await backend_arg(c)).sizes();
    if (c.json) {
        json::array a;
        for (auto& s : list) a.push_back(json::object{{"id", s.id}, {"name", s.name}, {"ram_mb", s.ram_mb}, {"disk_gb", s.disk_gb}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& s : list) rows.push_back({s.name, s.id, std::to_string(s.ram_mb), std::to_string(s.disk_gb)});
        print_table({"NAME", "ID", "RAM MB", "DISK GB"}, rows);
    }
    co_return ok;
}

awaitable<int> list_locations(context& c) {
    auto list = co_await (co_await backend_arg(c)).locations();
    if (c.json) {
        json::array a;
        for (auto& l : list) a.push_back(json::object{{"id", l.id}, {"name", l.name}, {"country", l.country}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& l : list) rows.push_back({l.name, l.id, l.country});
        print_table({"NAME", "ID", "COUNTRY"}, rows);
    }
    co_return ok;
}

awaitable<int> list_keys(context& c) {
    auto list = co_await c.mist.keys();
    if (c.json) {
        json::array a;
        for (auto& k : list) a.push_back(json::object{{"id", k.id}, {"name", k.name}, {"default", k.is_default}, {"machines", k.associations.size()}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& k : list) rows.push_back({k.name, k.id, k.is_default ? "yes" : "", std::to_string(k.associations.size())});
        print_table({"NAME", "ID", "DEFAULT", "MACHINES"}, rows);
    }
    co_return ok;
}

awaitable<int> add_key(context& c) {
    std::string name = c.args.required("--name");
    std::string pem;
    if (auto file = c.args.get("--file"); !file.empty()) {
        pem = read_input_file(file, "--file", 64 * 1024);
        // ssh-keygen's default format since OpenSSH 7.8; mist.io reads PEM only.
        if (pem.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string::npos)
            throw usage_failure(file + " is in OpenSSH's own format; the server reads PEM keys. Convert a copy: "
                                       "cp " + file + " " + file + ".pem && ssh-keygen -p -N '' -m PEM -f " + file + ".pem "
                                       "(for a key without a passphrase), then --file " + file + ".pem; "
                                       "or leave --file out and the server makes a key");
        if (pem.find("PRIVATE KEY-----") == std::string::npos)
            throw usage_failure(file + " holds no PEM private key (-----BEGIN RSA PRIVATE KEY-----)");
    } else {
        pem = (co_await c.mist.generate_key()).private_key;  // as the Python client's add-key without a file
    }
    auto k = co_await c.mist.add_key(name, pem);
    if (c.json) print_json(json::object{{"id", k.id}, {"name", k.name}});
    else std::printf("added key %s (%s)\n", terminal_safe_line(k.name).c_str(), terminal_safe_line(k.id).c_str());
    co_return ok;
}

awaitable<int> create_machine(context& c) {
    auto b = co_await backend_arg(c);
    machine_spec spec;
    spec.name = c.args.required("--name");
    spec.image = c.args.required("--image");
    spec.size = c.args.required("--size");
    spec.location = c.args.get("--location");
    if (auto k = c.args.get("--key"); !k.empty()) spec.key = (co_await find_key(c.mist, k)).id;
    apply_create_flags(c.args, spec);
    if (c.args.has("--async") || c.args.has("--quantity")) {
        // The server creates them in the background; `mistasync job ID --wait` follows them.
        std::size_t quantity = c.args.count("--quantity", 1, 1000);
        std::string job_id = co_await b.create_machines(spec, static_cast<int>(quantity));
        if (c.json) print_json(json::object{{"job_id", job_id}, {"quantity", quantity}});
        else std::printf("%s\n", terminal_safe_line(job_id).c_str());
        co_return ok;
    }
    auto created = co_await b.create_machine(spec);
    if (c.json && !c.args.has("--wait"))
        print_json(json::object{{"id", created.id}, {"name", created.name}, {"public_ips", json::array(created.public_ips.begin(), created.public_ips.end())}});
    else if (!c.json) std::printf("created machine %s (%s) %s\n", terminal_safe_line(created.name).c_str(), terminal_safe_line(created.id).c_str(), join(created.public_ips).c_str());
    if (!c.args.has("--wait")) co_return ok;
    // --wait: until it answers SSH (and, with a post-deploy script, until that ends).
    machine m = co_await b.machine_from(created).wait_for_state(machine_state::running, cli_wait_policy(c));
    probe_result probed = co_await m.wait_until_probed(cli_wait_policy(c));
    std::optional<script_result> script;
    if ((!spec.script.empty() || !spec.script_id.empty()) && !created.job_id.empty()) {
        mistasync::job j = co_await c.mist.wait_for_job(created.job_id, cli_wait_policy(c));
        if (const script_result* r = j.script_of(created.id)) script = *r;
    }
    if (c.json) {
        json::object out{{"id", created.id}, {"name", created.name}, {"probe", to_json(probed)}};
        if (script) out["script"] = to_json(*script);
        print_json(out);
    } else {
        std::printf("%s answers SSH\n", terminal_safe_line(created.name).c_str());
        if (script) print_script_result(*script);
    }
    co_return script && !script->succeeded() ? script_exit_status(*script) : ok;
}

// The machines of every backend that answered; each one that did not is named on stderr
// and makes the exit status 1 (the list is incomplete).
awaitable<int> list_machines(context& c) {
    machine_listing listing;
    const machine_filter filter{.tag = c.args.get("--tag")};
    if (c.args.has("--backend")) listing.machines = co_await (co_await backend_arg(c)).machines(filter);
    else listing = co_await c.mist.machines(filter);
    const std::vector<machine>& list = listing.machines;
    if (c.json && current_output() != output_format::json) {
        json::array a;
        for (auto& m : list) a.push_back(to_json(m));
        print_json(a);
    } else if (c.json) {
        // Streamed one machine at a time: a whole document of tens of thousands of machines
        // would cost several times the list again.
        std::fputc('[', stdout);
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i) std::fputc(',', stdout);
            std::fputs(json::serialize(to_json(list[i])).c_str(), stdout);
        }
        std::fputs("]\n", stdout);
    } else {
        // Backends by title (one more list): ids mean little to a person.
        std::map<std::string, std::string> titles;
        for (auto& b : co_await c.mist.backends()) titles[b.id] = b.title;
        std::vector<std::vector<std::string>> rows;
        for (auto& m : list)
            rows.push_back({m.name, m.id, std::string(to_string(m.state)), join(m.public_ips),
                            titles.contains(m.backend_id) ? titles[m.backend_id] : m.backend_id});
        print_table({"NAME", "ID", "STATE", "PUBLIC IPS", "BACKEND"}, rows);
    }
    report_failures(listing);
    co_return listing.complete() ? ok : api_failure;
}

awaitable<int> machine_action(context& c) {
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    const std::string& verb = c.args.verb;
    if (verb == "reboot") co_await m.reboot();
    else if (verb == "start") co_await m.start();
    else if (verb == "stop") co_await m.stop();
    else co_await m.destroy();
    if (c.json) print_json(json::object{{"id", m.id}, {"name", m.name}, {"action", verb}});
    else std::printf("%s: %s (%s)\n", verb.c_str(), terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str());
    co_return ok;
}

awaitable<int> probe(context& c) {
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    probe_result r = c.args.has("--wait") ? co_await m.wait_until_probed(cli_wait_policy(c)) : co_await m.probe();
    if (c.json) {
        print_json(to_json(r));
    } else {
        std::printf("%s (%s): %s\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str(), r.reachable ? "reachable" : "not reachable");
        if (r.reachable)
            std::printf("  uptime %.0f s, %d cores, load %s, %d users\n", r.uptime_seconds, r.cores,
                        r.loadavg.empty() ? "-" : std::to_string(r.loadavg[0]).c_str(), r.users);
    }
    co_return r.reachable ? ok : not_ready;
}

// associate-key and disassociate-key: a key put on, or taken off, a machine.
awaitable<int> key_on_machine(context& c) {
    const bool put_on = c.args.verb == "associate-key";
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    auto k = co_await find_key(c.mist, c.args.required("--key"));
    association_options o;
    o.host = c.args.get("--host");
    o.user = c.args.get("--user");
    auto associations = put_on ? co_await m.associate_key(k.id, o) : co_await m.disassociate_key(k.id, o);
    if (c.json) print_json(json::object{{"key", k.id}, {"machine", m.id}, {"associations", associations.size()}});
    else std::printf("key %s %s %s (%zu machines use it)\n", terminal_safe_line(k.name).c_str(), put_on ? "associated with" : "taken off",
                     terminal_safe_line(m.name).c_str(), associations.size());
    co_return ok;
}

awaitable<int> tag(context& c) {
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    std::vector<std::pair<std::string, std::string>> tags;
    // A word without "=" is a tag without a value (the 2015 client's `tag --new-tag web`).
    for (auto& t : c.args.all("--tag")) tags.push_back(t.find('=') == std::string::npos ? std::pair{t, std::string()} : key_value(t, "--tag"));
    if (tags.empty()) throw usage_failure("tag needs --tag key=value");
    co_await m.set_tags(tags);
    if (c.json) print_json(json::object{{"id", m.id}, {"tags", tags.size()}});
    else std::printf("tagged %s with %zu tag(s)\n", terminal_safe_line(m.name).c_str(), tags.size());
    co_return ok;
}

awaitable<int> job(context& c) {
    std::string id = c.args.subject("JOB_ID");
    mistasync::job j = c.args.has("--wait") ? co_await c.mist.wait_for_job(id, cli_wait_policy(c)) : co_await c.mist.job(id);
    if (c.json) {
        print_json(to_json(j));
    } else {
        std::printf("job %s: %s; created %d ok / %d failed, probed %d ok / %d failed\n", terminal_safe_line(j.id).c_str(),
                    j.finished() ? "finished" : "running", j.created.success, j.created.error, j.probed.success, j.probed.error);
        std::vector<std::vector<std::string>> rows;
        for (auto& e : j.events) rows.push_back({e.action, e.machine_name, e.machine_id, e.error});
        if (!rows.empty()) print_table({"EVENT", "MACHINE", "ID", "ERROR"}, rows);
    }
    co_return ok;
}

}  // namespace

wait_policy cli_wait_policy(context& c) {
    wait_policy p;
    p.interval = std::chrono::milliseconds(2000);
    p.max_interval = std::chrono::milliseconds(10000);
    p.deadline = c.args.seconds("--deadline", 600);
    if (!c.json)
        p.on_attempt = [](const wait_event& ev) {
            if (!ev.done) std::fprintf(stderr, "  attempt %d: %.*s; next in %.1f s\n", ev.attempt, static_cast<int>(ev.note.size()),
                                       ev.note.data(), static_cast<double>(ev.next_delay.count()) / 1000);
        };
    return p;
}

command find_command(const std::string& verb) {
    static const std::map<std::string, command> table = {
        {"list-backends", list_backends}, {"add-backend", add_backend},     {"list-images", list_images},
        {"list-sizes", list_sizes},       {"list-locations", list_locations}, {"list-keys", list_keys},
        {"add-key", add_key},             {"create-machine", create_machine}, {"list-machines", list_machines},
        {"reboot", machine_action},       {"start", machine_action},        {"stop", machine_action},
        {"destroy", machine_action},      {"probe", probe},                 {"associate-key", key_on_machine},
        {"tag", tag},                     {"job", job},                     {"provision", provision_command},
        {"cleanup", cleanup_command},     {"list-scripts", list_scripts_command}, {"add-script", add_script_command},
        {"remove-script", remove_script_command}, {"run-script", run_script_command},
        {"list-providers", list_providers_command}, {"list-orgs", list_orgs_command}, {"describe-backend", describe_backend_command},
        {"rename-backend", rename_backend_command}, {"delete-backend", delete_backend_command},
        {"list-networks", list_networks_command}, {"create-network", create_network_command}, {"delete-network", delete_network_command},
        {"list-subnets", list_subnets_command}, {"create-subnet", create_subnet_command}, {"delete-subnet", delete_subnet_command}, {"describe-key", describe_key_command},
        {"rename-key", rename_key_command},       {"delete-key", delete_key_command},
        {"describe-machine", describe_machine_command}, {"disassociate-key", key_on_machine},
        {"add-tag", add_tag_command},             {"remove-tag", remove_tag_command},
        {"user-info", user_info_command}};
    auto it = table.find(verb);
    return it == table.end() ? nullptr : it->second;
}

}  // namespace mistcli
