#include "views.hpp"

#include "ascii.hpp"

#include "crypto.hpp"
#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

json::array string_array(const std::vector<std::string>& v, const json::storage_ptr& sp = {}) {
    json::array a(sp);
    a.reserve(v.size());
    for (auto& s : v) a.emplace_back(s);
    return a;
}

json::array tags_json(const machine& m, const json::storage_ptr& sp) {
    json::array a(sp);
    for (auto& [k, v] : m.tags) a.push_back(json::object({{"key", k}, {"value", v}}, sp));
    return a;
}

std::string mac_of(const machine& m) {
    std::string h = m.mist_id.substr(0, 10);
    return "0a:" + h.substr(0, 2) + ":" + h.substr(2, 2) + ":" + h.substr(4, 2) + ":" + h.substr(6, 2) + ":" +
           h.substr(8, 2);
}

std::string dns_name(const machine& m, bool addresses) {
    if (!addresses || m.public_ips.empty()) return "";
    std::string ip = m.public_ips.front();
    std::replace(ip.begin(), ip.end(), '.', '-');
    return "ec2-" + ip + ".compute.example.net";
}

json::object machine_extra(machine_state state, const machine& m, era e, const std::string& dns,
                           const json::storage_ptr& sp) {
    const backend& b = *m.owner;
    json::object extra(sp);
    if (b.provider == "ec2") {
        json::object ec2_tags({{"Name", m.name}}, sp);
        for (auto& [k, v] : m.tags) ec2_tags[k] = v;
        extra = json::object({{"status", state_name(state, era::v1)}, {"instanceId", m.provider_id},
                              {"dns_name", dns}, {"imageId", m.image_id}, {"availability", m.location_id},
                              {"instancetype", m.size_id}, {"launchdatetime", m.created_text},
                              {"tags", std::move(ec2_tags)}},
                             sp);
    } else {
        extra = json::object({{"dns_name", dns}, {"size", m.size_id}, {"image", m.image_id}}, sp);
    }
    if (b.provider == "ec2" || b.provider == "gce" || b.provider == "softlayer" || b.provider == "nephoscale")
        extra["os_type"] = "linux";
    if (e == era::v1) {
        extra["created"] = m.created_text;
        extra["cost_per_month"] = "14.40";
        extra["cost_per_hour"] = "0.02";
    }
    return extra;
}

double reach_wall(const world& w, const machine& m) { return w.wall(w.first_reachable(m)); }

// What a document shows of the machine: its state and whether its addresses are known,
// now at the provider or as the server's record last saw it.
struct machine_view {
    machine_state state;
    bool addresses;
};
machine_view shown_of(const world& w, const machine& m, machine_source source) {
    if (source == machine_source::record) return {w.recorded_state(m), w.record_time(m) >= m.addresses_at};
    return {w.state_of(m), w.addresses_known(m)};
}

}  // namespace

std::string format_datetime(double unix_seconds, bool micro) {
    std::time_t secs = static_cast<std::time_t>(std::floor(unix_seconds));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    std::string out(buf);
    if (micro) {
        std::snprintf(buf, sizeof buf, ".%06d", static_cast<int>((unix_seconds - std::floor(unix_seconds)) * 1e6));
        out += buf;
    }
    return out;
}

json::value backend_json(const backend& b, era e) {
    if (e == era::legacy) {
        json::object o{{"id", b.legacy_id}, {"title", b.title.empty() ? b.legacy_provider : b.title},
                       {"provider", b.legacy_provider}, {"apikey", b.apikey}, {"poll_interval", 10000},
                       {"state", b.enabled ? "online" : "offline"}, {"region", b.region},
                       {"enabled", b.enabled}, {"tenant_name", b.tenant_name}};
        for (auto& [k, v] : b.public_fields)
            if (k == "docker_port") o[k] = std::atoi(v.c_str());
        return o;
    }
    json::object o{{"id", b.uuid}, {"title", b.title}, {"provider", b.provider}, {"enabled", b.enabled},
                   {"dns_enabled", false}, {"state", b.enabled ? "online" : "offline"},
                   {"polling_interval", 1800}, {"tags", json::array{}}};
    if (!b.apikey.empty()) o["apikey"] = b.apikey;
    if (!b.region.empty()) {
        const region_info* r = find_region(b.provider, b.region);
        o["region"] = (r && !r->aws_id.empty()) ? r->aws_id : std::string_view(b.region);
    }
    if (!b.tenant_name.empty()) o["tenant"] = b.tenant_name;
    for (auto& [k, v] : b.public_fields) o[k] = v;
    return o;
}

