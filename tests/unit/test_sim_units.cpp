// Unit tests of the simulator's pure parts: JSON text, error bodies, ids, faults, the
// world's clockwork. No sockets.
#include <boost/test/unit_test.hpp>

#include "api.hpp"
#include "api_error.hpp"
#include "catalogue.hpp"
#include "crypto.hpp"
#include "faults.hpp"
#include "python_json.hpp"
#include "request_context.hpp"
#include "world.hpp"

#include <boost/json.hpp>

#include <thread>

using namespace mistasync::sim;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(python_json_text)

BOOST_AUTO_TEST_CASE(matches_python_json_dumps) {
    // Expected text produced by Python 3's json.dumps on the same document.
    json::value v = json::parse(R"({"a":1e-05,"b":1e16,"c":123456789.125,"d":"é\u2028😀","e":0.1,"f":1.0})");
    BOOST_TEST(to_python_json(v) ==
               R"({"a": 1e-05, "b": 1e+16, "c": 123456789.125, "d": "\u00e9\u2028\ud83d\ude00", "e": 0.1, "f": 1.0})");
}

BOOST_AUTO_TEST_CASE(escapes_control_characters_and_quotes) {
    json::value v = json::array{"line\nnext\t\"q\" \\ \x01", nullptr, true, -3};
    BOOST_TEST(to_python_json(v) == R"(["line\nnext\t\"q\" \\ \u0001", null, true, -3])");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_becomes_replacement_character) {
    json::value v = json::string(std::string("a\xff" "b"));
    BOOST_TEST(to_python_json(v) == R"("a\ufffdb")");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(error_bodies)

BOOST_AUTO_TEST_CASE(keyerror_repr_uses_u_prefix_for_url_details) {
    BOOST_TEST(keyerror_error(404, "Backend not found", "2tK74h4mXbj8nNohljLIzqc4SHn3").body ==
               "u'Backend not found: 2tK74h4mXbj8nNohljLIzqc4SHn3'");
    BOOST_TEST(keyerror_error(404, "Backend not found").body == "'Backend not found'");
}

