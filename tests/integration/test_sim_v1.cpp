// Every endpoint of the "/api/v1" family, over real sockets: uuid ids, the v1 shapes,
// "Not Found: ..." errors, tokens and ping.
#include <boost/test/unit_test.hpp>

#include "api_helpers.hpp"
#include "sim_fixture.hpp"

using namespace mistasync::test;
namespace json = boost::json;

namespace {

struct v1_world {
    sim_fixture sim;
    http_client c = sim.client();
    std::string cloud = first_backend(c, "/api/v1/clouds");  // NephoScale
    std::string key_id = str(c.get("/api/v1/keys").json().as_array()[0], "id");

    json::value create(const std::string& name) {
        auto r = c.post("/api/v1/clouds/" + cloud + "/machines",
                        R"({"name": ")" + name + R"(", "image": "51", "size": "221", "location": "86945", "key": ")" + key_id + R"("})");
        BOOST_REQUIRE_EQUAL(r.status, 200);
        return r.json();
    }
    json::value machine(const std::string& name) {
        return find_by_name(c.get("/api/v1/clouds/" + cloud + "/machines").json(), name);
    }
    std::string state(const std::string& name) { return str(machine(name), "state"); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(v1_routes, v1_world)

BOOST_AUTO_TEST_CASE(tokens_create_list_revoke) {
    auto anon = sim.anonymous_client();
    auto made = anon.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "name": "ci", "ttl": 60})");
    BOOST_REQUIRE_EQUAL(made.status, 200);
    auto doc = made.json();
    std::string token = str(doc, "token");
    BOOST_TEST(token.size() == 64u);
    BOOST_TEST(token.find_first_not_of("0123456789abcdef") == std::string::npos);
    BOOST_TEST(str(doc, "last_accessed_at") == "Never");
    BOOST_TEST(doc.at("ttl").as_int64() == 60);

    http_client fresh("127.0.0.1", sim.port());
    fresh.authorization(token);
    BOOST_TEST(fresh.get("/api/v1/ping").body == R"({"hello": "user@example.com"})");
    BOOST_TEST(fresh.post("/api/v1/ping").status == 200);

    auto dup = anon.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "name": "ci"})");
    BOOST_TEST(dup.status == 409);
    BOOST_TEST(dup.body == "Conflict: Token with name ci already exists");
    auto wrong = anon.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "bad"})");
    BOOST_TEST(wrong.status == 401);
    BOOST_TEST(wrong.body == "User not authenticated. Please log in: Wrong password");
    BOOST_TEST(anon.post("/api/v1/tokens", R"({"email": "user@example.com"})").body == "Required parameter not provided: password");
    BOOST_TEST(anon.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "ttl": -1})").status == 400);

    auto listed = c.get("/api/v1/tokens").json().as_array();
    bool truncated = false;
    for (auto& t : listed)
        if (t.at("name") == "ci") truncated = str(t, "token") == token.substr(0, 4) + "...";
    BOOST_TEST(truncated);
    BOOST_TEST(c.del("/api/v1/tokens", json::serialize(json::object{{"id", doc.at("id")}})).body == "OK");
    BOOST_TEST(fresh.get("/api/v1/ping").status == 401);
}

