// provision --dry-run: everything a batch needs is checked against the server — its
// images, sizes, locations and keys exist on the backend, its names are free — and the
// plan is printed. Nothing is created.
#include "cli.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <map>
#include <set>

#include <sys/stat.h>

namespace mistcli {

namespace json = boost::json;
using boost::asio::awaitable;
using namespace mistasync;

namespace {

template <class T>
std::set<std::string> ids_of(const std::vector<T>& items) {
    std::set<std::string> out;
    for (auto& i : items) out.insert(i.id);
    return out;
}

// Each distinct value the specs use for one field, and the names that use it.
std::map<std::string, std::vector<std::string>> uses(const std::vector<machine_spec>& specs, std::string machine_spec::*field) {
    std::map<std::string, std::vector<std::string>> out;
    for (auto& s : specs)
        if (!(s.*field).empty()) out[s.*field].push_back(s.name);
    return out;
}

std::string some_names(const std::vector<std::string>& names) {
    std::string out = names.front();
    if (names.size() > 1) out += " and " + std::to_string(names.size() - 1) + " more";
    return out;
}

}  // namespace

// `names`: also whether the names are free (a real run leaves that to the batch, which
// knows from its journal which of them are its own).
awaitable<std::vector<std::string>> plan_problems(context& c, const backend& b, const std::vector<machine_spec>& specs,
                                                  const provision_options& o, bool names) {
    std::vector<std::string> problems;
    // What the SDK would refuse before sending (an --extra that is not a JSON object, or
    // sets a field twice; a v1-only field on a 2015 server): every create would meet it.
    if (std::string why = machine_spec_problem(specs.front(), c.mist.era()); !why.empty()) problems.push_back(why);
    // Images: the backend's list, else a search (a list shows the starred ones only).
    auto images = ids_of(co_await b.images());
    for (auto& [image, names] : uses(specs, &machine_spec::image)) {
        if (images.contains(image)) continue;
        auto found = ids_of(co_await b.search_images(image));
        if (!found.contains(image)) problems.push_back("image " + image + " is not on backend " + b.title + " (" + some_names(names) + ")");
    }
    auto sizes = ids_of(co_await b.sizes());
    for (auto& [size, names] : uses(specs, &machine_spec::size))
        if (!sizes.contains(size)) problems.push_back("size " + size + " is not on backend " + b.title + " (" + some_names(names) + ")");
    auto locations = ids_of(co_await b.locations());
    for (auto& [location, names] : uses(specs, &machine_spec::location))
        if (!locations.contains(location))
            problems.push_back("location " + location + " is not on backend " + b.title + " (" + some_names(names) + ")");
    auto keys = ids_of(co_await c.mist.keys());
    for (auto& [key, names] : uses(specs, &machine_spec::key))
        if (!keys.contains(key)) problems.push_back("key " + key + " does not exist (" + some_names(names) + ")");
    if (!o.run_script_id.empty()) {
        bool found = false;
        for (auto& s : co_await c.mist.scripts()) found = found || s.id == o.run_script_id;
        if (!found) problems.push_back("script " + o.run_script_id + " (--run-script) does not exist");
    }
    std::set<std::string> named;  // (two specs of one name are refused before any request)
    for (auto& s : specs) named.insert(s.name);
    // Names already taken: a journal of an earlier run knows which of them are the batch's
    // own (the batch decides when it starts).
    struct stat st {};
    const bool resuming = !o.journal_path.empty() && ::stat(o.journal_path.c_str(), &st) == 0 && st.st_size > 0;
    std::vector<std::string> taken;
    if (names && !resuming)
        for (auto& m : co_await b.machines())
            if (named.contains(m.name) && m.state != machine_state::terminated) taken.push_back(m.name + " (" + m.id + ")");
    if (!taken.empty() && !o.allow_existing_names)
        problems.push_back(std::to_string(taken.size()) + " of the names are taken on " + b.title + ": " + taken.front() +
                           (taken.size() > 1 ? ", …" : "") + " (--allow-existing-names keeps those machines out of the batch)");
    for (auto& p : problems) p = terminal_safe_line(p);
    co_return problems;
}

awaitable<std::size_t> preflight_problems(context& c, const backend& b, const std::vector<machine_spec>& specs, const provision_options& o) {
    auto problems = co_await plan_problems(c, b, specs, o, false);
    for (auto& p : problems) std::fprintf(stderr, "mistasync: %s\n", p.c_str());
    co_return problems.size();
}

awaitable<int> print_plan(context& c, const backend& b, const std::vector<machine_spec>& specs, const provision_options& o) {
    std::vector<std::string> problems = co_await plan_problems(c, b, specs, o, true);
    const std::size_t in_flight = std::min(o.concurrency, specs.size());
    // A v2 server plans a machine itself (a dry run of its create): the first one's plan.
    json::value server_plan = nullptr;
    if (problems.empty() && !specs.empty() && c.mist.era() == api_era::v2) {
        auto [ec, plan] = co_await b.plan_machine(specs.front(), boost::asio::as_tuple(boost::asio::use_awaitable));
        if (ec) problems.push_back("the server could not plan " + terminal_safe_line(specs.front().name) + ": " + ec.message());
        else server_plan = json::parse(plan);
    }
    if (c.json) {
        json::array machines;
        for (auto& s : specs)
            machines.push_back(json::object{{"name", s.name}, {"image", s.image}, {"size", s.size}, {"location", s.location}, {"key", s.key}});
        json::array issues;
        for (auto& p : problems) issues.push_back(json::string(p));
        print_json(json::object{{"backend", b.title},
                                {"backend_id", b.id},
                                {"provider", b.provider},
                                {"machines", std::move(machines)},
                                {"concurrency", in_flight},
                                {"max_attempts", o.max_attempts},
                                {"problems", std::move(issues)},
                                {"server_plan", server_plan},
                                {"ok", problems.empty()}});
    } else {
        std::printf("plan: %zu machine(s) on %s (%s), at most %zu create(s) in flight, up to %u per name\n", specs.size(),
                    terminal_safe_line(b.title).c_str(), b.provider.c_str(), in_flight, o.max_attempts);
        std::vector<std::vector<std::string>> rows;
        for (auto& s : specs) {
            if (rows.size() == 30) break;
            rows.push_back({s.name, s.image, s.size, s.location, s.key});
        }
        print_table({"NAME", "IMAGE", "SIZE", "LOCATION", "KEY"}, rows);
        if (specs.size() > rows.size()) std::printf("(%zu more)\n", specs.size() - rows.size());
        if (!server_plan.is_null())
            std::printf("the server's plan for %s: %s\n", terminal_safe_line(specs.front().name).c_str(),
                        terminal_safe_line(json::serialize(server_plan)).c_str());
    }
    for (auto& p : problems) std::fprintf(stderr, "mistasync: %s\n", p.c_str());
    std::fprintf(stderr, problems.empty() ? "dry run: the plan can run; nothing was created\n"
                                          : "dry run: the plan cannot run as it is; nothing was created\n");
    co_return problems.empty() ? ok : api_failure;
}

}  // namespace mistcli
