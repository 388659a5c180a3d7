// One route of the simulated server: method, pattern relative to its era's root
// ("clouds/{}/machines"; "{}" captures one segment, "{*}" the rest) and handler. Each era
// keeps its table in its own file (routes_legacy.cpp, routes_v1.cpp): an era is added by
// adding a table.
#pragma once

#include "request_context.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>
#include <string_view>

namespace mistasync::sim {

using handler_fn = sim_response (*)(request_context&);

struct route {
    std::string_view method;
    std::string_view pattern;
    handler_fn handler;
    bool needs_auth = true;
};

/// A path's segments ("a/b" -> {"a", "b"}).
std::vector<std::string_view> split_path(std::string_view path);
/// Whether `segs` match the route's pattern; its captures go to `args`.
bool match_route(const route& r, const std::vector<std::string_view>& segs, std::vector<std::string>& args);
/// An `application/x-www-form-urlencoded` body as an object of strings.
boost::json::value parse_form(std::string_view body);

/// The 2015 family (/auth, /backends, /keys, /jobs, /scripts), in match order.
std::span<const route> legacy_routes();
/// The /api/v1 family, in match order (the first match wins where patterns overlap).
std::span<const route> v1_routes();
/// The /api/v2 family, in match order.
std::span<const route> v2_routes();
/// Whether a matched v2 route is a list operation (what `Accept: ...csv` renders as CSV).
bool v2_lists(const route& r, std::size_t captures);

}  // namespace mistasync::sim
