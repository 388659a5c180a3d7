#include "codec/responses.hpp"
#include "codec/op_failure.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace mistasync::detail {
namespace json = boost::json;

std::string printable(std::string_view text, std::size_t limit) {
    std::string out(text.substr(0, limit));
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return out;
}

std::string server_text(const http_response& r) {
    std::string_view body = r.body;
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
    if (body.starts_with("<")) return "(an HTML page)";
    std::string out(body.substr(0, 500));
    // v2 writes a handler's message as a JSON string and a refusal before the handler as a
    // problem object ({type, title, status, detail}): their text is the message.
    if (body.size() <= 4096 && (body.starts_with('"') || body.starts_with('{'))) {
        boost::system::error_code ec;
        const json::value doc = json::parse(body, ec);
        if (!ec && doc.is_string()) out = std::string(doc.get_string().subview(0, std::min<std::size_t>(500, doc.get_string().size())));
        else if (!ec && doc.is_object()) {
            const json::object& o = doc.get_object();
            const json::value* title = o.if_contains("title");
            const json::value* detail = o.if_contains("detail");
            if (title && detail && title->is_string() && detail->is_string())
                out = std::string(title->get_string()) + ": " + std::string(detail->get_string().subview(0, std::min<std::size_t>(400, detail->get_string().size())));
        }
    }
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return out;
}

// A response's document lives in one arena (a monotonic resource) instead of one heap
// allocation per object, array and long string: the models decoded from it keep their
// elements, and with them the arena, alive. The parser is reused per thread, keeping its
// working stack between parses.
json_holder parse_json(const http_response& r, const api_request& req) {
    thread_local json::parser parser;
    boost::system::error_code ec;
    auto arena = std::make_shared<json::monotonic_resource>(std::max<std::size_t>(1024, r.body.size() * 2));
    parser.reset(json::storage_ptr(arena.get()));
    parser.write(r.body, ec);
    if (!ec) {
        json_holder doc{std::move(arena), parser.release()};  // constructed, not assigned: assignment would copy
        parser.reset();                                        // the parser lets go of the arena
        return doc;
    }
    parser.reset();
    diagnostics d{r.status, {}, req.method, path_only(req.path), "response is not valid JSON", 1};
    std::string head = r.body.substr(0, 60);
    for (auto& c : head)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    d.server_message = head;
    throw op_failure(errc::bad_response, d);
}

}  // namespace mistasync::detail
