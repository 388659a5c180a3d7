// The backend verbs: list, add, describe, rename, delete; providers; a backend's images,
// sizes and locations.
#include "cli.hpp"
#include "command_support.hpp"
#include "commands.hpp"
#include "lookup.hpp"
#include "verbs.hpp"

#include <boost/json.hpp>

namespace mistcli {

namespace json = boost::json;
namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;

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

awaitable<int> list_backends_command(context& c) {
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

awaitable<int> add_backend_command(context& c) {
    backend_spec spec;
    spec.title = c.args.required(opt::title);
    spec.provider = c.args.required(opt::provider);
    for (auto& f : c.args.all(opt::field)) spec.fields.push_back(key_value(f, "--field"));
    // The Python client's per-provider options (--docker-host ...), each one field.
    for (const provider_flag& f : provider_flags()) {
        const option_name flag{f.flag};  // a row of the verb table: declared by construction
        if (c.args.has(flag)) spec.fields.emplace_back(f.field, f.from_file ? read_text_file(c.args.get(flag), f.flag) : c.args.get(flag));
    }
    auto b = co_await c.mist.add_backend(spec);
    if (c.json) print_json(json::object{{"id", b.id}, {"title", b.title}, {"provider", b.provider}});
    else std::printf("added backend %s (%s)\n", terminal_safe_line(b.title).c_str(), terminal_safe_line(b.id).c_str());
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

awaitable<int> list_images_command(context& c) {
    auto b = co_await backend_arg(c);
    // "--search all" is every image, as in the Python client; --starred keeps the starred
    // ones (what the Python client shows by default).
    const std::string search = c.args.get(opt::search);
    auto list = search.empty() || search == "all" ? co_await b.images() : co_await b.search_images(search);
    if (c.args.has(opt::starred)) std::erase_if(list, [](const image& i) { return !i.starred; });
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

awaitable<int> list_sizes_command(context& c) {
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

awaitable<int> list_locations_command(context& c) {
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

}  // namespace mistcli
