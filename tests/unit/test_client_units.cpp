// Unit tests of the SDK's pure parts: retry timing, paths, URLs, errors and the JSON
// mapping of both eras (with the older and later shapes the contract lists).
#include <boost/test/unit_test.hpp>

#include "codec/decode.hpp"
#include <mistasync/lookup.hpp>
#include "errc_printing.hpp"
#include "http/base_url.hpp"
#include "codec/request_path.hpp"
#include "decide/retry.hpp"

#include <boost/json.hpp>

using namespace mistasync;
using namespace mistasync::detail;
namespace json = boost::json;

BOOST_AUTO_TEST_CASE(backoff_is_full_jitter_exponential_and_capped) {
    retry_policy p;
    p.initial_backoff = std::chrono::milliseconds(100);
    p.max_backoff = std::chrono::milliseconds(1000);
    std::mt19937_64 a(42), b(42);
    for (int attempt = 1; attempt <= 8; ++attempt) {
        auto d = backoff_delay(p, attempt, a);
        BOOST_TEST(d.count() == backoff_delay(p, attempt, b).count());  // seeded: repeatable
        double ceiling = std::min(1000.0, 100.0 * std::pow(2.0, attempt - 1));
        BOOST_TEST(d.count() >= 0);
        BOOST_TEST(d.count() <= ceiling);
    }
    // Over many draws the mean of attempt 3 is about half its ceiling (400 ms).
    std::mt19937_64 rng(1);
    double sum = 0;
    for (int i = 0; i < 4000; ++i) sum += backoff_delay(p, 3, rng).count();
    BOOST_TEST(sum / 4000 > 170);
    BOOST_TEST(sum / 4000 < 230);
}

