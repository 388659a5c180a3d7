// Every API operation: which request it sends in each era and how the answer is read.
// Each start_* launches a coroutine; arguments are coroutine parameters (copied into the
// frame), never lambda captures, so nothing dangles.
#include "client_state.hpp"
#include "codec.hpp"
#include "retry_decision.hpp"
#include "routes.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>

namespace mistasync::detail {
namespace json = boost::json;
using asio::awaitable;

namespace {

// The request of `id` in the era the client speaks (settled before any operation runs).
http_request request(const op_context& op, route_id id, std::initializer_list<std::string_view> arguments = {}, std::string body = {}) {
    return make_request(id, op.state->era, arguments, std::move(body));
}

[[noreturn]] void bad_shape(const http_request& req, const http_response& r, const std::string& what) {
    diagnostics d{r.status, {}, req.method, path_only(req.path), what, 1};
    throw op_failure(errc::bad_response, d);
}

// Reads a JSON array answer, element by element, into models.
template <class T, class Decode>
std::vector<T> decode_list(const http_request& req, const http_response& r, Decode decode) {
    json::value doc = parse_json(r, req);
    if (!doc.is_array()) bad_shape(req, r, "expected a JSON array");
    std::vector<T> out;
    out.reserve(doc.get_array().size());
    try {
        for (auto& e : doc.get_array()) out.push_back(decode(std::move(e)));
    } catch (const std::exception& e) {
        bad_shape(req, r, e.what());
    }
    return out;
}

bool matches(const std::string& id, const std::string& name, const std::string& want_id, const std::string& want_name,
             const std::string& search) {
    if (!want_id.empty()) return id == want_id;
    if (!want_name.empty()) return name == want_name;
    if (!search.empty()) return name.find(search) != std::string::npos || id.find(search) != std::string::npos;
    return true;
}

// --- coroutines ----------------------------------------------------------------------

awaitable<std::vector<provider>> do_providers(op_context op) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::providers);
    http_response r = co_await call(op, req);
    try {
        co_return decode_providers(parse_json(r, req));
    } catch (const op_failure&) {
        throw;
    } catch (const std::exception& e) {
        bad_shape(req, r, e.what());
    }
}

awaitable<std::vector<backend>> do_list_backends(op_context op, backend_filter f) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::list_backends);
    http_response r = co_await call(op, req);
    client_ref ref = op.ref();
    auto all = decode_list<backend>(req, r, [&](json::value v) { return decode_backend(ref, std::move(v)); });
    std::vector<backend> out;
    for (auto& b : all)
        if (matches(b.id, b.title, f.id, f.name, f.search) && (f.provider.empty() || b.provider == f.provider))
            out.push_back(std::move(b));
    co_return out;
}

awaitable<backend> do_add_backend(op_context op, backend_spec spec) {
    if (!op.state->ready) co_await ensure_ready(op);
    json::object body{{"title", spec.title}, {"provider", spec.provider}};
    for (auto& [k, v] : spec.fields) body[k] = v;
    http_request req = request(op, route_id::add_backend, {}, json::serialize(body));
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    try {
        co_return decode_backend(op.ref(), std::move(doc));
    } catch (const std::exception& e) {
        bad_shape(req, r, e.what());
    }
}

awaitable<void> do_backend_update(op_context op, std::string backend_id, std::string what, std::string value) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = what == "rename"  ? request(op, route_id::rename_backend, {backend_id}, json::serialize(json::object{{"new_name", value}}))
                       : what == "state" ? request(op, route_id::toggle_backend, {backend_id}, json::serialize(json::object{{"new_state", value}}))
                                         : request(op, route_id::delete_backend, {backend_id});
    co_await call(op, req);
}

awaitable<std::vector<image>> do_list_images(op_context op, std::string backend_id, std::string search) {
    if (!op.state->ready) co_await ensure_ready(op);
    // The search term travels in a GET body, as the real clients send it.
    http_request req = request(op, route_id::list_images, {backend_id},
                               search.empty() ? std::string() : json::serialize(json::object{{"search_term", search}}));
    http_response r = co_await call(op, req);
    co_return decode_list<image>(req, r, [](json::value v) { return decode_image(v); });
}

