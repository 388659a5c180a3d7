// The SDK on /api/v2: the seed's flow against a server that serves v2 alone (found by
// detection, probes read from the machine's `probe` field), lists followed page by page,
// the create's job, the server's plan, and what v2 lacks (v1's routes, refused when the
// server has no v1).
#include <boost/test/unit_test.hpp>

#include "batch_helpers.hpp"
#include "client_env.hpp"

#include <mistasync/provision.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include <set>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

testing::simulator_options v2_alone() {
    auto o = fast_options();
    o.serve_legacy = false;
    o.serve_v1 = false;
    o.poll_interval = 100ms;  // the record v2 shows follows the provider closely
    return o;
}

wait_policy quick(std::chrono::milliseconds deadline = 20s) {
    wait_policy p;
    p.deadline = deadline;
    p.interval = 50ms;
    p.max_interval = 200ms;
    p.action_settle = 0ms;
    return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_seed_flow_on_a_server_that_serves_v2_alone) {
    client_env env(v2_alone());
    auto mist = env.make(api_era::automatic);
    env.run([&]() -> asio::awaitable<void> {
        // Choose a backend, its images (and a search), sizes, locations, and the key.
        auto b = co_await mist.find_backend({.id_or_name = "NephoScale"});
        BOOST_TEST(static_cast<int>(mist.era()) == static_cast<int>(api_era::v2));
        BOOST_TEST(b.enabled);
        auto debian = co_await b.search_images("Debian");
        BOOST_TEST_REQUIRE(!debian.empty());
        for (auto& i : debian) BOOST_TEST(i.name.find("Debian") != std::string::npos);
        auto sizes = co_await b.sizes();
        auto locations = co_await b.locations();
        BOOST_TEST_REQUIRE(!sizes.empty());
        BOOST_TEST_REQUIRE(!locations.empty());
        auto k = co_await mist.find_key({.id_or_name = "MyKey"});
        BOOST_TEST(k.is_default);

        // The server's plan, then the machine: made by a job, found by its provider id.
        machine_spec spec{.name = "production.server", .image = debian.at(0).id, .location = locations.at(0).id, .key = k.id};
        spec.cpus = 1;
        spec.memory_mb = 1024;
        const std::string plan = co_await b.plan_machine(spec);
        const boost::json::value p = boost::json::parse(plan);
        BOOST_TEST(p.at("size").at("name").as_string().starts_with("CS1"));
        BOOST_TEST(p.at("cloud").at("id").as_string() == b.id);
        auto created = co_await b.create_machine(spec);
        BOOST_TEST(created.name == "production.server");
        BOOST_TEST(created.job_id.size() == 32u);
        auto m = co_await mist.find_machine({.id_or_name = created.id});
        BOOST_TEST(m.uuid.size() == 32u);
        BOOST_TEST(m.backend_id == b.id);

        // Wait for it, probe it (the server's own probe, v2 has no probe request).
        m = co_await m.wait_for_state(machine_state::running, quick());
        probe_result probed = co_await m.wait_until_probed(quick());
        BOOST_TEST(probed.reachable);
        BOOST_TEST(probed.uptime_seconds > 0);

        // Actions, tags, another key.
        co_await m.reboot();
        m = co_await m.wait_for_state(machine_state::running, quick());
        co_await m.stop();
        m = co_await m.wait_for_state(machine_state::stopped, quick());
        try {
            co_await m.stop();  // the record says stopped: not allowed now
            BOOST_FAIL("a second stop is refused");
        } catch (const mistasync::error& e) {
            BOOST_TEST(e.code() == errc::action_not_supported);
            BOOST_TEST(e.http_status() == 422);
            BOOST_TEST(e.details().server_message == "Action not supported on target machine");
        }
        co_await m.start();
        m = co_await m.wait_for_state(machine_state::running, quick());
        co_await m.set_tags({{"env", "prod"}});
        BOOST_TEST((co_await mist.find_machine({.id_or_name = created.id})).tags.size() == 1u);
        co_await m.remove_tag("env");
        BOOST_TEST((co_await mist.find_machine({.id_or_name = created.id})).tags.empty());
        auto other = co_await mist.add_key("Second", (co_await mist.generate_key()).private_key);
        auto associations = co_await m.associate_key(other.id, {.user = "root"});
        BOOST_TEST_REQUIRE(associations.size() == 1u);
        BOOST_TEST(associations[0].machine_id == m.id);
        BOOST_TEST(associations[0].machine_uuid == m.uuid);
        BOOST_TEST(associations[0].ssh_user.value_or("") == "root");
        BOOST_TEST((co_await m.disassociate_key(other.id)).empty());
        co_await m.rename("production.renamed");
        BOOST_TEST((co_await mist.find_machine({.id_or_name = created.id})).name == "production.renamed");
        co_await m.destroy();
        m = co_await m.wait_for_state(machine_state::terminated, quick());
    });
}

