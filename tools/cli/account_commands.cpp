// The verbs that read or change one backend, key or machine by name (describe-, rename-,
// delete-, tags), the provider list and user-info.
#include "cli.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace mistcli {

namespace json = boost::json;
using boost::asio::awaitable;
using namespace mistasync;

namespace {

// The server's JSON for a thing: parsed back, so that --json prints one document.
json::value server_json(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? json::value(text) : v;
}

void print_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::vector<std::vector<std::string>> rows;
    for (auto& [name, value] : fields) rows.push_back({name, value});
    print_table({"FIELD", "VALUE"}, rows);
}

std::string new_name(context& c) { return c.args.required("--new-name"); }

// rename-backend and rename-key.
template <class Thing>
awaitable<int> renamed(context& c, const Thing& thing, const std::string& name) {
    co_await thing.rename(name);
    co_return print_done(c, "renamed to", name, thing.id);
}

// delete-backend and delete-key.
template <class Thing>
awaitable<int> deleted(context& c, const Thing& thing, const std::string& name) {
    co_await thing.remove();
    co_return print_done(c, "deleted", name, thing.id);
}

}  // namespace

awaitable<int> list_providers_command(context& c) {
    auto list = co_await c.mist.providers();
    if (c.json) {
        json::array a;
        for (auto& p : list) {
            json::array regions;
            for (auto& r : p.regions) regions.push_back(json::object{{"id", r.id}, {"location", r.location}});
            a.push_back(json::object{{"id", p.id}, {"title", p.title}, {"regions", regions}});
        }
        print_json(a);
        co_return ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto& p : list) rows.push_back({p.title, p.id, std::to_string(p.regions.size())});
    print_table({"NAME", "ID", "REGIONS"}, rows);
    co_return ok;
}

awaitable<int> list_orgs_command(context& c) {
    auto list = co_await c.mist.organizations();
    if (c.json) {
        json::array a;
        for (auto& o : list) a.push_back(json::object{{"id", o.id}, {"name", o.name}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& o : list) rows.push_back({o.name, o.id});
        print_table({"NAME", "ID"}, rows);
    }
    co_return ok;
}

awaitable<int> describe_backend_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.subject("BACKEND"));
    if (c.json) print_json(server_json(b.info()));
    else print_fields({{"name", b.title}, {"id", b.id}, {"provider", b.provider}, {"region", b.region},
                       {"state", b.enabled ? "enabled" : "disabled"}});
    co_return ok;
}

awaitable<int> rename_backend_command(context& c) {
    const std::string name = new_name(c);  // a usage error before any request
    co_return co_await renamed(c, co_await find_backend(c.mist, c.args.subject("BACKEND")), name);
}

awaitable<int> delete_backend_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.subject("BACKEND"));
    co_return co_await deleted(c, b, b.title);
}

awaitable<int> describe_key_command(context& c) {
    key k = co_await find_key(c.mist, c.args.subject("KEY"));
    std::string public_key = co_await k.public_key();
    std::string private_key = c.args.has("--private") ? co_await k.private_key() : std::string();
    if (c.json) {
        json::array machines;
        for (auto& a : k.associations) machines.push_back(json::object{{"backend", a.backend_id}, {"machine", a.machine_id}});
        json::object out{{"id", k.id}, {"name", k.name}, {"default", k.is_default}, {"public_key", public_key}, {"machines", machines}};
        if (!private_key.empty()) out["private_key"] = private_key;
        print_json(out);
        co_return ok;
    }
    print_fields({{"name", k.name}, {"id", k.id}, {"default", k.is_default ? "yes" : "no"}, {"public key", public_key},
                  {"machines", std::to_string(k.associations.size())}});
    if (!private_key.empty()) std::printf("%s", private_key.c_str());
    co_return ok;
}

awaitable<int> rename_key_command(context& c) {
    const std::string name = new_name(c);  // a usage error before any request
    co_return co_await renamed(c, co_await find_key(c.mist, c.args.subject("KEY")), name);
}

awaitable<int> delete_key_command(context& c) {
    key k = co_await find_key(c.mist, c.args.subject("KEY"));
    co_return co_await deleted(c, k, k.name);
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

awaitable<int> add_tag_command(context& c) {
    machine m = co_await find_machine(c, c.args.subject("MACHINE"));
    const std::string key = c.args.required("--key"), value = c.args.get("--value");
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
    const std::string key = c.args.required("--key");
    co_await m.remove_tag(key);
    co_return print_done(c, "removed tag " + key + " from", m.name, m.id);
}

awaitable<int> user_info_command(context& c) {
    std::string email = co_await c.mist.whoami();
    if (c.json) print_json(json::object{{"email", email}});
    else std::printf("%s\n", terminal_safe_line(email).c_str());
    co_return ok;
}

}  // namespace mistcli
