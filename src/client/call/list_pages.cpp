#include "call/list_pages.hpp"

#include "codec/encode.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;

namespace {

std::vector<json_holder> array_elements(const answer& a) {
    json_holder doc = parse_json(a.response, a.request);
    if (!doc.value.is_array()) bad_shape(a, "expected a JSON array");
    std::vector<json_holder> out;
    out.reserve(doc.value.get_array().size());
    for (auto& e : doc.value.get_array()) out.push_back(json_holder{doc.arena, std::move(e)});
    return out;
}

std::size_t meta_number(const answer& a, const json::object& meta, std::string_view name) {
    const json::value* v = meta.if_contains(name);
    if (!v || !(v->is_int64() || v->is_uint64()) || (v->is_int64() && v->get_int64() < 0))
        bad_shape(a, "meta." + std::string(name) + " is not a count");
    return v->is_int64() ? static_cast<std::size_t>(v->get_int64()) : static_cast<std::size_t>(v->get_uint64());
}

}  // namespace

asio::awaitable<list_result> list_elements(op_context& op, route_id id, std::initializer_list<std::string_view> arguments,
                                           std::string body, v2_list_query query) {
    co_await ready_era(op);
    const std::span<const std::string_view> args(arguments.begin(), arguments.size());
    api_request base = route_request(op.state->session, id, args, body);
    list_result out;
    if (route_era(id, op.state->session.era) != api_era::v2) {
        out.last = co_await send(op, std::move(base));
        out.items = array_elements(out.last);
        co_return out;
    }
    std::string fixed = "deref=none&" + query_value("limit", std::to_string(query.page_size));
    if (!query.search.empty()) fixed += "&" + query_value("search", query.search);
    if (!query.only.empty()) fixed += "&" + query_value("only", query.only);
    for (std::size_t start = 0;;) {
        api_request page = base;
        page.path = with_query(page.path, fixed + "&start=" + std::to_string(start));
        answer a = co_await send(op, std::move(page));
        json_holder doc = parse_json(a.response, a.request);
        const json::object* envelope = doc.value.if_object();
        const json::value* data = envelope ? envelope->if_contains("data") : nullptr;
        const json::value* meta = envelope ? envelope->if_contains("meta") : nullptr;
        if (!data || !data->is_array() || !meta || !meta->is_object()) bad_shape(a, "expected a v2 list: {data: [...], meta: {...}}");
        const std::size_t total = meta_number(a, meta->get_object(), "total");
        const std::size_t returned = data->get_array().size();
        for (auto& e : data->get_array()) out.items.push_back(json_holder{doc.arena, std::move(e)});
        out.last = std::move(a);
        start += returned;
        if (start >= total) break;
        // More are said to remain, but this page brought none: a server that would loop.
        if (returned == 0) bad_shape(out.last, "meta.total says " + std::to_string(total) + " but the page at " + std::to_string(start) + " is empty");
    }
    co_return out;
}

}  // namespace mistasync::detail
