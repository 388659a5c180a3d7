// A raw call (client::request): any method and path, carried by the same call driver as
// every operation (login, limits, retries for reads only, timeouts, diagnostics).
#include "call/call.hpp"
#include "call/login_session.hpp"
#include "codec/op_failure.hpp"
#include "ops/operation_entry.hpp"

#include <algorithm>

namespace mistasync::detail {
using asio::awaitable;

namespace {

bool is_method(std::string_view m) {
    return !m.empty() && m.size() <= 16 && std::all_of(m.begin(), m.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Origin-form: a '/', then visible ASCII only (no space, CR, LF or other control: the
// path goes into the request line as it is).
bool is_origin_path(std::string_view p) {
    return !p.empty() && p.front() == '/' && std::all_of(p.begin(), p.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// Methods that change nothing, so an attempt whose answer was lost may go again.
bool safe_method(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

}  // namespace

awaitable<raw_response> run(op_context op, ops::raw_request o) {
    if (!is_method(o.method)) refuse_argument("the method must be an HTTP method in capitals, such as GET or POST", o.method);
    if (!is_origin_path(o.path))
        refuse_argument("the path must start with '/' and hold only visible ASCII (percent-encode the rest)", o.method);
    const api_era era = co_await ready_era(op);
    std::string path = era == api_era::v1 && !o.path.starts_with("/api/") ? "/api/v1" + o.path : std::move(o.path);
    const bool safe = safe_method(o.method);
    answer a = co_await send(op, api_request{.method = std::move(o.method),
                                             .path = std::move(path),
                                             .body = std::move(o.body),
                                             .idempotent = safe,
                                             .retry_503 = true,
                                             .authenticated = true,
                                             .api_version = {},
                                             .keep_headers = true});
    co_return raw_response{a.response.status, std::move(a.response.headers), std::move(a.response.body)};
}
template void start_operation(const client_ref&, ops::raw_request, handler<ops::raw_request::result>);

}  // namespace mistasync::detail
