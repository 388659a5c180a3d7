#include "ops/v2_machines.hpp"

#include "call/list_pages.hpp"
#include "codec/encode.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;

asio::awaitable<std::string> machine_uuid(op_context& op, const std::string& backend_id, const std::string& machine_id,
                                          const std::string& known) {
    if (!known.empty()) co_return known;
    check_id("machine id", machine_id);
    // "external_id:\"x\"" is an exact match; the answer is checked all the same.
    list_result list = co_await list_elements(op, route_id::list_machines, {backend_id}, {},
                                              {.search = "external_id:\"" + machine_id + "\"", .only = "id,external_id", .page_size = 10});
    for (auto& item : list.items)
        if (text_of(item.value.is_object() ? item.value.get_object().if_contains("external_id") : nullptr) == machine_id)
            if (std::string id = text_of(item.value.get_object().if_contains("id")); !id.empty()) co_return id;
    diagnostics d;
    d.http_status = 404;
    d.method = list.last.request.method;
    d.path = path_only(list.last.request.path);
    d.client_message = "backend " + backend_id + " lists no machine whose provider id is " + machine_id;
    throw op_failure(errc::not_found, std::move(d));
}

asio::awaitable<json_holder> machine_document(op_context& op, const std::string& uuid, std::string_view only) {
    co_await ready_era(op);
    api_request req = route_request(op.state->session, route_id::get_machine, std::vector<std::string_view>{uuid});
    req.path = with_query(std::move(req.path), only.empty() ? std::string("deref=none") : "deref=none&" + query_value("only", only));
    answer a = co_await send(op, std::move(req));
    json_holder doc = parse_json(a.response, a.request);
    const json::value* data = doc.value.is_object() ? doc.value.get_object().if_contains("data") : nullptr;
    if (!data || !data->is_object()) bad_shape(a, "expected {data: {...}, meta}");
    // The path is a search: a name may find another machine; an id finds its own.
    if (const json::value* id = data->get_object().if_contains("id"); id && id->is_string() && id->get_string() != uuid)
        bad_shape(a, "the server answered machine " + std::string(id->get_string()) + " for " + uuid);
    co_return json_holder{doc.arena, *data};
}

}  // namespace mistasync::detail