json::value backends_json(world& w, era e) {
    json::array a;
    for (auto& b : w.backends()) a.push_back(backend_json(*b, e));
    return a;
}

json::value machine_json(world& w, const machine& m, era e, const json::storage_ptr& sp, machine_source source) {
    const backend& b = *m.owner;
    const auto [shown, addresses] = shown_of(w, m, source);
    machine_actions act = w.actions_in(m, shown);
    std::string_view state = state_name(shown, e);
    static const std::vector<std::string> none;
    const std::vector<std::string>& public_ips = addresses ? m.public_ips : none;
    const std::vector<std::string>& private_ips = addresses ? m.private_ips : none;
    if (e == era::legacy) {
        return json::object({{"id", m.provider_id}, {"uuid", m.libcloud_uuid}, {"name", m.name},
                             {"imageId", m.image_id}, {"size", m.size_id}, {"state", state},
                             {"public_ips", string_array(public_ips, sp)},
                             {"private_ips", string_array(private_ips, sp)}, {"tags", tags_json(m, sp)},
                             {"extra", machine_extra(shown, m, e, dns_name(m, addresses), sp)}, {"can_start", act.start},
                             {"can_stop", act.stop},
                             {"can_reboot", act.reboot}, {"can_destroy", act.destroy}, {"can_tag", act.tag},
                             {"can_rename", act.rename}},
                            sp);
    }
    json::array assocs(sp);
    for (auto& k : w.keys()) {
        const key_association* a = k->find(b.uuid, m.provider_id);
        if (!a) continue;
        assocs.push_back(json::object({{"keypair", k->uuid}, {"last_used", static_cast<std::int64_t>(a->last_used)},
                                       {"ssh_user", a->ssh_user ? json::value(*a->ssh_user) : json::value(nullptr)},
                                       {"sudo", a->sudo}, {"port", a->port}},
                                      sp));
    }
    // Constant subtrees are built once and copied into the caller's arena.
    static const json::value null_probe = {
        {"ping", {{"packets_tx", nullptr}, {"packets_rx", nullptr}, {"packets_loss", nullptr}, {"rtt_min", nullptr},
                  {"rtt_max", nullptr}, {"rtt_avg", nullptr}, {"rtt_std", nullptr}, {"updated_at", nullptr}}},
        {"ssh", {{"uptime", nullptr}, {"loadavg", json::array()}, {"cores", nullptr}, {"users", nullptr},
                 {"pub_ips", json::array()}, {"priv_ips", json::array()}, {"df", nullptr}, {"macs", json::array()},
                 {"kernel", nullptr}, {"os", nullptr}, {"os_version", nullptr}, {"dirty_cow", nullptr},
                 {"updated_at", nullptr}}}};
    static const json::value monitoring = {{"hasmonitoring", false}, {"monitor_server", ""},
                                           {"collectd_password", ""}, {"metrics", json::array()},
                                           {"installation_status", ""}, {"commands", json::object()}};
    static const json::value cost = {{"hourly", 0.02}, {"monthly", 14.4}};
    json::value probe = m.probed ? probe_json(w, m, era::v1, sp) : json::value(null_probe, sp);
    std::string dns = dns_name(m, addresses);
    return json::object(
        {{"id", m.mist_id}, {"machine_id", m.provider_id}, {"name", m.name}, {"hostname", dns},
         {"public_ips", string_array(public_ips, sp)}, {"private_ips", string_array(private_ips, sp)},
         {"ssh_port", 22}, {"rdp_port", 3389}, {"os_type", "unix"}, {"state", state},
         {"image_id", m.image_id}, {"size", m.size_id},
         {"actions", {{"start", act.start}, {"stop", act.stop}, {"reboot", act.reboot}, {"destroy", act.destroy},
                      {"resize", act.resize}, {"rename", act.rename}, {"tag", act.tag}, {"resume", false},
                      {"suspend", false}, {"undefine", false}}},
         {"extra", machine_extra(shown, m, e, dns, sp)}, {"cost", json::value(cost, sp)},
         {"tags", tags_json(m, sp)}, {"monitoring", json::value(monitoring, sp)},
         {"key_associations", std::move(assocs)}, {"cloud", b.uuid}, {"cloud_title", b.title},
         {"last_seen", format_datetime(w.wall_now(), true)}, {"missing_since", ""},
         {"created", m.created_text},
         {"machine_type", b.provider == "docker" ? "container" : "machine"}, {"parent_id", ""},
         {"probe", std::move(probe)}},
        sp);
}

