// Account and backend operations: providers, "who am I", backends and their catalogues
// (images, sizes, locations). Each start_* launches a coroutine whose arguments
// are its parameters (copied into the frame), never lambda captures, so nothing dangles.
#include "codec/encode.hpp"
#include "ops/operation_entry.hpp"
#include "call/list_pages.hpp"
#include "call/operation_support.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;
using asio::awaitable;

namespace {

awaitable<std::vector<provider>> do_providers(op_context op) {
    answer a = co_await call(op, route_id::providers);
    co_return decode_answer(a, [](json_holder doc) { return decode_providers(doc.value); });
}

awaitable<std::string> do_whoami(op_context op) {
    if (co_await ready_era(op) == api_era::legacy) co_return op.state->options.email;  // 2015 has no open "who am I"
    answer a = co_await call(op, route_id::ping);
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    co_return text_of(doc.is_object() ? doc.get_object().if_contains("hello") : nullptr);
}

}  // namespace

awaitable<std::vector<backend>> list_backends(op_context op, backend_filter f) {
    list_result list = co_await list_elements(op, route_id::list_backends, {});
    client_ref ref = op.ref();
    auto all = decode_elements<backend>(list, [&](json_holder v) { return decode_backend(ref, std::move(v)); });
    std::erase_if(all, [&](const backend& b) {
        return !matches(b.id, b.title, f.id, f.name, f.search, f.id_or_name) || (!f.provider.empty() && b.provider != f.provider);
    });
    co_return all;
}

namespace {

awaitable<backend> do_find_backend(op_context op, backend_filter f) {
    std::string wanted = describe({{"id or name", &f.id_or_name}, {"id", &f.id}, {"name", &f.name}, {"provider", &f.provider}, {"search", &f.search}});
    std::vector<backend> found = co_await list_backends(std::move(op), f);
    if (!f.id_or_name.empty()) {
        co_return picked_by_id_or_name(std::move(found), f.id_or_name, "backend", [&](const backend& b) { return b.id == f.id_or_name; },
                                       [](const backend& b) -> const std::string& { return b.title; });
    }
    co_return exactly_one(std::move(found), "backend", wanted);
}

awaitable<backend> do_add_backend(op_context op, backend_spec spec) {
    const api_era era = co_await ready_era(op);
    answer a = co_await call(op, route_id::add_backend, {}, era == api_era::v2 ? backend_body_v2(spec) : backend_body(spec));
    client_ref ref = op.ref();
    co_return decode_answer(a, [&](json_holder doc) { return decode_backend(ref, std::move(doc)); });
}

awaitable<void> do_backend_update(op_context op, std::string backend_id, std::string what, std::string value) {
    const api_era era = co_await ready_era(op);
    if (what == "rename" && era == api_era::v2)
        co_await call(op, route_id::rename_backend, {backend_id}, json::serialize(json::object{{"name", value}}));
    else if (what == "rename") co_await call(op, route_id::rename_backend, {backend_id}, backend_rename_body(value));
    else if (what == "state") co_await call(op, route_id::toggle_backend, {backend_id}, backend_toggle_body(value));
    else co_await call(op, route_id::delete_backend, {backend_id});
}

awaitable<std::vector<image>> do_list_images(op_context op, std::string backend_id, std::string search) {
    // v1 takes the search term in a GET body; v2 in `search`, as its grammar reads it.
    const api_era era = co_await ready_era(op);
    list_result list = era == api_era::v2 ? co_await list_elements(op, route_id::list_images, {backend_id}, {}, {.search = search})
                                          : co_await list_elements(op, route_id::list_images, {backend_id}, image_search_body(search));
    co_return decode_elements<image>(list, [](json_holder v) { return decode_image(v.value); });
}

awaitable<bool> do_star_image(op_context op, std::string backend_id, std::string image_id) {
    // v2 has no stars, and its image ids are mist's, which v1's star route does not know.
    if (co_await ready_era(op) == api_era::v2) {
        diagnostics d;
        d.client_message = "/api/v2 has no image stars; star an image with a v1 client (api_era::v1), by the provider's image id";
        throw op_failure(errc::invalid_argument, std::move(d));
    }
    answer a = co_await call(op, route_id::star_image, {backend_id, image_id});  // a toggle: never resent
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    if (!doc.is_bool()) bad_shape(a, "expected true or false");
    co_return doc.get_bool();
}

awaitable<std::vector<size>> do_list_sizes(op_context op, std::string backend_id) {
    list_result list = co_await list_elements(op, route_id::list_sizes, {backend_id});
    co_return decode_elements<size>(list, [](json_holder v) { return decode_size(v.value); });
}

awaitable<std::vector<location>> do_list_locations(op_context op, std::string backend_id) {
    list_result list = co_await list_elements(op, route_id::list_locations, {backend_id});
    co_return decode_elements<location>(list, [](json_holder v) { return decode_location(v.value); });
}

}  // namespace

