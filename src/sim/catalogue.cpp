#include "catalogue.hpp"

#include "crypto.hpp"

#include <boost/json.hpp>

#include <array>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

using S = machine_id_style;

const std::vector<provider_info>& providers() {
    static const std::vector<provider_info> list = {
        {"bare_metal", "Other Server", {"machine_ip", "machine_key"}, S::host, false, false},
        {"coreos", "CoreOS", {"machine_ip", "machine_key"}, S::host, false, false},
        {"azure", "Azure", {"subscription_id", "certificate"}, S::uuid, false, false},
        {"ec2", "EC2", {"api_key", "api_secret", "region"}, S::ec2, true, true},
        {"gce", "GCE", {"project_id", "private_key"}, S::gce, false, true},
        {"nephoscale", "NephoScale", {"username", "password"}, S::numeric, true, false},
        {"digitalocean", "DigitalOcean", {"token"}, S::numeric, true, false},
        {"linode", "Linode", {"api_key"}, S::numeric, true, false},
        {"openstack", "OpenStack", {"username", "password", "auth_url", "tenant_name"}, S::uuid, true, true},
        {"rackspace", "Rackspace", {"username", "api_key", "region"}, S::uuid, true, true},
        {"softlayer", "SoftLayer", {"username", "api_key"}, S::numeric, false, false},
        {"hpcloud", "HP Helion Cloud", {"username", "password", "tenant_name", "region"}, S::uuid, false, true},
        {"docker", "Docker", {"docker_host"}, S::docker, false, false},
        {"vcloud", "VMware vCloud", {"username", "password", "organization", "host"}, S::uuid, false, false},
        {"indonesian_vcloud", "Indonesian Cloud", {"username", "password", "organization", "host"}, S::uuid, false, false},
        {"libvirt", "KVM (via libvirt)", {"machine_hostname"}, S::uuid, false, false},
        {"hostvirtual", "HostVirtual", {"api_key"}, S::numeric, false, false},
        {"vultr", "Vultr", {"api_key"}, S::numeric, false, false},
        {"vsphere", "VMWare vSphere", {"username", "password", "host"}, S::uuid, false, false},
        {"packet", "Packet.net", {"api_key", "project_id"}, S::uuid, false, true},
    };
    return list;
}

constexpr std::array<region_info, 9> ec2_regions{{
    {"ec2_ap_northeast", "ap-northeast-1", "Tokyo", "Japan"},
    {"ec2_ap_southeast", "ap-southeast-1", "Singapore", "Singapore"},
    {"ec2_ap_southeast_2", "ap-southeast-2", "Sydney", "Australia"},
    {"ec2_eu_central", "eu-central-1", "Frankfurt", "Germany"},
    {"ec2_eu_west", "eu-west-1", "Ireland", "Ireland"},
    {"ec2_sa_east", "sa-east-1", "Sao Paulo", "Brazil"},
    {"ec2_us_east", "us-east-1", "N. Virginia", "USA"},
    {"ec2_us_west", "us-west-1", "N. California", "USA"},
    {"ec2_us_west_oregon", "us-west-2", "Oregon", "USA"},
}};

constexpr std::array<region_info, 8> rackspace_regions{{
    {"dfw", "", "Dallas", "USA"},
    {"ord", "", "Chicago", "USA"},
    {"iad", "", "N. Virginia", "USA"},
    {"lon", "", "London", "UK"},
    {"syd", "", "Sydney", "Australia"},
    {"hkg", "", "Hong Kong", "Hong Kong"},
    {"rackspace_first_gen:us", "", "US-First Gen", "USA"},
    {"rackspace_first_gen:uk", "", "UK-First Gen", "UK"},
}};

constexpr std::array<region_info, 2> hpcloud_regions{{
    {"region-a.geo-1", "", "US West", "USA"},
    {"region-b.geo-1", "", "US East", "USA"},
}};

// Titles of the flat v1 list, one entry per EC2 region.
constexpr std::array<std::string_view, 9> ec2_v1_titles{
    "EC2 AP NORTHEAST", "EC2 AP SOUTHEAST", "EC2 AP Sydney", "EC2 EU Frankfurt", "EC2 EU Ireland",
    "EC2 SA EAST", "EC2 US EAST", "EC2 US WEST", "EC2 US WEST OREGON"};

}  // namespace

const provider_info* find_provider(std::string_view id) {
    if (id == "rackspace_first_gen") id = "rackspace";
    for (auto& p : providers())
        if (p.id == id) return &p;
    return nullptr;
}

