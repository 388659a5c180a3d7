// Every /api/v2 operation mistsim serves, checked against the response schemas of the v2
// spec: mistio/mist-api-v2 at de29606, mist_api_v2/openapi/openapi.yaml (components/schemas).
// The facts below are ours, written from that spec: each schema's field names, their JSON
// types and the required ones. A response may only hold the spec's fields, with the spec's
// types (null where the server writes None), plus the fields the real server writes beyond
// the spec, each named below with the mist.api code that writes it.
#include <boost/test/unit_test.hpp>

#include "api_helpers.hpp"
#include "sim_fixture.hpp"

#include <map>
#include <set>

using namespace mistasync::test;
namespace json = boost::json;

namespace {

enum class t { string, number, integer, boolean, object, array, any };

struct schema {
    const char* name;
    std::map<std::string, t> fields;
    std::set<std::string> required;
    /// Written by the server but not in the spec (with where), or typed otherwise there.
    std::map<std::string, t> server_writes;
};

// components/schemas, de29606.
const schema response_metadata{"ResponseMetadata",
                               {{"total", t::integer}, {"returned", t::integer}, {"sort", t::string}, {"start", t::integer}},
                               {},
                               {{"kind", t::string}}};  // mist-api-v2 controllers/base.py adds it

const schema machine{"Machine",
                     {{"id", t::string},          {"external_id", t::string}, {"name", t::string},        {"cloud", t::string},
                      {"tags", t::object},        {"created_by", t::string},  {"owned_by", t::string},    {"default", t::boolean},
                      {"state", t::string},       {"actions", t::object},     {"cluster", t::string},     {"cores", t::number},
                      {"cost", t::object},        {"created", t::string},     {"extra", t::object},       {"hostname", t::string},
                      {"image", t::string},       {"key_associations", t::array}, {"last_seen", t::string}, {"location", t::string},
                      {"missing_since", t::string}, {"network", t::string},   {"os_type", t::string},     {"parent", t::string},
                      {"ports", t::object},       {"private_ips", t::array},  {"probe", t::object},       {"public_ips", t::array},
                      {"size", t::string},        {"subnet", t::string},      {"type", t::string},        {"unreachable_since", t::string},
                      {"expiration", t::string},  {"monitoring", t::string}},
                     {},
                     // machines/models.py as_dict_v2: `children` is a standard field; expiration is
                     // {id, action, date, notify} or None; monitoring "" or the monitoring document.
                     {{"children", t::integer}, {"expiration", t::any}, {"monitoring", t::any}}};

const schema cloud{"Cloud",
                   {{"id", t::string}, {"name", t::string}, {"provider", t::string}, {"config", t::object}, {"features", t::object},
                    {"tags", t::object}, {"created_by", t::string}, {"owned_by", t::string}},
                   {},
                   {}};

const schema key{"Key",
                 {{"id", t::string}, {"name", t::string}, {"config", t::object}, {"tags", t::object}, {"created_by", t::string},
                  {"owned_by", t::string}, {"default", t::boolean}, {"type", t::string}},
                 {},
                 {{"associations", t::array}, {"private", t::string}}};  // keys/models.py as_dict_v2; get_key with private=true

const schema image{"Image",
                   {{"id", t::string}, {"external_id", t::string}, {"name", t::string}, {"cloud", t::string}, {"starred", t::boolean},
                    {"os_type", t::string}, {"tags", t::object}, {"created_by", t::string}, {"owned_by", t::string}, {"extra", t::object}},
                   {},
                   // images/models.py as_dict_v2's standard fields
                   {{"os_distro", t::string}, {"architecture", t::array}, {"min_disk_size", t::integer}, {"min_memory_size", t::integer},
                    {"locations", t::array}}};

const schema size{"Size",
                  {{"id", t::string}, {"external_id", t::string}, {"name", t::string}, {"cloud", t::string}, {"extra", t::object}},
                  {},
                  // clouds/models.py Size.as_dict_v2's standard fields and deref map
                  {{"cpus", t::integer}, {"ram", t::integer}, {"bandwidth", t::integer}, {"disk", t::integer}, {"architecture", t::string},
                   {"last_seen", t::string}, {"created", t::string}, {"allowed_images", t::object}, {"owned_by", t::string},
                   {"created_by", t::string}}};

const schema location{"Location",
                      {{"id", t::string}, {"external_id", t::string}, {"name", t::string}, {"cloud", t::string}, {"extra", t::object},
                       {"parent", t::string}, {"location_type", t::string}, {"country", t::string}, {"available_sizes", t::object},
                       {"available_images", t::object}, {"owned_by", t::string}, {"created_by", t::string}},
                      {},
                      {{"last_seen", t::string}, {"created", t::string}, {"images_location", t::string}}};  // Location.as_dict_v2

const schema script{"Script",
                    {{"id", t::string}, {"name", t::string}, {"description", t::string}, {"tags", t::object}, {"created_by", t::string},
                     {"owned_by", t::string}},
                    {},
                    {{"exec_type", t::string}, {"location", t::object}}};  // scripts/models.py as_dict_v2

const schema job{"Job",
                 {{"logs", t::array}, {"error", t::boolean}, {"started_at", t::number}, {"finished_at", t::number}, {"org", t::string},
                  {"machine_id", t::string}, {"job_id", t::string}, {"cloud_id", t::string}, {"action", t::string}, {"user", t::string}},
                 {"action", "error", "finished_at", "job_id", "logs", "org", "started_at"},
                 // logs/methods.py: a story's error is False or the first error's message; its
                 // other fields come up from the logs (user_id).
                 {{"error", t::any}, {"user_id", t::string}}};

const schema tag_item{"ListTagsResponse_data",
                      {{"tag", t::object}, {"clouds", t::array}, {"keys", t::array}, {"machines", t::array}, {"scripts", t::array}},
                      {},
                      // tag/methods.py get_tags: {tag: {key: value}, resource_count, <type>s}
                      {{"resource_count", t::integer}}};

const schema create_machine_response{"CreateMachineResponse", {{"jobId", t::string}, {"plan", t::object}}, {"plan"}, {}};
const schema add_key_response{"AddKeyResponse", {{"id", t::string}, {"private", t::string}, {"public", t::string}}, {}, {}};
const schema run_script_response{"RunScriptResponse", {{"job_id", t::string}}, {}, {{"job", t::string}}};  // scripts_controller.py

bool has_type(const json::value& v, t type) {
    switch (type) {
    case t::string: return v.is_string();
    case t::number: return v.is_number();
    case t::integer: return v.is_int64() || v.is_uint64();
    case t::boolean: return v.is_bool();
    case t::object: return v.is_object();
    case t::array: return v.is_array();
    case t::any: return true;
    }
    return false;
}

void check(const json::value& v, const schema& s, const std::string& where) {
    BOOST_REQUIRE_MESSAGE(v.is_object(), where << ": " << s.name << " is not an object");
    const json::object& o = v.get_object();
    for (auto& kv : o) {
        const std::string field(kv.key());
        auto written = s.server_writes.find(field);
        auto spec = s.fields.find(field);
        BOOST_TEST((written != s.server_writes.end() || spec != s.fields.end()), where << ": " << s.name << " has no field " << field);
        const t type = written != s.server_writes.end() ? written->second : spec != s.fields.end() ? spec->second : t::any;
        if (!kv.value().is_null()) BOOST_TEST(has_type(kv.value(), type), where << ": " << s.name << "." << field << " has the wrong type");
    }
    for (auto& r : s.required) BOOST_TEST(o.contains(r), where << ": " << s.name << " lacks required " << r);
}

void check_list(const json::value& v, const schema& item, const std::string& where) {
    BOOST_REQUIRE_MESSAGE(v.is_object() && v.as_object().size() == 2, where << ": not {data, meta}");
    check(v.at("meta"), response_metadata, where);
    BOOST_REQUIRE(v.at("data").is_array());
    BOOST_TEST(!v.at("data").as_array().empty(), where << ": nothing to check");
    for (auto& i : v.at("data").as_array()) check(i, item, where);
}

void check_get(const json::value& v, const schema& item, const std::string& where) {
    BOOST_REQUIRE_MESSAGE(v.is_object() && v.as_object().size() == 2, where << ": not {data, meta}");
    check(v.at("meta"), response_metadata, where);
    check(v.at("data"), item, where);
}

struct schema_world {
    sim_fixture sim{[] {
        auto o = fast_options();
        o.poll_interval = std::chrono::milliseconds(50);
        return o;
    }()};
    http_client c = sim.client();
    json::value get(const std::string& target) {
        auto r = c.get(target);
        BOOST_REQUIRE_MESSAGE(r.status == 200, target << " -> " << r.status << " " << r.body);
        return r.json();
    }
    json::value post(const std::string& target, const std::string& body) {
        auto r = c.post(target, body);
        BOOST_REQUIRE_MESSAGE(r.status == 200, target << " -> " << r.status << " " << r.body);
        return r.json();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_v2_operation_answers_in_the_spec_schemas, schema_world) {
    const json::value made = post("/api/v2/machines", R"({"name": "schema-1", "cloud": "NephoScale", "image": "Ubuntu", "size": "CS1", "key": "MyKey", "tags": {"a": "b"}})");
    check(made, create_machine_response, "create_machine");
    check(post("/api/v2/machines", R"({"name": "schema-2", "cloud": "NephoScale", "image": "Ubuntu", "dry": true})"), create_machine_response,
          "create_machine dry");
    const std::string job_id(made.at("jobId").as_string());
    BOOST_REQUIRE(eventually([&] {
        auto r = c.get("/api/v2/jobs/" + job_id);
        return r.status == 200 && r.json().at("data").at("finished_at") != 0;
    }));
    check_get(get("/api/v2/jobs/" + job_id), job, "get_job");
    check_list(get("/api/v2/machines"), machine, "list_machines");
    check_list(get("/api/v2/machines?deref=none"), machine, "list_machines deref=none");
    check_get(get("/api/v2/machines/schema-1"), machine, "get_machine");
    check_list(get("/api/v2/clouds"), cloud, "list_clouds");
    check_get(get("/api/v2/clouds/NephoScale"), cloud, "get_cloud");
    check(post("/api/v2/keys", R"({"name": "schema-key", "generate": true})"), add_key_response, "add_key");
    check(post("/api/v2/keys", R"({"generate": true, "dry": true})"), add_key_response, "add_key dry");
    check_list(get("/api/v2/keys"), key, "list_keys");
    check_get(get("/api/v2/keys/schema-key?private=true"), key, "get_key");
    check_list(get("/api/v2/images?cloud=NephoScale"), image, "list_images");
    check_get(get("/api/v2/images/Ubuntu"), image, "get_image");
    check_list(get("/api/v2/sizes"), size, "list_sizes");
    check_get(get("/api/v2/sizes/CS1"), size, "get_size");
    check_list(get("/api/v2/locations"), location, "list_locations");
    check_get(get("/api/v2/locations/SJC"), location, "get_location");
    post("/api/v2/scripts", R"({"name": "s1", "script": "#!/bin/sh\ntrue", "location_type": "inline", "exec_type": "executable"})");
    check_list(get("/api/v2/scripts"), script, "list_scripts");
    check_get(get("/api/v2/scripts/s1"), script, "get_script");
    const json::value run = post("/api/v2/scripts/s1", R"({"machine": "schema-1"})");
    check(run, run_script_response, "run_script");
    check_get(get("/api/v2/jobs/" + std::string(run.at("job_id").as_string())), job, "get_job of a script run");
    check_list(get("/api/v2/tags?types=all"), tag_item, "list_tags");
}