awaitable<bool> do_star_image(op_context op, std::string backend_id, std::string image_id) {
    if (!op.state->ready) co_await ensure_ready(op);
    // A toggle: not idempotent, never resent.
    http_request req = request(op, route_id::star_image, {backend_id, image_id});
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    if (!doc.is_bool()) bad_shape(req, r, "expected true or false");
    co_return doc.get_bool();
}

awaitable<std::vector<size>> do_list_sizes(op_context op, std::string backend_id) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::list_sizes, {backend_id});
    http_response r = co_await call(op, req);
    co_return decode_list<size>(req, r, [](json::value v) { return decode_size(v); });
}

awaitable<std::vector<location>> do_list_locations(op_context op, std::string backend_id) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::list_locations, {backend_id});
    http_response r = co_await call(op, req);
    co_return decode_list<location>(req, r, [](json::value v) { return decode_location(v); });
}

awaitable<std::string> do_list_networks(op_context op, std::string backend_id) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::list_networks, {backend_id});
    http_response r = co_await call(op, req);
    co_return json::serialize(parse_json(r, req));
}

// Memory is bounded by the body: each machine costs its model (~sizeof(machine)) and a
// parsed object, whatever its JSON weighs, so a list of tiny objects ("[{},{},…]": 3
// bytes each) would cost hundreds of times its size. Real machine documents are hundreds
// of bytes; a list whose objects are too small to be machines is refused before parsing.
void refuse_if_too_dense(const http_request& req, const http_response& r) {
    constexpr std::size_t cost_per_object = sizeof(machine) + 128;  // the model, and the parsed object
    constexpr std::size_t allowed_multiple = 8;
    std::size_t objects = static_cast<std::size_t>(std::count(r.body.begin(), r.body.end(), '{'));
    if (objects * cost_per_object > allowed_multiple * r.body.size())
        bad_shape(req, r, "the machine list holds " + std::to_string(objects) + " objects in " + std::to_string(r.body.size()) +
                              " bytes: too small to be machines (refused: decoding it would cost over " +
                              std::to_string(allowed_multiple) + " times its size in memory)");
}

awaitable<std::vector<machine>> do_list_machines(op_context op, std::string backend_id, machine_filter f) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::list_machines, {backend_id});
    http_response r = co_await call(op, req);
    refuse_if_too_dense(req, r);
    api_era era = op.state->era;
    client_ref ref = op.ref();
    auto all = decode_list<machine>(req, r, [&](json::value v) { return decode_machine(ref, std::move(v), backend_id, era); });
    if (f.id.empty() && f.name.empty() && f.search.empty()) co_return all;
    std::vector<machine> out;
    for (auto& m : all)
        if (matches(m.id, m.name, f.id, f.name, f.search)) out.push_back(std::move(m));
    co_return out;
}

awaitable<std::vector<machine>> do_list_machines_subset(op_context op, std::string backend_id,
                                                        std::shared_ptr<const std::unordered_set<std::string>> ids) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::list_machines, {backend_id});
    http_response r = co_await call(op, req);
    api_era era = op.state->era;
    client_ref ref = op.ref();
    // A backend's list may be tens of MB: parse it one machine at a time in a small
    // arena that is reset after each, and keep (copy out) only the machines waited for.
    unsigned char first_block[16384];
    json::monotonic_resource arena(first_block, sizeof first_block);
    std::vector<machine> out;
    bool bad = false;
    bool array = for_each_array_element(r.body, [&](std::string_view element) {
        if (bad) return;
        {
            boost::system::error_code ec;
            json::value doc = json::parse(element, ec, &arena);
            if (ec || !doc.is_object()) {
                bad = true;
            } else if (ids->contains(machine_id_of(doc, era))) {
                out.push_back(decode_machine(ref, json::value(doc, json::storage_ptr()), backend_id, era));
            }
        }
        arena.release();
    });
    if (!array || bad) bad_shape(req, r, "expected a JSON array of machine objects");
    co_return out;
}