BOOST_AUTO_TEST_CASE(providers_v2_uses_aws_region_names) {
    auto r = sim.anonymous_client().request("GET", "/api/v1/providers", "", {{"Api-Version", "2"}});
    BOOST_TEST(r.body.find(R"({"location": "Tokyo", "id": "ap-northeast-1"})") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(cloud_list_add_rename_toggle_update_delete) {
    auto list = c.get("/api/v1/clouds").json().as_array();
    BOOST_TEST(list.size() == 3u);
    BOOST_TEST(str(list[0], "id").size() == 32u);
    BOOST_TEST(list[1].at("region").as_string() == "ap-northeast-1");
    BOOST_TEST(list[1].at("polling_interval").as_int64() == 1800);

    auto added = c.post("/api/v1/clouds", R"({"title": "Docker 2", "provider": "docker", "host": "10.0.0.5", "port": "2375"})");
    BOOST_REQUIRE_EQUAL(added.status, 200);
    auto doc = added.json();
    BOOST_TEST(doc.at("index").as_int64() == 3);
    BOOST_TEST(doc.at("host").as_string() == "10.0.0.5");
    std::string id = str(doc, "id");

    BOOST_TEST(c.post("/api/v1/clouds", R"({"provider": "docker"})").body == "Required parameter not provided: title");
    BOOST_TEST(c.post("/api/v1/clouds", R"({"title": "x", "provider": "nimbus"})").body == "Bad Request: Invalid provider 'nimbus'.");
    auto dup = c.post("/api/v1/clouds", R"({"title": "Docker 2", "provider": "docker", "docker_host": "10.0.0.6"})");
    BOOST_TEST(dup.status == 409);
    BOOST_TEST(dup.body == "Cloud with this name already exists");
    auto creds = c.post("/api/v1/clouds", R"({"title": "bad", "provider": "digitalocean", "token": "invalid"})");
    BOOST_TEST(creds.body == "Invalid cloud credentials");

    BOOST_TEST(c.put("/api/v1/clouds/" + id, R"({"new_name": "Docker Two"})").body == "OK");
    BOOST_TEST(c.put("/api/v1/clouds/" + id, R"({"new_name": "NephoScale"})").status == 409);
    BOOST_TEST(c.post("/api/v1/clouds/" + id, R"({"new_state": "0"})").body == "OK");
    BOOST_TEST(c.post("/api/v1/clouds/" + id, R"({"new_state": "2"})").body == "Bad Request: Invalid cloud state");
    BOOST_TEST(c.post("/api/v1/clouds/" + id, R"({"dns_enabled": 1})").body == "OK");
    BOOST_TEST(c.request("PATCH", "/api/v1/clouds/" + id, R"({"polling_interval": 900})").body == "OK");
    BOOST_TEST(c.request("PATCH", "/api/v1/clouds/" + id, R"({"polling_interval": 10})").status == 400);
    BOOST_TEST(c.request("PATCH", "/api/v1/clouds/" + id, "{}").status == 400);
    BOOST_TEST(c.del("/api/v1/clouds/" + id).body == "OK");
    auto gone = c.del("/api/v1/clouds/" + id);
    BOOST_TEST(gone.status == 404);
    BOOST_TEST(gone.body == "Not Found: Cloud does not exist");
}

BOOST_AUTO_TEST_CASE(images_sizes_locations_networks) {
    auto images = c.get("/api/v1/clouds/" + cloud + "/images").json().as_array();
    BOOST_TEST(images.size() == 9u);  // v1 does not filter the Windows image
    BOOST_TEST(c.post("/api/v1/clouds/" + cloud + "/images", R"({"search_term": "ubuntu"})").json().as_array().size() == 2u);
    BOOST_TEST(c.post("/api/v1/clouds/" + cloud + "/images/5").body == "false");
    auto after = c.get("/api/v1/clouds/" + cloud + "/images").json().as_array();
    BOOST_TEST(str(after.back(), "id") == "5");  // starred first, unstarred last
    auto sizes = c.get("/api/v1/clouds/" + cloud + "/sizes").json().as_array();
    BOOST_TEST(sizes[0].at("extra").as_object().empty());
    auto locations = c.get("/api/v1/clouds/" + cloud + "/locations").json().as_array();
    BOOST_TEST(str(locations[0], "name") == "SJC-1");
    // mist.api lists networks only for clouds with a network controller (not NephoScale).
    BOOST_TEST(c.get("/api/v1/clouds/" + cloud + "/networks").body == "[]");
    BOOST_TEST(c.get("/api/v1/clouds/nope/images").body == "Not Found: Cloud does not exist");
}

BOOST_AUTO_TEST_CASE(machines_list_shape_and_all_machines) {
    auto created = create("v1-web");
    BOOST_TEST(str(created, "job") == "create_machine");
    auto m = machine("v1-web");
    BOOST_TEST(str(m, "id").size() == 32u);
    BOOST_TEST(str(m, "machine_id") == str(created, "id"));
    BOOST_TEST(str(m, "image_id") == "51");
    BOOST_TEST(str(m, "cloud") == cloud);
    BOOST_TEST(m.at("actions").at("destroy").as_bool());
    BOOST_TEST(m.at("key_associations").as_array().size() == 1u);
    BOOST_TEST(m.at("probe").at("ssh").at("uptime").is_null());
    auto all = c.get("/api/v1/machines").json().as_array();
    BOOST_TEST(all.size() == 3u);
    BOOST_TEST(c.get("/api/v1/clouds/nope/machines").body == "Not Found: Cloud does not exist");
}

BOOST_AUTO_TEST_CASE(create_errors_and_quantity_naming) {
    std::string base = "/api/v1/clouds/" + cloud + "/machines";
    BOOST_TEST(c.post(base, R"({"image": "51", "size": "221"})").body == "Required parameter not provided: name");
    BOOST_TEST(c.post(base, "{broken").body == "Bad Request: Request body is not valid JSON");
    BOOST_TEST(c.post(base, R"({"name": "t", "image": "51", "size": "221", "tags": "x"})").status == 400);
    BOOST_TEST(c.post(base, R"({"name": "t", "image": "51", "size": "221", "quantity": "many", "async": true})").status == 400);
    auto one = c.post(base, R"({"name": "solo", "image": "51", "size": "221", "async": true})").json();
    BOOST_TEST(str(one, "job") == "create_machine");
    BOOST_TEST(eventually([&] { return !machine("solo").is_null(); }));  // quantity 1 keeps its name
    c.post(base, R"({"name": "pair", "image": "51", "size": "221", "async": true, "quantity": 2, "tags": {"env": "ci"}})");
    BOOST_TEST(eventually([&] { return !machine("pair-2").is_null(); }));
    BOOST_TEST(json::serialize(machine("pair-1").at("tags")) == R"([{"key":"env","value":"ci"}])");
}

BOOST_AUTO_TEST_CASE(actions_with_permission_checks) {
    create("v1-act");
    std::string provider_id = str(machine("v1-act"), "machine_id");
    std::string uuid = str(machine("v1-act"), "id");
    std::string path = "/api/v1/clouds/" + cloud + "/machines/" + provider_id;
    auto early = c.post(path, R"({"action": "stop"})");
    BOOST_TEST(early.status == 403);
    BOOST_TEST(early.body == "Forbidden: Machine doesn't support stop.");
    BOOST_TEST(eventually([&] { return state("v1-act") == "running"; }));
    BOOST_TEST(c.post(path, R"({"action": "stop"})").status == 200);
    BOOST_TEST(state("v1-act") == "stopping");
    BOOST_TEST(eventually([&] { return state("v1-act") == "stopped"; }));
    BOOST_TEST(c.post("/api/v1/machines/" + uuid, R"({"action": "start"})").status == 200);
    BOOST_TEST(state("v1-act") == "starting");
    BOOST_TEST(c.post(path, R"({"action": "rename"})").body == "Bad Request: You must give a name!");
    BOOST_TEST(c.post(path, R"({"action": "suspend"})").status == 403);
    BOOST_TEST(c.post(path, R"({"action": "destroy"})").status == 200);
    // A destroy is written to the record at once (machines/controllers destroy_machine).
    auto again = c.post(path, R"({"action": "destroy"})");
    BOOST_TEST(again.status == 404);
    BOOST_TEST(again.body == "Not Found: Machine " + provider_id + " has been terminated");
    BOOST_TEST(state("v1-act") == "terminated");
    auto after = c.post("/api/v1/machines/" + uuid, R"({"action": "reboot"})");
    BOOST_TEST(after.status == 404);
    BOOST_TEST(after.body == "Not Found: Machine " + uuid + " has been terminated");
    BOOST_TEST(c.post("/api/v1/machines/nope", R"({"action": "reboot"})").body == "Not Found: Machine nope doesn't exist");
}

BOOST_AUTO_TEST_CASE(probe_typed_document_and_uuid_route) {
    create("v1-probe");
    std::string provider_id = str(machine("v1-probe"), "machine_id");
    std::string uuid = str(machine("v1-probe"), "id");
    auto early = c.post("/api/v1/clouds/" + cloud + "/machines/" + provider_id + "/probe");
    BOOST_TEST(early.status == 503);
    BOOST_TEST(early.body == "Service unavailable: SSH timed-out repeatedly.");
    json::value doc;
    BOOST_TEST(eventually([&] {
        auto r = c.post("/api/v1/machines/" + uuid + "/probe");
        if (r.status != 200) return false;
        doc = r.json();
        return true;
    }));
    BOOST_TEST(doc.at("ssh").at("cores").as_int64() == 1);
    BOOST_TEST(doc.at("ssh").at("uptime").is_double());
    BOOST_TEST(doc.at("ping").at("packets_loss").as_double() == 0.0);
    BOOST_TEST(machine("v1-probe").at("probe").at("ssh").at("cores").as_int64() == 1);
    BOOST_TEST(c.post("/api/v1/machines/nope/probe").body == "Not Found: Machine nope doesn't exist");
}

BOOST_AUTO_TEST_CASE(tags_list_add_delete) {
    create("v1-tags");
    std::string path = "/api/v1/clouds/" + cloud + "/machines/" + str(machine("v1-tags"), "machine_id") + "/tags";
    BOOST_TEST(c.post(path, R"({"tags": {"env": "prod", "team": "ops"}})").body == "{}");
    BOOST_TEST(c.post(path, R"({"tags": {"env": "dev"}})").body == "{}");
    BOOST_TEST(c.get(path).body == R"([{"key": "env", "value": "dev"}, {"key": "team", "value": "ops"}])");
    BOOST_TEST(c.post(path, R"({"tags": [{"env": "x"}]})").body == "Bad Request: tags should be dictionary of tags");
    BOOST_TEST(c.del(path + "/ignored", R"({"tag_key": "team"})").body == "OK");
    BOOST_TEST(c.get(path).body == R"([{"key": "env", "value": "dev"}])");
}

BOOST_AUTO_TEST_CASE(keys_lifecycle_v1) {
    auto generated = c.post("/api/v1/keys").json();
    BOOST_TEST(str(generated, "public").starts_with("ssh-rsa "));
    auto added = c.put("/api/v1/keys", json::serialize(json::object{{"name", "Second"}, {"priv", generated.at("priv")}}));
    BOOST_REQUIRE_EQUAL(added.status, 200);
    std::string id = str(added.json(), "id");
    BOOST_TEST(id.size() == 32u);
    BOOST_TEST(str(added.json(), "name") == "Second");
    BOOST_TEST(c.put("/api/v1/keys", R"({"priv": "x"})").body == "Bad Request: Key name is not provided");
    BOOST_TEST(c.put("/api/v1/keys", json::serialize(json::object{{"name", "Second"}, {"priv", generated.at("priv")}})).body ==
               "Key name exists");
    BOOST_TEST(c.put("/api/v1/keys/" + id, R"({"new_name": "Renamed"})").body == R"({"new_name": "Renamed"})");
    BOOST_TEST(c.put("/api/v1/keys/nope", R"({"new_name": "x"})").body == "Not Found: Key with that id does not exist");
    BOOST_TEST(c.post("/api/v1/keys/" + id).body == "OK");
    BOOST_TEST(c.get("/api/v1/keys/" + id + "/public").json().as_string().starts_with("ssh-rsa"));
    BOOST_TEST(c.get("/api/v1/keys/nope/private").body == "Not Found: Key id does not exist");
    auto report = c.del("/api/v1/keys", json::serialize(json::object{{"key_ids", json::array{id, "nope"}}}));
    BOOST_TEST(report.body == R"({")" + id + R"(": "deleted", "nope": "not_found"})");
    BOOST_TEST(c.del("/api/v1/keys", R"({"key_ids": []})").status == 400);
    BOOST_TEST(c.del("/api/v1/keys", R"({"key_ids": ["nope"]})").status == 404);
}

BOOST_AUTO_TEST_CASE(associate_records_without_ssh) {
    create("v1-assoc");
    auto m = machine("v1-assoc");
    std::string path = "/api/v1/clouds/" + cloud + "/machines/" + str(m, "machine_id") + "/keys/" + key_id;
    auto r = c.put(path, R"({"user": "admin", "port": "2200"})");  // no need to wait for SSH in v1
    BOOST_REQUIRE_EQUAL(r.status, 200);
    auto tuple = r.json().as_array().back().as_array();
    BOOST_TEST(tuple[0].as_string() == cloud);
    BOOST_TEST(tuple[3].as_string() == "admin");
    BOOST_TEST(tuple[5].as_int64() == 2200);
    BOOST_TEST(c.put(path, R"({"port": "ssh"})").body == "Bad Request: Invalid port type: \"ssh\"");
    std::string by_uuid = "/api/v1/machines/" + str(m, "id") + "/keys/" + key_id;
    BOOST_TEST(c.del(by_uuid).status == 200);
    BOOST_TEST(c.del(by_uuid).status == 400);
    BOOST_TEST(c.put(by_uuid, "{}").status == 200);
    BOOST_TEST(c.put("/api/v1/machines/nope/keys/" + key_id, "{}").body == "Not Found: Machine nope doesn't exist");
}

BOOST_AUTO_TEST_CASE(async_job_story_without_summary) {
    auto r = c.post("/api/v1/clouds/" + cloud + "/machines",
                    R"({"name": "story", "image": "51", "size": "221", "async": true, "quantity": 2})");
    std::string job = str(r.json(), "job_id");
    json::value doc;
    BOOST_TEST(eventually([&] {
        doc = c.get("/api/v1/jobs/" + job).json();
        return !doc.at("finished_at").is_int64();
    }));
    BOOST_TEST(!doc.as_object().contains("summary"));
    BOOST_TEST(str(doc, "cloud_id") == cloud);
    std::string created_id;
    for (auto& log : doc.at("logs").as_array())
        if (log.at("action") == "machine_creation_finished" && log.at("machine_name") == "story-1") created_id = str(log, "machine_id");
    BOOST_TEST(created_id == str(machine("story-1"), "machine_id"));
    BOOST_TEST(c.get("/api/v1/jobs/abc").body == "Not Found: Story abc");
}

BOOST_AUTO_TEST_CASE(unprefixed_clouds_alias_of_2016) {
    BOOST_TEST(c.get("/clouds").json().as_array().size() == 3u);
    BOOST_TEST(c.get("/clouds/" + cloud + "/sizes").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
