// The client's route table against the simulator's: every route the client sends exists
// on the server in that era, and every route the server has is either used by the client
// or named below as one it does not use (yet).
#include <boost/test/unit_test.hpp>

#include "api.hpp"
#include "codec/op_failure.hpp"
#include "codec/routes.hpp"

#include <set>
#include <string>

using namespace mistasync;

namespace {

// "METHOD pattern" with every placeholder as "{}", relative to the family's root.
std::string key_of(sim::era family, std::string_view method, std::string_view path) {
    std::string out = std::string(method) + " " + (family == sim::era::v2 ? "v2 " : family == sim::era::v1 ? "v1 " : "2015 ");
    for (std::size_t i = 0; i < path.size();) {
        if (path[i] == '{') {
            out += "{}";
            i = path.find('}', i) + 1;
        } else {
            out += path[i++];
        }
    }
    return out;
}

std::string client_key(sim::era family, const detail::route& r) {
    std::string_view path = family == sim::era::v1 ? r.v1 : r.legacy;
    path.remove_prefix(family == sim::era::v1 ? std::string_view("/api/v1/").size() : 1);
    return key_of(family, r.method, path);
}

// Served, and deliberately not sent by the client.
const std::set<std::string> unused_by_the_client = {
    "GET 2015 check_token",             // a hosted-only token check; the client logs in or uses /api/v1/ping
    "POST 2015 backends/{}/images",     // image search by POST; the client sends the term in a GET body, as the Python client
    "POST v1 clouds/{}/images",         // the same in v1
    "GET v1 tokens", "DELETE v1 tokens",  // token management
    "POST v1 ping",
    "PATCH v1 clouds/{}",               // credentials update
    "GET v1 clouds/{}/machines/{}/tags",
    "GET v1 machines",                  // every cloud's records (client::machines lists each backend, to report each failure)
    "POST v1 machines/{}", "POST v1 machines/{}/probe", "PUT v1 machines/{}/keys/{}",
    "DELETE v1 machines/{}/keys/{}",    // the same operations by mist uuid; the client uses cloud-scoped paths
    "DELETE v1 keys",                   // several keys at once
    "DELETE v1 scripts",                // several scripts at once
    "GET v1 scripts/{}", "PUT v1 scripts/{}", "GET v1 scripts/{}/file",
    "GET v1 scripts/{}/url",            // a script shown, renamed, downloaded, a signed URL (mist.io's own tests use them)
    "GET v1 networks",                  // every cloud's networks (backend::networks lists one cloud's)
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_client_route_is_served_in_its_era) {
    std::set<std::string> served;
    for (auto& r : sim::route_table()) served.insert(key_of(r.family, r.method, r.pattern));
    for (auto& r : detail::client_routes())
        for (sim::era family : {sim::era::legacy, sim::era::v1}) {
            if ((family == sim::era::v1 ? r.v1 : r.legacy).empty()) continue;
            BOOST_TEST(served.contains(client_key(family, r)), client_key(family, r) << " is sent but not served");
        }
}

BOOST_AUTO_TEST_CASE(every_served_route_is_used_or_named_as_unused) {
    std::set<std::string> sent;
    for (auto& r : detail::client_routes())
        for (sim::era family : {sim::era::legacy, sim::era::v1})
            if (!(family == sim::era::v1 ? r.v1 : r.legacy).empty()) sent.insert(client_key(family, r));
    for (auto& r : sim::route_table()) {
        if (r.family == sim::era::v2) continue;  // the client's route table has no v2 column yet
        std::string k = key_of(r.family, r.method, r.pattern);
        BOOST_TEST((sent.contains(k) || unused_by_the_client.contains(k)), k << " is served but the client neither sends it nor names it unused");
    }
    for (auto& k : unused_by_the_client) BOOST_TEST(!sent.contains(k), k << " is named unused but the client sends it");
}

BOOST_AUTO_TEST_CASE(requests_encode_each_argument_and_refuse_unusable_ones) {
    auto req = detail::make_request(detail::route_id::machine_action, api_era::v1, {"b/1", "m 2"}, "{}");
    BOOST_TEST(req.method == "POST");
    BOOST_TEST(req.path == "/api/v1/clouds/b%2F1/machines/m%202");
    BOOST_TEST(!req.idempotent);
    BOOST_TEST(detail::make_request(detail::route_id::list_machines, api_era::legacy, {"b1"}).path == "/backends/b1/machines");
    BOOST_TEST(!detail::make_request(detail::route_id::probe, api_era::v1, {"b", "m"}).retry_503);
    try {
        detail::make_request(detail::route_id::machine_action, api_era::v1, {"b", ""});
        BOOST_FAIL("an empty id is refused");
    } catch (const detail::op_failure& f) {
        BOOST_TEST(f.details.client_message == "machine id is empty or contains control characters");
    }
    BOOST_CHECK_THROW(detail::make_request(detail::route_id::login, api_era::v1, {}), detail::op_failure);
}
