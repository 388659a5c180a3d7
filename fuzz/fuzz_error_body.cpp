// libFuzzer: error bodies. Whatever a failing server writes (plain text, HTML, JSON,
// control characters, invalid UTF-8) becomes diagnostics and an exception message that
// is short, printable and safe to log.
#include "codec/responses.hpp"

#include <mistasync/error.hpp>
#include "decide/retry.hpp"

#include <cstddef>
#include <cstdint>

using namespace mistasync;
using namespace mistasync::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    int status = 400 + data[0] % 200;
    std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    http_response r{status, "text/plain", body, body.substr(0, 16)};
    std::string text = server_text(r);
    if (text.size() > 500) __builtin_trap();  // diagnostics stay short
    for (unsigned char c : text)
        if (c < 0x20) __builtin_trap();  // and printable: one log line
    diagnostics d{status, text, "POST", "/backends/b/machines", {}, 1};
    mistasync::error e(error_from_status(status), d);
    (void)e.what();
    (void)parse_retry_after(body);
    return 0;
}