// One list per enabled backend, concurrently. A backend that cannot be listed is
// reported, not fatal (contract §10.2), unless the caller asked for all or nothing.
awaitable<machine_listing> do_list_all_machines(op_context op, machine_filter f) {
    if (!op.state->ready) co_await ensure_ready(op);
    auto backends = co_await do_list_backends(op, {});
    std::erase_if(backends, [](const backend& b) { return !b.enabled; });
    auto ex = op.state->executor;
    using list_op = decltype(asio::co_spawn(ex, do_list_machines(op, {}, f), asio::deferred));
    std::vector<list_op> lists;
    for (auto& b : backends) {
        // Each list has its own control block: its own connection to close on cancel.
        op_context child{op.state, op.call, std::make_shared<op_control>()};
        lists.push_back(asio::co_spawn(ex, do_list_machines(child, b.id, f), asio::deferred));
    }
    machine_listing out;
    if (lists.empty()) co_return out;
    auto group = asio::experimental::make_parallel_group(std::move(lists));
    auto [order, errors, results] = f.all_or_nothing
                                        ? co_await group.async_wait(asio::experimental::wait_for_one_error(), asio::use_awaitable)
                                        : co_await group.async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    for (std::size_t i = 0; i < backends.size(); ++i) {
        if (!errors[i]) {
            for (auto& m : results[i]) out.machines.push_back(std::move(m));
            continue;
        }
        if (f.all_or_nothing) std::rethrow_exception(errors[i]);
        backend_failure failure{backends[i].id, backends[i].title, {}, {}};
        try {
            std::rethrow_exception(errors[i]);
        } catch (const op_failure& e) {
            failure.error = e.ec;
            failure.details = e.details;
        } catch (const boost::system::system_error& e) {
            failure.error = e.code();
        }
        if (failure.error == asio::error::operation_aborted) std::rethrow_exception(errors[i]);
        out.failures.push_back(std::move(failure));
    }
    // Nothing could be listed: that is a failure (the first backend's), not an empty account.
    if (out.failures.size() == backends.size()) std::rethrow_exception(errors[0]);
    co_return out;
}

json::object create_body(const machine_spec& spec) {
    json::object body{{"name", spec.name}, {"image", spec.image}, {"size", spec.size}};
    if (!spec.location.empty()) body["location"] = spec.location;
    if (!spec.key.empty()) body["key"] = spec.key;
    if (!spec.script.empty()) body["script"] = spec.script;
    if (spec.monitoring) body["monitoring"] = true;
    if (!spec.tags.empty()) {
        json::object tags;
        for (auto& [k, v] : spec.tags) tags[k] = v;
        body["tags"] = std::move(tags);
    }
    return body;
}

// The server makes the machine at the provider first, then associates the key, tags it
// and schedules its post-deploy steps (contract §10.3): a 5xx may come after the machine
// exists. Only the provider's own refusals say that it was not made.
bool refused_before_create(const diagnostics& d) {
    if (provider_failure(d.http_status, d.server_message)) return true;  // the provider was not reached
    for (std::string_view refusal : {"Machine creation failed", "Error validating name"})
        if (d.server_message.starts_with(refusal)) return true;
    return false;
}

// A create's call: a 5xx that may have followed the machine's creation is an unknown outcome.
awaitable<http_response> call_create(op_context& op, const http_request& req) {
    try {
        co_return co_await call(op, req);
    } catch (const op_failure& f) {
        if (f.details.http_status < 500 || refused_before_create(f.details)) throw;
        diagnostics d = f.details;
        d.client_message = "the server failed after it may have made the machine; look for it by name before creating it again";
        throw op_failure(errc::outcome_unknown, std::move(d));
    }
}

awaitable<created_machine> do_create_machine(op_context op, std::string backend_id, machine_spec spec) {
    if (!op.state->ready) co_await ensure_ready(op);
    // Never resent once written: a second machine is worse than an error.
    http_request req = request(op, route_id::create_machine, {backend_id}, json::serialize(create_body(spec)));
    http_response r = co_await call_create(op, req);
    json::value doc = parse_json(r, req);
    try {
        co_return decode_created(doc);
    } catch (const std::exception& e) {
        bad_shape(req, r, e.what());
    }
}