std::string machines_text(world& w, const backend& b, era e, machine_source source) {
    std::string out;
    out.reserve(b.machines.size() * (e == era::v1 ? 1700 : 500) + 2);
    out += '[';
    // v1's "last_seen" is now, to the second: put in each time, not a reason to render again.
    const std::string now_text = e == era::v1 ? format_datetime(w.wall_now(), true) : std::string();
    bool first = true;
    for (auto& m : b.machines) {
        machine::rendered& c = m->cache[e == era::v1 ? 1 : 0];
        const bool record = source == machine_source::record;
        const auto [state, addresses] = shown_of(w, *m, source);
        bool reachable = w.reachable(*m);
        if (c.world_version != w.version() || c.revision != m->revision || c.state != state || c.reachable != reachable ||
            c.addresses != addresses || c.record != record) {
            {
                // A fresh arena per machine, on the stack: a list of 100,000 does not grow one.
                unsigned char block[16 * 1024];
                json::monotonic_resource arena(block, sizeof block);
                c.text = to_python_json(machine_json(w, *m, e, &arena, source));
            }
            c.last_seen_at = std::string::npos;
            if (e == era::v1) {
                constexpr std::string_view key = "\"last_seen\": \"";
                if (auto at = c.text.find(key); at != std::string::npos) {
                    c.last_seen_at = at + key.size();
                    c.last_seen_size = c.text.find('"', c.last_seen_at) - c.last_seen_at;
                }
            }
            c.world_version = w.version();
            c.revision = m->revision;
            c.state = state;
            c.reachable = reachable;
            c.addresses = addresses;
            c.record = record;
        }
        if (!first) out += ", ";
        first = false;
        if (c.last_seen_at == std::string::npos) {
            out += c.text;
        } else {
            out.append(c.text, 0, c.last_seen_at);
            out += now_text;
            out.append(c.text, c.last_seen_at + c.last_seen_size);
        }
    }
    out += ']';
    return out;
}

json::value associations_json(const key_record& k, era e) {
    json::array a;
    for (auto& assoc : k.machines) {
        json::array t;
        t.emplace_back(e == era::legacy ? assoc.backend_legacy_id : assoc.backend_uuid);
        t.emplace_back(assoc.machine_provider_id);
        if (assoc.last_used == 0) t.emplace_back(0);
        else t.emplace_back(e == era::legacy ? json::value(assoc.last_used)
                                             : json::value(static_cast<std::int64_t>(assoc.last_used)));
        t.push_back(assoc.ssh_user ? json::value(*assoc.ssh_user) : json::value(nullptr));
        t.emplace_back(assoc.sudo);
        t.emplace_back(assoc.port);
        a.push_back(std::move(t));
    }
    return a;
}

json::value key_json(const key_record& k, era e) {
    if (e == era::legacy)
        return json::object{{"id", k.name}, {"isDefault", k.is_default}, {"machines", associations_json(k, e)}};
    return json::object{{"id", k.uuid}, {"name", k.name}, {"isDefault", k.is_default},
                        {"machines", associations_json(k, e)}, {"tags", json::array{}}};
}

json::value keys_json(world& w, era e) {
    json::array a;
    for (auto& k : w.keys()) a.push_back(key_json(*k, e));
    return a;
}

bool image_starred(const backend& b, const image_info& image) {
    auto it = b.star_overrides.find(image.id);
    return it != b.star_overrides.end() ? it->second : image.starred_by_default;
}

