// The real server's messiness the simulator reproduces (contract §10), over real sockets
// in both eras: addresses that appear once a machine runs, actions checked against the
// server's stored record, broken clouds, and creates that fail after the machine was made.
#include <boost/test/unit_test.hpp>

#include "api_helpers.hpp"
#include "sim_fixture.hpp"

using namespace mistasync::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// The demo world: NephoScale (addresses at creation), EC2 (once running), Docker.
struct sim_world {
    explicit sim_world(mistasync::testing::simulator_options o = fast_options()) : sim(o) {}
    sim_fixture sim;
    http_client v1 = sim.client();
    http_client legacy = sim.legacy_client();

    std::string cloud(const std::string& title) {
        json::value clouds = v1.get("/api/v1/clouds").json();  // kept: a range-for over a temporary's member dangles
        for (auto& b : clouds.as_array())
            if (str(b, "title") == title) return str(b, "id");
        BOOST_FAIL("no cloud " + title);
        return {};
    }
    std::string backend(const std::string& title) {
        json::value backends = legacy.get("/backends").json();
        for (auto& b : backends.as_array())
            if (str(b, "title") == title) return str(b, "id");
        BOOST_FAIL("no backend " + title);
        return {};
    }
    // A create body with the backend's first image and size.
    std::string create_body(http_client& c, const std::string& base, const std::string& name) {
        std::string image = str(c.get(base + "/images").json().as_array().at(0), "id");
        std::string size = str(c.get(base + "/sizes").json().as_array().at(0), "id");
        return R"({"name": ")" + name + R"(", "image": ")" + image + R"(", "size": ")" + size + R"("})";
    }
    json::value machine(http_client& c, const std::string& base, const std::string& name, const std::string& query = "") {
        return find_by_name(c.get(base + "/machines" + query).json(), name);
    }
};

mistasync::testing::simulator_options with(auto change) {
    auto o = fast_options();
    change(o);
    return o;
}

std::size_t ips(const json::value& m, const char* which) { return m.at(which).as_array().size(); }

}  // namespace

BOOST_AUTO_TEST_CASE(ec2_like_machines_have_no_address_while_pending_in_both_eras) {
    sim_world w(with([](auto& o) { o.boot_delay = 600ms; }));
    for (bool is_v1 : {true, false}) {
        http_client& c = is_v1 ? w.v1 : w.legacy;
        std::string base = is_v1 ? "/api/v1/clouds/" + w.cloud("EC2 AP NORTHEAST") : "/backends/" + w.backend("EC2 AP NORTHEAST");
        std::string name = is_v1 ? "ec2-v1" : "ec2-2015";
        auto created = c.post(base + "/machines", w.create_body(c, base, name));
        BOOST_REQUIRE_EQUAL(created.status, 200);
        BOOST_TEST(ips(created.json(), "public_ips") == 0u);  // the create answer: the node as it is now
        BOOST_TEST(ips(created.json(), "private_ips") == 0u);
        auto pending = w.machine(c, base, name);
        BOOST_TEST(str(pending, "state") == "pending");
        BOOST_TEST(ips(pending, "public_ips") == 0u);
        BOOST_TEST(eventually([&] { return str(w.machine(c, base, name), "state") == "running"; }));
        auto running = w.machine(c, base, name);
        BOOST_TEST(ips(running, "public_ips") == 1u);
        BOOST_TEST(ips(running, "private_ips") == 1u);
    }
    // NephoScale knows them at creation.
    std::string nepho = "/api/v1/clouds/" + w.cloud("NephoScale");
    auto created = w.v1.post(nepho + "/machines", w.create_body(w.v1, nepho, "nepho"));
    BOOST_TEST(ips(created.json(), "public_ips") == 1u);
}