BOOST_AUTO_TEST_CASE(retry_after_and_retryable_classification) {
    BOOST_TEST(parse_retry_after("3").value().count() == 3000);
    BOOST_TEST(parse_retry_after(" 12 ").value().count() == 12000);
    BOOST_TEST(!parse_retry_after("").has_value());
    BOOST_TEST(!parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
    BOOST_TEST(!parse_retry_after("-1").has_value());
    for (int s : {429, 500, 502, 503, 504}) BOOST_TEST(retryable_status(s));
    for (int s : {200, 400, 401, 403, 404, 409, 501}) BOOST_TEST(!retryable_status(s));
    retry_policy p;
    p.budget_capacity = 2;
    p.budget_refill = 0.5;
    retry_budget budget(p);
    BOOST_TEST(budget.try_spend());
    BOOST_TEST(budget.try_spend());
    BOOST_TEST(!budget.try_spend());
    budget.on_success();
    budget.on_success();
    BOOST_TEST(budget.try_spend());
}

BOOST_AUTO_TEST_CASE(path_segments_are_encoded) {
    BOOST_TEST(encode_segment("i-5ebfdc59") == "i-5ebfdc59");
    BOOST_TEST(encode_segment("mist/ubuntu-14.04") == "mist%2Fubuntu-14.04");
    BOOST_TEST(encode_segment("a b%c") == "a%20b%25c");
    BOOST_TEST(encode_segment("..") == "%2E%2E");
    BOOST_TEST(encode_segment(".") == "%2E");
    BOOST_TEST(encode_segment("caf\xc3\xa9") == "caf%C3%A9");
    BOOST_TEST(encode_segment("x\r\nHost: evil") == "x%0D%0AHost%3A%20evil");
    BOOST_TEST(unusable_id(""));
    BOOST_TEST(unusable_id("a\nb"));
    BOOST_TEST(!unusable_id("a/b"));
}

BOOST_AUTO_TEST_CASE(base_urls) {
    auto a = parse_base_url("https://mist.io").value();
    BOOST_TEST(a.tls);
    BOOST_TEST(a.host == "mist.io");
    BOOST_TEST(a.port == "443");
    BOOST_TEST(a.prefix == "");
    auto b = parse_base_url("http://127.0.0.1:6543/mist/").value();
    BOOST_TEST(!b.tls);
    BOOST_TEST(b.port == "6543");
    BOOST_TEST(b.prefix == "/mist");
    auto c = parse_base_url("https://[::1]:8443").value();
    BOOST_TEST(c.host == "::1");
    BOOST_TEST(!parse_base_url("ftp://mist.io").has_value());
    BOOST_TEST(!parse_base_url("not a url").has_value());
    BOOST_TEST(!parse_base_url("https://").has_value());
}

BOOST_AUTO_TEST_CASE(http_status_to_error) {
    BOOST_TEST(!error_from_status(200));
    BOOST_TEST(error_from_status(401) == errc::unauthorized);
    BOOST_TEST(error_from_status(404) == errc::not_found);
    BOOST_TEST(error_from_status(409) == errc::conflict);
    BOOST_TEST(error_from_status(429) == errc::rate_limited);
    BOOST_TEST(error_from_status(503) == errc::service_unavailable);
    BOOST_TEST(error_from_status(502) == errc::server_error);
    BOOST_TEST(error_from_status(418) == errc::bad_request);
    diagnostics d{404, "Not Found: Cloud does not exist", "GET", "/api/v1/clouds/x/machines", {}, 2};
    BOOST_TEST(d.to_string() == "GET /api/v1/clouds/x/machines -> 404: Not Found: Cloud does not exist after 2 attempts");
    mistasync::error e(errc::not_found, d);
    BOOST_TEST(std::string(e.what()).find("Not Found: Cloud does not exist") != std::string::npos);
}

// A document parsed outside any response: on the default heap, no arena.
static json_holder holder(std::string_view text) { return {nullptr, json::parse(text)}; }

BOOST_AUTO_TEST_CASE(machines_of_both_eras_normalise) {
    client_ref ref;
    auto legacy = decode_machine(ref, holder(R"({"id": "i-5ebfdc59", "uuid": "447c23edbe944911f23145538915865ebddec230",
        "name": "WebServer 3", "imageId": "ami-2f61fe2e", "size": "t1.micro", "state": "running",
        "public_ips": ["170.21.215.111"], "private_ips": ["10.153.6.20"], "tags": [{"key": "env", "value": "prod"}],
        "extra": {}, "can_start": false, "can_stop": true, "can_reboot": true, "can_destroy": true, "can_tag": true,
        "can_rename": true})"), "B1", api_era::legacy);
    BOOST_TEST(legacy.id == "i-5ebfdc59");
    BOOST_TEST(legacy.image_id == "ami-2f61fe2e");
    BOOST_TEST(static_cast<int>(legacy.state) == static_cast<int>(machine_state::running));
    BOOST_TEST(legacy.actions.stop);
    BOOST_TEST(!legacy.actions.start);
    BOOST_TEST(legacy.backend_id == "B1");
    BOOST_TEST(legacy.tags.at(0).second == "prod");

    auto v1 = decode_machine(ref, holder(R"({"id": "d4f4c9bc3a8e4fd5a2c0b9c4f6b1e2a3", "machine_id": "i-5ebfdc59",
        "name": "WebServer 3", "state": "stopped", "image_id": "ami-2f61fe2e", "size": "t1.micro",
        "actions": {"start": true, "stop": false, "reboot": false, "destroy": true}, "cloud": "7f3a",
        "public_ips": [], "private_ips": [], "tags": {"env": "prod"}})"), "", api_era::v1);
    BOOST_TEST(v1.id == "i-5ebfdc59");
    BOOST_TEST(v1.uuid == "d4f4c9bc3a8e4fd5a2c0b9c4f6b1e2a3");
    BOOST_TEST(v1.backend_id == "7f3a");
    BOOST_TEST(v1.actions.start);
    BOOST_TEST(v1.tags.at(0).first == "env");  // later v1: tags as an object

    // Later v1 renamed machine_id to external_id and image_id to image; 2012 sent integers.
    auto later = decode_machine(ref, holder(R"({"id": "u", "external_id": "ext-1", "image": "img", "state": 3, "name": "n"})"),
                                "", api_era::v1);
    BOOST_TEST(later.id == "ext-1");
    BOOST_TEST(later.image_id == "img");
    BOOST_TEST(static_cast<int>(later.state) == static_cast<int>(machine_state::pending));
    BOOST_CHECK_THROW(decode_machine(ref, holder("[1]"), "", api_era::v1), std::exception);
}

// A model decoded from a list keeps its element, and the arena under it, after the list
// and the parsed document are gone (the element's values do not own the arena).
BOOST_AUTO_TEST_CASE(a_model_keeps_its_part_of_the_document_alive) {
    client_ref ref;
    http_response r;
    r.body = R"([{"id": "i-1", "name": "a name too long to be stored inline", "tags": [{"key": "env", "value": "prod"}]},
                 {"id": "i-2", "name": "b"}])";
    const machine kept = [&] {
        json_holder doc = parse_json(r, api_request{});
        auto& list = doc.value.as_array();
        return decode_machine(ref, json_holder{doc.arena, std::move(list[0])}, "B1", api_era::legacy);
    }();
    const auto info = json::parse(kept.info());
    BOOST_TEST(info.at("name").as_string() == "a name too long to be stored inline");
    BOOST_TEST(info.at("tags").at(0).at("value").as_string() == "prod");
    BOOST_TEST(kept.name == "a name too long to be stored inline");
}

