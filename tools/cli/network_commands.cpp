// The network verbs: list, create and delete a backend's networks and their subnets.
// A network or subnet is named by id or by name (exactly one must match).
#include "cli.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace mistcli {

namespace json = boost::json;
using boost::asio::awaitable;
using namespace mistasync;

namespace {

json::object subnet_doc(const subnet& s) {
    return {{"id", s.id}, {"name", s.name}, {"cidr", s.cidr}, {"network", s.network_id}, {"availability_zone", s.availability_zone}};
}

json::object network_doc(const network& n) {
    json::array subnets;
    for (auto& s : n.subnets) subnets.push_back(subnet_doc(s));
    return {{"id", n.id}, {"external_id", n.external_id}, {"name", n.name}, {"cidr", n.cidr},
            {"description", n.description}, {"public", n.is_public}, {"subnets", std::move(subnets)}};
}

void print_subnets(const std::vector<subnet>& list) {
    std::vector<std::vector<std::string>> rows;
    for (auto& s : list) rows.push_back({s.name, s.id, s.cidr, s.availability_zone});
    print_table({"NAME", "ID", "CIDR", "ZONE"}, rows);
}

awaitable<network> find_network(context& c, const backend& b, const std::string& ref) {
    auto list = co_await b.networks();
    const network* found = nullptr;
    for (auto& n : list)
        if (n.id == ref || n.external_id == ref) co_return n;
    std::string ids;
    for (auto& n : list)
        if (n.name == ref) {
            ids += (ids.empty() ? "" : ", ") + n.id;
            if (found) no_match("more than one network is named '" + terminal_safe_line(ref) + "': give the id (" + ids + ")");
            found = &n;
        }
    if (!found) no_match("backend " + terminal_safe_line(b.title) + " has no network named or with the id '" + terminal_safe_line(ref) + "'");
    co_return *found;
}

std::optional<subnet_spec> subnet_from(const arguments& a, const char* cidr_flag, const char* name_flag) {
    if (!a.has(cidr_flag)) {
        if (a.has("--availability-zone") || a.has(name_flag))
            throw usage_failure(std::string(cidr_flag) + " is required for a subnet");
        return std::nullopt;
    }
    return subnet_spec{.cidr = a.get(cidr_flag), .name = a.get(name_flag), .availability_zone = a.get("--availability-zone")};
}

awaitable<int> done(context& c, const char* what, const std::string& name, const std::string& id) {
    if (c.json) print_json(json::object{{"id", id}, {"name", name}, {"done", what}});
    else std::printf("%s %s (%s)\n", what, terminal_safe_line(name).c_str(), terminal_safe_line(id).c_str());
    co_return ok;
}

}  // namespace

awaitable<int> list_networks_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.required("--backend"));
    auto list = co_await b.networks();
    if (c.json) {
        json::array a;
        for (auto& n : list) a.push_back(network_doc(n));
        print_json(a);
        co_return ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto& n : list)
        rows.push_back({n.name, n.id, n.cidr, n.is_public ? "public" : "private", std::to_string(n.subnets.size())});
    print_table({"NAME", "ID", "CIDR", "KIND", "SUBNETS"}, rows);
    co_return ok;
}

awaitable<int> create_network_command(context& c) {
    const arguments& a = c.args;
    network_spec spec{.name = a.get("--name"), .cidr = a.get("--cidr"), .description = a.get("--description"),
                      .subnet = subnet_from(a, "--subnet-cidr", "--subnet-name")};
    if (spec.name.empty() && spec.cidr.empty()) throw usage_failure("create-network needs --name or --cidr");
    backend b = co_await find_backend(c.mist, a.required("--backend"));
    network made = co_await b.create_network(std::move(spec));
    if (c.json) print_json(network_doc(made));
    else std::printf("created network %s (%s)\n", terminal_safe_line(made.name).c_str(), terminal_safe_line(made.id).c_str());
    co_return ok;
}

awaitable<int> delete_network_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.required("--backend"));
    network n = co_await find_network(c, b, c.args.subject("NETWORK"));
    co_await b.delete_network(n.id);
    co_return co_await done(c, "deleted", n.name, n.id);
}

awaitable<int> list_subnets_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.required("--backend"));
    network n = co_await find_network(c, b, c.args.subject("NETWORK"));
    auto list = co_await b.subnets(n.id);
    if (c.json) {
        json::array a;
        for (auto& s : list) a.push_back(subnet_doc(s));
        print_json(a);
    } else {
        print_subnets(list);
    }
    co_return ok;
}

awaitable<int> create_subnet_command(context& c) {
    const arguments& a = c.args;
    auto spec = subnet_from(a, "--cidr", "--name");
    if (!spec) throw usage_failure("create-subnet needs --cidr");
    backend b = co_await find_backend(c.mist, a.required("--backend"));
    network n = co_await find_network(c, b, a.subject("NETWORK"));
    subnet made = co_await b.create_subnet(n.id, std::move(*spec));
    if (c.json) print_json(subnet_doc(made));
    else std::printf("created subnet %s (%s) in %s\n", terminal_safe_line(made.cidr).c_str(), terminal_safe_line(made.id).c_str(),
                     terminal_safe_line(n.name).c_str());
    co_return ok;
}

awaitable<int> delete_subnet_command(context& c) {
    const arguments& a = c.args;
    backend b = co_await find_backend(c.mist, a.required("--backend"));
    network n = co_await find_network(c, b, a.required("--network"));
    const std::string ref = a.subject("SUBNET");
    const subnet* found = nullptr;
    for (auto& s : n.subnets)
        if (s.id == ref) found = &s;
    for (auto& s : n.subnets) {
        if (found && found->id == ref) break;
        if (s.name != ref && s.cidr != ref) continue;
        if (found) no_match("more than one subnet of " + terminal_safe_line(n.name) + " is named '" + terminal_safe_line(ref) + "': give the id");
        found = &s;
    }
    if (!found) no_match("network " + terminal_safe_line(n.name) + " has no subnet named, with the range or the id '" + terminal_safe_line(ref) + "'");
    const subnet s = *found;
    co_await b.delete_subnet(n.id, s.id);
    co_return co_await done(c, "deleted", s.name.empty() ? s.cidr : s.name, s.id);
}

}  // namespace mistcli