BOOST_AUTO_TEST_CASE(address_rule_is_a_knob) {
    sim_world at_creation(with([](auto& o) { o.addresses = mistasync::testing::address_rule::at_creation; }));
    std::string ec2 = "/api/v1/clouds/" + at_creation.cloud("EC2 AP NORTHEAST");
    BOOST_TEST(ips(at_creation.v1.post(ec2 + "/machines", at_creation.create_body(at_creation.v1, ec2, "a")).json(), "public_ips") == 1u);

    sim_world when_running(with([](auto& o) { o.addresses = mistasync::testing::address_rule::when_running; }));
    std::string nepho = "/backends/" + when_running.backend("NephoScale");
    auto created = when_running.legacy.post(nepho + "/machines", when_running.create_body(when_running.legacy, nepho, "b"));
    BOOST_TEST(ips(created.json(), "public_ips") == 0u);
}

BOOST_AUTO_TEST_CASE(v1_actions_are_checked_against_the_record_which_actions_do_not_change) {
    sim_world w(with([](auto& o) { o.poll_interval = 0ms; }));
    std::string base = "/api/v1/clouds/" + w.cloud("NephoScale");
    std::string id = str(w.v1.post(base + "/machines", w.create_body(w.v1, base, "rec")).json(), "id");
    std::string path = base + "/machines/" + id;
    // Created, never listed: the record says pending, whatever the provider says now.
    std::this_thread::sleep_for(300ms);  // running at the provider by now
    BOOST_TEST(str(w.machine(w.v1, base, "rec", "?cached=true"), "state") == "pending");
    auto early = w.v1.post(path, R"({"action": "stop"})");
    BOOST_TEST(early.status == 403);
    BOOST_TEST(early.body == "Forbidden: Machine doesn't support stop.");
    BOOST_TEST(str(w.machine(w.v1, base, "rec"), "state") == "running");  // a fresh list refreshes the record
    // Reboot, then stop at once: the record still says running, so both are allowed.
    BOOST_TEST(w.v1.post(path, R"({"action": "reboot"})").status == 200);
    auto stop = w.v1.post(path, R"({"action": "stop"})");
    BOOST_TEST(stop.status == 200);
    BOOST_TEST(stop.body.find("\"stopping\"") != std::string::npos);
    // Cached lists show the record (Python truthiness: "false" is a non-empty string).
    BOOST_TEST(str(w.machine(w.v1, base, "rec", "?cached=true"), "state") == "running");
    BOOST_TEST(str(w.machine(w.v1, base, "rec", "?cached=false"), "state") == "running");
    BOOST_TEST(w.machine(w.v1, base, "rec", "?cached=true").at("actions").at("stop").as_bool());
    BOOST_TEST(eventually([&] { return str(w.machine(w.v1, base, "rec"), "state") == "stopped"; }));
    BOOST_TEST(str(w.machine(w.v1, base, "rec", "?cached=1"), "state") == "stopped");
}

BOOST_AUTO_TEST_CASE(the_poller_refreshes_records) {
    sim_world w(with([](auto& o) { o.poll_interval = 200ms; }));
    std::string base = "/api/v1/clouds/" + w.cloud("NephoScale");
    w.v1.post(base + "/machines", w.create_body(w.v1, base, "polled"));
    BOOST_TEST(eventually([&] { return str(w.machine(w.v1, base, "polled", "?cached=true"), "state") == "running"; }));
}