BOOST_AUTO_TEST_CASE(key_associations_tuples_and_objects) {
    auto five = decode_associations(json::parse(R"([["B", "i-1", 1389715866.5, "ec2-user", "true"]])"));
    BOOST_TEST(five.at(0).ssh_user.value() == "ec2-user");
    BOOST_TEST(five.at(0).sudo);
    BOOST_TEST(five.at(0).port == 22);
    auto six = decode_associations(json::parse(R"([["B", "i-1", 0, null, false, 2222]])"));
    BOOST_TEST(!six.at(0).ssh_user.has_value());
    BOOST_TEST(six.at(0).port == 2222);
    auto objects = decode_associations(json::parse(R"({"a1": {"cloud": "C", "machine": "m", "last_used": 5, "ssh_user": "root", "sudo": true, "port": 22}})"));
    BOOST_TEST(objects.at(0).backend_id == "C");
    BOOST_TEST(objects.at(0).machine_id == "m");
}

BOOST_AUTO_TEST_CASE(probes_of_both_eras) {
    auto legacy = decode_probe(json::parse(R"({"uptime": "\n2145.32 4187.12\n", "loadavg": ["0.00", "0.01", "0.05\n"],
        "cores": "\n1\n", "users": "1", "pub_ips": ["50.253.51.216"], "priv_ips": [], "packets_tx": 10, "packets_rx": 10,
        "packets_loss": 0.0, "rtt_min": 0.421, "rtt_avg": 0.512, "rtt_max": 0.689})"));
    BOOST_TEST(legacy.reachable);
    BOOST_TEST(legacy.uptime_seconds == 2145.32);
    BOOST_TEST(legacy.cores == 1);
    BOOST_TEST(legacy.loadavg.at(2) == 0.05);
    BOOST_TEST(legacy.rtt_avg_ms == 0.512);
    auto ping_only = decode_probe(json::parse(R"({"packets_tx": 10, "packets_rx": 10, "packets_loss": 0.0})"));
    BOOST_TEST(!ping_only.reachable);
    BOOST_TEST(ping_only.pingable);
    auto nothing = decode_probe(json::parse("{}"));
    BOOST_TEST(!nothing.reachable);
    BOOST_TEST(!nothing.pingable);
    auto v1 = decode_probe(json::parse(R"({"ping": {"packets_tx": 10, "packets_rx": 9, "packets_loss": 10.0, "rtt_avg": 0.51},
        "ssh": {"uptime": 2145.32, "loadavg": [0.0, 0.01, 0.05], "cores": 2, "users": 1, "pub_ips": ["1.2.3.4"]}})"));
    BOOST_TEST(v1.reachable);
    BOOST_TEST(v1.cores == 2);
    BOOST_TEST(v1.packet_loss == 0.1);  // a percentage in some versions
}

