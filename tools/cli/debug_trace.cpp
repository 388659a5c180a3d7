// --debug: every HTTP exchange on stderr (method, path, status, time, retries), through
// the SDK's event hooks, which never see headers or bodies; any secret of the command
// line that a path could still hold is blanked out as well.
#include "cli.hpp"

#include <cstdio>

namespace mistcli {

std::string redacted(std::string text, const std::vector<std::string>& secrets) {
    // A secret of under four characters is no real secret, and blanking it would blank
    // the letter 't' of every word.
    for (const std::string& secret : secrets)
        for (std::size_t at; secret.size() >= 4 && (at = text.find(secret)) != std::string::npos;) text.replace(at, secret.size(), "***");
    return text;
}

void trace_exchanges(mistasync::client_options& options) {
    std::vector<std::string> secrets{options.token, options.password};
    // A legacy token header is "mist_1 email:token": its token part alone is secret too.
    if (auto colon = options.token.rfind(':'); colon != std::string::npos) secrets.push_back(options.token.substr(colon + 1));
    auto line = [secrets](const std::string& text) {
        std::fprintf(stderr, "debug: %s\n", redacted(text, secrets).c_str());
    };
    options.hooks.on_request = [line](const mistasync::request_event& e) {
        line("-> " + std::string(e.method) + " " + std::string(e.path) + (e.attempt > 1 ? " (attempt " + std::to_string(e.attempt) + ")" : ""));
    };
    options.hooks.on_response = [line](const mistasync::request_event& e) {
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.1f ms", static_cast<double>(e.elapsed.count()) / 1000);
        line("<- " + (e.status ? std::to_string(e.status) : std::string("no answer")) + " " + std::string(e.method) + " " +
             std::string(e.path) + " " + ms + (e.error.empty() ? "" : " (" + std::string(e.error) + ")"));
    };
    options.hooks.on_retry = [line](const mistasync::request_event& e, std::chrono::milliseconds wait) {
        line("   " + std::string(e.method) + " " + std::string(e.path) + ": sent again in " + std::to_string(wait.count()) + " ms");
    };
}

}  // namespace mistcli