BOOST_AUTO_TEST_CASE(keyerror_repr_switches_quotes_like_python) {
    // Python: repr("Keypair not found: Couldn't find default keypair")
    BOOST_TEST(keyerror_error(404, "Keypair not found", "Couldn't find default keypair", false).body ==
               "\"Keypair not found: Couldn't find default keypair\"");
    BOOST_TEST(python_repr("a'b\"c", false) == R"('a\'b"c')");
    BOOST_TEST(python_repr("caf\xc3\xa9", true) == R"(u'caf\xe9')");
    BOOST_TEST(python_repr("\xe2\x82\xac\n", true) == R"(u'\u20ac\n')");
}

BOOST_AUTO_TEST_CASE(plain_errors_join_message_and_detail) {
    BOOST_TEST(mist_error(400, "Bad Request").body == "Bad Request");
    BOOST_TEST(required_parameter("new_state").body == "Required parameter not provided: new_state");
    BOOST_TEST(not_found("Cloud does not exist").status == 404);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(identifiers)

BOOST_AUTO_TEST_CASE(base58_matches_bitcoin_alphabet) {
    BOOST_TEST(base58("Hello World!") == "2NEpo7TZRRrLZSi2U");
    BOOST_TEST(base58(std::string("\0\0abc", 5)) == "11ZiCa");
}

BOOST_AUTO_TEST_CASE(sha1_hex_known_vector) {
    BOOST_TEST(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

BOOST_AUTO_TEST_CASE(generated_rsa_key_round_trips) {
    rsa_key_pair pair = generate_rsa_key();
    BOOST_TEST(pair.private_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    BOOST_TEST(pair.public_ssh.starts_with("ssh-rsa AAAA"));
    BOOST_TEST(rsa_public_from_private(pair.private_pem).value() == pair.public_ssh);
    BOOST_TEST(!rsa_public_from_private("not a key").has_value());
}

BOOST_AUTO_TEST_CASE(percent_decoding_rejects_broken_escapes) {
    BOOST_TEST(percent_decode("a%2Fb", false).value() == "a/b");
    BOOST_TEST(percent_decode("a+b", true).value() == "a b");
    BOOST_TEST(!percent_decode("a%2", false).has_value());
    BOOST_TEST(!percent_decode("%zz", false).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fault_choice)

BOOST_AUTO_TEST_CASE(same_seed_same_faults) {
    std::mt19937_64 a(42), b(42);
    auto mix = mistasync::testing::fault_mix::all();
    for (int i = 0; i < 1000; ++i) BOOST_TEST(static_cast<int>(pick_fault(a, 0.3, mix)) == static_cast<int>(pick_fault(b, 0.3, mix)));
}

// A mix names the kinds it wants; the others are never injected.
BOOST_AUTO_TEST_CASE(a_mix_injects_only_the_kinds_it_names) {
    std::mt19937_64 rng(11);
    mistasync::testing::fault_mix only_503{.http_503 = 1};
    for (int i = 0; i < 2000; ++i) {
        fault_kind k = pick_fault(rng, 1.0, only_503);
        BOOST_TEST((k == fault_kind::http_503));
    }
    mistasync::testing::fault_mix none;
    BOOST_TEST((pick_fault(rng, 1.0, none) == fault_kind::none));
    mistasync::testing::simulator_options defaults;
    BOOST_TEST(defaults.faults.stall == 1.0);  // fault_rate alone injects every kind
}

BOOST_AUTO_TEST_CASE(rate_is_respected_and_kinds_follow_the_mix) {
    std::mt19937_64 rng(7);
    auto mix = parse_fault_list("503,drop-after");
    int faults = 0;
    for (int i = 0; i < 20000; ++i) {
        fault_kind k = pick_fault(rng, 0.2, mix);
        if (k == fault_kind::none) continue;
        ++faults;
        BOOST_TEST((k == fault_kind::http_503 || k == fault_kind::drop_after));
    }
    BOOST_TEST(faults > 3600);
    BOOST_TEST(faults < 4400);
    BOOST_CHECK_THROW(parse_fault_list("500,bogus"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(world_clockwork)

world_options quick() {
    return {"u@example.com", "pw", std::chrono::milliseconds(60), std::chrono::milliseconds(60),
            std::chrono::milliseconds(40), std::chrono::milliseconds(10), 0, 1, 10};
}

backend& ec2_backend(world& w) {
    backend b;
    b.provider = "ec2";
    b.legacy_provider = "ec2_ap_northeast";
    b.region = "ec2_ap_northeast";
    b.legacy_id = "legacy";
    return w.add_backend(std::move(b));
}

BOOST_AUTO_TEST_CASE(machine_boots_then_answers_ssh) {
    world w(quick());
    backend& b = ec2_backend(w);
    machine& m = w.create_machine(b, machine_spec{.name = "m", .image_id = "img", .size_id = "t1.micro"}, "");
    BOOST_TEST(m.provider_id.starts_with("i-"));
    BOOST_TEST(m.libcloud_uuid.size() == 40u);
    BOOST_TEST(m.mist_id.size() == 32u);
    BOOST_TEST(state_name(w.state_of(m), era::legacy) == "pending");
    BOOST_TEST(!w.reachable(m));
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
    BOOST_TEST(state_name(w.state_of(m), era::legacy) == "running");
    BOOST_TEST(!w.reachable(m));
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    BOOST_TEST(w.reachable(m));
}

BOOST_AUTO_TEST_CASE(actions_follow_contract_rules) {
    world w(quick());
    backend& b = ec2_backend(w);
    machine& m = w.create_machine(b, machine_spec{.name = "m", .image_id = "img", .size_id = "t1.micro", .already_running = true}, "");
    machine_actions a = w.actions_of(m);
    BOOST_TEST((a.stop && a.reboot && a.destroy && !a.start && a.rename && a.tag));
    w.apply_action(m, "stop");
    BOOST_TEST(state_name(w.state_of(m), era::v1) == "stopping");
    BOOST_TEST(state_name(w.state_of(m), era::legacy) == "pending");
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    a = w.actions_of(m);
    BOOST_TEST((a.start && !a.stop && !a.reboot && a.destroy));
    w.apply_action(m, "destroy");
    a = w.actions_of(m);
    BOOST_TEST((!a.start && !a.stop && !a.reboot && !a.destroy));
    BOOST_TEST(!w.apply_action(m, "explode"));
}

BOOST_AUTO_TEST_CASE(world_refuses_machines_beyond_its_limit) {
    world w(quick());
    backend& b = ec2_backend(w);
    for (int i = 0; i < 10; ++i) w.create_machine(b, machine_spec{.name = "m", .image_id = "i", .size_id = "s"}, "");
    BOOST_CHECK_THROW(w.create_machine(b, machine_spec{.name = "m", .image_id = "i", .size_id = "s"}, ""), std::length_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(api_without_network)

BOOST_AUTO_TEST_CASE(unknown_route_is_the_html_404_page) {
    world w(world_clockwork::quick());
    api a({{"o", "org", &w}}, api_config{true});
    sim_response r = a.handle({"GET", "/nothing/here", "", "", "", ""});
    BOOST_TEST(r.status == 404);
    BOOST_TEST(r.content_type == "text/html; charset=UTF-8");
    r = a.handle({"PATCH", "/backends", "", "", "", ""});  // known path, no such method
    BOOST_TEST(r.status == 404);
}

BOOST_AUTO_TEST_CASE(malformed_url_escape_is_a_400) {
    world w(world_clockwork::quick());
    api a({{"o", "org", &w}}, api_config{true});
    BOOST_TEST(a.handle({"GET", "/backends/%zz/machines", "", "", "", ""}).status == 400);
}

BOOST_AUTO_TEST_CASE(providers_lists_have_both_shapes) {
    auto v1 = providers_v1();
    auto v2 = providers_v2(false);
    BOOST_TEST(v1.at("supported_providers").as_array().at(3).at("provider").as_string() == "ec2_ap_northeast");
    bool found_ec2 = false;
    for (auto& p : v2.at("supported_providers").as_array())
        if (p.at("provider") == "ec2") {
            found_ec2 = true;
            BOOST_TEST(p.at("regions").as_array().at(0).at("id").as_string() == "ec2_ap_northeast");
        }
    BOOST_TEST(found_ec2);
    auto c = providers_v2(true);
    for (auto& p : c.at("supported_providers").as_array())
        if (p.at("provider") == "ec2") BOOST_TEST(p.at("regions").as_array().at(0).at("id").as_string() == "ap-northeast-1");
}

BOOST_AUTO_TEST_SUITE_END()

namespace mistasync::sim {
inline std::ostream& operator<<(std::ostream& os, fault_kind k) { return os << fault_name(k); }
}  // namespace mistasync::sim

BOOST_AUTO_TEST_CASE(scripted_fault_paths_match_segment_by_segment) {
    BOOST_TEST(path_matches("/api/v1/clouds/*/machines", "/api/v1/clouds/abc/machines"));
    BOOST_TEST(!path_matches("/api/v1/clouds/*/machines", "/api/v1/clouds/abc/machines/m1"));
    BOOST_TEST(!path_matches("/api/v1/clouds/*/machines", "/api/v1/clouds//machines"));
    BOOST_TEST(!path_matches("/api/v1/clouds/*/machines", "/api/v1/clouds/machines"));
    BOOST_TEST(path_matches("/backends", "/backends"));
    BOOST_TEST(!path_matches("/backends", "/backends/x"));
    BOOST_TEST(path_matches("/*/*", "/keys/k1"));
}

BOOST_AUTO_TEST_CASE(a_scripted_fault_fires_once_at_its_nth_matching_request) {
    fault_script script;
    script.add({.method = "POST", .path = "/backends/*/machines", .nth = 2, .kind = mistasync::testing::fault::drop_after});
    script.add({.method = "POST", .path = "/backends/*/machines", .nth = 2, .kind = mistasync::testing::fault::http_500});
    BOOST_TEST(script.on_request("GET", "/backends/b/machines") == fault_kind::none);  // another method
    BOOST_TEST(script.on_request("POST", "/backends/b/machines") == fault_kind::none);  // the 1st
    BOOST_TEST(script.on_request("POST", "/backends/b/machines") == fault_kind::drop_after);  // the 2nd: the first script
    BOOST_TEST(script.on_request("POST", "/backends/b/machines") == fault_kind::http_500);  // the other, due, takes the next
    BOOST_TEST(script.on_request("POST", "/backends/b/machines") == fault_kind::none);  // each fires once
    BOOST_TEST(script.empty());
}
