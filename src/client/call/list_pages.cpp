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
        v2_page_view page_view;
        try {
            page_view = read_v2_page(doc.value);
        } catch (const std::exception& e) {
            bad_shape(a, e.what());
        }
        const std::size_t total = page_view.total;
        json::array& items = doc.value.get_object().at("data").get_array();  // checked above; moved, not copied
        const std::size_t returned = items.size();
        for (auto& e : items) out.items.push_back(json_holder{doc.arena, std::move(e)});
        out.last = std::move(a);
        start += returned;
        if (start >= total) break;
        // More are said to remain, but this page brought none: a server that would loop.
        if (returned == 0) bad_shape(out.last, "meta.total says " + std::to_string(total) + " but the page at " + std::to_string(start) + " is empty");
    }
    co_return out;
}

}  // namespace mistasync::detail
