// One route of the simulated server: method, pattern relative to its era's root
// ("clouds/{}/machines"; "{}" captures one segment, "{*}" the rest) and handler. Each era
// keeps its table in its own file (routes_legacy.cpp, routes_v1.cpp): an era is added by
// adding a table.
#pragma once

#include "request_context.hpp"

#include <span>
#include <string_view>

namespace mistasync::sim {

using handler_fn = sim_response (*)(request_context&);

struct route {
    std::string_view method;
    std::string_view pattern;
    handler_fn handler;
    bool needs_auth = true;
};

/// The 2015 family (/auth, /backends, /keys, /jobs, /scripts), in match order.
std::span<const route> legacy_routes();
/// The /api/v1 family, in match order (the first match wins where patterns overlap).
std::span<const route> v1_routes();

}  // namespace mistasync::sim