awaitable<std::string> do_create_machines_async(op_context op, std::string backend_id, machine_spec spec, int quantity) {
    if (!op.state->ready) co_await ensure_ready(op);
    json::object body = create_body(spec);
    body["async"] = true;
    body["quantity"] = quantity;
    http_request req = request(op, route_id::create_machine, {backend_id}, json::serialize(body));
    http_response r = co_await call_create(op, req);
    json::value doc = parse_json(r, req);
    std::string job_id = text_of(doc.is_object() ? doc.get_object().if_contains("job_id") : nullptr);
    if (job_id.empty()) bad_shape(req, r, "no job_id in the answer");
    co_return job_id;
}

awaitable<void> do_machine_action(op_context op, std::string backend_id, std::string machine_id, std::string action,
                                  std::string argument) {
    if (!op.state->ready) co_await ensure_ready(op);
    json::object body{{"action", action}};
    if (action == "rename") body["name"] = argument;
    if (action == "resize") body["plan_id"] = argument;
    // Actions change state; reboot twice is not reboot once: never resent.
    http_request req = request(op, route_id::machine_action, {backend_id, machine_id}, json::serialize(body));
    co_await call(op, req);  // the answer (the whole machine list) is not needed
    op.state->actions_sent.note(backend_id, machine_id, action);
}

awaitable<probe_result> do_probe(op_context op, std::string backend_id, std::string machine_id, std::string default_host,
                                 probe_options o) {
    if (!op.state->ready) co_await ensure_ready(op);
    std::string host = o.host.empty() ? default_host : o.host;
    http_request req = request(op, route_id::probe, {backend_id, machine_id});
    if (host.empty() && op.state->era == api_era::legacy) {
        diagnostics d;
        d.method = req.method;
        d.path = req.path;
        d.client_message = "the machine has no public address yet and a 2015 server needs one to probe (list the machine "
                           "again once it runs, pass probe_options::host, or use wait_until_probed, which waits for one)";
        throw op_failure(errc::invalid_argument, std::move(d));
    }
    json::object body{{"host", host}};
    if (!o.key.empty()) body["key"] = o.key;
    if (!o.ssh_user.empty()) req.path += "?ssh_user=" + encode_segment(o.ssh_user);  // 2015 reads it from the query
    if (!o.ssh_user.empty()) body["ssh_user"] = o.ssh_user;
    req.body = json::serialize(body);
    try {
        http_response r = co_await call(op, req);
        json::value doc = parse_json(r, req);
        try {
            co_return decode_probe(doc);
        } catch (const std::exception& e) {
            bad_shape(req, r, e.what());
        }
    } catch (const op_failure& f) {
        // v1 says "not reachable yet" with 503 "SSH timed-out": a result, not an error.
        if (f.ec != error_code(errc::service_unavailable)) throw;
        probe_result p;
        p.raw_json = f.details.server_message;
        co_return p;
    }
}

awaitable<void> do_set_tags(op_context op, std::string backend_id, std::string machine_id,
                            std::vector<std::pair<std::string, std::string>> tags) {
    if (!op.state->ready) co_await ensure_ready(op);
    json::value body;
    if (op.state->era == api_era::v1) {
        json::object t;
        for (auto& [k, v] : tags) t[k] = v;
        body = json::object{{"tags", std::move(t)}};
    } else {
        json::array t;
        for (auto& [k, v] : tags) t.push_back(json::object{{k, v}});
        body = json::object{{"tags", std::move(t)}};
    }
    http_request req = request(op, route_id::set_tags, {backend_id, machine_id}, json::serialize(body));
    co_await call(op, req);
}

awaitable<void> do_remove_tag(op_context op, std::string backend_id, std::string machine_id, std::string tag) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::delete_tag, {backend_id, machine_id, tag}, json::serialize(json::object{{"tag_key", tag}}));
    co_await call(op, req);
}

awaitable<std::vector<key_association>> do_associate_key(op_context op, std::string backend_id, std::string machine_id,
                                                         std::string key_id, std::string default_host,
                                                         association_options o, bool associate) {
    if (!op.state->ready) co_await ensure_ready(op);
    json::object body{{"host", o.host.empty() ? default_host : o.host}, {"port", o.port}};
    if (!o.user.empty()) body["user"] = o.user;
    http_request req = request(op, associate ? route_id::associate_key : route_id::disassociate_key, {backend_id, machine_id, key_id},
                               json::serialize(body));
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    if (!doc.is_array() && !doc.is_object()) bad_shape(req, r, "expected the key's associations");
    co_return decode_associations(doc);
}

