// The machine verbs: create, list, describe, start/stop/reboot/destroy, probe, tags; a job;
// how --wait waits.
#include "cli.hpp"
#include "command_support.hpp"
#include "commands.hpp"
#include "lookup.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace mistcli {

namespace json = boost::json;
namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;

namespace {

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

}  // namespace

awaitable<int> create_machine_command(context& c) {
    auto b = co_await backend_arg(c);
    machine_spec spec;
    spec.name = c.args.required(opt::name);
    spec.image = c.args.required(opt::image);
    spec.size = c.args.required(opt::size);
    spec.location = c.args.get(opt::location);
    if (auto k = c.args.get(opt::key); !k.empty()) spec.key = (co_await find_key(c.mist, k)).id;
    apply_create_flags(c.args, spec);
    if (c.args.has(opt::async) || c.args.has(opt::quantity)) {
        // The server creates them in the background; `mistasync job ID --wait` follows them.
        std::size_t quantity = c.args.count(opt::quantity, 1, 1000);
        std::string job_id = co_await b.create_machines(spec, static_cast<int>(quantity));
        if (c.json) print_json(json::object{{"job_id", job_id}, {"quantity", quantity}});
        else std::printf("%s\n", terminal_safe_line(job_id).c_str());
        co_return ok;
    }
    auto created = co_await b.create_machine(spec);
    if (c.json && !c.args.has(opt::wait))
        print_json(json::object{{"id", created.id}, {"name", created.name}, {"public_ips", json::array(created.public_ips.begin(), created.public_ips.end())}});
    else if (!c.json) std::printf("created machine %s (%s) %s\n", terminal_safe_line(created.name).c_str(), terminal_safe_line(created.id).c_str(), join(created.public_ips).c_str());
    if (!c.args.has(opt::wait)) co_return ok;
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
awaitable<int> list_machines_command(context& c) {
    machine_listing listing;
    const machine_filter filter{.tag = c.args.get(opt::tag)};
    if (c.args.has(opt::backend)) listing.machines = co_await (co_await backend_arg(c)).machines(filter);
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

awaitable<int> describe_machine_command(context& c) {
    machine m = co_await find_machine(c, c.args.subject("MACHINE"));
    if (c.json) {
        print_json(server_json(m.info()));
        co_return ok;
    }
    std::string ips, tags;
    for (auto& ip : m.public_ips) ips += (ips.empty() ? "" : ",") + ip;
    for (auto& [k, v] : m.tags) tags += (tags.empty() ? "" : ",") + k + "=" + v;
    print_fields({{"name", m.name}, {"id", m.id}, {"uuid", m.uuid}, {"backend", m.backend_id},
                  {"state", std::string(to_string(m.state))}, {"image", m.image_id}, {"size", m.size_id},
                  {"public ips", ips}, {"tags", tags}});
    co_return ok;
}

awaitable<int> machine_action_command(context& c) {
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

awaitable<int> probe_command(context& c) {
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    probe_result r = c.args.has(opt::wait) ? co_await m.wait_until_probed(cli_wait_policy(c)) : co_await m.probe();
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

awaitable<int> tag_command(context& c) {
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    std::vector<std::pair<std::string, std::string>> tags;
    // A word without "=" is a tag without a value (the 2015 client's `tag --new-tag web`).
    for (auto& t : c.args.all(opt::tag)) tags.push_back(t.find('=') == std::string::npos ? std::pair{t, std::string()} : key_value(t, "--tag"));
    if (tags.empty()) throw usage_failure("tag needs --tag key=value");
    co_await m.set_tags(tags);
    if (c.json) print_json(json::object{{"id", m.id}, {"tags", tags.size()}});
    else std::printf("tagged %s with %zu tag(s)\n", terminal_safe_line(m.name).c_str(), tags.size());
    co_return ok;
}

awaitable<int> add_tag_command(context& c) {
    machine m = co_await find_machine(c, c.args.subject("MACHINE"));
    const std::string key = c.args.required(opt::key), value = c.args.get(opt::value);
    // The machine's other tags too: a 2015 server replaces the whole set.
    std::vector<std::pair<std::string, std::string>> tags;
    for (auto& [k, v] : m.tags)
        if (k != key) tags.emplace_back(k, v);
    tags.emplace_back(key, value);
    co_await m.set_tags(tags);
    co_return print_done(c, "tagged " + key + "=" + value + ":", m.name, m.id);
}

awaitable<int> remove_tag_command(context& c) {
    machine m = co_await find_machine(c, c.args.subject("MACHINE"));
    const std::string key = c.args.required(opt::key);
    co_await m.remove_tag(key);
    co_return print_done(c, "removed tag " + key + " from", m.name, m.id);
}

awaitable<int> job_command(context& c) {
    std::string id = c.args.subject("JOB_ID");
    mistasync::job j = c.args.has(opt::wait) ? co_await c.mist.wait_for_job(id, cli_wait_policy(c)) : co_await c.mist.job(id);
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

wait_policy cli_wait_policy(context& c) {
    wait_policy p;
    p.interval = std::chrono::milliseconds(2000);
    p.max_interval = std::chrono::milliseconds(10000);
    p.deadline = c.args.seconds(opt::deadline, 600);
    if (!c.json)
        p.on_attempt = [](const wait_event& ev) {
            if (!ev.done) std::fprintf(stderr, "  attempt %d: %.*s; next in %.1f s\n", ev.attempt, static_cast<int>(ev.note.size()),
                                       ev.note.data(), static_cast<double>(ev.next_delay.count()) / 1000);
        };
    return p;
}

}  // namespace mistcli