BOOST_AUTO_TEST_CASE(live_checks_and_provider_lag_are_knobs) {
    sim_world live(with([](auto& o) { o.stored_records = false; }));
    std::string base = "/api/v1/clouds/" + live.cloud("NephoScale");
    std::string id = str(live.v1.post(base + "/machines", live.create_body(live.v1, base, "live")).json(), "id");
    BOOST_TEST(eventually([&] { return str(live.machine(live.v1, base, "live"), "state") == "running"; }));
    BOOST_TEST(live.v1.post(base + "/machines/" + id, R"({"action": "reboot"})").status == 200);
    BOOST_TEST(live.v1.post(base + "/machines/" + id, R"({"action": "stop"})").status == 403);

    sim_world lagging(with([](auto& o) { o.provider_lag = 400ms; }));
    for (bool is_v1 : {true, false}) {
        http_client& c = is_v1 ? lagging.v1 : lagging.legacy;
        std::string b = is_v1 ? "/api/v1/clouds/" + lagging.cloud("NephoScale") : "/backends/" + lagging.backend("NephoScale");
        std::string name = is_v1 ? "lag-v1" : "lag-2015";
        std::string mid = str(c.post(b + "/machines", lagging.create_body(c, b, name)).json(), "id");
        BOOST_TEST(eventually([&] { return str(lagging.machine(c, b, name), "state") == "running"; }));
        BOOST_TEST(c.post(b + "/machines/" + mid, R"({"action": "stop"})").status == 200);
        BOOST_TEST(str(lagging.machine(c, b, name), "state") == "running");  // the provider has not moved yet
        BOOST_TEST(eventually([&] { return str(lagging.machine(c, b, name), "state") == "stopped"; }));
    }
}

// What the 2022 Python client does (and, over /backends, the 2015 one): wait until a fresh
// list says running, reboot, list fresh, stop at once, fresh lists until stopped, start.
// With the default provider lag the fresh list after the reboot still says running, as a
// real provider's does, so the stop is allowed; a start before the record says stopped
// is refused, as by the real server.
BOOST_AUTO_TEST_CASE(the_python_clients_reboot_then_stop_passes_with_the_default_provider_lag) {
    auto o = fast_options();
    o.provider_lag = mistasync::testing::simulator_options{}.provider_lag;
    BOOST_TEST_REQUIRE(o.provider_lag.count() >= 1000);
    sim_world w(o);
    struct run { bool is_v1; const char* cloud; const char* name; };
    for (const run r : {run{true, "NephoScale", "py-nepho"}, run{true, "EC2 AP NORTHEAST", "py-ec2"}, run{false, "NephoScale", "py-2015"}}) {
        BOOST_TEST_CONTEXT(r.name) {
            http_client& c = r.is_v1 ? w.v1 : w.legacy;
            std::string base = r.is_v1 ? "/api/v1/clouds/" + w.cloud(r.cloud) : "/backends/" + w.backend(r.cloud);
            std::string id = str(c.post(base + "/machines", w.create_body(c, base, r.name)).json(), "id");
            std::string path = base + "/machines/" + id;
            BOOST_TEST(eventually([&] { return str(w.machine(c, base, r.name), "state") == "running"; }));
            BOOST_TEST(c.post(path, R"({"action": "reboot"})").status == 200);
            BOOST_TEST(str(w.machine(c, base, r.name), "state") == "running");  // the provider has not moved yet
            auto stop = c.post(path, R"({"action": "stop"})");
            BOOST_TEST(stop.status == 200, stop.body);
            if (r.is_v1) {
                auto early = c.post(path, R"({"action": "start"})");
                BOOST_TEST(early.status == 403);
                BOOST_TEST(early.body == "Forbidden: Machine doesn't support start.");
            }
            BOOST_TEST(eventually([&] { return str(w.machine(c, base, r.name), "state") == "stopped"; }, 10s));
            auto start = c.post(path, R"({"action": "start"})");
            BOOST_TEST(start.status == 200, start.body);
        }
    }
}

BOOST_AUTO_TEST_CASE(ec2_never_shows_a_rebooting_state) {
    sim_world w;
    std::string base = "/api/v1/clouds/" + w.cloud("EC2 AP NORTHEAST");
    std::string id = str(w.v1.post(base + "/machines", w.create_body(w.v1, base, "ec2-reboot")).json(), "id");
    BOOST_TEST(eventually([&] { return str(w.machine(w.v1, base, "ec2-reboot"), "state") == "running"; }));
    BOOST_TEST(w.v1.post(base + "/machines/" + id, R"({"action": "reboot"})").status == 200);
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(str(w.machine(w.v1, base, "ec2-reboot"), "state") == "running");
        std::this_thread::sleep_for(50ms);
    }
}