awaitable<std::vector<provider>> run(op_context op, ops::providers) { return do_providers(std::move(op)); }
template void start_operation(const client_ref&, ops::providers, handler<ops::providers::result>);
awaitable<std::string> run(op_context op, ops::whoami) { return do_whoami(std::move(op)); }
template void start_operation(const client_ref&, ops::whoami, handler<ops::whoami::result>);
awaitable<std::vector<organization>> run(op_context op, ops::list_organizations) {
    answer a = co_await call(op, route_id::list_organizations);
    co_return decode_list<organization>(a, [](json_holder v) {
        if (!v.value.is_object()) throw std::runtime_error("organization is not an object");
        const json::object& o = v.value.get_object();
        return organization{text_of(o.if_contains("id")), text_of(o.if_contains("name"))};
    });
}
template void start_operation(const client_ref&, ops::list_organizations, handler<ops::list_organizations::result>);
awaitable<std::vector<backend>> run(op_context op, ops::list_backends o) { return list_backends(std::move(op), std::move(o.filter)); }
template void start_operation(const client_ref&, ops::list_backends, handler<ops::list_backends::result>);
awaitable<backend> run(op_context op, ops::find_backend o) { return do_find_backend(std::move(op), std::move(o.filter)); }
template void start_operation(const client_ref&, ops::find_backend, handler<ops::find_backend::result>);
awaitable<backend> run(op_context op, ops::add_backend o) { return do_add_backend(std::move(op), std::move(o.spec)); }
template void start_operation(const client_ref&, ops::add_backend, handler<ops::add_backend::result>);
awaitable<void> run(op_context op, ops::update_backend o) {
    return do_backend_update(std::move(op), std::move(o.backend_id), std::move(o.what), std::move(o.value));
}
template void start_operation(const client_ref&, ops::update_backend, handler<ops::update_backend::result>);
awaitable<std::vector<image>> run(op_context op, ops::list_images o) {
    return do_list_images(std::move(op), std::move(o.backend_id), std::move(o.search));
}
template void start_operation(const client_ref&, ops::list_images, handler<ops::list_images::result>);
awaitable<bool> run(op_context op, ops::star_image o) {
    return do_star_image(std::move(op), std::move(o.backend_id), std::move(o.image_id));
}
template void start_operation(const client_ref&, ops::star_image, handler<ops::star_image::result>);
awaitable<std::vector<size>> run(op_context op, ops::list_sizes o) {
    return do_list_sizes(std::move(op), std::move(o.backend_id));
}
template void start_operation(const client_ref&, ops::list_sizes, handler<ops::list_sizes::result>);
awaitable<std::vector<location>> run(op_context op, ops::list_locations o) {
    return do_list_locations(std::move(op), std::move(o.backend_id));
}
template void start_operation(const client_ref&, ops::list_locations, handler<ops::list_locations::result>);

}  // namespace mistasync::detail
