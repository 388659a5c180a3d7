// The "/api/v2" family over real sockets: the {data, meta} envelope and its paging, the
// search grammar, `only` and `deref`, a path's name-or-id lookup, creates and their jobs,
// actions and 422s, errors as JSON strings and problem objects, CSV, and one world shared
// with v1.
#include <boost/test/unit_test.hpp>

#include "api_helpers.hpp"
#include "sim_fixture.hpp"

#include <set>

using namespace mistasync::test;
namespace json = boost::json;

namespace {

mistasync::testing::simulator_options v2_options() {
    auto o = fast_options();
    o.poll_interval = std::chrono::milliseconds(50);  // the record v2 reads follows the provider closely
    return o;
}

struct v2_world {
    sim_fixture sim{v2_options()};
    http_client c = sim.client();

    json::object get(const std::string& target) {
        auto r = c.get(target);
        BOOST_REQUIRE_MESSAGE(r.status == 200, target << " -> " << r.status << " " << r.body);
        return r.json().as_object();
    }
    std::string create(const std::string& body) {
        auto r = c.post("/api/v2/machines", body);
        BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
        return str(r.json(), "jobId");
    }
    json::object job(const std::string& id) { return get("/api/v2/jobs/" + id).at("data").as_object(); }
    bool finished(const std::string& id) {
        auto r = c.get("/api/v2/jobs/" + id);
        return r.status == 200 && r.json().at("data").at("finished_at") != 0;
    }
    std::vector<std::string> names(const std::string& target) {
        std::vector<std::string> out;
        const json::object page = get(target);  // kept: a range-for does not keep a temporary's parts
        for (auto& m : page.at("data").as_array()) out.emplace_back(m.at("name").as_string());
        return out;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(v2_routes, v2_world)

BOOST_AUTO_TEST_CASE(lists_come_in_an_envelope_and_page_by_start_and_limit) {
    for (int i = 0; i < 5; ++i) create(R"({"name": "page-)" + std::to_string(i) + R"(", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1"})");
    BOOST_REQUIRE(eventually([&] { return get("/api/v2/machines?search=page-").at("meta").at("total") == 5; }));
    auto first = get("/api/v2/machines?search=page-&limit=2&only=name");
    BOOST_TEST(first.at("meta").at("kind") == "machines");
    BOOST_TEST(first.at("meta").at("returned") == 2);
    BOOST_TEST(first.at("meta").at("start") == 0);
    std::set<std::string> seen;
    for (std::size_t start = 0; start < 5; start += 2)
        for (auto& n : names("/api/v2/machines?search=page-&limit=2&only=name&start=" + std::to_string(start))) seen.insert(n);
    BOOST_TEST(seen.size() == 5u);
    // `start` is Python's int(): an id is 0; limit 0 is the default 100.
    BOOST_TEST(get("/api/v2/machines?search=page-&start=abc").at("meta").at("start") == 0);
    BOOST_TEST(get("/api/v2/machines?search=page-&limit=0").at("meta").at("returned") == 5);
    BOOST_TEST(get("/api/v2/machines?search=page-&start=9").at("data").as_array().empty());
    // The body is written as Flask writes it: sorted keys, two-space indent, final newline.
    auto raw = c.get("/api/v2/machines?search=page-0&only=name").body;
    BOOST_TEST(raw.starts_with("{\n  \"data\": [\n    {\n      \"name\": \"page-0\"\n    }\n  ],\n  \"meta\": {"));
    BOOST_TEST(raw.ends_with("}\n"));
}

BOOST_AUTO_TEST_CASE(search_only_and_deref_follow_the_server) {
    create(R"({"name": "alpha-web", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1", "tags": {"team": "blue"}})");
    create(R"({"name": "beta-db", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1", "tags": {"team": "red"}})");
    BOOST_REQUIRE(eventually([&] { return names("/api/v2/machines?search=tag:team,").size() == 2; }));
    BOOST_TEST(names("/api/v2/machines?search=tag:team,blue") == std::vector<std::string>{"alpha-web"});
    BOOST_TEST(names("/api/v2/machines?search=ALPHA") == std::vector<std::string>{"alpha-web"});  // bare: name, any case
    BOOST_TEST(names("/api/v2/machines?search=name:beta%20tag:team,red") == std::vector<std::string>{"beta-db"});
    BOOST_TEST(names("/api/v2/machines?search=name:%5Ealpha").size() == 1u);
    BOOST_TEST(names("/api/v2/machines?search=red%20AND%20blue").empty());  // terms are ANDed
    auto m = get("/api/v2/machines?search=alpha-web&only=id,cloud,size").at("data").at(0).as_object();
    BOOST_TEST(m.size() == 3u);
    BOOST_TEST(m.at("cloud") == "NephoScale");
    auto ids = get("/api/v2/machines?search=alpha-web&only=cloud,size&deref=none").at("data").at(0).as_object();
    BOOST_TEST(ids.at("cloud").as_string().size() == 32u);
    BOOST_TEST(ids.at("cloud") != "NephoScale");
    auto full = get("/api/v2/machines?search=alpha-web").at("data").at(0).as_object();
    for (auto* field : {"id", "external_id", "name", "state", "actions", "tags", "cost", "key_associations", "probe", "ports",
                        "expiration", "created", "owned_by", "type", "public_ips", "children"})
        BOOST_TEST(full.contains(field), field);
    BOOST_TEST(full.at("owned_by") == "user@example.com");
    BOOST_TEST(c.get("/api/v2/machines?search=name:r%22(%22").status == 400);  // a regex that does not compile
}