BOOST_AUTO_TEST_CASE(broken_clouds_answer_as_the_server_does_in_both_eras) {
    sim_world w(with([](auto& o) { o.broken_backends = {{"EC2 AP NORTHEAST", mistasync::testing::backend_fault::unavailable}}; }));
    w.sim.on_sim([](auto& s) { s.set_backend_fault("Docker", mistasync::testing::backend_fault::bad_credentials); return 0; });
    std::string ec2 = w.cloud("EC2 AP NORTHEAST"), docker = w.cloud("Docker"), nepho = w.cloud("NephoScale");
    for (const char* what : {"/machines", "/images", "/sizes", "/locations", "/networks"}) {
        auto down = w.v1.get("/api/v1/clouds/" + ec2 + what);
        BOOST_TEST(down.status == 503);
        BOOST_TEST(down.body == "Cloud unavailable");
        auto refused = w.v1.get("/api/v1/clouds/" + docker + what);
        BOOST_TEST(refused.status == 401);
        BOOST_TEST(refused.body == "Unauthorized cloud credentials: 'Invalid credentials'");
    }
    auto legacy_down = w.legacy.get("/backends/" + w.backend("EC2 AP NORTHEAST") + "/machines");
    BOOST_TEST(legacy_down.status == 503);
    BOOST_TEST(legacy_down.body == "Backend unavailable");
    auto legacy_refused = w.legacy.get("/backends/" + w.backend("Docker") + "/machines");
    BOOST_TEST(legacy_refused.status == 401);
    BOOST_TEST(legacy_refused.body == "Invalid backend credentials");
    // The stored records of a broken cloud can still be read.
    BOOST_TEST(w.v1.get("/api/v1/clouds/" + ec2 + "/machines?cached=true").status == 200);
    // Creates fail at the provider; actions on a healthy record fail when the node is looked up.
    auto create = w.v1.post("/api/v1/clouds/" + ec2 + "/machines", R"({"name": "x", "image": "ami-1", "size": "t1.micro"})");
    BOOST_TEST(create.status == 500);
    BOOST_TEST(create.body.starts_with("Machine creation failed: "));

    // GET /api/v1/machines: every cloud's records by default; with `fresh`, broken clouds skipped.
    std::string nepho_base = "/api/v1/clouds/" + nepho;
    w.v1.post(nepho_base + "/machines", w.create_body(w.v1, nepho_base, "healthy"));
    auto all = w.v1.get("/api/v1/machines");
    BOOST_TEST(all.status == 200);
    BOOST_TEST(!find_by_name(all.json(), "healthy").is_null());
    auto fresh = w.v1.get("/api/v1/machines?fresh=true");
    BOOST_TEST(fresh.status == 200);
    BOOST_TEST(!find_by_name(fresh.json(), "dbserver1").is_null());
    json::value listed = fresh.json();
    for (auto& m : listed.as_array()) BOOST_TEST(str(m, "cloud") == nepho);

    // Healed: lists work again.
    w.sim.on_sim([](auto& s) { s.set_backend_fault("EC2 AP NORTHEAST", mistasync::testing::backend_fault::none); return 0; });
    BOOST_TEST(w.v1.get("/api/v1/clouds/" + ec2 + "/machines").status == 200);
}

