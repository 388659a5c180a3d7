// libFuzzer: the HTTP response path. The bytes are what a server sent on the socket;
// they go through the same parser limits and the same extraction the transport uses,
// then through what the client does with a response (status, server text, Retry-After,
// JSON, machine list of the era the first byte picks).
#include "codec/decode.hpp"
#include "codec/op_failure.hpp"
#include "http/response_reader.hpp"
#include "decide/retry.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>

using namespace mistasync;
using namespace mistasync::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const api_era era = data[0] & 1 ? api_era::v1 : api_era::legacy;
    const std::size_t chunk = 1 + (data[0] >> 1);  // bytes arrive in pieces, as from a socket
    const char* bytes = reinterpret_cast<const char*>(data + 1);
    std::size_t left = size - 1;

    response_parser parser;
    limit_response(parser, 1 << 16);  // small, so the limit path is reached
    boost::system::error_code ec;
    std::string pending;
    while (!parser.is_done()) {
        std::size_t n = std::min(chunk, left);
        pending.append(bytes, n);
        bytes += n;
        left -= n;
        // Beast's read loop never hands the parser an empty buffer (that is UB inside
        // basic_parser, pointer arithmetic on null): neither do we.
        std::size_t used = 0;
        if (pending.empty()) ec = boost::beast::http::error::need_more;
        else used = parser.put(boost::asio::buffer(pending), ec);
        pending.erase(0, used);
        if (ec == boost::beast::http::error::need_more) {
            ec = {};
            if (n == 0) {
                parser.put_eof(ec);  // the server closed the connection
                break;
            }
            continue;
        }
        if (ec) return 0;  // a clear transport error (response_too_large for the limits)
        if (n == 0 && used == 0) break;
    }
    if (ec || !parser.is_done()) return 0;

    http_response r = take_response(parser);
    (void)server_text(r);
    (void)error_from_status(r.status);
    (void)parse_retry_after(r.retry_after);
    api_request req{.method = "GET", .path = "/api/v1/clouds/x/machines"};
    try {
        json_holder doc = parse_json(r, req);
        if (doc.value.is_array())
            for (auto& e : doc.value.get_array()) {
                try {
                    (void)decode_machine(client_ref{}, json_holder{doc.arena, std::move(e)}, "x", era);
                } catch (const std::exception&) {
                }
            }
    } catch (const op_failure&) {
    }
    return 0;
}
