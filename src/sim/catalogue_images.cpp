// The images each provider offers (deterministic per provider and region).
#include "catalogue.hpp"

#include "crypto.hpp"

#include <boost/json.hpp>

#include <array>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

json::object image_json_extra(std::string_view arch) {
    return json::object{{"architecture", arch}};
}

std::string short_hash(std::string_view seed, std::size_t n) { return sha1_hex(seed).substr(0, n); }


}  // namespace

std::vector<image_info> images_of(std::string_view provider, std::string_view region) {
    std::vector<image_info> out;
    auto add = [&](std::string id, std::string name, bool star, bool community, json::value extra) {
        out.push_back({std::move(id), std::move(name), star, community, std::move(extra)});
    };
    if (provider == "nephoscale") {
        struct row { const char* id; const char* name; const char* arch; const char* uri_id; };
        static constexpr row rows[] = {
            {"3", "Linux CentOS 5.5 32-bit", "x86", "3"},
            {"5", "Linux CentOS 5.5 64-bit", "x86_64", "5"},
            {"23", "Linux Debian Server 5.05 32-bit", "x86", "23"},
            {"43", "Linux Ubuntu Server 10.04 LTS 32-bit", "x86", "43"},
            {"45", "Linux CentOS 5.7 32-bit", "x86", "45"},
            {"49", "Linux Ubuntu Server 10.04 LTS 64-bit", "x86_64", "49"},
            {"51", "Linux Debian Server 6.0.3 64-bit", "x86_64", "51"},
            {"55", "Linux Debian 5.0.9 64-bit", "x86_64", "55"},
            {"59", "Windows Server 2008 R2 64-bit", "x86_64", "59"},
        };
        for (auto& r : rows) {
            json::object extra{{"architecture", r.arch}, {"billable_type", nullptr}, {"cores", nullptr},
                               {"disks", nullptr}, {"pcpus", nullptr}, {"storage", nullptr},
                               {"uri", std::string("https://api.nephoscale.com/image/server/") + r.uri_id + "/"}};
            add(r.id, r.name, true, false, std::move(extra));
        }
        return out;
    }
    if (provider == "ec2") {
        std::string aws(region);
        if (auto* r = find_region("ec2", region)) aws = std::string(r->aws_id);
        static constexpr const char* defaults[] = {
            "Amazon Linux AMI 2015.03 (HVM), SSD Volume Type",
            "Red Hat Enterprise Linux 7.1 (HVM), SSD Volume Type",
            "SUSE Linux Enterprise Server 12 (HVM), SSD Volume Type",
            "Ubuntu Server 14.04 LTS (HVM), SSD Volume Type",
            "Ubuntu Server 14.04 LTS (PV), SSD Volume Type",
            "Debian GNU/Linux 8 (jessie) (HVM)",
            "CentOS 7 (x86_64) with Updates HVM",
        };
        for (auto* name : defaults)
            add("ami-" + short_hash(aws + name, 8), name, true, false, image_json_extra("x86_64"));
        static constexpr const char* community[] = {
            "debian-wheezy-amd64-pvm-2015-06-01-ebs",
            "debian-jessie-amd64-hvm-2015-11-02-ebs",
            "ubuntu/images/hvm-ssd/ubuntu-trusty-14.04-amd64-server-20151019",
            "ubuntu/images/hvm-ssd/ubuntu-wily-15.10-amd64-server-20151021",
            "CentOS-6.5-x86_64-minimal-2014-03-09",
            "Windows_Server-2012-R2_RTM-English-64Bit-Base-2015.10.26",
        };
        for (auto* name : community)
            add("ami-" + short_hash(aws + name + "community", 8), name, false, true, image_json_extra("x86_64"));
        add("aki-" + short_hash(aws + "kernel", 8), "pv-grub-hd0_1.04-x86_64", false, true,
            image_json_extra("x86_64"));
        return out;
    }
    if (provider == "docker") {
        static constexpr std::pair<const char*, const char*> rows[] = {
            {"mist/ubuntu-14.04", "Ubuntu 14.04"}, {"mist/debian-wheezy", "Debian Wheezy"},
            {"mist/debian-jessie", "Debian Jessie"}, {"mist/centos-7", "CentOS 7"},
            {"mist/fedora-20", "Fedora 20"}, {"redis", "Redis"}, {"nginx", "Nginx"},
            {"mist/debian-bullseye", "Debian Bullseye with SSH server"},  // what mist.io's own tests create
        };
        for (auto& [id, name] : rows) add(id, name, std::string_view(id).starts_with("mist/"), false, json::object{});
        return out;
    }
    if (provider == "gce") {
        static constexpr const char* rows[] = {
            "debian-cloud/debian-7-wheezy-v20151104", "debian-cloud/debian-8-jessie-v20151104",
            "ubuntu-os-cloud/ubuntu-1404-trusty-v20151113", "centos-cloud/centos-7-v20151104",
            "centos-cloud/centos-6-v20151104"};
        for (auto* id : rows) {
            std::string_view s(id);
            add(id, std::string(s.substr(s.find('/') + 1)), true, false, image_json_extra("x86_64"));
        }
        return out;
    }
    // Everyone else: a small numeric catalogue, all starred.
    static constexpr std::pair<const char*, const char*> rows[] = {
        {"1001", "Debian 7.0 x64"},  {"1002", "Debian 8.2 x64"},  {"1003", "Ubuntu 14.04 x64"},
        {"1004", "Ubuntu 15.10 x64"}, {"1005", "CentOS 6.7 x64"}, {"1006", "CentOS 7.1 x64"},
        {"1007", "CoreOS 835.5.0"},
    };
    for (auto& [id, name] : rows) {
        // Linode's distributions say whether they are 64-bit and paravirtualised; a 2015
        // create needs that object back as `image_extra`.
        json::value extra = provider == "linode" ? json::value(json::object{{"64bit", 1}, {"pvops", 1}}) : image_json_extra("x86_64");
        add(id, name, true, false, std::move(extra));
    }
    return out;
}

}  // namespace mistasync::sim
