// Networks and subnets through the SDK against the simulator over real sockets: a v1
// network's life on EC2 (create with a first subnet, list, add and remove a subnet,
// delete), the provider's refusals as typed errors, and 2015's read-only lists.
#include <boost/test/unit_test.hpp>

#include "client_env.hpp"

#include <boost/asio/as_tuple.hpp>

#include <algorithm>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;

namespace {

asio::awaitable<backend> backend_named(client& mist, std::string name) {
    auto list = co_await mist.backends({.name = name});
    co_return list.at(0);
}

bool has_network(const std::vector<network>& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(), [&](const network& n) { return n.id == id; });
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_v1_network_lives_and_dies_with_its_subnets) {
    client_env env;
    auto mist = env.make(api_era::v1);
    env.run([&]() -> asio::awaitable<void> {
        backend ec2 = co_await backend_named(mist, "EC2 AP NORTHEAST");
        auto before = co_await ec2.networks();
        BOOST_TEST_REQUIRE(before.size() == 1u);  // the region's default VPC
        BOOST_TEST(before.at(0).cidr == "172.31.0.0/16");
        BOOST_TEST(before.at(0).subnets.size() == 1u);

        network lab = co_await ec2.create_network(
            {.name = "lab", .cidr = "10.1.0.0/16", .subnet = subnet_spec{.cidr = "10.1.0.0/24", .availability_zone = "ap-northeast-1a"}});
        BOOST_TEST(lab.name == "lab");
        BOOST_TEST(lab.id.size() == 32u);
        BOOST_TEST(lab.external_id.rfind("vpc-", 0) == 0u);
        BOOST_TEST_REQUIRE(lab.subnets.size() == 1u);
        BOOST_TEST(lab.subnets.at(0).cidr == "10.1.0.0/24");
        BOOST_TEST(lab.subnets.at(0).network_id == lab.id);
        BOOST_TEST(has_network(co_await ec2.networks(), lab.id));

        subnet second = co_await ec2.create_subnet(lab.id, {.cidr = "10.1.1.0/24", .name = "b", .availability_zone = "ap-northeast-1c"});
        BOOST_TEST(second.availability_zone == "ap-northeast-1c");
        auto subnets = co_await ec2.subnets(lab.id);
        BOOST_TEST(subnets.size() == 2u);
        co_await ec2.delete_subnet(lab.id, second.id);
        BOOST_TEST((co_await ec2.subnets(lab.id)).size() == 1u);

        co_await ec2.delete_network(lab.id);
        BOOST_TEST(!has_network(co_await ec2.networks(), lab.id));
    });
}

BOOST_AUTO_TEST_CASE(the_providers_refusals_are_errors_that_say_why) {
    client_env env;
    auto mist = env.make(api_era::v1);
    env.run([&]() -> asio::awaitable<void> {
        backend ec2 = co_await backend_named(mist, "EC2 AP NORTHEAST");
        diagnostics d;
        auto tok = with_diagnostics(d, asio::as_tuple(asio::use_awaitable));
        // EC2 networks need a range; the server says so (400).
        auto [no_cidr, n1] = co_await ec2.create_network({.name = "nocidr"}, tok);
        BOOST_TEST(no_cidr == errc::bad_request);
        BOOST_TEST(d.server_message == "Bad Request: ValidationError(Missing IPv4 range in CIDR notation,)");
        // A subnet without its zone on EC2.
        network lab = co_await ec2.create_network({.name = "lab", .cidr = "10.2.0.0/16"});
        auto [no_zone, s1] = co_await ec2.create_subnet(lab.id, {.cidr = "10.2.0.0/24"}, tok);
        BOOST_TEST(no_zone == errc::bad_request);
        // An unknown network.
        auto [unknown, s2] = co_await ec2.subnets("dummy", tok);
        BOOST_TEST(unknown == errc::not_found);
        BOOST_TEST(d.server_message == "'Network not found'");
        // Refused before anything is sent.
        auto [empty, n2] = co_await ec2.create_network({}, tok);
        BOOST_TEST(empty == errc::invalid_argument);
        auto [no_subnet_cidr, s3] = co_await ec2.create_subnet(lab.id, {.name = "x"}, tok);
        BOOST_TEST(no_subnet_cidr == errc::invalid_argument);
        // NephoScale: mist.api lists no networks for it.
        backend nepho = co_await backend_named(mist, "NephoScale");
        BOOST_TEST((co_await nepho.networks()).empty());
    });
}

BOOST_AUTO_TEST_CASE(the_2015_era_lists_networks_and_refuses_changes_before_sending) {
    client_env env;
    auto mist = env.make(api_era::legacy);
    env.run([&]() -> asio::awaitable<void> {
        backend nepho = co_await backend_named(mist, "NephoScale");
        auto list = co_await nepho.networks();
        BOOST_TEST_REQUIRE(list.size() == 2u);
        BOOST_TEST(list.at(0).name == "Public Network SJC-1");
        BOOST_TEST(list.at(0).is_public);
        BOOST_TEST(list.at(0).external_id == list.at(0).id);
        auto [ec, made] = co_await nepho.create_network({.name = "x", .cidr = "10.0.0.0/16"}, asio::as_tuple(asio::use_awaitable));
        BOOST_TEST(ec == errc::invalid_argument);
    });
}
