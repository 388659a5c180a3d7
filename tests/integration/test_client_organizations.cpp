// Organizations: a user in two (the simulator's demo world), logins made for one by id or
// by name through client_options::organization, each token seeing its own organization's
// resources only, and a wrong organization refused with an error that names both.
#include <boost/test/unit_test.hpp>

#include "client_env.hpp"
#include "http_client.hpp"

#include <boost/asio/as_tuple.hpp>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;

namespace {

client_options password_login(client_env& env, std::string organization) {
    client_options o = env.options(api_era::v1);
    o.token.clear();
    o.email = env.sim.on_sim([](testing::simulator& s) { return s.options().email; });
    o.password = env.sim.on_sim([](testing::simulator& s) { return s.options().password; });
    o.organization = std::move(organization);
    return o;
}

std::vector<std::string> titles(const std::vector<backend>& list) {
    std::vector<std::string> out;
    for (auto& b : list) out.push_back(b.title);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_login_for_each_organization_sees_its_own_resources) {
    client_env env;
    auto mist = env.make(password_login(env, ""));
    env.run([&]() -> asio::awaitable<void> {
        const std::string default_backend = (co_await mist.backends()).at(0).id;
        auto orgs = co_await mist.organizations();
        BOOST_TEST_REQUIRE(orgs.size() == 2u);
        BOOST_TEST(orgs.at(0).name == "Example");
        BOOST_TEST(orgs.at(1).name == "Lab");
        BOOST_TEST(orgs.at(1).id.size() == 32u);
        // The default organization's.
        auto mine = titles(co_await mist.backends());
        BOOST_TEST((mine == std::vector<std::string>{"NephoScale", "EC2 AP NORTHEAST", "Docker"}));

        // By name, then by id: Lab's backend, key and machine only.
        for (const std::string& which : {orgs.at(1).name, orgs.at(1).id}) {
            BOOST_TEST_CONTEXT(which) {
                auto lab = env.make(password_login(env, which));
                auto backends = co_await lab.backends();
                BOOST_TEST((titles(backends) == std::vector<std::string>{"Lab NephoScale"}));
                auto machines = co_await backends.at(0).machines();
                BOOST_TEST_REQUIRE(machines.size() == 1u);
                BOOST_TEST(machines.at(0).name == "lab-box");
                auto keys = co_await lab.keys();
                BOOST_TEST_REQUIRE(keys.size() == 1u);
                BOOST_TEST(keys.at(0).name == "LabKey");
                // A backend of the other organization is not found through Lab's token.
                auto [ec, listed] =
                    co_await lab.request("GET", "/api/v1/clouds/" + default_backend + "/machines", asio::as_tuple(asio::use_awaitable));
                BOOST_TEST(ec == errc::not_found);
            }
        }
    });
}

BOOST_AUTO_TEST_CASE(a_wrong_organization_is_refused_with_what_the_server_gave) {
    client_env env;
    env.run([&]() -> asio::awaitable<void> {
        for (const char* wrong : {"Nope", "Elsewhere"}) {
            BOOST_TEST_CONTEXT(wrong) {
                auto mist = env.make(password_login(env, wrong));
                diagnostics d;
                auto [ec, list] = co_await mist.backends(with_diagnostics(d, asio::as_tuple(asio::use_awaitable)));
                BOOST_TEST(ec == errc::login_failed);
                if (std::string(wrong) == "Nope") {
                    // mist.api gives an unknown organization the default one; the client says so.
                    BOOST_TEST(d.client_message.find("not 'Nope'") != std::string::npos, d.client_message);
                    BOOST_TEST(d.client_message.find("'Example'") != std::string::npos, d.client_message);
                } else {
                    BOOST_TEST(d.http_status == 403);  // not a member
                }
            }
        }
    });
}

// The token request itself, as the Python clients send it: org_id by id or name.
BOOST_AUTO_TEST_CASE(tokens_are_made_for_the_organization_named_by_id_or_name) {
    client_env env;
    http_client c("127.0.0.1", env.sim.port());
    auto by_name = c.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "org_id": "Lab"})");
    BOOST_TEST_REQUIRE(by_name.status == 200, by_name.body);
    BOOST_TEST(by_name.json().at("org_name") == "Lab");
    auto by_id = c.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "org_id": ")" +
                                              std::string(by_name.json().at("org_id").as_string()) + R"("})");
    BOOST_TEST(by_id.json().at("org_name") == "Lab");
    auto none = c.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "org_id": null})");
    BOOST_TEST(none.json().at("org_name") == "Example");
    auto foreign = c.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "org_id": "Elsewhere"})");
    BOOST_TEST(foreign.status == 403);
    BOOST_TEST(foreign.body == "Forbidden");
}