json::value images_json(const backend& b, era e, std::string_view search) {
    std::vector<image_info> images = images_of(b.provider, b.region);
    std::string needle = to_lower(search);
    std::vector<const image_info*> picked;
    for (auto& img : images) {
        if (needle.empty()) {
            // The list call shows the catalogue's own images and anything starred.
            if (img.community && !image_starred(b, img)) continue;
        } else if (to_lower(img.id).find(needle) == std::string::npos &&
                   to_lower(img.name).find(needle) == std::string::npos) {
            continue;
        }
        if (e == era::legacy) {
            std::string n = to_lower(img.name);
            if (img.name.empty() || img.id.starts_with("aki") || img.id.starts_with("ari") ||
                n.find("windows") != std::string::npos)
                continue;
        }
        picked.push_back(&img);
    }
    if (e == era::v1)
        std::stable_sort(picked.begin(), picked.end(), [&](auto* x, auto* y) {
            bool sx = image_starred(b, *x), sy = image_starred(b, *y);
            if (sx != sy) return sx;
            return x->name < y->name;
        });
    if (!needle.empty() && picked.size() > 40) picked.resize(40);
    json::array a;
    for (auto* img : picked)
        a.push_back(json::object{{"id", img->id}, {"name", img->name}, {"star", image_starred(b, *img)},
                                 {"extra", img->extra}});
    return a;
}

json::value ping_only_json(bool pingable) {
    if (!pingable) return json::object{};
    return json::object{{"packets_tx", 10}, {"packets_rx", 10}, {"packets_loss", 0.0},
                        {"rtt_min", 0.421}, {"rtt_avg", 0.512}, {"rtt_max", 0.689}};
}

json::value probe_json(world& w, const machine& m, era e, const json::storage_ptr& sp) {
    double uptime = std::max(0.0, w.wall_now() - reach_wall(w, m) + 12.0);
    if (e == era::legacy) {
        char up[64];
        std::snprintf(up, sizeof up, "\n%.2f %.2f\n", uptime, uptime * 1.95);
        json::object macs;
        for (auto& ip : m.public_ips) macs[ip] = mac_of(m);
        json::object o{{"uptime", up}, {"loadavg", json::array{"0.00", "0.01", "0.05\n"}}, {"cores", "\n1\n"},
                       {"users", "1"}, {"pub_ips", string_array(m.public_ips, sp)},
                       {"priv_ips", string_array(m.private_ips, sp)}, {"macs", std::move(macs)},
                       {"df", "\nFilesystem Size Used Avail Use% Mounted on\n/dev/xvda1 7.9G 1.1G 6.4G 15% /\n"
                              "udev 991M 12K 991M 1% /dev\ntmpfs 201M 188K 200M 1% /run\n"},
                       {"timestamp", w.wall_now()}};
        json::value ping = ping_only_json(true);
        for (auto& kv : ping.as_object()) o[kv.key()] = kv.value();
        return o;
    }
    double at = m.last_probe_wall > 0 ? m.last_probe_wall : w.wall_now();
    return json::object{
        {"ping", json::object{{"packets_tx", 10}, {"packets_rx", 10}, {"packets_loss", 0.0}, {"rtt_min", 0.42},
                              {"rtt_max", 0.69}, {"rtt_avg", 0.51}, {"rtt_std", 0.08},
                              {"updated_at", format_datetime(at, true)}}},
        {"ssh", json::object{{"uptime", std::round(uptime * 100) / 100}, {"loadavg", json::array{0.0, 0.01, 0.05}},
                             {"cores", 1}, {"users", 1}, {"pub_ips", string_array(m.public_ips, sp)},
                             {"priv_ips", string_array(m.private_ips, sp)},
                             {"df", "Filesystem Size Used Avail Use% Mounted on\n/dev/xvda1 7.9G 1.1G 6.4G 15% /"},
                             {"macs", json::array{}}, {"kernel", "4.4.0-104-generic"}, {"os", "ubuntu"},
                             {"os_version", "16.04"}, {"dirty_cow", false},
                             {"updated_at", format_datetime(at + 1.2, true)}}}};
}