BOOST_AUTO_TEST_CASE(a_path_is_a_search_and_a_name_can_find_another_machine) {
    auto job = create(R"({"name": "webserver-2", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1"})");
    BOOST_REQUIRE(eventually([&] { return finished(job); }));
    // The demo world's "dev-web-1" comes first, and "web" is part of its name.
    auto got = get("/api/v2/machines/web");
    BOOST_TEST(got.at("data").at("name") == "dev-web-1");
    BOOST_TEST(got.at("meta").at("kind") == "machine");
    const std::string id(get("/api/v2/machines/webserver-2").at("data").at("id").as_string());
    BOOST_TEST(get("/api/v2/machines/" + id).at("data").at("name") == "webserver-2");
    auto missing = c.get("/api/v2/machines/no-such-machine");
    BOOST_TEST(missing.status == 404);
    BOOST_TEST(missing.body == "\"Machine does not exist\"\n");
    BOOST_TEST(missing.headers.at("content-type") == "application/json");
}

BOOST_AUTO_TEST_CASE(a_create_answers_its_plan_and_job_and_the_job_tells_the_story) {
    auto dry = c.post("/api/v2/machines", R"({"name": "plan-only", "cloud": "NephoScale", "image": "Ubuntu", "size": {"cpu": 2, "memory": 4096}, "dry": true})");
    BOOST_REQUIRE_EQUAL(dry.status, 200);
    BOOST_TEST(!dry.json().as_object().contains("jobId"));
    BOOST_TEST(dry.json().at("plan").at("size").at("name").as_string().starts_with("CS4"));
    BOOST_TEST(names("/api/v2/machines?search=plan-only").empty());

    auto made = c.post("/api/v2/machines", R"({"name": "story", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1", "key": "MyKey"})");
    BOOST_REQUIRE_EQUAL(made.status, 200);
    const std::string job = str(made.json(), "jobId");
    BOOST_TEST(job.size() == 32u);
    BOOST_TEST(made.json().at("plan").at("key").at("name") == "MyKey");
    // The story does not exist until the worker logs it: the spec's waiter retries 404.
    auto early = c.get("/api/v2/jobs/" + job);
    BOOST_TEST((early.status == 404 || early.status == 200));
    BOOST_REQUIRE(eventually([&] { return finished(job); }));
    auto story = this->job(job);
    std::vector<std::string> actions;
    for (auto& l : story.at("logs").as_array()) actions.emplace_back(l.at("action").as_string());
    BOOST_TEST((actions == std::vector<std::string>{"async_machine_creation_started", "sending_create_machine_request",
                                                    "machine_creation_finished", "probe", "post_deploy_finished"}));
    BOOST_TEST(story.at("error") == false);
    BOOST_TEST(story.at("action") == "create_machine");
    auto m = get("/api/v2/machines/story").at("data").as_object();
    BOOST_TEST(m.at("key_associations").as_array().size() == 1u);  // the job associates the plan's key
    BOOST_TEST(story.at("machine_id") == m.at("id"));

    // quantity: the names get a random suffix; a bad image is 404 before any job.
    auto many = create(R"({"name": "q", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1", "quantity": 3})");
    BOOST_REQUIRE(eventually([&] { return finished(many); }));
    for (auto& n : names("/api/v2/machines?search=name:%5Eq-")) BOOST_TEST(n.size() == 12u);
    auto bad = c.post("/api/v2/machines", R"({"name": "x", "cloud": "NephoScale", "image": "no-such-image"})");
    BOOST_TEST(bad.status == 404);
    BOOST_TEST(bad.body == "\"Image not found\"\n");
    auto no_cloud = c.post("/api/v2/machines", R"({"name": "x", "cloud": "Atlantis", "image": "Ubuntu"})");
    BOOST_TEST(no_cloud.status == 404);
    BOOST_TEST(no_cloud.body == "\"Cloud not found\"\n");
    auto no_name = c.post("/api/v2/machines", R"({"image": "Ubuntu"})");
    BOOST_TEST(no_name.status == 400);
    BOOST_TEST(no_name.json().at("detail") == "'name' is a required property");
}