awaitable<job> do_get_job(op_context op, std::string job_id) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::get_job, {job_id});
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    try {
        co_return decode_job(doc);
    } catch (const std::exception& e) {
        bad_shape(req, r, e.what());
    }
}

awaitable<std::vector<key>> do_list_keys(op_context op, key_filter f) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::list_keys);
    http_response r = co_await call(op, req);
    client_ref ref = op.ref();
    auto all = decode_list<key>(req, r, [&](json::value v) { return decode_key(ref, std::move(v)); });
    std::vector<key> out;
    for (auto& k : all)
        if (matches(k.id, k.name, f.id, f.name, f.search)) out.push_back(std::move(k));
    co_return out;
}

awaitable<key> do_add_key(op_context op, std::string name, std::string private_key) {
    if (!op.state->ready) co_await ensure_ready(op);
    bool v1 = op.state->era == api_era::v1;
    json::object body{{v1 ? "name" : "id", name}, {"priv", private_key}};
    http_request req = request(op, route_id::add_key, {}, json::serialize(body));
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    try {
        co_return decode_key(op.ref(), std::move(doc));
    } catch (const std::exception& e) {
        bad_shape(req, r, e.what());
    }
}

awaitable<generated_key> do_generate_key(op_context op) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, route_id::generate_key);
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    generated_key k;
    if (doc.is_object()) {
        k.private_key = text_of(doc.get_object().if_contains("priv"));
        k.public_key = text_of(doc.get_object().if_contains("public"));
    }
    if (k.private_key.empty()) bad_shape(req, r, "no private key in the answer");
    co_return k;
}

awaitable<std::string> do_key_text(op_context op, std::string key_id, bool private_part) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req = request(op, private_part ? route_id::private_key : route_id::public_key, {key_id});
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    if (!doc.is_string()) bad_shape(req, r, "expected a JSON string");
    co_return std::string(doc.get_string());
}

awaitable<void> do_key_update(op_context op, std::string key_id, std::string what, std::string value) {
    if (!op.state->ready) co_await ensure_ready(op);
    http_request req =
        what == "rename"    ? request(op, route_id::rename_key, {key_id},
                                      json::serialize(json::object{{op.state->era == api_era::v1 ? "new_name" : "new_id", value}}))
        : what == "default" ? request(op, route_id::set_default_key, {key_id})
                            : request(op, route_id::delete_key, {key_id});
    co_await call(op, req);
}

awaitable<std::string> do_whoami(op_context op) {
    if (!op.state->ready) co_await ensure_ready(op);
    if (op.state->era == api_era::legacy) co_return op.state->options.email;  // 2015 has no open "who am I"
    http_request req = request(op, route_id::ping);
    http_response r = co_await call(op, req);
    json::value doc = parse_json(r, req);
    co_return text_of(doc.is_object() ? doc.get_object().if_contains("hello") : nullptr);
}

}  // namespace