BOOST_AUTO_TEST_CASE(actions_on_a_broken_cloud) {
    sim_world w;
    std::string nepho = w.cloud("NephoScale");
    std::string base = "/api/v1/clouds/" + nepho;
    auto dbserver = w.machine(w.v1, base, "dbserver1");  // listed: the record says running
    w.sim.on_sim([](auto& s) { s.set_backend_fault("NephoScale", mistasync::testing::backend_fault::unavailable); return 0; });
    auto v1 = w.v1.post(base + "/machines/" + str(dbserver, "machine_id"), R"({"action": "reboot"})");
    BOOST_TEST(v1.status == 500);
    BOOST_TEST(v1.body == "Internal Server Error");
    auto legacy = w.legacy.post("/backends/" + w.backend("NephoScale") + "/machines/" + str(dbserver, "machine_id"), R"({"action": "reboot"})");
    BOOST_TEST(legacy.status == 503);
    BOOST_TEST(legacy.body == "Machine currently unavailable: Error while attempting to reboot machine");
}

BOOST_AUTO_TEST_CASE(a_create_may_fail_after_the_machine_was_made) {
    sim_world w(with([](auto& o) { o.post_create_failure_rate = 1; }));
    for (bool is_v1 : {true, false}) {
        http_client& c = is_v1 ? w.v1 : w.legacy;
        std::string base = is_v1 ? "/api/v1/clouds/" + w.cloud("NephoScale") : "/backends/" + w.backend("NephoScale");
        std::string name = is_v1 ? "made-v1" : "made-2015";
        auto r = c.post(base + "/machines", w.create_body(c, base, name));
        BOOST_TEST(r.status == 500);
        BOOST_TEST(r.body == "Internal Server Error");
        BOOST_TEST(!w.machine(c, base, name).is_null());
        BOOST_TEST(w.sim.on_sim([&](auto& s) { return s.machines_named(name); }) == 1u);
    }
}

// The simulator keeps each machine's rendered document and renders again only what
// changed: a batch's creates and probes must not make it render every machine. Every
// change must still show: the machine a request named, the seconds of v1's "last_seen",
// and a change every document shows (the cloud's title).
BOOST_AUTO_TEST_CASE(lists_show_every_change_while_rendering_only_what_changed) {
    sim_world w;
    std::string cloud = w.cloud("NephoScale");
    std::string base = "/api/v1/clouds/" + cloud;
    std::string body = w.create_body(w.v1, base, "many-0");
    for (int i = 0; i < 150; ++i) {
        std::string named = body;
        named.replace(named.find("many-0"), 6, "many-" + std::to_string(i));
        BOOST_REQUIRE_EQUAL(w.v1.post(base + "/machines", named).status, 200);
    }
    auto listed = [&] {
        auto r = w.v1.get(base + "/machines");
        BOOST_REQUIRE_EQUAL(r.status, 200);
        return r.json();
    };
    json::value first = listed();
    BOOST_TEST(first.as_array().size() >= 150u);
    // A machine a request named: its tag shows; its neighbour is unchanged.
    json::value one = find_by_name(first, "many-7");
    BOOST_REQUIRE_EQUAL(w.v1.post(base + "/machines/" + str(one, "machine_id") + "/tags", R"({"tags": {"team": "blue"}})").status, 200);
    json::value tagged = listed();
    BOOST_TEST(json::serialize(find_by_name(tagged, "many-7").at("tags")).find("blue") != std::string::npos);
    BOOST_TEST(json::serialize(find_by_name(tagged, "many-8").at("tags")).find("blue") == std::string::npos);
    // The time moves on in every document, without anything else changing.
    std::string seen_before = str(find_by_name(tagged, "many-9"), "last_seen");
    std::this_thread::sleep_for(1100ms);
    json::value later = listed();
    BOOST_TEST(str(find_by_name(later, "many-9"), "last_seen") != seen_before);
    BOOST_TEST(str(find_by_name(later, "many-9"), "name") == "many-9");
    // A change of the cloud shows in every machine's document.
    BOOST_REQUIRE_EQUAL(w.v1.put(base, R"({"new_name": "Renamed"})").status, 200);
    json::value renamed = listed();  // kept: a range-for over a temporary's member dangles
    for (const json::value& m : renamed.as_array()) BOOST_TEST(str(m, "cloud_title") == "Renamed");
}
