// What mistsim keeps of a cloud's networks and their subnets (v1, as mist.api's Network and
// Subnet documents). Plain data: network_handlers.cpp validates, seeds and renders them.
#pragma once

#include <string>
#include <vector>

namespace mistasync::sim {

struct subnet_record {
    std::string id;           ///< mist's id (32 hex)
    std::string external_id;  ///< the provider's
    std::string name;
    std::string cidr;
    std::string description;
    std::string availability_zone;  ///< EC2, Alibaba
    double created_wall = 0;
};

struct network_record {
    std::string id;           ///< mist's id (32 hex)
    std::string external_id;  ///< the provider's (the 2015 lists show this one)
    std::string name;
    std::string cidr;
    std::string description;
    bool router_external = false;  ///< OpenStack: a public network
    std::vector<subnet_record> subnets;
    double created_wall = 0;
};

/// A cloud's networks, made on first use from its provider's defaults.
struct network_store {
    bool seeded = false;
    std::vector<network_record> networks;
};

}  // namespace mistasync::sim