void start_providers(const client_ref& ref, handler<std::vector<provider>> h) {
    launch<std::vector<provider>>(ref, std::move(h), [](op_context op) { return do_providers(std::move(op)); });
}
namespace {

std::string describe(std::initializer_list<std::pair<const char*, const std::string*>> fields) {
    std::string out;
    for (auto& [name, value] : fields)
        if (!value->empty()) out += (out.empty() ? "" : ", ") + std::string(name) + " '" + *value + "'";
    return out.empty() ? "no filter" : out;
}

// Exactly one of `found`, or errc::not_found_locally saying what was looked for.
template <class T>
T exactly_one(std::vector<T> found, const char* kind, const std::string& wanted) {
    if (found.size() == 1) return std::move(found.front());
    diagnostics d;
    d.client_message = found.empty() ? std::string("no ") + kind + " matches " + wanted
                                     : std::to_string(found.size()) + " " + kind + "s match " + wanted + ": give an id or an exact name";
    throw op_failure(errc::not_found_locally, std::move(d));
}

awaitable<backend> do_find_backend(op_context op, backend_filter f) {
    std::string wanted = describe({{"id", &f.id}, {"name", &f.name}, {"provider", &f.provider}, {"search", &f.search}});
    co_return exactly_one(co_await do_list_backends(std::move(op), f), "backend", wanted);
}

awaitable<machine> do_find_machine(op_context op, machine_filter f) {
    std::string wanted = describe({{"id", &f.id}, {"name", &f.name}, {"search", &f.search}});
    machine_listing listing = co_await do_list_all_machines(std::move(op), f);
    if (listing.machines.empty() && !listing.failures.empty()) {
        // Not in the backends that answered; it may be in one that did not.
        const backend_failure& first = listing.failures.front();
        diagnostics d = first.details;
        std::string names;
        for (auto& failed : listing.failures) names += (names.empty() ? "'" : ", '") + failed.backend_title + "'";
        d.client_message = "no machine matches " + wanted + " in the backends that answered; it may be in " + names +
                           ", which could not be listed";
        throw op_failure(first.error, std::move(d));
    }
    co_return exactly_one(std::move(listing.machines), "machine", wanted);
}

awaitable<key> do_find_key(op_context op, key_filter f) {
    std::string wanted = describe({{"id", &f.id}, {"name", &f.name}, {"search", &f.search}});
    co_return exactly_one(co_await do_list_keys(std::move(op), f), "key", wanted);
}

}  // namespace

void start_find_backend(const client_ref& ref, backend_filter f, handler<backend> h) {
    launch<backend>(ref, std::move(h), [&](op_context op) { return do_find_backend(std::move(op), std::move(f)); });
}
void start_find_machine(const client_ref& ref, machine_filter f, handler<machine> h) {
    launch<machine>(ref, std::move(h), [&](op_context op) { return do_find_machine(std::move(op), std::move(f)); });
}
void start_find_key(const client_ref& ref, key_filter f, handler<key> h) {
    launch<key>(ref, std::move(h), [&](op_context op) { return do_find_key(std::move(op), std::move(f)); });
}

