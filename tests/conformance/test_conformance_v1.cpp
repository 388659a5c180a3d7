// mistsim against the behaviours mist.io's own API tests check (mistio/mist.tests,
// misttests/integration/api/main/*.py), written from the real server's views
// (mistio/mist.api at dcf483f, src/mist/api/<area>/views.py): each case is one behaviour,
// named by the view it mirrors, sent as those tests send it (an owner's API token in
// `Authorization`, a wrong one, or none) to a standalone mistsim with an empty world.
// Status and, where the view fixes it, the text of the answer.
#include <boost/test/unit_test.hpp>
#include <boost/test/data/test_case.hpp>

#include "cli_harness.hpp"
#include "http_client.hpp"

#include <boost/json.hpp>

#include <ostream>

using namespace mistasync::test;
using namespace mistasync::test::cli_harness;
namespace json = boost::json;

namespace {

enum class auth { owner, wrong, none };

struct rule {
    const char* view;       ///< the mist.api view, as area/views.py function
    const char* behaviour;  ///< what it does with this request
    const char* method;
    const char* path;
    const char* body;       ///< JSON (or a form body when it starts with "form:")
    auth token;
    int status;
    const char* text;       ///< the answer's first bytes, when the view fixes them ("" otherwise)
};

std::ostream& operator<<(std::ostream& out, const rule& r) { return out << r.view << ": " << r.behaviour; }

// The simulator, once for the whole suite: the rules do not change its world.
struct shared_sim {
    standalone_sim sim{{"--empty"}};
    std::string host = "127.0.0.1";
    unsigned short port = static_cast<unsigned short>(std::stoi(sim.url.substr(sim.url.rfind(':') + 1)));
};
shared_sim& server() {
    static shared_sim s;
    return s;
}

const rule rules[] = {
    // keys/views.py
    {"keys/views.py list_keys", "an empty account lists no keys", "GET", "/api/v1/keys", "", auth::owner, 200, "[]"},
    {"keys/views.py delete_key", "an unknown id is 404", "DELETE", "/api/v1/keys/dummy", "", auth::owner, 404, "Not Found: Key id does not exist"},
    {"keys/views.py delete_key", "a wrong token is 401", "DELETE", "/api/v1/keys/dummy", "", auth::wrong, 401, ""},
    {"keys/views.py edit_key", "an unknown id is 404", "PUT", "/api/v1/keys/dummy_id", R"({"new_name": "new_name"})", auth::owner, 404,
     "Not Found: Key with that id does not exist"},
    {"keys/views.py edit_key", "a wrong token is 401", "PUT", "/api/v1/keys/dummy_id", R"({"new_name": "new_name"})", auth::wrong, 401, ""},
    {"keys/views.py edit_key", "an empty new_name is 400, checked before the id", "PUT", "/api/v1/keys/dummy_id", R"({"new_name": ""})",
     auth::owner, 400, "Required parameter not provided: new_name"},
    {"keys/views.py set_default_key", "an unknown id is 404", "POST", "/api/v1/keys/dummy", "", auth::owner, 404, "Not Found: Key id does not exist"},
    {"keys/views.py set_default_key", "a wrong token is 401", "POST", "/api/v1/keys/dummy", "", auth::wrong, 401, ""},
    {"keys/views.py add_key", "no name and no key is 400", "PUT", "/api/v1/keys", R"({"name": "", "priv": ""})", auth::owner, 400,
     "Bad Request: Key name is not provided"},
    {"keys/views.py add_key", "a name without a key is 400", "PUT", "/api/v1/keys", R"({"name": "k1", "priv": ""})", auth::owner, 400,
     "Required parameter not provided: Private key is not provided"},
    {"keys/views.py get_private_key", "an unknown id is 404", "GET", "/api/v1/keys/bla/private", "", auth::owner, 404,
     "Not Found: Key id does not exist"},
    {"keys/views.py get_public_key", "an unknown id is 404", "GET", "/api/v1/keys/bl/public", "", auth::owner, 404,
     "Not Found: Key id does not exist"},
    {"keys/views.py generate_key", "a new key pair", "POST", "/api/v1/keys", "", auth::owner, 200, "{\"priv\": \"-----BEGIN RSA PRIVATE KEY-----"},

    // clouds/views.py
    {"clouds/views.py list_clouds", "an empty account lists no clouds", "GET", "/api/v1/clouds", "", auth::owner, 200, "[]"},
    {"clouds/views.py add_cloud", "OpenStack without its credentials is 400", "POST", "/api/v1/clouds",
     R"({"name": "Openstack", "provider": "openstack"})", auth::owner, 400, ""},
    {"clouds/views.py add_cloud", "a wrong token is 401", "POST", "/api/v1/clouds", R"({"name": "Openstack", "provider": "openstack"})",
     auth::wrong, 401, ""},
    {"clouds/views.py add_cloud", "no token is 403 (the CSRF check comes first)", "POST", "/api/v1/clouds",
     R"({"name": "Openstack", "provider": "openstack"})", auth::none, 403, "Invalid csrf token"},
    {"clouds/views.py add_cloud", "the cloud's name as `name` (params.get('name', params.get('title')))", "POST", "/api/v1/clouds",
     R"({"name": "Docker", "provider": "docker", "docker_host": "10.1.2.3", "docker_port": "2375"})", auth::owner, 200, "{"},
    {"clouds/views.py rename_cloud", "an unknown id is 404", "PUT", "/api/v1/clouds/dummy", "form:new_name=test", auth::owner, 404,
     "Not Found: Cloud does not exist"},
    {"clouds/views.py rename_cloud", "no token is 403", "PUT", "/api/v1/clouds/dummy", "form:new_name=test", auth::none, 403, ""},
    {"clouds/views.py rename_cloud", "a wrong token is 401", "PUT", "/api/v1/clouds/dummy", "form:new_name=test", auth::wrong, 401, ""},
    {"clouds/views.py rename_cloud", "an empty new_name on an unknown id is 404 (the cloud is looked up first)", "PUT",
     "/api/v1/clouds/dummy", "form:new_name=", auth::owner, 404, "Not Found: Cloud does not exist"},
    {"clouds/views.py delete_cloud", "an unknown id is 404", "DELETE", "/api/v1/clouds/dummy", "", auth::owner, 404,
     "Not Found: Cloud does not exist"},
    {"clouds/views.py delete_cloud", "no token is 403", "DELETE", "/api/v1/clouds/dummy", "", auth::none, 403, ""},
    {"clouds/views.py delete_cloud", "a wrong token is 401", "DELETE", "/api/v1/clouds/dummy", "", auth::wrong, 401, ""},
    {"clouds/views.py toggle_cloud", "a wrong token is 401", "POST", "/api/v1/clouds/dummy", "", auth::wrong, 401, ""},
    {"clouds/views.py toggle_cloud", "no token is 403", "POST", "/api/v1/clouds/dummy", "", auth::none, 403, ""},
    {"clouds/views.py toggle_cloud", "an unknown id is 404", "POST", "/api/v1/clouds/dummy", "", auth::owner, 404,
     "Not Found: Cloud does not exist"},

    // machines/views.py
    {"machines/views.py list_machines", "no token is 401 (a GET)", "GET", "/api/v1/clouds/dummy/machines", "", auth::none, 401, ""},
    {"machines/views.py list_machines", "a wrong token is 401", "GET", "/api/v1/clouds/dummy/machines", "", auth::wrong, 401, ""},
    {"machines/views.py list_machines", "an unknown cloud is 404", "GET", "/api/v1/clouds/dummy/machines", "", auth::owner, 404,
     "Not Found: Cloud does not exist"},
    {"machines/views.py create_machine", "a wrong token is 401", "POST", "/api/v1/clouds/dummy/machines",
     R"({"name": "", "image": "dummy", "size": "", "location": "", "key": ""})", auth::wrong, 401, ""},
    {"machines/views.py create_machine", "no token is 403", "POST", "/api/v1/clouds/dummy/machines",
     R"({"name": "", "image": "dummy", "size": "", "location": "", "key": ""})", auth::none, 403, ""},
    {"machines/views.py create_machine", "an unknown cloud is 404 once the parameters are there", "POST", "/api/v1/clouds/dummy/machines",
     R"({"name": "", "image": "dummy", "size": "", "location": "", "key": ""})", auth::owner, 404, "Not Found: Cloud does not exist"},
    {"machines/views.py create_machine", "an empty image is 400, checked before the cloud", "POST", "/api/v1/clouds/dummy/machines",
     R"({"name": "", "image": "", "size": "", "location": "", "key": ""})", auth::owner, 400, "Required parameter not provided: image"},
    {"machines/views.py create_machine", "no size at all is 400, checked before the cloud", "POST", "/api/v1/clouds/dummy/machines",
     R"({"name": "a", "image": "i"})", auth::owner, 400, "Required parameter not provided: size"},
    {"machines/views.py machine_actions", "destroy with a wrong token is 401", "POST", "/api/v1/clouds/dummy/machines/dummy",
     "form:action=destroy", auth::wrong, 401, ""},
    {"machines/views.py machine_actions", "destroy with no token is 403", "POST", "/api/v1/clouds/dummy/machines/dummy", "form:action=destroy",
     auth::none, 403, ""},
    {"machines/views.py machine_actions", "destroy of unknown ids is 404", "POST", "/api/v1/clouds/dummy/machines/dummy",
     "form:action=destroy", auth::owner, 404, ""},
    {"machines/views.py machine_actions", "no action with a wrong token is 401", "POST", "/api/v1/clouds/dummy/machines/dummy", "",
     auth::wrong, 401, ""},
    {"machines/views.py machine_actions", "no action and no token is 403", "POST", "/api/v1/clouds/dummy/machines/dummy", "", auth::none, 403, ""},
    {"keys/views.py associate_key", "a wrong token is 401", "PUT", "/api/v1/clouds/dummy/machines/dummy/keys/dummy", "", auth::wrong, 401, ""},
    {"keys/views.py associate_key", "no token is 403", "PUT", "/api/v1/clouds/dummy/machines/dummy/keys/dummy", "", auth::none, 403, ""},
    {"keys/views.py associate_key", "unknown ids are 404", "PUT", "/api/v1/clouds/dummy/machines/dummy/keys/dummy", "", auth::owner, 404, ""},

    // images/views.py, networks/views.py
    {"images/views.py list_images", "an unknown cloud is 404", "GET", "/api/v1/clouds/dummy/images", "", auth::owner, 404,
     "Not Found: Cloud does not exist"},
    {"images/views.py list_images", "a wrong token is 401", "GET", "/api/v1/clouds/dummy/images", "", auth::wrong, 401, ""},
    {"images/views.py list_images", "no token is 401 (a GET)", "GET", "/api/v1/clouds/dummy/images", "", auth::none, 401, ""},
    {"networks/views.py list_networks", "an unknown cloud is 404 (CloudNotFoundError, a KeyError: quoted)", "GET",
     "/api/v1/clouds/dummy/networks", "", auth::owner, 404, "'Cloud not found'"},
    {"networks/views.py list_networks", "a wrong token is 401", "GET", "/api/v1/clouds/dummy/networks", "", auth::wrong, 401, ""},
    {"networks/views.py list_networks", "no token is 401 (a GET)", "GET", "/api/v1/clouds/dummy/networks", "", auth::none, 401, ""},
    {"networks/views.py list_subnets", "an unknown cloud is 404", "GET", "/api/v1/clouds/dummy/networks/dummy/subnets", "", auth::owner,
     404, "'Cloud not found'"},
    {"networks/views.py list_subnets", "a wrong token is 401", "GET", "/api/v1/clouds/dummy/networks/dummy/subnets", "", auth::wrong, 401, ""},
    {"networks/views.py create_network", "no network parameters is 400, checked before the cloud", "POST", "/api/v1/clouds/dummy/networks",
     "", auth::owner, 400, "Required parameter not provided: network"},
    {"networks/views.py create_network", "a subnet without its cidr is 400, checked before the cloud", "POST",
     "/api/v1/clouds/dummy/networks", R"({"network": {"cidr": "10.1.0.0/16"}, "subnet": {"name": "s"}})", auth::owner, 400,
     "Required parameter not provided: cidr"},
    {"networks/views.py create_network", "a wrong token is 401", "POST", "/api/v1/clouds/dummy/networks", "", auth::wrong, 401, ""},
    {"networks/views.py create_network", "an unknown cloud is 404 once the parameters are there", "POST", "/api/v1/clouds/dummy/networks",
     R"({"network": {"cidr": "10.1.0.0/16"}})", auth::owner, 404, "'Cloud not found'"},
    {"networks/views.py create_network", "no token is 403", "POST", "/api/v1/clouds/dummy/networks", "", auth::none, 403, ""},
    {"networks/views.py create_subnet", "an unknown cloud is 404", "POST", "/api/v1/clouds/dummy/networks/dummy/subnets", "", auth::owner,
     404, "'Cloud not found'"},
    {"networks/views.py create_subnet", "a wrong token is 401", "POST", "/api/v1/clouds/dummy/networks/dummy/subnets", "", auth::wrong, 401,
     ""},
    {"networks/views.py create_subnet", "no token is 403", "POST", "/api/v1/clouds/dummy/networks/dummy/subnets", "", auth::none, 403, ""},
    {"networks/views.py delete_network", "no token is 403", "DELETE", "/api/v1/clouds/dummy/networks/dummy", "", auth::none, 403, ""},
    {"networks/views.py delete_network", "a wrong token is 401", "DELETE", "/api/v1/clouds/dummy/networks/dummy", "", auth::wrong, 401, ""},
    {"networks/views.py delete_network", "an unknown cloud is 404", "DELETE", "/api/v1/clouds/dummy/networks/dummy", "", auth::owner, 404,
     "'Cloud not found'"},
    {"networks/views.py delete_subnet", "a wrong token is 401", "DELETE", "/api/v1/clouds/dummy/networks/dummy/subnets/dummy", "",
     auth::wrong, 401, ""},
    {"networks/views.py delete_subnet", "no token is 403", "DELETE", "/api/v1/clouds/dummy/networks/dummy/subnets/dummy", "", auth::none,
     403, ""},
    {"networks/views.py delete_subnet", "an unknown cloud is 404", "DELETE", "/api/v1/clouds/dummy/networks/dummy/subnets/dummy", "",
     auth::owner, 404, "'Cloud not found'"},

    // scripts/views.py
    {"scripts/views.py list_scripts", "an empty account lists no scripts", "GET", "/api/v1/scripts", "", auth::owner, 200, "[]"},
    {"scripts/views.py add_script", "no exec_type is 400, checked first (the view picks the script's class by it)", "POST",
     "/api/v1/scripts", R"({"name": "s"})", auth::owner, 400, "Bad Request: Param 'exec_type' must be in ('executable', 'ansible')."},
    {"scripts/base.py add", "no name is 400", "POST", "/api/v1/scripts", R"({"exec_type": "executable", "location_type": "inline"})",
     auth::owner, 400, "Required parameter not provided: name"},
    {"scripts/base.py add", "a script without its location type is 400", "POST", "/api/v1/scripts",
     R"({"name": "s", "exec_type": "executable"})", auth::owner, 400,
     "Bad Request: location type must be one of these: (inline, github, url)]"},
    {"scripts/controllers.py _preparse_file", "an inline executable without code is 400", "POST", "/api/v1/scripts",
     R"({"name": "s", "exec_type": "executable", "location_type": "inline", "script": ""})", auth::owner, 400,
     "Bad Request: for inline script you must provide source code"},
    {"scripts/controllers.py _preparse_file", "an inline executable without #! is 400", "POST", "/api/v1/scripts",
     R"({"name": "s", "exec_type": "executable", "location_type": "inline", "script": "echo hi"})", auth::owner, 400,
     "Bad Request: 'script' must start with a hashbang/shebang ('#!')."},
    {"scripts/controllers.py _preparse_file", "an inline Ansible playbook that is not YAML is 500 (ScriptFormatError)", "POST",
     "/api/v1/scripts", R"({"name": "s", "exec_type": "ansible", "location_type": "inline", "script": "- hosts: [all\n  tasks: {"})",
     auth::owner, 500, "Script was not formatted properly"},

    {"scripts/views.py show_script", "an unknown id is 404", "GET", "/api/v1/scripts/dummy1234", "", auth::owner, 404,
     "Not Found: Script id not found"},
    {"scripts/views.py delete_script", "a wrong token is 401", "DELETE", "/api/v1/scripts/bla", "", auth::wrong, 401, ""},
    {"scripts/views.py delete_script", "an unknown id is 404", "DELETE", "/api/v1/scripts/bla", "", auth::owner, 404,
     "Not Found: Script id not found"},
    {"scripts/views.py download_script", "a wrong token is 401", "GET", "/api/v1/scripts/bla/file", "", auth::wrong, 401, ""},
    {"scripts/views.py download_script", "an unknown id is 404", "GET", "/api/v1/scripts/bla/file", "", auth::owner, 404,
     "Not Found: Script id not found"},
    {"scripts/views.py url_script", "a wrong token is 401", "GET", "/api/v1/scripts/bla/url", "", auth::wrong, 401, ""},
    {"scripts/views.py url_script", "an unknown id is 404", "GET", "/api/v1/scripts/bla/url", "", auth::owner, 404,
     "Not Found: Script does not exist."},
    {"scripts/views.py delete_scripts", "a wrong token is 401", "DELETE", "/api/v1/scripts", R"({"script_ids": []})", auth::wrong, 401, ""},
    {"scripts/views.py delete_scripts", "no ids is 400", "DELETE", "/api/v1/scripts", R"({"script_ids": []})", auth::owner, 400,
     "Required parameter not provided: No script ids provided"},
    {"scripts/views.py delete_scripts", "only unknown ids is 404", "DELETE", "/api/v1/scripts", R"({"script_ids": ["bla", "bla2"]})",
     auth::owner, 404, "Not Found: No valid script id provided"},
    {"scripts/views.py edit_script", "an unknown id is 404", "PUT", "/api/v1/scripts/bad", "form:new_name=dummy", auth::owner, 404,
     "Not Found: Script id not found"},
    {"scripts/views.py edit_script", "a wrong token is 401", "PUT", "/api/v1/scripts/bad", "form:new_name=dummy", auth::wrong, 401, ""},
    {"scripts/views.py edit_script", "an empty new_name on an unknown id is 404 (the script is looked up first)", "PUT",
     "/api/v1/scripts/bla", "form:new_name=", auth::owner, 404, "Not Found: Script id not found"},

    // auth/views.py (tokens)
    {"auth/views.py create_token", "an empty email and password are 400", "POST", "/api/v1/tokens", "form:email=&password=", auth::none, 400, ""},
    {"auth/views.py create_token", "a ttl that is not a number is 400", "POST", "/api/v1/tokens",
     "form:email=user@example.com&password=secret&ttl=bla", auth::none, 400, "Bad Request: Ttl must be a number greater than 0"},
    {"auth/views.py create_token", "a ttl of '10a' is 400", "POST", "/api/v1/tokens", "form:email=user@example.com&password=secret&ttl=10a",
     auth::none, 400, "Bad Request: Ttl must be a number greater than 0"},
    {"auth/views.py create_token", "no email is 400 (as mist.io's tests send it: email= and no password)", "POST", "/api/v1/tokens",
     "form:email=", auth::none, 400, "Required parameter not provided: No email provided"},
    {"auth/views.py create_token", "the ttl is checked before the email", "POST", "/api/v1/tokens", "form:email=&ttl=-5", auth::none, 400,
     "Bad Request: Ttl must be a number greater than 0"},
    {"auth/views.py create_token", "a negative number ttl is 400", "POST", "/api/v1/tokens",
     R"({"email": "user@example.com", "password": "secret", "ttl": -1})", auth::none, 400, "Bad Request: Ttl must be greater or equal to zero"},
    {"auth/views.py list_tokens", "no token is 401", "GET", "/api/v1/tokens", "", auth::none, 401, ""},
    {"auth/views.py list_tokens", "the owner's token lists the tokens", "GET", "/api/v1/tokens", "", auth::owner, 200, "["},
};

}  // namespace

BOOST_DATA_TEST_CASE(mist_api_view_rule, boost::unit_test::data::make(rules), r) {
    shared_sim& s = server();
    http_client c(s.host, s.port);
    if (r.token == auth::owner) c.authorization(s.sim.token);
    if (r.token == auth::wrong) c.authorization("00" + s.sim.token.substr(0, s.sim.token.size() - 2));
    std::string body = r.body;
    header_list headers;
    if (body.starts_with("form:")) {
        body = body.substr(5);
        headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    } else if (!body.empty()) {
        headers.emplace_back("Content-Type", "application/json");
    }
    const http_reply reply = c.request(r.method, r.path, body, headers);
    BOOST_TEST(reply.status == r.status, r << ": " << r.method << " " << r.path << " answered " << reply.status << " "
                                         << reply.body.substr(0, 200));
    BOOST_TEST(reply.body.starts_with(r.text), r << ": the answer " << reply.body.substr(0, 200));
}

// scripts/views.py, a script's life as mist.io's tests walk it: added, refused under the
// same name, shown with its jobs, renamed, downloaded, given a signed URL, deleted with an
// unknown id beside it.
BOOST_AUTO_TEST_CASE(scripts_views_a_script_from_add_to_bulk_delete) {
    standalone_sim sim({"--empty"});
    http_client c("127.0.0.1", static_cast<unsigned short>(std::stoi(sim.url.substr(sim.url.rfind(':') + 1))));
    c.authorization(sim.token);
    const header_list json_body{{"Content-Type", "application/json"}};
    const std::string spec = R"({"name": "s1", "location_type": "inline", "exec_type": "executable", "script": "#!/bin/sh\necho hi"})";
    auto added = c.request("POST", "/api/v1/scripts", spec, json_body);
    BOOST_TEST_REQUIRE(added.status == 200, added.body);
    const std::string id(added.json().at("id").as_string());
    // The code may come as script_inline (choose_script_from_params); a playbook that is YAML is taken.
    auto alternative = c.request("POST", "/api/v1/scripts",
                                 R"({"name": "alt", "exec_type": "executable", "location_type": "inline", "script_inline": "#!/bin/sh\ntrue"})",
                                 json_body);
    BOOST_TEST(alternative.status == 200, alternative.body);
    auto playbook = c.request("POST", "/api/v1/scripts",
                              R"({"name": "play", "exec_type": "ansible", "location_type": "inline", "script": "- hosts: all\n  tasks: []\n"})",
                              json_body);
    BOOST_TEST(playbook.status == 200, playbook.body);
    auto again = c.request("POST", "/api/v1/scripts", spec, json_body);
    BOOST_TEST(again.status == 409);  // add_script: the name is unique per owner
    BOOST_TEST(again.body == "Script name exists");
    auto shown = c.get("/api/v1/scripts/" + id);
    BOOST_TEST(shown.status == 200);
    BOOST_TEST(shown.json().at("jobs").is_array());
    auto renamed = c.request("PUT", "/api/v1/scripts/" + id, "new_name=s2", {{"Content-Type", "application/x-www-form-urlencoded"}});
    BOOST_TEST(renamed.status == 200);
    BOOST_TEST(renamed.json().at("new_name") == "s2");
    auto empty_name = c.request("PUT", "/api/v1/scripts/" + id, "new_name=", {{"Content-Type", "application/x-www-form-urlencoded"}});
    BOOST_TEST(empty_name.status == 400);
    BOOST_TEST(empty_name.body == "Required parameter not provided: No new name provided");
    auto file = c.get("/api/v1/scripts/" + id + "/file");
    BOOST_TEST(file.status == 200);
    BOOST_TEST(file.body == "#!/bin/sh\necho hi");
    auto url = c.get("/api/v1/scripts/" + id + "/url");
    BOOST_TEST(url.status == 200);
    BOOST_TEST(std::string(url.json().as_string()).starts_with("/api/v1/fetch?action=fetch_script&object_id=" + id));
    const std::string others = "\"" + std::string(alternative.json().at("id").as_string()) + "\", \"" +
                               std::string(playbook.json().at("id").as_string()) + "\"";
    auto deleted = c.request("DELETE", "/api/v1/scripts", R"({"script_ids": [")" + id + R"(", "bla", )" + others + "]}", json_body);
    BOOST_TEST(deleted.status == 200, deleted.body);
    BOOST_TEST(deleted.json().at(id) == "deleted");
    BOOST_TEST(deleted.json().at("bla") == "not_found");
    BOOST_TEST(c.get("/api/v1/scripts").body == "[]");
}

namespace {

// A fresh empty world per life, as each of mist.io's test classes starts from one.
struct fresh_world {
    standalone_sim sim{{"--empty"}};
    http_client c{"127.0.0.1", static_cast<unsigned short>(std::stoi(sim.url.substr(sim.url.rfind(':') + 1)))};
    header_list json_body{{"Content-Type", "application/json"}};
    header_list form_body{{"Content-Type", "application/x-www-form-urlencoded"}};
    fresh_world() { c.authorization(sim.token); }
    http_reply send(const char* method, const std::string& path, const std::string& body = "") {
        return c.request(method, path, body, body.empty() ? header_list{} : json_body);
    }
};

}  // namespace

// keys/views.py, a key's life as mist.io's tests walk it: added, refused under the same
// name, renamed (an empty name refused), a second key from generate_key, the private key
// read back, set as default (only one default), deleted (twice: 404).
BOOST_AUTO_TEST_CASE(keys_views_a_key_from_add_to_delete) {
    fresh_world w;
    auto generated = w.send("POST", "/api/v1/keys");
    BOOST_TEST_REQUIRE(generated.status == 200);
    const std::string priv(generated.json().at("priv").as_string());
    BOOST_TEST(generated.json().as_object().contains("public"));
    auto key_body = [&](const char* name) { return json::serialize(json::object{{"name", name}, {"priv", priv}}); };
    auto added = w.send("PUT", "/api/v1/keys", key_body("TestKey"));
    BOOST_TEST_REQUIRE(added.status == 200, added.body);
    const std::string id(added.json().at("id").as_string());
    BOOST_TEST(w.send("GET", "/api/v1/keys").json().as_array().size() == 1u);
    BOOST_TEST(w.send("PUT", "/api/v1/keys", key_body("TestKey")).status == 409);  // add_key: names are unique
    BOOST_TEST(w.send("PUT", "/api/v1/keys/" + id, R"({"new_name": "Key1"})").status == 200);
    BOOST_TEST(w.send("PUT", "/api/v1/keys/" + id, R"({"new_name": ""})").status == 400);
    BOOST_TEST(w.send("GET", "/api/v1/keys").json().at(0).at("name") == "Key1");
    auto private_key = w.send("GET", "/api/v1/keys/" + id + "/private");
    BOOST_TEST(private_key.status == 200);
    BOOST_TEST(private_key.json() == json::value(priv));  // a JSON string
    auto second = w.send("PUT", "/api/v1/keys", key_body("TestKey2"));
    BOOST_TEST_REQUIRE(second.status == 200);
    BOOST_TEST(second.json().at("isDefault") == false);  // the first key stays the default
    const std::string second_id(second.json().at("id").as_string());
    BOOST_TEST(w.send("POST", "/api/v1/keys/" + second_id).status == 200);
    const json::value keys = w.send("GET", "/api/v1/keys").json();
    for (auto& k : keys.as_array())
        BOOST_TEST(k.at("isDefault") == (k.at("id") == json::value(second_id)));
    BOOST_TEST(w.send("DELETE", "/api/v1/keys/" + id).status == 200);
    BOOST_TEST(w.send("DELETE", "/api/v1/keys/" + id).status == 404);
}

// clouds/views.py: clouds added by `name`, renamed, toggled (new_state required), deleted
// (twice: 404).
BOOST_AUTO_TEST_CASE(clouds_views_a_cloud_from_add_to_delete) {
    fresh_world w;
    auto docker = [&](const char* name) {
        return json::serialize(json::object{{"name", name}, {"provider", "docker"}, {"docker_host", "10.1.2.3"}, {"docker_port", "2375"}});
    };
    auto first = w.send("POST", "/api/v1/clouds", docker("Docker"));
    BOOST_TEST_REQUIRE(first.status == 200, first.body);
    BOOST_TEST(w.send("POST", "/api/v1/clouds", docker("Docker2")).status == 200);
    BOOST_TEST(w.send("GET", "/api/v1/clouds").json().as_array().size() == 2u);
    const std::string id(first.json().at("id").as_string());
    BOOST_TEST(w.c.request("PUT", "/api/v1/clouds/" + id, "new_name=Renamed", w.form_body).status == 200);
    bool renamed = false;
    const json::value clouds = w.send("GET", "/api/v1/clouds").json();
    for (auto& cl : clouds.as_array()) renamed |= cl.at("title") == "Renamed";
    BOOST_TEST(renamed);
    BOOST_TEST(w.send("POST", "/api/v1/clouds/" + id).status == 400);  // toggle_cloud without new_state
    BOOST_TEST(w.c.request("POST", "/api/v1/clouds/" + id, "new_state=0", w.form_body).status == 200);
    BOOST_TEST(w.send("DELETE", "/api/v1/clouds/" + id).status == 200);
    BOOST_TEST(w.send("DELETE", "/api/v1/clouds/" + id).status == 404);
    BOOST_TEST(w.send("DELETE", "/api/v1/clouds/" + id + "d").status == 404);
    BOOST_TEST(w.send("GET", "/api/v1/clouds").json().as_array().size() == 1u);
}

// networks/views.py, an EC2 network's life as mist.io's tests walk it: created from
// {"network": {"cidr"}}, listed, a subnet added (cidr and zone) and listed, the subnet
// deleted, the network deleted.
BOOST_AUTO_TEST_CASE(networks_views_an_ec2_network_and_its_subnet) {
    fresh_world w;
    auto cloud = w.send("POST", "/api/v1/clouds",
                        R"({"name": "AWS", "provider": "ec2", "api_key": "AKIAEXAMPLE", "api_secret": "made-up", "region": "ap-northeast-1"})");
    BOOST_TEST_REQUIRE(cloud.status == 200, cloud.body);
    const std::string base = "/api/v1/clouds/" + std::string(cloud.json().at("id").as_string()) + "/networks";
    auto made = w.send("POST", base, R"({"network": {"cidr": "10.1.0.0/16"}})");
    BOOST_TEST_REQUIRE(made.status == 200, made.body);
    const std::string network(made.json().at("id").as_string());
    BOOST_TEST(made.json().at("cidr") == "10.1.0.0/16");
    BOOST_TEST(made.json().at("subnets").as_object().empty());
    auto listed = w.send("GET", base);
    BOOST_TEST(listed.status == 200);
    BOOST_TEST(listed.json().as_array().size() == 2u);  // and the region's default VPC
    auto no_zone = w.send("POST", base + "/" + network + "/subnets", R"({"cidr": "10.1.0.0/24"})");
    BOOST_TEST(no_zone.status == 400);  // AmazonSubnet.availability_zone is required
    auto subnet = w.send("POST", base + "/" + network + "/subnets", R"({"cidr": "10.1.0.0/24", "availability_zone": "ap-northeast-1a"})");
    BOOST_TEST_REQUIRE(subnet.status == 200, subnet.body);
    const std::string subnet_id(subnet.json().at("id").as_string());
    BOOST_TEST(subnet.json().at("network") == json::value(network));
    auto subnets = w.send("GET", base + "/" + network + "/subnets");
    BOOST_TEST_REQUIRE(subnets.json().as_array().size() == 1u);
    BOOST_TEST(subnets.json().at(0).at("id") == json::value(subnet_id));
    BOOST_TEST(w.send("DELETE", base + "/" + network + "/subnets/" + subnet_id).body == "OK");
    BOOST_TEST(w.send("GET", base + "/" + network + "/subnets").json().as_array().empty());
    auto gone = w.send("DELETE", base + "/" + network + "/subnets/" + subnet_id);
    BOOST_TEST(gone.status == 404);
    BOOST_TEST(gone.body == "'Subnet not found'");
    BOOST_TEST(w.send("DELETE", base + "/" + network).body == "OK");
    const json::value left = w.send("GET", base).json();
    for (auto& n : left.as_array()) BOOST_TEST(n.at("id") != json::value(network));
    auto unknown = w.send("DELETE", base + "/" + network);
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(unknown.body == "'Network not found'");
    // A provider without networks (Docker): the view's NotImplementedError, a 500.
    auto docker = w.send("POST", "/api/v1/clouds", R"({"name": "D", "provider": "docker", "docker_host": "10.1.2.3"})");
    auto refused = w.send("POST", "/api/v1/clouds/" + std::string(docker.json().at("id").as_string()) + "/networks",
                          R"({"network": {"name": "n"}})");
    BOOST_TEST(refused.status == 500);
}

// machines/views.py, a container's life as mist.io's tests walk it on a Docker cloud: the
// image found by name, a sync create with no key, size or location, listed; an action
// with no `action` (400) and an unknown machine (404); a stop that a fresh list shows at
// once (Docker answers once the container stopped); destroyed (an unknown one first: 404).
BOOST_AUTO_TEST_CASE(machines_views_a_docker_container_from_create_to_destroy) {
    fresh_world w;
    auto cloud = w.send("POST", "/api/v1/clouds", R"({"name": "Docker", "provider": "docker", "docker_host": "10.1.2.3", "docker_port": "2375"})");
    BOOST_TEST_REQUIRE(cloud.status == 200, cloud.body);
    const std::string base = "/api/v1/clouds/" + std::string(cloud.json().at("id").as_string());
    std::string image;
    const json::value images = w.send("GET", base + "/images").json();
    for (auto& i : images.as_array())
        if (std::string(i.at("name").as_string()).find("Debian Bullseye with SSH server") != std::string::npos) image = i.at("id").as_string();
    BOOST_TEST_REQUIRE(!image.empty());
    auto created = w.send("POST", base + "/machines",
                          json::serialize(json::object{{"key", ""}, {"name", "api_test_machine_7"}, {"provider", ""}, {"location", ""},
                                                       {"location_name", ""}, {"image", image}, {"size", ""}, {"script", ""},
                                                       {"disk", nullptr}, {"image_extra", nullptr}, {"async", false},
                                                       {"monitoring", false}, {"cloud_init", ""}, {"job_id", nullptr}}));
    BOOST_TEST_REQUIRE(created.status == 200, created.body);
    const std::string id(created.json().at("id").as_string());
    auto state_of = [&]() -> std::string {
        const json::value machines = w.send("GET", base + "/machines").json();
        for (auto& m : machines.as_array())
            if (m.at("name") == "api_test_machine_7") return std::string(m.at("state").as_string());
        return "absent";
    };
    BOOST_TEST(state_of() == "running");
    BOOST_TEST(w.c.request("POST", base + "/machines/dummy", "action=stop", w.form_body).status == 404);
    BOOST_TEST(w.send("POST", base + "/machines/" + id).status == 400);  // no action
    BOOST_TEST(w.c.request("POST", base + "/machines/" + id, "action=stop", w.form_body).status == 200);
    BOOST_TEST(state_of() == "stopped");
    BOOST_TEST(w.c.request("POST", base + "/machines/dummy", "action=destroy", w.form_body).status == 404);
    BOOST_TEST(w.c.request("POST", base + "/machines/" + id, "action=destroy", w.form_body).status == 200);
    const std::string after = state_of();
    BOOST_TEST((after == "terminated" || after == "absent"), after);
}