json::value job_json(world& w, const job_record& j, era e) {
    struct counter { int success = 0, error = 0, skipped = 0, pending = 0; };
    counter create, probe, script, monitoring;
    std::vector<std::pair<double, json::object>> logs;
    double now = w.wall_now();
    double last_event = j.started_wall;
    json::value first_error = false;
    std::string backend_id = e == era::legacy ? j.backend_legacy_id : j.backend_uuid;

    logs.push_back({j.started_wall, json::object{{"type", "request"}, {"action", "create_machine"},
                                                 {"time", j.started_wall}, {"error", false}, {"job_id", j.id}}});
    if (j.async) {
        json::array names;
        for (auto& n : j.names) names.emplace_back(n);
        logs.push_back({j.started_wall, json::object{{"type", "job"}, {"action", "async_machine_creation_started"},
                                                     {"time", j.started_wall}, {"error", false},
                                                     {"quantity", j.quantity}, {"machine_names", std::move(names)},
                                                     {"job_id", j.id}}});
    }
    auto bump_all = [&](int counter::*field) {
        ++(probe.*field);
        ++(script.*field);
        ++(monitoring.*field);
    };
    for (int i = 0; i < j.quantity; ++i) {
        const std::string& err = j.errors[i];
        machine* m = j.created_mist_ids[i].empty() ? nullptr : w.find_machine_by_mist_id(j.created_mist_ids[i]);
        if (!err.empty()) {
            ++create.error;
            bump_all(&counter::skipped);
            last_event = std::max(last_event, j.created_wall[i]);
            if (first_error.is_bool()) first_error = err;
            logs.push_back({j.created_wall[i], json::object{{"type", "job"}, {"action", "machine_creation_finished"},
                                                            {"machine_name", j.names[i]}, {"error", err},
                                                            {"time", j.created_wall[i]}, {"job_id", j.id}}});
            continue;
        }
        if (j.created_mist_ids[i].empty()) {
            ++create.pending;
            bump_all(&counter::pending);
            continue;
        }
        ++create.success;
        std::string provider_id = m ? m->provider_id : "";
        logs.push_back({j.created_wall[i], json::object{{"type", "job"}, {"action", "machine_creation_finished"},
                                                        {"machine_name", j.names[i]}, {"machine_id", provider_id},
                                                        {"error", false}, {"time", j.created_wall[i]},
                                                        {"job_id", j.id}}});
        last_event = std::max(last_event, j.created_wall[i]);
        double reached = m ? reach_wall(w, *m) : j.created_wall[i];
        if (!m || reached > now) {
            bump_all(&counter::pending);
            continue;
        }
        ++probe.success;
        ++monitoring.success;
        last_event = std::max(last_event, reached);
        std::string host = m->public_ips.empty() ? (m->private_ips.empty() ? "" : m->private_ips[0]) : m->public_ips[0];
        logs.push_back({reached, json::object{{"type", "job"}, {"action", "probe"}, {"machine_id", provider_id},
                                              {"host", host}, {"key_id", ""}, {"ssh_user", "root"},
                                              {"result", json::object{{"uptime", "0.5"}}}, {"error", false},
                                              {"time", reached}, {"job_id", j.id}}});
        // The post-deploy script runs once SSH answers and takes its time; its exit code
        // is reported, and a failure does not end the post-deploy steps.
        double deployed = reached;
        if (j.has_script) {
            logs.push_back({reached, json::object{{"type", "job"}, {"action", "deployment_script_started"},
                                                  {"machine_id", provider_id}, {"command", j.script_command},
                                                  {"error", false}, {"time", reached}, {"job_id", j.id}}});
            deployed = reached + std::chrono::duration<double>(w.options().script_duration).count();
            if (deployed > now) {
                ++script.pending;
                continue;
            }
            script_outcome outcome = w.script_outcome_for(m->name, j.script_command);
            ++(outcome.exit_code == 0 ? script.success : script.error);
            last_event = std::max(last_event, deployed);
            logs.push_back({deployed, json::object{{"type", "job"}, {"action", "deployment_script_finished"},
                                                   {"machine_id", provider_id}, {"return_value", outcome.exit_code},
                                                   {"command", j.script_command}, {"stdout", outcome.stdout_text},
                                                   {"error", outcome.exit_code != 0}, {"time", deployed},
                                                   {"job_id", j.id}}});
        } else {
            ++script.success;
        }
        if (j.has_monitoring)
            logs.push_back({deployed, json::object{{"type", "job"}, {"action", "deploy_collectd_finished"},
                                                   {"machine_id", provider_id}, {"error", false}, {"time", deployed},
                                                   {"job_id", j.id}}});
        logs.push_back({deployed, json::object{{"type", "job"}, {"action", "post_deploy_finished"},
                                               {"machine_id", provider_id}, {"error", false}, {"time", deployed},
                                               {"job_id", j.id}}});
    }
    std::stable_sort(logs.begin(), logs.end(), [](auto& a, auto& b) { return a.first < b.first; });
    bool finished = create.pending == 0 && probe.pending == 0 && script.pending == 0;
    json::array log_array;
    for (auto& [t, entry] : logs) {
        entry[e == era::legacy ? "backend_id" : "cloud_id"] = backend_id;
        log_array.push_back(std::move(entry));
    }
    json::object doc{{"story_id", j.id}, {"type", "job"}, {"job_id", j.id}, {"owner_id", "owner"},
                     {"cloud_id", backend_id}, {"error", first_error}, {"started_at", j.started_wall},
                     {"finished_at", finished ? json::value(last_event) : json::value(0)}};
    if (e == era::legacy) {
        doc["user_id"] = "user";
        doc["quantity"] = j.quantity;
        auto counter_json = [](const counter& c) {
            return json::object{{"success", c.success}, {"error", c.error}, {"skipped", c.skipped},
                                {"pending", c.pending}};
        };
        json::object summary{{"create", counter_json(create)}, {"probe", counter_json(probe)}};
        if (j.has_script) summary["script"] = counter_json(script);
        if (j.has_monitoring) summary["monitoring"] = counter_json(monitoring);
        doc["summary"] = std::move(summary);
    }
    doc["logs"] = std::move(log_array);
    return doc;
}

