// The network verbs: list, create and delete a backend's networks and their subnets.
// A network or subnet is named by id or by name (lookup.hpp).
#include "cli.hpp"
#include "commands.hpp"
#include "lookup.hpp"

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

// A network by mist's id, the provider's, or its name.
awaitable<network> find_network(const backend& b, const std::string& ref) {
    co_return pick_one(
        co_await b.networks(), ref, "network", [&](const network& n) { return n.id == ref || n.external_id == ref; },
        [&](const network& n) { return n.name == ref; });
}

std::optional<subnet_spec> subnet_from(const arguments& a, option_name cidr_flag, option_name name_flag) {
    if (!a.has(cidr_flag)) {
        if (a.has(opt::availability_zone) || a.has(name_flag))
            throw usage_failure(std::string(cidr_flag.text) + " is required for a subnet");
        return std::nullopt;
    }
    return subnet_spec{.cidr = a.get(cidr_flag), .name = a.get(name_flag), .availability_zone = a.get(opt::availability_zone)};
}

}  // namespace

awaitable<int> list_networks_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.required(opt::backend));
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
    network_spec spec{.name = a.get(opt::name), .cidr = a.get(opt::cidr), .description = a.get(opt::description),
                      .subnet = subnet_from(a, opt::subnet_cidr, opt::subnet_name)};
    if (spec.name.empty() && spec.cidr.empty()) throw usage_failure("create-network needs --name or --cidr");
    backend b = co_await find_backend(c.mist, a.required(opt::backend));
    network made = co_await b.create_network(std::move(spec));
    if (c.json) print_json(network_doc(made));
    else std::printf("created network %s (%s)\n", terminal_safe_line(made.name).c_str(), terminal_safe_line(made.id).c_str());
    co_return ok;
}

awaitable<int> delete_network_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.required(opt::backend));
    network n = co_await find_network(b, c.args.subject("NETWORK"));
    co_await b.delete_network(n.id);
    co_return print_done(c, "deleted", n.name, n.id);
}

awaitable<int> list_subnets_command(context& c) {
    backend b = co_await find_backend(c.mist, c.args.required(opt::backend));
    network n = co_await find_network(b, c.args.subject("NETWORK"));
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
    auto spec = subnet_from(a, opt::cidr, opt::name);
    if (!spec) throw usage_failure("create-subnet needs --cidr");
    backend b = co_await find_backend(c.mist, a.required(opt::backend));
    network n = co_await find_network(b, a.subject("NETWORK"));
    subnet made = co_await b.create_subnet(n.id, std::move(*spec));
    if (c.json) print_json(subnet_doc(made));
    else std::printf("created subnet %s (%s) in %s\n", terminal_safe_line(made.cidr).c_str(), terminal_safe_line(made.id).c_str(),
                     terminal_safe_line(n.name).c_str());
    co_return ok;
}

awaitable<int> delete_subnet_command(context& c) {
    const arguments& a = c.args;
    backend b = co_await find_backend(c.mist, a.required(opt::backend));
    network n = co_await find_network(b, a.required(opt::network));
    const std::string ref = a.subject("SUBNET");
    const subnet s = pick_one(
        n.subnets, ref, "subnet", [&](const subnet& x) { return x.id == ref; },
        [&](const subnet& x) { return x.name == ref || x.cidr == ref; });
    co_await b.delete_subnet(n.id, s.id);
    co_return print_done(c, "deleted", s.name.empty() ? s.cidr : s.name, s.id);
}

}  // namespace mistcli
