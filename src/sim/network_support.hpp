// A cloud's network records: which providers have them (mist.api's clouds with a
// network controller), their defaults, the providers' rules and their v1 documents.
#pragma once

#include "world.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mistasync::sim {

/// mist.api lists networks only for clouds whose controller has one (EC2, GCE, OpenStack,
/// Azure ARM, Vultr, vSphere, LXD, libvirt, ...); the others list none.
bool has_network_support(std::string_view provider);

/// The cloud's networks, made from its provider's defaults on first use (an EC2 region's
/// default VPC; OpenStack's public and private networks, the 2015 catalogue's ids).
std::vector<network_record>& cloud_networks(world& w, backend& b);

network_record& add_network(world& w, backend& b, network_record n);
subnet_record& add_subnet(world& w, network_record& n, subnet_record s);

/// What the provider's document refuses (mongoengine's message), or nothing.
std::optional<std::string> network_problem(std::string_view provider, const network_record& n);
std::optional<std::string> subnet_problem(std::string_view provider, const network_record& n, const subnet_record& s);

/// Whether a create's `networks` entry names one of the cloud's networks, and how many
/// it has (OpenStack refuses to guess among several).
bool network_known(world& w, backend& b, era e, std::string_view id);
std::size_t network_count(world& w, backend& b, era e);

boost::json::object network_json(const backend& b, const network_record& n);
boost::json::object subnet_json(const backend& b, const network_record& n, const subnet_record& s);

}  // namespace mistasync::sim