BOOST_AUTO_TEST_CASE(a_failed_create_ends_its_job_with_the_error) {
    // The provider breaks after the plan: the job logs the error and never finishes.
    auto job = create(R"({"name": "late-fail", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1"})");
    sim.on_sim([](mistasync::testing::simulator& s) {
        s.set_backend_fault("NephoScale", mistasync::testing::backend_fault::unavailable);
        return 0;
    });
    BOOST_REQUIRE(eventually([&] {
        auto r = c.get("/api/v2/jobs/" + job);
        return r.status == 200 && r.json().at("data").at("error").is_string();
    }));
    auto story = this->job(job);
    BOOST_TEST(story.at("error").as_string().starts_with("Machine creation failed with exception"));
    BOOST_TEST(story.at("finished_at") == 0);
    BOOST_TEST(names("/api/v2/machines?search=late-fail").empty());
    sim.on_sim([](mistasync::testing::simulator& s) {
        s.set_backend_fault("NephoScale", mistasync::testing::backend_fault::unavailable);
        return 0;
    });
    // The plan needs the provider: one cloud asked, its error.
    auto r = c.post("/api/v2/machines", R"({"name": "doomed", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1"})");
    BOOST_TEST(r.status == 503);
    BOOST_TEST(r.body == "\"Service Unavailable\"\n");
}

BOOST_AUTO_TEST_CASE(actions_have_their_own_paths_and_refusals_are_422) {
    auto job = create(R"({"name": "act", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1"})");
    BOOST_REQUIRE(eventually([&] { return finished(job); }));
    auto stop = c.post("/api/v2/machines/act/actions/stop");
    BOOST_TEST(stop.status == 200);
    BOOST_TEST(stop.body == "\"Stopped machine `act`\"\n");
    BOOST_REQUIRE(eventually([&] { return get("/api/v2/machines/act").at("data").at("state") == "stopped"; }));
    auto again = c.post("/api/v2/machines/act/actions/stop");
    BOOST_TEST(again.status == 422);
    BOOST_TEST(again.body == "\"Action not supported on target machine\"\n");
    BOOST_TEST(c.post("/api/v2/machines/act/actions/suspend").status == 422);
    auto no_name = c.post("/api/v2/machines/act/actions/rename");
    BOOST_TEST(no_name.status == 400);
    BOOST_TEST(no_name.json().at("detail") == "Missing query parameter 'name'");
    BOOST_TEST(c.post("/api/v2/machines/act/actions/rename?name=acted").status == 200);
    BOOST_TEST(get("/api/v2/machines/acted").at("data").at("name") == "acted");
    BOOST_TEST(c.post("/api/v2/machines/acted/actions/resize?size=nope").body == "\"Size does not exist\"\n");
    BOOST_TEST(c.post("/api/v2/machines/acted/actions/ssh").body == "\"Machine is not running\"\n");
    BOOST_TEST(c.post("/api/v2/machines/acted/actions/console").status == 501);
    // A stopped machine does not answer SSH: the key cannot be deployed.
    auto assoc = c.put("/api/v2/machines/acted/actions/associate-key", R"({"key": "MyKey"})");
    BOOST_TEST(assoc.status == 503);
    BOOST_TEST(assoc.body == "\"Could not connect to target machine\"\n");
    BOOST_TEST(c.post("/api/v2/machines/acted/actions/start").status == 200);
    BOOST_REQUIRE(eventually([&] { return c.put("/api/v2/machines/acted/actions/associate-key", R"({"key": "MyKey", "user": "root"})").status == 200; }));
    auto ka = get("/api/v2/machines/acted?only=key_associations").at("data").at("key_associations").as_array();
    BOOST_REQUIRE_EQUAL(ka.size(), 1u);
    BOOST_TEST(ka[0].at("user") == "root");
    BOOST_TEST(c.del("/api/v2/machines/acted/actions/disassociate-key", R"({"key": "MyKey"})").status == 200);
    auto ssh = c.post("/api/v2/machines/acted/actions/ssh");
    BOOST_TEST(ssh.status == 302);
    BOOST_TEST(ssh.headers.at("location").starts_with("wss://"));
    BOOST_TEST(c.put("/api/v2/machines/acted", R"({"expiration": {"date": "2030-01-01 00:00:00", "action": "destroy", "notify": 0}})").status == 200);
    BOOST_TEST(get("/api/v2/machines/acted").at("data").at("expiration").at("action") == "destroy");
    BOOST_TEST(c.post("/api/v2/machines/acted/actions/destroy").body == "\"Destroyed machine `acted`\"\n");
    BOOST_TEST(get("/api/v2/machines/acted").at("data").at("state") == "terminated");
}

