// libFuzzer: the JSON mapping of every era (v2's pages too). The first byte picks the era and the model;
// the rest is the server's body. Every decoder must either produce a model or throw a
// std::exception (which the SDK turns into errc::bad_response) — never crash or hang.
#include "codec/decode.hpp"
#include "codec/op_failure.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

using namespace mistasync;
using namespace mistasync::detail;
namespace json = boost::json;

namespace {

template <class F>
void guarded(F f) {
    try {
        f();
    } catch (const std::exception&) {
        // a clear error for the caller: fine
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const api_era era = data[0] & 1 ? api_era::v1 : api_era::legacy;
    const int model = (data[0] >> 1) % 15;
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

    // The response path's parse (bad JSON -> op_failure(bad_response)).
    api_request req{.method = "GET", .path = "/backends/x/machines"};
    http_response r{200, "application/json", std::string(body), {}};
    std::optional<json_holder> parsed;
    try {
        parsed.emplace(parse_json(r, req));
    } catch (const op_failure&) {
        return 0;
    }
    const json::value& doc = parsed->value;
    // A model keeps a copy of its element in the document's arena.
    auto part = [&](const json::value& v) { return json_holder{parsed->arena, json::value(v)}; };
    client_ref ref{};
    auto each = [&](auto decode) {
        if (doc.is_array())
            for (auto& e : doc.get_array()) guarded([&] { decode(e); });
        else
            guarded([&] { decode(doc); });
    };
    switch (model) {
    case 0: each([&](const json::value& v) { (void)decode_machine(ref, part(v), "b", era); }); break;
    case 1: each([&](const json::value& v) { (void)decode_backend(ref, part(v)); }); break;
    case 2: each([&](const json::value& v) { (void)decode_key(ref, part(v)); }); break;
    case 3: each([&](const json::value& v) { (void)decode_image(v); }); break;
    case 4: each([&](const json::value& v) { (void)decode_size(v); }); break;
    case 5: each([&](const json::value& v) { (void)decode_location(v); }); break;
    case 6: guarded([&] { (void)decode_probe(doc); }); break;
    case 7: guarded([&] { (void)decode_job(doc); }); break;
    case 8: guarded([&] { (void)decode_created(doc); }); break;
    case 9: guarded([&] { (void)decode_providers(doc); }); break;
    case 10: guarded([&] { (void)decode_associations(doc); }); break;
    case 11: guarded([&] { (void)decode_networks(doc); }); break;
    case 12: each([&](const json::value& v) { (void)decode_subnet(v); }); break;
    case 13:  // a v2 page of machines
        guarded([&] {
            const v2_page_view page = read_v2_page(doc);
            for (auto& e : *page.data) guarded([&] { (void)decode_machine(ref, part(e), "b", api_era::v2); });
        });
        break;
    default:
        // The state pollers' path: split the array as text, read ids only.
        for_each_array_element(body, [&](std::string_view element) {
            boost::system::error_code ec;
            auto v = json::parse(element, ec);
            if (!ec) (void)machine_id_of(v, era);
        });
        break;
    }
    return 0;
}