BOOST_AUTO_TEST_CASE(jobs_with_and_without_summary) {
    auto legacy = decode_job(json::parse(R"({"job_id": "j", "started_at": 1.5, "finished_at": 0, "error": false, "quantity": 2,
        "summary": {"create": {"success": 1, "error": 0, "skipped": 0, "pending": 1},
                    "probe": {"success": 0, "error": 0, "skipped": 0, "pending": 2}},
        "logs": [{"action": "machine_creation_finished", "machine_name": "web-1", "error": false, "time": 2}]})"));
    BOOST_TEST(!legacy.finished());
    BOOST_TEST(legacy.created.success == 1);
    BOOST_TEST(legacy.probed.pending == 2);
    BOOST_TEST(legacy.events.at(0).machine_name == "web-1");
    auto story = decode_job(json::parse(R"({"story_id": "s", "started_at": 1, "finished_at": 9, "error": "boom",
        "logs": [{"action": "async_machine_creation_started", "quantity": 3},
                 {"action": "machine_creation_finished", "machine_name": "a", "machine_id": "i-1", "error": false},
                 {"action": "machine_creation_finished", "machine_name": "b", "error": "Machine creation failed"},
                 {"action": "probe", "machine_id": "i-1", "error": false}]})"));
    BOOST_TEST(story.id == "s");
    BOOST_TEST(story.finished());
    BOOST_TEST(story.error == "boom");
    BOOST_TEST(story.quantity == 3);
    BOOST_TEST(story.created.success == 1);
    BOOST_TEST(story.created.error == 1);
    BOOST_TEST(story.created.pending == 1);
    BOOST_TEST(story.probed.success == 1);
    BOOST_TEST(story.probed.skipped == 1);
}

BOOST_AUTO_TEST_CASE(states_parse_both_ways) {
    for (auto s : {machine_state::pending, machine_state::running, machine_state::stopped, machine_state::terminated,
                   machine_state::rebooting, machine_state::starting, machine_state::stopping})
        BOOST_TEST(static_cast<int>(parse_machine_state(to_string(s))) == static_cast<int>(s));
    BOOST_TEST(static_cast<int>(parse_machine_state("migrating")) == static_cast<int>(machine_state::unknown));
}

// The rule by which a typed word picks one thing (find_* with id_or_name, the command line).
BOOST_AUTO_TEST_CASE(pick_by_id_or_name_prefers_an_id_and_wants_one_exact_name) {
    struct thing {
        std::string id, name;
    };
    const std::vector<thing> all{{"i-1", "web"}, {"i-2", "web"}, {"web", "db"}, {"i-4", "webserver"}};
    auto pick = [&](std::string_view ref) {
        return pick_by_id_or_name(all, ref, "machine", [&](const thing& t) { return t.id == ref; },
                                  [&](const thing& t) { return t.name == ref; });
    };
    BOOST_TEST(std::get<thing>(pick("i-2")).id == "i-2");
    BOOST_TEST(std::get<thing>(pick("web")).name == "db");  // an id wins over two names
    BOOST_TEST(std::get<thing>(pick("webserver")).id == "i-4");
    BOOST_TEST(std::get<std::string>(pick("server")) == "no machine named or with the id 'server'");
    const std::vector<thing> twins{{"i-1", "web"}, {"i-2", "web"}};
    auto twin = pick_by_id_or_name(twins, "web", "machine", [](const thing&) { return false; },
                                   [](const thing& t) { return t.name == "web"; });
    BOOST_TEST(std::get<std::string>(twin) == "2 machines are named 'web': give the id instead (i-1, i-2)");
}