BOOST_AUTO_TEST_CASE(requests_refused_before_the_handler_get_problem_objects) {
    auto anon = sim.anonymous_client();
    auto none = anon.get("/api/v2/machines");
    BOOST_TEST(none.status == 401);
    BOOST_TEST(none.headers.at("content-type") == "application/problem+json");
    BOOST_TEST(none.json().at("detail") == "No authorization token provided");
    BOOST_TEST(none.json().at("title") == "Unauthorized");
    anon.authorization(std::string(64, 'a'));
    BOOST_TEST(anon.get("/api/v2/machines").status == 401);
    // Writes without a token are 401 too (v1 answers them 403, for its CSRF check).
    anon.authorization("");
    BOOST_TEST(anon.post("/api/v2/machines", "{}").status == 401);
    // The v1 token works here, upper-cased too.
    std::string upper = sim.token();
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    anon.authorization(upper);
    BOOST_TEST(anon.get("/api/v2/machines").status == 200);
    BOOST_TEST(c.get("/api/v2/nothing-here").status == 404);
    BOOST_TEST(c.request("PATCH", "/api/v2/machines").status == 405);
    BOOST_TEST(c.get("/api/v2/machines?limit=ten").json().at("detail") == "'ten' is not of type 'integer'");
    BOOST_TEST(c.post("/api/v2/machines", "{not json").status == 400);
    BOOST_TEST(c.get("/api/v2/jobs/0123456789abcdef0123456789abcdef").body == "\"Job not found\"\n");
}

BOOST_AUTO_TEST_CASE(lists_answer_csv_when_asked) {
    auto r = c.request("GET", "/api/v2/machines?only=name,state&columns=name,state", {}, {{"Accept", "text/csv"}});
    BOOST_REQUIRE_EQUAL(r.status, 200);
    BOOST_TEST(r.headers.at("content-type") == "text/csv");
    BOOST_TEST(r.body.starts_with(",name,state\r\n"));
    BOOST_TEST(r.body.find("dbserver1,") != std::string::npos);
    // A get is not a list: JSON still.
    BOOST_TEST(c.request("GET", "/api/v2/machines/dbserver1", {}, {{"Accept", "text/csv"}}).body.starts_with("{"));
}