std::span<const region_info> regions_of(std::string_view provider) {
    if (provider == "ec2") return ec2_regions;
    if (provider == "rackspace" || provider == "rackspace_first_gen") return rackspace_regions;
    if (provider == "hpcloud") return hpcloud_regions;
    return {};
}

const region_info* find_region(std::string_view provider, std::string_view id) {
    for (auto& r : regions_of(provider))
        if (r.legacy_id == id || (!r.aws_id.empty() && r.aws_id == id)) return &r;
    return nullptr;
}

json::value providers_v1() {
    json::array list;
    list.push_back(json::object{{"title", "Bare Metal Server"}, {"provider", "bare_metal"}});
    list.push_back(json::object{{"title", "CoreOS"}, {"provider", "coreos"}});
    list.push_back(json::object{{"title", "Azure"}, {"provider", "azure"}});
    for (std::size_t i = 0; i < ec2_regions.size(); ++i)
        list.push_back(json::object{{"title", ec2_v1_titles[i]}, {"provider", ec2_regions[i].legacy_id}});
    list.push_back(json::object{{"title", "Google Compute Engine"}, {"provider", "gce"}});
    list.push_back(json::object{{"title", "NephoScale"}, {"provider", "nephoscale"}});
    list.push_back(json::object{{"title", "DigitalOcean"}, {"provider", "digitalocean"}});
    list.push_back(json::object{{"title", "Linode"}, {"provider", "linode"}});
    list.push_back(json::object{{"title", "OpenStack"}, {"provider", "openstack"}});
    static constexpr std::pair<const char*, const char*> rackspace_v1[] = {
        {"Rackspace DFW", "rackspace:dfw"}, {"Rackspace ORD", "rackspace:ord"},
        {"Rackspace IAD", "rackspace:iad"}, {"Rackspace LON", "rackspace:lon"},
        {"Rackspace AU", "rackspace:syd"}, {"Rackspace HKG", "rackspace:hkg"},
        {"Rackspace US (OLD)", "rackspace_first_gen:us"}, {"Rackspace UK (OLD)", "rackspace_first_gen:uk"}};
    for (auto& [title, id] : rackspace_v1) list.push_back(json::object{{"title", title}, {"provider", id}});
    list.push_back(json::object{{"title", "SoftLayer"}, {"provider", "softlayer"}});
    list.push_back(json::object{{"title", "HP Helion Cloud - US West"}, {"provider", "hpcloud:region-a.geo-1"}});
    list.push_back(json::object{{"title", "HP Helion Cloud - US East"}, {"provider", "hpcloud:region-b.geo-1"}});
    list.push_back(json::object{{"title", "Docker"}, {"provider", "docker"}});
    list.push_back(json::object{{"title", "VMware vCloud"}, {"provider", "vcloud"}});
    return json::object{{"supported_providers", std::move(list)}};
}

json::value providers_v2(bool aws_region_ids) {
    json::array list;
    for (auto& p : providers()) {
        json::array regions;
        for (auto& r : regions_of(p.id)) {
            std::string_view id = (aws_region_ids && !r.aws_id.empty()) ? r.aws_id : r.legacy_id;
            regions.push_back(json::object{{"location", r.location}, {"id", id}});
        }
        list.push_back(json::object{{"title", p.title}, {"provider", p.id}, {"regions", std::move(regions)}});
    }
    return json::object{{"supported_providers", std::move(list)}};
}