void start_list_backends(const client_ref& ref, backend_filter f, handler<std::vector<backend>> h) {
    launch<std::vector<backend>>(ref, std::move(h), [&](op_context op) { return do_list_backends(std::move(op), std::move(f)); });
}
void start_add_backend(const client_ref& ref, backend_spec spec, handler<backend> h) {
    launch<backend>(ref, std::move(h), [&](op_context op) { return do_add_backend(std::move(op), std::move(spec)); });
}
void start_backend_update(const client_ref& ref, std::string id, std::string what, std::string value, handler<void> h) {
    launch<void>(ref, std::move(h), [&](op_context op) { return do_backend_update(std::move(op), std::move(id), std::move(what), std::move(value)); });
}
void start_list_images(const client_ref& ref, std::string id, std::string search, handler<std::vector<image>> h) {
    launch<std::vector<image>>(ref, std::move(h), [&](op_context op) { return do_list_images(std::move(op), std::move(id), std::move(search)); });
}
void start_star_image(const client_ref& ref, std::string id, std::string image_id, handler<bool> h) {
    launch<bool>(ref, std::move(h), [&](op_context op) { return do_star_image(std::move(op), std::move(id), std::move(image_id)); });
}
void start_list_sizes(const client_ref& ref, std::string id, handler<std::vector<size>> h) {
    launch<std::vector<size>>(ref, std::move(h), [&](op_context op) { return do_list_sizes(std::move(op), std::move(id)); });
}
void start_list_locations(const client_ref& ref, std::string id, handler<std::vector<location>> h) {
    launch<std::vector<location>>(ref, std::move(h), [&](op_context op) { return do_list_locations(std::move(op), std::move(id)); });
}
void start_list_networks(const client_ref& ref, std::string id, handler<std::string> h) {
    launch<std::string>(ref, std::move(h), [&](op_context op) { return do_list_networks(std::move(op), std::move(id)); });
}
void start_list_machines(const client_ref& ref, std::string id, machine_filter f, handler<std::vector<machine>> h) {
    launch<std::vector<machine>>(ref, std::move(h), [&](op_context op) { return do_list_machines(std::move(op), std::move(id), std::move(f)); });
}
void start_list_machines_subset(const client_ref& ref, std::string id, std::shared_ptr<const std::unordered_set<std::string>> ids,
                                handler<std::vector<machine>> h) {
    launch<std::vector<machine>>(ref, std::move(h), [&](op_context op) { return do_list_machines_subset(std::move(op), std::move(id), std::move(ids)); });
}
void start_list_all_machines(const client_ref& ref, machine_filter f, handler<machine_listing> h) {
    launch<machine_listing>(ref, std::move(h), [&](op_context op) { return do_list_all_machines(std::move(op), std::move(f)); });
}
void start_create_machine(const client_ref& ref, std::string id, machine_spec spec, handler<created_machine> h) {
    launch<created_machine>(ref, std::move(h), [&](op_context op) { return do_create_machine(std::move(op), std::move(id), std::move(spec)); });
}
void start_create_machines_async(const client_ref& ref, std::string id, machine_spec spec, int quantity, handler<std::string> h) {
    launch<std::string>(ref, std::move(h), [&](op_context op) { return do_create_machines_async(std::move(op), std::move(id), std::move(spec), quantity); });
}
void start_machine_action(const client_ref& ref, std::string b, std::string m, std::string action, std::string arg, handler<void> h) {
    launch<void>(ref, std::move(h), [&](op_context op) { return do_machine_action(std::move(op), std::move(b), std::move(m), std::move(action), std::move(arg)); });
}
void start_probe(const client_ref& ref, std::string b, std::string m, std::string host, probe_options o, handler<probe_result> h) {
    launch<probe_result>(ref, std::move(h), [&](op_context op) { return do_probe(std::move(op), std::move(b), std::move(m), std::move(host), std::move(o)); });
}
void start_set_tags(const client_ref& ref, std::string b, std::string m, std::vector<std::pair<std::string, std::string>> tags, handler<void> h) {
    launch<void>(ref, std::move(h), [&](op_context op) { return do_set_tags(std::move(op), std::move(b), std::move(m), std::move(tags)); });
}
void start_remove_tag(const client_ref& ref, std::string b, std::string m, std::string tag, handler<void> h) {
    launch<void>(ref, std::move(h), [&](op_context op) { return do_remove_tag(std::move(op), std::move(b), std::move(m), std::move(tag)); });
}
void start_associate_key(const client_ref& ref, std::string b, std::string m, std::string k, std::string host,
                         association_options o, bool associate, handler<std::vector<key_association>> h) {
    launch<std::vector<key_association>>(ref, std::move(h), [&](op_context op) {
        return do_associate_key(std::move(op), std::move(b), std::move(m), std::move(k), std::move(host), std::move(o), associate);
    });
}
void start_get_job(const client_ref& ref, std::string id, handler<job> h) {
    launch<job>(ref, std::move(h), [&](op_context op) { return do_get_job(std::move(op), std::move(id)); });
}
void start_list_keys(const client_ref& ref, key_filter f, handler<std::vector<key>> h) {
    launch<std::vector<key>>(ref, std::move(h), [&](op_context op) { return do_list_keys(std::move(op), std::move(f)); });
}
void start_add_key(const client_ref& ref, std::string name, std::string pk, handler<key> h) {
    launch<key>(ref, std::move(h), [&](op_context op) { return do_add_key(std::move(op), std::move(name), std::move(pk)); });
}
void start_generate_key(const client_ref& ref, handler<generated_key> h) {
    launch<generated_key>(ref, std::move(h), [](op_context op) { return do_generate_key(std::move(op)); });
}
void start_key_text(const client_ref& ref, std::string id, bool private_part, handler<std::string> h) {
    launch<std::string>(ref, std::move(h), [&](op_context op) { return do_key_text(std::move(op), std::move(id), private_part); });
}
void start_key_update(const client_ref& ref, std::string id, std::string what, std::string value, handler<void> h) {
    launch<void>(ref, std::move(h), [&](op_context op) { return do_key_update(std::move(op), std::move(id), std::move(what), std::move(value)); });
}
void start_whoami(const client_ref& ref, handler<std::string> h) {
    launch<std::string>(ref, std::move(h), [](op_context op) { return do_whoami(std::move(op)); });
}

}  // namespace mistasync::detail
