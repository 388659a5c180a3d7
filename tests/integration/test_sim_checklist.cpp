// One test per item of the contract's test-server checklist (§6).
#include <boost/test/unit_test.hpp>

#include "api_helpers.hpp"
#include "sim_fixture.hpp"

using namespace mistasync::test;
namespace json = boost::json;

namespace {
struct both_eras {
    sim_fixture sim;
    http_client a = sim.legacy_client();
    http_client c = sim.client();
    std::string backend = first_backend(a, "/backends");
    std::string cloud = first_backend(c, "/api/v1/clouds");

    std::string create_legacy(const std::string& name) {
        auto r = a.post("/backends/" + backend + "/machines", R"({"name": ")" + name + R"(", "image": "51", "size": "221"})");
        BOOST_REQUIRE_EQUAL(r.status, 200);
        return str(r.json(), "id");
    }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(contract_checklist, both_eras)

BOOST_AUTO_TEST_CASE(item1_plain_text_errors_quoted_in_2015_unquoted_in_v1) {
    auto legacy = a.get("/backends/2tK74h4mXbj8nNohljLIzqc4SHn3/machines");
    BOOST_TEST(legacy.status == 404);
    BOOST_TEST(legacy.content_type == "text/html; charset=UTF-8");
    BOOST_TEST(legacy.body == "u'Backend not found: 2tK74h4mXbj8nNohljLIzqc4SHn3'");
    auto v1 = c.get("/api/v1/clouds/2tK74h4mXbj8nNohljLIzqc4SHn3/machines");
    BOOST_TEST(v1.status == 404);
    BOOST_TEST(v1.body == "Not Found: Cloud does not exist");
    BOOST_TEST(a.get("/keys/Missing/public").body == "u'Keypair not found: Missing'");
}

BOOST_AUTO_TEST_CASE(item2_literal_ok_bodies) {
    auto check_ok = [](const http_reply& r) {
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.body == "OK");
        BOOST_TEST(r.content_type == "text/html; charset=UTF-8");
    };
    check_ok(a.put("/backends/" + backend, R"({"new_name": "N"})"));
    check_ok(a.post("/backends/" + backend, R"({"new_state": "1"})"));
    check_ok(a.post("/keys/MyKey"));
    std::string id = create_legacy("ok-tags");
    check_ok(a.post("/backends/" + backend + "/machines/" + id + "/tags", R"({"tags": [{"a": "b"}]})"));
    check_ok(a.del("/backends/" + backend + "/machines/" + id + "/tags/a"));
    std::string ec2 = str(c.get("/api/v1/clouds").json().as_array()[1], "id");
    check_ok(c.del("/api/v1/clouds/" + ec2));
}

BOOST_AUTO_TEST_CASE(item3_get_with_json_body_and_post_alias) {
    auto get = a.get("/backends/" + backend + "/images", R"({"search_term": "CentOS"})");
    auto post = a.post("/backends/" + backend + "/images", R"({"search_term": "CentOS"})");
    BOOST_TEST(get.status == 200);
    BOOST_TEST(get.body == post.body);
    BOOST_TEST(get.json().as_array().size() == 3u);
}

BOOST_AUTO_TEST_CASE(item4_new_state_must_be_string_one_or_zero) {
    BOOST_TEST(a.post("/backends/" + backend, R"({"new_state": "1"})").status == 200);
    BOOST_TEST(a.post("/backends/" + backend, R"({"new_state": "0"})").status == 200);
    for (auto* bad : {R"({"new_state": "true"})", R"({"new_state": "2"})", R"({"new_state": true})", R"({"new_state": 1})"}) {
        auto r = a.post("/backends/" + backend, bad);
        BOOST_TEST(r.status == 400, bad);
    }
    BOOST_TEST(a.post("/backends/" + backend, R"({"new_state": 0})").body == "Required parameter not provided: new_state");
}

BOOST_AUTO_TEST_CASE(item5_async_job_progresses_and_counters_add_up) {
    auto r = a.post("/backends/" + backend + "/machines",
                    R"({"name": "q", "image": "51", "size": "221", "async": true, "quantity": 7})");
    std::string job = str(r.json(), "job_id");
    BOOST_TEST(job.size() == 32u);
    BOOST_TEST(job.find_first_not_of("0123456789abcdef") == std::string::npos);
    bool saw_unfinished = false;
    json::value doc;
    BOOST_TEST(eventually([&] {
        doc = a.get("/jobs/" + job).json();
        for (auto* part : {"create", "probe"}) {
            auto& s = doc.at("summary").at(part);
            std::int64_t total = s.at("success").as_int64() + s.at("error").as_int64() + s.at("skipped").as_int64() +
                                 s.at("pending").as_int64();
            BOOST_TEST(total == 7);
        }
        if (doc.at("finished_at").is_int64()) {
            saw_unfinished = true;
            return false;
        }
        return true;
    }));
    BOOST_TEST(saw_unfinished);
    BOOST_TEST(doc.at("finished_at").as_double() > doc.at("started_at").as_double());
}

BOOST_AUTO_TEST_CASE(item6_actions_return_the_whole_machine_list) {
    std::string id = create_legacy("listed");
    auto r = a.post("/backends/" + backend + "/machines/" + id, R"({"action": "destroy"})");
    auto list = r.json().as_array();
    BOOST_TEST(list.size() == 3u);
    BOOST_TEST(!find_by_name(r.json(), "dbserver1").is_null());
    std::string provider_id = str(find_by_name(c.get("/api/v1/clouds/" + cloud + "/machines").json(), "dbserver1"), "machine_id");
    auto v1 = c.post("/api/v1/clouds/" + cloud + "/machines/" + provider_id, R"({"action": "reboot"})");
    BOOST_TEST(v1.json().as_array().size() == 3u);
    BOOST_TEST(v1.json().as_array()[0].as_object().contains("actions"));
}

BOOST_AUTO_TEST_CASE(item7_probe_not_yet_in_each_era) {
    std::string id = create_legacy("young");
    auto legacy = a.post("/backends/" + backend + "/machines/" + id + "/probe", R"({"host": "45.16.0.3"})");
    BOOST_TEST(legacy.status == 200);
    BOOST_TEST((legacy.body == "{}" || legacy.json().as_object().contains("packets_rx")));
    BOOST_TEST(!legacy.json().as_object().contains("uptime"));
    auto v1 = c.post("/api/v1/clouds/" + cloud + "/machines/" + id + "/probe");
    BOOST_TEST(v1.status == 503);
    BOOST_TEST(v1.body == "Service unavailable: SSH timed-out repeatedly.");
}

BOOST_AUTO_TEST_CASE(item8_key_associations_are_positional_six_tuples) {
    for (auto* path : {"/keys", "/api/v1/keys"}) {
        http_client& client = std::string(path) == "/keys" ? a : c;
        json::value keys = client.get(path).json();
        for (auto& t : keys.as_array()[0].at("machines").as_array()) {
            auto& tuple = t.as_array();
            BOOST_TEST(tuple.size() == 6u);
            BOOST_TEST(tuple[0].is_string());
            BOOST_TEST(tuple[1].is_string());
            BOOST_TEST(tuple[2].is_number());
            BOOST_TEST((tuple[3].is_null() || tuple[3].is_string()));
            BOOST_TEST(tuple[4].is_bool());
            BOOST_TEST(tuple[5].is_int64());
        }
    }
    BOOST_TEST(a.get("/keys").json().as_array()[0].at("machines").as_array()[0].as_array()[0].as_string() == backend);
    BOOST_TEST(c.get("/api/v1/keys").json().as_array()[0].at("machines").as_array()[0].as_array()[0].as_string() == cloud);
}

BOOST_AUTO_TEST_CASE(item9_unknown_machine_action_503_in_2015_404_in_v1) {
    auto legacy = a.post("/backends/" + backend + "/machines/i-deadbeef", R"({"action": "stop"})");
    BOOST_TEST(legacy.status == 503);
    auto v1 = c.post("/api/v1/clouds/" + cloud + "/machines/i-deadbeef", R"({"action": "stop"})");
    BOOST_TEST(v1.status == 404);
    BOOST_TEST(v1.body == "Not Found: Machine i-deadbeef doesn't exist");
}

BOOST_AUTO_TEST_CASE(item10_auth_rules) {
    auto anon = sim.anonymous_client();
    for (auto* path : {"/api/v1/clouds", "/backends", "/api/v1/keys"}) {
        auto r = anon.get(path);
        BOOST_TEST(r.status == 401);
        BOOST_TEST(r.body == "User not authenticated. Please log in");
    }
    for (auto* method : {"POST", "PUT", "DELETE"}) {
        auto r = anon.request(method, "/api/v1/clouds/" + cloud, "{}");
        BOOST_TEST(r.status == 403);
        BOOST_TEST(r.body == "Invalid csrf token\n");
        BOOST_TEST(r.content_type == "text/plain; charset=UTF-8");
    }
    http_client wrong("127.0.0.1", sim.port());
    wrong.authorization(std::string(64, 'f'));
    BOOST_TEST(wrong.get("/api/v1/clouds").status == 401);
    for (auto* method : {"POST", "PUT", "DELETE"}) BOOST_TEST(wrong.request(method, "/api/v1/clouds/" + cloud, "{}").status == 401);
    // The 2015 header works on both families; tokens are case-insensitive.
    BOOST_TEST(a.get("/api/v1/clouds").status == 200);
    http_client upper("127.0.0.1", sim.port());
    std::string token = sim.token();
    for (auto& ch : token) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    upper.authorization(token);
    BOOST_TEST(upper.get("/api/v1/clouds").status == 200);
    // mist_1 with a v1 token whose leading zeros were dropped still matches.
    http_client migrated("127.0.0.1", sim.port());
    migrated.authorization("mist_1 user@example.com:" + sim.token());
    BOOST_TEST(migrated.get("/backends").status == 200);
    http_client too_long("127.0.0.1", sim.port());
    too_long.authorization("mist_1 user@example.com:" + std::string(70, 'a'));
    BOOST_TEST(too_long.get("/backends").status == 500);
    BOOST_TEST(anon.get("/providers").status == 200);  // providers need no token
}

BOOST_AUTO_TEST_SUITE_END()