json::array sizes_of(std::string_view provider, std::string_view region) {
    json::array out;
    auto add = [&](std::string_view id, std::string_view name, int ram, int disk, json::value bandwidth,
                   std::string_view driver, json::value price) {
        out.push_back(json::object{{"bandwidth", std::move(bandwidth)}, {"disk", disk}, {"driver", driver},
                                   {"id", id}, {"name", name}, {"price", std::move(price)}, {"ram", ram}});
    };
    if (provider == "nephoscale") {
        add("219", "CS05-SSD - 0.5GB, 1Core, 25GB, 10 Gbps", 512, 25, nullptr, "NephoScale", nullptr);
        add("221", "CS1-SSD - 1GB, 1Core, 25GB, 10 Gbps", 1024, 25, nullptr, "NephoScale", nullptr);
        add("223", "CS2-SSD - 2GB, 1Core, 50GB, 10 Gbps", 2048, 50, nullptr, "NephoScale", nullptr);
        add("225", "CS4-SSD - 4GB, 2Core, 100GB, 10 Gbps", 4096, 100, nullptr, "NephoScale", nullptr);
        return out;
    }
    if (provider == "ec2") {
        std::string aws(region);
        if (auto* r = find_region("ec2", region)) aws = std::string(r->aws_id);
        std::string driver = "Amazon EC2 (" + aws + ")";
        auto price = [](const char* l, const char* w) { return json::object{{"linux", l}, {"mswin", w}}; };
        add("t1.micro", "Micro Instance", 613, 15, nullptr, driver, price("$0.027/hour", "$0.035/hour"));
        add("t2.micro", "Burstable Performance Micro Instance", 1024, 0, nullptr, driver,
            price("$0.016/hour", "$0.023/hour"));
        add("m1.small", "Small Instance", 1740, 160, nullptr, driver, price("$0.061/hour", "$0.092/hour"));
        add("m1.medium", "Medium Instance", 3750, 410, nullptr, driver, price("$0.122/hour", "$0.184/hour"));
        add("m3.large", "Large Instance", 7680, 32, nullptr, driver, price("$0.193/hour", "$0.369/hour"));
        return out;
    }
    add("1", "512MB", 512, 20, 1000, provider, 5.0);
    add("2", "1GB", 1024, 30, 2000, provider, 10.0);
    add("3", "2GB", 2048, 40, 3000, provider, 20.0);
    add("4", "4GB", 4096, 60, 4000, provider, 40.0);
    return out;
}

json::array locations_of(std::string_view provider, std::string_view region) {
    json::array out;
    auto add = [&](std::string_view id, std::string_view name, std::string_view country) {
        out.push_back(json::object{{"country", country}, {"id", id}, {"name", name}});
    };
    if (provider == "nephoscale") {
        add("86945", "SJC-1", "US");
        add("87729", "RIC-1", "US");
        return out;
    }
    if (provider == "ec2") {
        const region_info* r = find_region("ec2", region);
        std::string aws = r ? std::string(r->aws_id) : "us-east-1";
        std::string_view country = r ? r->country : "USA";
        add("0", aws + "a", country);
        add("1", aws + "b", country);
        add("2", aws + "c", country);
        return out;
    }
    if (provider == "docker" || provider == "bare_metal" || provider == "coreos" || provider == "libvirt") {
        add("", "default", "");
        return out;
    }
    add("1", "New York 1", "US");
    add("2", "Amsterdam 2", "NL");
    add("3", "Singapore 1", "SG");
    return out;
}

json::value networks_of(std::string_view provider) {
    json::array pub, priv;
    if (provider == "openstack") {
        auto subnet = [](std::string_view id, std::string_view cidr, std::string_view gw) {
            return json::object{{"id", id}, {"name", std::string(id) + "-subnet"}, {"cidr", cidr},
                                {"enable_dhcp", true}, {"dns_nameservers", json::array{"8.8.8.8"}},
                                {"allocation_pools", json::array{}}, {"gateway_ip", gw}, {"ip_version", 4},
                                {"extra", json::object{}}};
        };
        pub.push_back(json::object{{"id", "4f0b5f8e-6d1a-4c1e-9a4b-1f2e3d4c5b6a"}, {"name", "public"},
                                   {"status", "ACTIVE"}, {"router_external", true}, {"public", true},
                                   {"extra", json::object{}},
                                   {"subnets", json::array{subnet("pub", "172.24.4.0/24", "172.24.4.1")}},
                                   {"floating_ips", json::array{}}});
        priv.push_back(json::object{{"id", "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"}, {"name", "private"},
                                    {"status", "ACTIVE"}, {"router_external", false}, {"public", false},
                                    {"extra", json::object{}},
                                    {"subnets", json::array{subnet("priv", "10.0.0.0/24", "10.0.0.1")}},
                                    {"floating_ips", json::array{}}});
    } else if (provider == "nephoscale") {
        pub.push_back(json::object{{"id", "87663"}, {"name", "Public Network SJC-1"}, {"subnets", json::array{}},
                                   {"is_default", true}, {"zone", "SJC-1"}, {"domain_type", "PUBLIC"}});
        priv.push_back(json::object{{"id", "87665"}, {"name", "Private Network SJC-1"}, {"subnets", json::array{}},
                                    {"is_default", true}, {"zone", "SJC-1"}, {"domain_type", "PRIVATE"}});
    }
    return json::object{{"public", std::move(pub)}, {"private", std::move(priv)}, {"routers", json::array{}}};
}

}  // namespace mistasync::sim
