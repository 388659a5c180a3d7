// Writing requests: every request body of both eras, in one place, beside the decoder
// (decode.hpp). Each returns JSON text; an empty string means "no body".
#pragma once

#include <mistasync/config.hpp>
#include <mistasync/models.hpp>

#include <boost/json/object.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mistasync::detail {

using tag_list = std::vector<std::pair<std::string, std::string>>;

std::string backend_body(const backend_spec& spec);
std::string backend_rename_body(const std::string& new_name);
std::string backend_toggle_body(const std::string& new_state);
/// The images search term travels in a GET body, as the real clients send it.
std::string image_search_body(const std::string& search);
/// A create: name, image, size, the optional fields that are set and machine_spec::extra;
/// `quantity` > 0 makes it asynchronous. Throws op_failure(errc::invalid_argument) for a
/// spec the server would misread (v1-only fields on a 2015 server, a clashing `extra`).
/// `job_id` (v1 only; empty: none) files the create under the caller's job id.
std::string create_body(api_era era, const machine_spec& spec, int quantity = 0, const std::string& job_id = {});
std::string action_body(const std::string& action, const std::string& argument);
/// v1 reads tags as an object, 2015 as a list of one-pair objects.
std::string tags_body(api_era era, const tag_list& tags);
std::string remove_tag_body(const std::string& tag);
std::string probe_body(const std::string& host, const probe_options& o);
std::string association_body(const std::string& host, const association_options& o);
/// v1 names a key "name", 2015 "id".
std::string add_key_body(api_era era, const std::string& name, const std::string& private_key);
std::string rename_key_body(api_era era, const std::string& new_name);
/// A stored script: name, code (or URL, repository), where it lives and how it runs.
std::string add_script_body(const script_spec& spec);
/// A v1 network create: {"network": {name, cidr, description}, "subnet": {...}} with the
/// fields that are set. Throws op_failure(errc::invalid_argument) for an empty spec.
std::string network_body(const network_spec& spec);
/// A v1 subnet create: {cidr, name, availability_zone}; the cidr is required.
std::string subnet_body(const subnet_spec& spec);
/// A run of a stored script on a machine: 2015 {backend_id, machine_id, params}; v1
/// {cloud_id, external_id, params, su, env}. su and env on a 2015 server are refused.
std::string run_script_body(api_era era, const std::string& backend_id, const std::string& machine_id, const script_run_options& o);
/// machine_spec::extra (a JSON object text) merged into a create's body: a key the spec
/// set already, or one of `operation_keys` (the operation's own), is errc::invalid_argument.
void merge_extra(boost::json::object& body, const std::string& extra, std::initializer_list<std::string_view> operation_keys);

// /api/v2 (encode_v2.cpp).
/// A v2 create: {name, cloud, image, size (or {cpu, memory}), location, key, tags, scripts,
/// expiration, cloudinit, fqdn, quantity, dry} with the fields that are set and
/// machine_spec::extra merged in. v1's provider fields are refused (errc::invalid_argument):
/// v2 would ignore them. `backend_id` empty: no cloud (a check of the spec alone).
std::string create_body_v2(const std::string& backend_id, const machine_spec& spec, int quantity, bool dry);
/// POST /api/v2/tags: one operation ("add", "remove") of `tags` on one resource.
std::string tag_operation_body(std::string_view operation, std::string_view resource_type, const std::string& resource_id,
                               const tag_list& tags);
/// PUT/DELETE …/actions/associate-key: {key, port, user}.
std::string association_body_v2(const std::string& key_id, const association_options& o);
/// POST /api/v2/clouds: {name, provider, credentials: {the spec's fields}}.
std::string backend_body_v2(const backend_spec& spec);
/// POST /api/v2/scripts/{script}: {machine, params, su, env}.
std::string run_script_body_v2(const std::string& machine_uuid, const script_run_options& o);
/// "name=value", the value percent-encoded.
std::string query_value(std::string_view name, std::string_view value);
/// `path` with `more` added to its query ("?" or "&").
std::string with_query(std::string path, std::string_view more);

/// The login's credentials, with a token name when there is one (v1 tokens).
/// `organization` (id or name; empty: none) goes as `org_id`, as the Python clients send it.
std::string credentials_body(const std::string& email, const std::string& password, const std::string& token_name = {},
                             const std::string& organization = {});

}  // namespace mistasync::detail