json::value script_run_json(world& w, const script_run& r, era e) {
    const double now = w.wall_now();
    const std::string backend_id = e == era::legacy ? r.backend_legacy_id : r.backend_uuid;
    const bool finished = now >= r.finished_wall;
    json::array logs;
    auto entry = [&](json::object o) {
        o["type"] = "job";
        o["job_id"] = r.job_id;
        o[e == era::legacy ? "backend_id" : "cloud_id"] = backend_id;
        o["machine_id"] = r.machine_provider_id;
        o["external_id"] = r.machine_provider_id;
        o["script_id"] = r.script_id;
        logs.push_back(std::move(o));
    };
    logs.push_back(json::object{{"type", "request"}, {"action", "run_script"}, {"time", r.started_wall}, {"error", false},
                                {"job_id", r.job_id}, {"script_id", r.script_id}});
    json::value error = false;
    if (!r.error.empty()) {
        error = r.error;
        entry({{"action", "script_finished"}, {"time", r.finished_wall}, {"exit_code", -255}, {"stdout", ""}, {"error", r.error}});
    } else {
        entry({{"action", "script_started"}, {"time", r.started_wall}, {"error", false}, {"params", r.params}});
        if (finished) {
            json::value failed = false;
            if (r.outcome.exit_code > 0) failed = "Script exited with code " + std::to_string(r.outcome.exit_code);
            if (!failed.is_bool()) error = failed;
            entry({{"action", "script_finished"}, {"time", r.finished_wall}, {"exit_code", r.outcome.exit_code},
                   {"stdout", r.outcome.stdout_text}, {"error", failed}});
        }
    }
    return json::object{{"story_id", r.job_id}, {"type", "job"}, {"job_id", r.job_id}, {"owner_id", "owner"},
                        {"cloud_id", backend_id}, {"error", error}, {"started_at", r.started_wall},
                        {"finished_at", finished ? json::value(r.finished_wall) : json::value(0)}, {"logs", std::move(logs)}};
}

json::value token_json(const api_token& t, const world_options& o, bool full_token) {
    const std::string& email = o.email;
    std::string shown = full_token ? t.token : t.token.substr(0, 4) + "...";
    return json::object{{"id", t.id}, {"name", t.name}, {"ttl", t.ttl}, {"token", shown},
                        {"created_at", format_datetime(t.created_wall, true)},
                        {"last_accessed_at", t.last_accessed_wall > 0 ? format_datetime(t.last_accessed_wall, true)
                                                                       : std::string("Never")},
                        {"ip_address", "127.0.0.1"}, {"user_agent", ""}, {"org_id", o.org_id},
                        {"org_name", o.org_name}, {"user_id", sha1_hex(std::string(email) + "u").substr(0, 32)}};
}

}  // namespace mistasync::sim
