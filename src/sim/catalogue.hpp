// The static world: which providers exist, what each one requires to be added, and the
// images, sizes, locations and networks a backend of each provider offers.
// Deterministic: the same provider and region always give the same catalogue.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mistasync::sim {

/// How a provider names its machines.
enum class machine_id_style { ec2, numeric, docker, uuid, gce, host };

struct provider_info {
    std::string_view id;                   ///< v2 provider id: "ec2", "nephoscale", ...
    std::string_view title;                ///< v2 title
    std::vector<std::string_view> required; ///< v2 fields, in the order the server checks them
    machine_id_style ids;
    bool can_rename;                       ///< 2015 can_rename
    bool can_tag;                          ///< 2015 can_tag
};

/// nullptr when the provider is unknown. Accepts "rackspace_first_gen" as well.
const provider_info* find_provider(std::string_view id);

struct region_info {
    std::string_view legacy_id;  ///< ec2_ap_northeast, dfw, region-a.geo-1, ...
    std::string_view aws_id;     ///< ap-northeast-1 (EC2 only; empty otherwise)
    std::string_view location;   ///< Tokyo, Dallas, ...
    std::string_view country;
};

/// Regions of a provider with regions (EC2, Rackspace, HP Cloud); empty otherwise.
std::span<const region_info> regions_of(std::string_view provider);
/// Finds an EC2/Rackspace/HP region by its legacy or AWS id.
const region_info* find_region(std::string_view provider, std::string_view id);

/// GET /providers: v1 (flat, one entry per region) and v2 (grouped, with regions).
boost::json::value providers_v1();
boost::json::value providers_v2(bool aws_region_ids);

struct image_info {
    std::string id;
    std::string name;
    bool starred_by_default;
    bool community;  ///< only found by search (EC2 community/public images)
    boost::json::value extra;
};

std::vector<image_info> images_of(std::string_view provider, std::string_view region);
boost::json::array sizes_of(std::string_view provider, std::string_view region);
boost::json::array locations_of(std::string_view provider, std::string_view region);
boost::json::value networks_of(std::string_view provider);

}  // namespace mistasync::sim
