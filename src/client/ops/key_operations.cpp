// Key operations: list, find, add, generate, read either half, rename, make default, delete.
#include "codec/encode.hpp"
#include "ops/operation_entry.hpp"
#include "call/list_pages.hpp"
#include "call/operation_support.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;
using asio::awaitable;

namespace {

awaitable<std::vector<key>> do_list_keys(op_context op, key_filter f) {
    list_result list = co_await list_elements(op, route_id::list_keys, {});
    client_ref ref = op.ref();
    auto all = decode_elements<key>(list, [&](json_holder v) { return decode_key(ref, std::move(v)); });
    std::erase_if(all, [&](const key& k) { return !matches(k.id, k.name, f.id, f.name, f.search, f.id_or_name); });
    co_return all;
}

awaitable<key> do_find_key(op_context op, key_filter f) {
    std::string wanted = describe({{"id or name", &f.id_or_name}, {"id", &f.id}, {"name", &f.name}, {"search", &f.search}});
    std::vector<key> found = co_await do_list_keys(std::move(op), f);
    if (!f.id_or_name.empty())
        co_return picked_by_id_or_name(std::move(found), f.id_or_name, "key", [&](const key& k) { return k.id == f.id_or_name; },
                                       [](const key& k) -> const std::string& { return k.name; });
    co_return exactly_one(std::move(found), "key", wanted);
}

awaitable<key> do_add_key(op_context op, std::string name, std::string private_key) {
    const api_era era = co_await ready_era(op);
    client_ref ref = op.ref();
    if (era == api_era::v2) {
        // v2 answers the new key's id alone.
        answer a = co_await call(op, route_id::add_key, {}, json::serialize(json::object{{"name", name}, {"private", private_key}}));
        co_return decode_answer(a, [&](json_holder doc) {
            const std::string id = text_of(doc.value.is_object() ? doc.value.get_object().if_contains("id") : nullptr);
            if (id.empty()) throw std::runtime_error("no id in the answer");
            return decode_key(ref, json_holder{nullptr, json::object{{"id", id}, {"name", name}}});
        });
    }
    answer a = co_await call(op, route_id::add_key, {}, add_key_body(era, name, private_key));
    co_return decode_answer(a, [&](json_holder doc) { return decode_key(ref, std::move(doc)); });
}

awaitable<generated_key> do_generate_key(op_context op) {
    const api_era era = co_await ready_era(op);
    // v2 generates without keeping when asked for a dry run.
    answer a = co_await call(op, route_id::generate_key, {}, era == api_era::v2 ? R"({"generate": true, "dry": true})" : std::string());
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    generated_key k;
    if (doc.is_object()) {
        k.private_key = text_of(doc.get_object().if_contains(era == api_era::v2 ? "private" : "priv"));
        k.public_key = text_of(doc.get_object().if_contains("public"));
    }
    if (k.private_key.empty()) bad_shape(a, "no private key in the answer");
    co_return k;
}

awaitable<std::string> do_key_text(op_context op, std::string key_id, bool private_part) {
    const api_era era = co_await ready_era(op);
    const route_id route = private_part ? route_id::private_key : route_id::public_key;
    answer a = co_await call(op, route, {key_id});
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value* doc = &parsed.value;
    if (route_era(route, era) == api_era::v2) {  // {data: {..., private}, meta}
        const json::value* data = doc->is_object() ? doc->get_object().if_contains("data") : nullptr;
        doc = data && data->is_object() ? data->get_object().if_contains("private") : nullptr;
        if (!doc) bad_shape(a, "no data.private in the answer");
    }
    if (!doc->is_string()) bad_shape(a, "expected a JSON string");
    co_return std::string(doc->get_string());
}

awaitable<void> do_key_update(op_context op, std::string key_id, std::string what, std::string value) {
    const api_era era = co_await ready_era(op);
    if (era == api_era::v2 && what != "rename" && what != "default") {
        co_await call(op, route_id::delete_key, {key_id});
    } else if (era == api_era::v2) {
        // v2 takes the change in the query: PUT /api/v2/keys/{key}?name=… or ?default=true.
        api_request req = route_request(op.state->session, what == "rename" ? route_id::rename_key : route_id::set_default_key, std::vector<std::string_view>{key_id});
        req.path = with_query(std::move(req.path), what == "rename" ? query_value("name", value) : std::string("default=true"));
        co_await send(op, std::move(req));
    } else if (what == "rename") {
        co_await call(op, route_id::rename_key, {key_id}, rename_key_body(era, value));
    } else if (what == "default") {
        co_await call(op, route_id::set_default_key, {key_id});
    } else {
        co_await call(op, route_id::delete_key, {key_id});
    }
}

}  // namespace

awaitable<std::vector<key>> run(op_context op, ops::list_keys o) { return do_list_keys(std::move(op), std::move(o.filter)); }
template void start_operation(const client_ref&, ops::list_keys, handler<ops::list_keys::result>);
awaitable<key> run(op_context op, ops::find_key o) { return do_find_key(std::move(op), std::move(o.filter)); }
template void start_operation(const client_ref&, ops::find_key, handler<ops::find_key::result>);
awaitable<key> run(op_context op, ops::add_key o) {
    return do_add_key(std::move(op), std::move(o.name), std::move(o.private_key));
}
template void start_operation(const client_ref&, ops::add_key, handler<ops::add_key::result>);
awaitable<generated_key> run(op_context op, ops::generate_key) { return do_generate_key(std::move(op)); }
template void start_operation(const client_ref&, ops::generate_key, handler<ops::generate_key::result>);
awaitable<std::string> run(op_context op, ops::key_text o) {
    return do_key_text(std::move(op), std::move(o.key_id), o.private_part);
}
template void start_operation(const client_ref&, ops::key_text, handler<ops::key_text::result>);
awaitable<void> run(op_context op, ops::update_key o) {
    return do_key_update(std::move(op), std::move(o.key_id), std::move(o.what), std::move(o.value));
}
template void start_operation(const client_ref&, ops::update_key, handler<ops::update_key::result>);

}  // namespace mistasync::detail
