#include "network_support.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace mistasync::sim {
namespace json = boost::json;

namespace {

// netaddr.cidr_to_glob's rule for what mist.api accepts: an IPv4 address and a prefix.
bool valid_ipv4_cidr(std::string_view cidr) {
    auto slash = cidr.find('/');
    std::string_view address = cidr.substr(0, slash);
    int parts = 0;
    while (!address.empty()) {
        auto dot = address.find('.');
        std::string_view part = address.substr(0, dot);
        unsigned value = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (ec != std::errc{} || end != part.data() + part.size() || part.empty() || value > 255) return false;
        ++parts;
        address = dot == std::string_view::npos ? std::string_view{} : address.substr(dot + 1);
        if (dot != std::string_view::npos && address.empty()) return false;
    }
    if (parts != 4) return false;
    if (slash == std::string_view::npos) return true;
    std::string_view prefix = cidr.substr(slash + 1);
    unsigned bits = 0;
    auto [end, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
    return ec == std::errc{} && end == prefix.data() + prefix.size() && !prefix.empty() && bits <= 32;
}

// GCE's names: lowercase letters, digits and hyphens, starting with a letter.
bool gce_name(std::string_view name) {
    if (name.empty() || name.size() > 63 || name.front() < 'a' || name.front() > 'z' || name.back() == '-') return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

network_record seed(world& w, std::string external_id, std::string name, std::string cidr, bool router_external) {
    network_record n;
    n.id = w.random_hex(32);
    n.external_id = std::move(external_id);
    n.name = std::move(name);
    n.cidr = std::move(cidr);
    n.router_external = router_external;
    n.created_wall = w.wall_now();
    return n;
}

}  // namespace

bool has_network_support(std::string_view provider) {
    static constexpr std::array with{"ec2", "gce", "openstack", "azure_arm", "vultr", "vsphere", "lxd", "libvirt", "alibaba", "vexxhost"};
    return std::find(with.begin(), with.end(), provider) != with.end();
}

std::vector<network_record>& cloud_networks(world& w, backend& b) {
    network_store& store = b.networks;
    if (store.seeded) return store.networks;
    store.seeded = true;
    if (b.provider == "ec2") {
        auto vpc = seed(w, "vpc-" + w.random_hex(8), "default", "172.31.0.0/16", false);
        add_subnet(w, vpc, {.name = "default-a", .cidr = "172.31.0.0/20", .availability_zone = (b.region.empty() ? "us-east-1" : b.region) + "a"});
        store.networks.push_back(std::move(vpc));
    } else if (b.provider == "openstack") {
        // The same provider ids as the 2015 list (networks_of).
        auto pub = seed(w, "4f0b5f8e-6d1a-4c1e-9a4b-1f2e3d4c5b6a", "public", "", true);
        add_subnet(w, pub, {.external_id = "pub", .name = "pub-subnet", .cidr = "172.24.4.0/24"});
        auto priv = seed(w, "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f", "private", "", false);
        add_subnet(w, priv, {.external_id = "priv", .name = "priv-subnet", .cidr = "10.0.0.0/24"});
        store.networks.push_back(std::move(pub));
        store.networks.push_back(std::move(priv));
    } else if (b.provider == "gce") {
        store.networks.push_back(seed(w, w.random_hex(19), "default", "", false));
    }
    return store.networks;
}

network_record& add_network(world& w, backend& b, network_record n) {
    auto& list = cloud_networks(w, b);
    n.id = w.random_hex(32);
    if (n.external_id.empty())
        n.external_id = b.provider == "ec2" ? "vpc-" + w.random_hex(8) : w.random_hex(8) + "-" + w.random_hex(4) + "-" + w.random_hex(4);
    n.created_wall = w.wall_now();
    list.push_back(std::move(n));
    return list.back();
}

subnet_record& add_subnet(world& w, network_record& n, subnet_record s) {
    s.id = w.random_hex(32);
    if (s.external_id.empty()) s.external_id = "subnet-" + w.random_hex(8);
    s.created_wall = w.wall_now();
    n.subnets.push_back(std::move(s));
    return n.subnets.back();
}

std::optional<std::string> network_problem(std::string_view provider, const network_record& n) {
    if (provider == "ec2" || provider == "azure_arm") {
        if (n.cidr.empty()) return "Missing IPv4 range in CIDR notation";
    } else if (provider == "gce") {
        if (!n.cidr.empty()) return "CIDR cannot be set on Google Networks";
        if (!gce_name(n.name)) return "A **lowercase** name must be specified";
    }
    if (!n.cidr.empty() && !valid_ipv4_cidr(n.cidr)) return "invalid IPNetwork " + n.cidr;
    return std::nullopt;
}

std::optional<std::string> subnet_problem(std::string_view provider, const network_record&, const subnet_record& s) {
    if ((provider == "ec2" || provider == "alibaba") && s.availability_zone.empty()) return "Field is required: ['availability_zone']";
    if (provider == "gce" && !gce_name(s.name)) return "A **lowercase** name must be specified";
    if (!valid_ipv4_cidr(s.cidr)) return "invalid IPNetwork " + s.cidr;
    return std::nullopt;
}

bool network_known(world& w, backend& b, era e, std::string_view id) {
    if (e == era::legacy) {
        json::value nets = networks_of(b.provider);
        for (const char* kind : {"public", "private"})
            for (auto& n : nets.at(kind).as_array())
                if (n.at("id").as_string() == id) return true;
        return false;
    }
    auto& list = cloud_networks(w, b);
    return std::any_of(list.begin(), list.end(), [&](const network_record& n) { return n.id == id || n.external_id == id; });
}

std::size_t network_count(world& w, backend& b, era e) {
    if (e == era::legacy) {
        json::value nets = networks_of(b.provider);
        return nets.at("public").as_array().size() + nets.at("private").as_array().size();
    }
    return cloud_networks(w, b).size();
}

json::object subnet_json(const backend& b, const network_record& n, const subnet_record& s) {
    json::object o{{"id", s.id},           {"cloud", b.uuid},       {"network", n.id},
                   {"external_id", s.external_id}, {"name", s.name}, {"cidr", s.cidr},
                   {"description", s.description}, {"extra", json::object{}}, {"tags", json::object{}},
                   {"created", format_datetime(s.created_wall, true)}, {"last_seen", format_datetime(s.created_wall, true)}};
    if (b.provider == "ec2") o["availability_zone"] = s.availability_zone;
    if (b.provider == "openstack") {
        o["gateway_ip"] = "";
        o["ip_version"] = 4;
        o["enable_dhcp"] = true;
        o["dns_nameservers"] = json::array{};
        o["allocation_pools"] = json::array{};
    }
    return o;
}

json::object network_json(const backend& b, const network_record& n) {
    json::object subnets;
    for (auto& s : n.subnets) subnets[s.id] = subnet_json(b, n, s);
    json::object o{{"id", n.id},
                   {"subnets", std::move(subnets)},
                   {"cloud", b.uuid},
                   {"external_id", n.external_id},
                   {"name", n.name},
                   {"cidr", n.cidr.empty() ? json::value(nullptr) : json::value(n.cidr)},
                   {"description", n.description},
                   {"extra", json::object{}},
                   {"created", format_datetime(n.created_wall, true)},
                   {"last_seen", format_datetime(n.created_wall, true)},
                   {"tags", json::object{}},
                   {"owned_by", ""},
                   {"created_by", ""},
                   {"location", ""}};
    if (b.provider == "ec2") o["instance_tenancy"] = "default";
    if (b.provider == "openstack") {
        o["shared"] = false;
        o["admin_state_up"] = true;
        o["router_external"] = n.router_external;
    }
    if (b.provider == "gce") o["mode"] = "legacy";
    return o;
}

}  // namespace mistasync::sim