BOOST_AUTO_TEST_CASE(keys_clouds_and_scripts_and_tags_in_bulk) {
    // mist.io's own search_tags test: ten generated keys, four tagged, found by tag.
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i) {
        auto r = c.post("/api/v2/keys", R"({"name": "k)" + std::to_string(i) + R"(", "generate": true})");
        BOOST_REQUIRE_EQUAL(r.status, 200);
        ids.emplace_back(r.json().at("id").as_string());
    }
    BOOST_TEST(get("/api/v2/keys?only=id").at("meta").at("total") == 11);  // and the demo world's MyKey
    BOOST_TEST(get("/api/v2/keys?search=tag:dev,value1").at("data").as_array().empty());
    json::array resources;
    for (int i = 0; i < 4; ++i) resources.push_back(json::object{{"resource_type", "keys"}, {"resource_id", ids[i]}});
    json::object op{{"operation", "add"}, {"tags", json::array{json::object{{"key", "dev"}, {"value", "value1"}}}}, {"resources", resources}};
    BOOST_TEST(c.post("/api/v2/tags", json::serialize(json::object{{"operations", json::array{op}}})).status == 200);
    for (auto* search : {"tag:dev,value1", "tag:,value1", "dev", "value1"})
        BOOST_TEST(get(std::string("/api/v2/keys?only=id&search=") + search).at("meta").at("total") == 4, search);
    BOOST_TEST(get("/api/v2/tags?types=keys").at("data").at(0).at("keys").as_array().size() == 4u);
    op["operation"] = "remove";
    BOOST_TEST(c.post("/api/v2/tags", json::serialize(json::object{{"operations", json::array{op}}})).status == 200);
    BOOST_TEST(get("/api/v2/keys?search=tag:dev,value1").at("data").as_array().empty());
    BOOST_TEST(c.post("/api/v2/keys", R"({"name": "k0", "generate": true})").status == 409);
    auto dry = c.post("/api/v2/keys", R"({"generate": true, "dry": true})");
    BOOST_TEST(str(dry.json(), "private").starts_with("-----BEGIN"));
    BOOST_TEST(c.del("/api/v2/keys/" + ids[9]).status == 200);
    BOOST_TEST(c.get("/api/v2/keys/" + ids[9]).status == 404);

    // Clouds: added with credentials, found by name, removed.
    auto added = c.post("/api/v2/clouds", R"({"name": "Ocean", "provider": "digitalocean", "credentials": {"token": "t0k"}})");
    BOOST_REQUIRE_MESSAGE(added.status == 200, added.body);
    BOOST_TEST(get("/api/v2/clouds/Ocean").at("data").at("provider") == "digitalocean");
    BOOST_TEST(c.post("/api/v2/clouds", R"({"name": "Ocean", "provider": "digitalocean", "credentials": {"token": "x"}})").status == 409);
    BOOST_TEST(c.del("/api/v2/clouds/Ocean").status == 200);
    BOOST_TEST(c.get("/api/v2/clouds/Ocean").status == 404);

    // Scripts: added, run on a machine (its job_id, snake_case), the run's story.
    auto script = c.post("/api/v2/scripts", R"({"name": "hello", "script": "#!/bin/sh\necho hi", "location_type": "inline", "exec_type": "executable"})");
    BOOST_REQUIRE_EQUAL(script.status, 200);
    auto run = c.post("/api/v2/scripts/hello", R"({"machine": "dbserver1"})");
    BOOST_REQUIRE_EQUAL(run.status, 200);
    const std::string run_job = str(run.json(), "job_id");
    BOOST_REQUIRE(eventually([&] { return finished(run_job); }));
    BOOST_TEST(job(run_job).at("action") == "run_script");
    BOOST_TEST(c.post("/api/v2/scripts/hello", R"({"machine": "nowhere"})").body == "\"Machine does not exist\"\n");
}

BOOST_AUTO_TEST_CASE(one_world_seen_through_v1_and_v2) {
    // A machine made through v1 is listed by v2, by its v1 id, and v2's changes show in v1.
    std::string cloud = first_backend(c, "/api/v1/clouds");
    std::string key = str(c.get("/api/v1/keys").json().as_array()[0], "id");
    auto made = c.post("/api/v1/clouds/" + cloud + "/machines",
                       R"({"name": "from-v1", "image": "51", "size": "221", "location": "86945", "key": ")" + key + R"("})");
    BOOST_REQUIRE_EQUAL(made.status, 200);
    auto v2 = get("/api/v2/machines/from-v1?deref=none").at("data").as_object();
    BOOST_TEST(v2.at("cloud").as_string() == cloud);
    BOOST_TEST(v2.at("external_id") == made.json().at("id"));
    BOOST_TEST(c.post("/api/v2/machines/from-v1/actions/rename?name=renamed-in-v2").status == 200);
    BOOST_TEST(!find_by_name(c.get("/api/v1/clouds/" + cloud + "/machines").json(), "renamed-in-v2").is_null());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(each_family_can_be_switched_off) {
    auto only_v1 = v2_options();
    only_v1.serve_v2 = false;
    only_v1.serve_legacy = false;
    sim_fixture v1(only_v1);
    auto c1 = v1.client();
    BOOST_TEST(c1.get("/api/v2/machines").status == 404);
    BOOST_TEST(c1.get("/api/v1/clouds").status == 200);

    auto only_v2 = v2_options();
    only_v2.serve_v1 = false;
    only_v2.serve_legacy = false;
    sim_fixture v2(only_v2);
    auto c2 = v2.client();
    BOOST_TEST(c2.get("/api/v1/clouds").status == 404);
    BOOST_TEST(c2.get("/api/v2/clouds").status == 200);
}
