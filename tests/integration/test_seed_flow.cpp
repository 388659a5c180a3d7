// The Python client's documented flow (the "Machines" page of mist.client), sent
// request for request as that client sends it, against the simulator: first as the
// 2015 client (/auth, mist_1 header, /backends), then as the later client (/api/v1,
// token from /api/v1/tokens, /clouds). Neither client needs changing.
#include <boost/test/unit_test.hpp>

#include "api_helpers.hpp"
#include "sim_fixture.hpp"

using namespace mistasync::test;
namespace json = boost::json;

namespace {

// What mist.client's create_machine puts in the body (keys it always sends).
json::object python_create_payload(const std::string& name, const std::string& key, const std::string& image,
                                   const std::string& location, const std::string& size, bool async, int quantity) {
    return json::object{{"name", name},          {"provider", ""},       {"key", key},
                        {"image", image},        {"location", location}, {"size", size},
                        {"image_extra", ""},     {"disk", ""},           {"script", ""},
                        {"monitoring", false},   {"ips", json::array{}}, {"networks", json::array{}},
                        {"location_name", ""},   {"docker_command", ""}, {"async", async},
                        {"quantity", quantity},  {"persist", false},     {"associate_floating_ip", false}};
}

// Both eras share the flow; they differ in prefix, login and naming.
struct flow_paths {
    std::string collection;  // "/backends" or "/api/v1/clouds"
    std::string keys;        // "/keys" or "/api/v1/keys"
    std::string jobs;        // "/jobs/" or "/api/v1/jobs/"
    std::string key_field;   // add key: "id" (2015) or "name"
};

void run_seed_flow(http_client& c, const flow_paths& p) {
    // Choose a backend: backends(search="NephoScale")
    auto backends = c.get(p.collection).json().as_array();
    std::string backend;
    for (auto& b : backends)
        if (std::string(b.at("title").as_string()).find("NephoScale") != std::string::npos) backend = str(b, "id");
    BOOST_REQUIRE(!backend.empty());
    std::string base = p.collection + "/" + backend;

    // backend.images, backend.search_image("Debian"), sizes, locations
    auto images = c.get(base + "/images").json().as_array();
    BOOST_REQUIRE(!images.empty());
    std::string image_id = str(images[0], "id");
    auto debian = c.get(base + "/images", json::serialize(json::object{{"search_term", "Debian"}})).json().as_array();
    BOOST_TEST(debian.size() >= 1u);
    for (auto& i : debian) BOOST_TEST(std::string(i.at("name").as_string()).find("Debian") != std::string::npos);
    std::string size_id = str(c.get(base + "/sizes").json().as_array().at(0), "id");
    std::string location_id = str(c.get(base + "/locations").json().as_array().at(0), "id");

    // The key: keys(search="MyKey")
    auto keys = c.get(p.keys).json().as_array();
    std::string key;
    for (auto& k : keys)
        if ((k.as_object().contains("name") ? k.at("name") : k.at("id")) == "MyKey") key = str(k, "id");
    BOOST_REQUIRE(!key.empty());

    // backend.create_machine(name="production.server", key=key, image_id, location_id, size_id)
    auto created = c.post(base + "/machines",
                          json::serialize(python_create_payload("production.server", key, image_id, location_id, size_id, false, 1)));
    BOOST_REQUIRE_EQUAL(created.status, 200);

    // client.machines(name="production.server")[0], search="dev"
    auto machines = c.get(base + "/machines").json();
    auto machine = find_by_name(machines, "production.server");
    BOOST_REQUIRE(!machine.is_null());
    int dev = 0;
    for (auto& m : machines.as_array())
        if (std::string(m.at("name").as_string()).find("dev") != std::string::npos) ++dev;
    BOOST_TEST(dev == 1);
    // The later client addresses machines by their provider id.
    std::string machine_id = machine.as_object().contains("machine_id") ? str(machine, "machine_id") : str(machine, "id");
    std::string machine_path = base + "/machines/" + machine_id;

    // machine.reboot() / start / stop, wait for running between
    auto state = [&] { return str(find_by_name(c.get(base + "/machines").json(), "production.server"), "state"); };
    BOOST_TEST(eventually([&] { return state() == "running"; }));
    BOOST_TEST(c.post(machine_path, R"({"action": "reboot"})").status == 200);
    BOOST_TEST(eventually([&] { return state() == "running"; }));

    // machine.probe() until it answers: host = first public IPv4, key None, ssh_user None.
    std::string host(machine.at("public_ips").as_array().at(0).as_string());
    json::object probe_payload{{"host", host}, {"key", nullptr}, {"ssh_user", nullptr}};
    json::value probe;
    BOOST_TEST(eventually([&] {
        auto r = c.post(machine_path + "/probe", json::serialize(probe_payload));
        if (r.status != 200) return false;  // v1: 503 while SSH is not up
        probe = r.json();
        return probe.as_object().contains("uptime") || probe.as_object().contains("ssh");
    }));

    // Upload a second key and machine.associate_key(key_id, host=...), ssh_user/ssh_port as the client sends.
    auto generated = c.post(p.keys).json();
    auto added = c.put(p.keys, json::serialize(json::object{{p.key_field, "Second"}, {"priv", generated.at("priv")}}));
    BOOST_REQUIRE_EQUAL(added.status, 200);
    std::string second = str(added.json(), "id");
    auto assoc = c.put(machine_path + "/keys/" + second,
                       json::serialize(json::object{{"ssh_user", nullptr}, {"host", host}, {"ssh_port", 22}}));
    BOOST_TEST(assoc.status == 200);
    BOOST_TEST(assoc.json().as_array().size() == 1u);

    // Async create with job polling (create_machine(async=True, quantity=2, fire_and_forget=False)).
    auto job_reply = c.post(base + "/machines",
                            json::serialize(python_create_payload("fleet", key, image_id, location_id, size_id, true, 2)));
    std::string job_id = str(job_reply.json(), "job_id");
    json::value job;
    BOOST_TEST(eventually([&] {
        job = c.get(p.jobs + job_id).json();
        return !job.at("finished_at").is_int64();
    }));
    BOOST_TEST(job.at("error") == false);

    // stop, start and destroy, as the seed lists them.
    BOOST_TEST(c.post(machine_path, R"({"action": "stop"})").status == 200);
    BOOST_TEST(eventually([&] { return state() == "stopped"; }));
    BOOST_TEST(c.post(machine_path, R"({"action": "start"})").status == 200);
    BOOST_TEST(eventually([&] { return state() == "running"; }));
    BOOST_TEST(c.post(machine_path, R"({"action": "destroy"})").status == 200);
    BOOST_TEST(state() == "terminated");
}

}  // namespace

BOOST_AUTO_TEST_CASE(python_client_2015_flow) {
    sim_fixture sim;
    http_client c("127.0.0.1", sim.port());
    // MistClient(email=..., password=...): POST /auth, then "mist_1 email:token".
    auto auth = c.post("/auth", R"({"email": "user@example.com", "password": "secret"})");
    BOOST_REQUIRE_EQUAL(auth.status, 200);
    c.authorization("mist_1 user@example.com:" + str(auth.json(), "mist_api_token"));
    BOOST_TEST(c.request("GET", "/providers", "", {{"Api-Version", "2"}}).status == 200);
    run_seed_flow(c, {"/backends", "/keys", "/jobs/", "id"});
}

BOOST_AUTO_TEST_CASE(python_client_v1_flow) {
    sim_fixture sim;
    http_client c("127.0.0.1", sim.port());
    // The later client: POST /api/v1/tokens, then the bare token.
    auto login = c.post("/api/v1/tokens", R"({"email": "user@example.com", "password": "secret", "org_id": null})");
    BOOST_REQUIRE_EQUAL(login.status, 200);
    c.authorization(str(login.json(), "token"));
    run_seed_flow(c, {"/api/v1/clouds", "/api/v1/keys", "/api/v1/jobs/", "name"});
}