BOOST_AUTO_TEST_CASE(several_at_once_by_job_and_lists_followed_page_by_page) {
    client_env env(v2_alone());
    auto mist = env.make(api_era::v2);
    env.run([&]() -> asio::awaitable<void> {
        auto b = co_await mist.find_backend({.id_or_name = "NephoScale"});
        auto image = (co_await b.search_images("Debian")).at(0);
        auto size = (co_await b.sizes()).at(0);
        // One job makes 1,100 machines: more than one page (1,000).
        const std::string job_id = co_await b.create_machines({.name = "many", .image = image.id, .size = size.id}, 1100);
        job j = co_await mist.wait_for_job(job_id, quick(60s));
        BOOST_TEST(j.finished());
        BOOST_TEST(j.created.success == 1100);
        auto all = co_await b.machines({.search = "many-"});
        BOOST_TEST(all.size() == 1100u);
        std::set<std::string> ids;
        for (auto& m : all) ids.insert(m.id);
        BOOST_TEST(ids.size() == 1100u);  // no machine twice, none left out
    });
}

BOOST_AUTO_TEST_CASE(what_v2_lacks_goes_through_v1_or_is_refused_saying_so) {
    // Beside v1 (as every Mist CE server): v1's routes for what v2 has not.
    client_env both(fast_options());
    auto beside = both.make(api_era::v2);
    BOOST_TEST(both.run([&]() -> asio::awaitable<std::string> { co_return co_await beside.whoami(); }) == "user@example.com");
    // v2 alone: refused, naming what is missing.
    client_env env(v2_alone());
    auto mist = env.make(api_era::v2);
    auto [ec, who] = env.run([&]() -> asio::awaitable<std::tuple<boost::system::error_code, std::string>> {
        co_return co_await mist.whoami(asio::as_tuple(asio::use_awaitable));
    });
    BOOST_TEST(ec == errc::not_found);
    // A v2 plan on an older era is refused before anything is sent.
    auto v1 = both.make(api_era::v1);
    auto [plan_ec, plan] = both.run([&]() -> asio::awaitable<std::tuple<boost::system::error_code, std::string>> {
        auto b = co_await v1.find_backend({.id_or_name = "NephoScale"});
        co_return co_await b.plan_machine({.name = "x", .image = "51", .size = "221"}, asio::as_tuple(asio::use_awaitable));
    });
    BOOST_TEST(plan_ec == errc::invalid_argument);
    // v2 has no image stars, and its image ids are not v1's: refused before anything is sent.
    auto [star_ec, starred] = both.run([&]() -> asio::awaitable<std::tuple<boost::system::error_code, bool>> {
        auto b = co_await beside.find_backend({.id_or_name = "NephoScale"});
        auto image = (co_await b.images()).at(0);
        co_return co_await b.star_image(image.id, asio::as_tuple(asio::use_awaitable));
    });
    BOOST_TEST(star_ec == errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(v1_fields_are_refused_on_v2_and_v2_fields_elsewhere) {
    machine_spec spec{.name = "x", .image = "i", .size = "s"};
    spec.networks = {"n"};
    BOOST_TEST(machine_spec_problem(spec, api_era::v2).find("networks") != std::string::npos);
    BOOST_TEST(machine_spec_problem(spec, api_era::v1).empty());
    machine_spec sized{.name = "x", .image = "i"};
    sized.cpus = 2;
    BOOST_TEST(machine_spec_problem(sized, api_era::v2).empty());
    BOOST_TEST(machine_spec_problem(sized, api_era::v1).find("v2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_batch_on_v2_lists_its_own_machines_only) {
    client_env env(v2_alone());
    // 300 machines already there, in the same cloud.
    auto o = env.options(api_era::v2);
    std::size_t largest_list = 0;
    std::size_t lists = 0;
    o.hooks.on_response = [&](const request_event& e) {
        if (e.method == "GET" && e.path == "/api/v2/machines") {
            ++lists;
            largest_list = std::max(largest_list, e.response_bytes);
        }
    };
    auto mist = env.make(o);
    auto report = env.run([&]() -> asio::awaitable<provision_report> {
        auto s = co_await prepare(mist, "own", 5);
        const std::string job_id = co_await s.b.create_machines({.name = "other", .image = s.specs[0].image, .size = s.specs[0].size}, 300);
        co_await mist.wait_for_job(job_id, quick(60s));
        largest_list = 0;
        lists = 0;
        auto options = fast_batch(5);
        options.journal_path = temp_journal("own-v2");
        co_return co_await provision(s.b, s.specs, options);
    });
    BOOST_TEST(report.counts.probed == 5u);
    BOOST_TEST(lists > 0u);
    // A page of the batch's 5 machines (a few KB), never the cloud's 300 (over 150 KB).
    BOOST_TEST(largest_list < 20'000u, largest_list);
    // Each carries the batch's tag.
    auto tagged = env.run([&]() -> asio::awaitable<std::size_t> {
        co_return (co_await mist.machines({.tag = std::string(batch_tag_key) + "=" + report.batch_id})).size();
    });
    BOOST_TEST(tagged == 5u);
}
