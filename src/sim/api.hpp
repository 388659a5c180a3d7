// The mist.io API without the network: a request in, a response out. It matches the
// route, authenticates, rate-limits, and calls the handler of the matching era.
#pragma once

#include "http_types.hpp"
#include "world.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mistasync::sim {

struct api_config {
    bool no_auth = false;
    double rate_limit_per_token = 0;
    unsigned retry_after_seconds = 1;
    bool serve_legacy = true;
    bool serve_v1 = true;
    bool serve_v2 = true;
};

/// One route of the simulated server: its family, method and pattern relative to the
/// family's root ("clouds/{}/machines"; "{*}" takes the rest of the path).
struct route_info {
    era family;
    std::string_view method;
    std::string_view pattern;
};
/// Every route the simulator serves (what the client's route table is checked against).
std::vector<route_info> route_table();

class api {
public:
    /// `orgs`: the user's organizations, the default first (at least one).
    api(std::vector<organization_entry> orgs, api_config config);
    sim_response handle(const sim_request& request);
    world& state() { return *orgs_.front().w; }

private:
    bool rate_limited(const std::string& who);
    /// /api/v2 (api_v2.cpp): `path` after "/api/v2/", decoded; `query` still encoded.
    sim_response handle_v2(const sim_request& req, std::string_view path, std::string_view query);

    struct bucket {
        double tokens;
        sim_clock::time_point last;
    };
    /// The organization whose token this is (searched in each one's world), or nullptr.
    std::pair<world*, api_token*> find_token(const std::string& token);

    std::vector<organization_entry> orgs_;
    world& world_;  ///< the default organization's
    api_config config_;
    std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace mistasync::sim
