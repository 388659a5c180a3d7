// Finding what the user named (lookup.hpp): backends, keys and machines by name or id.
#include "cli.hpp"
#include "command_support.hpp"
#include "commands.hpp"
#include "lookup.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace mistcli {

namespace json = boost::json;
namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;

void no_match(const std::string& what) {
    diagnostics d;
    d.client_message = what;
    throw mistasync::error(errc::not_found_locally, d);
}

awaitable<backend> find_backend(client& mist, const std::string& ref) {
    co_return co_await mist.find_backend({.id_or_name = ref});
}

awaitable<key> find_key(client& mist, const std::string& ref) {
    co_return co_await mist.find_key({.id_or_name = ref});
}

// Names each backend that could not be listed, on stderr: what was printed or found
// comes from the others only.
void report_failures(const machine_listing& listing) {
    for (auto& f : listing.failures)
        std::fprintf(stderr, "mistasync: backend '%s' could not be listed: %s\n", terminal_safe_line(f.backend_title).c_str(),
                     f.details.http_status ? (std::to_string(f.details.http_status) + " " + f.details.server_message).c_str()
                                           : f.error.message().c_str());
}

awaitable<machine> find_machine(context& c, const std::string& ref) {
    machine_listing all;
    if (auto b = c.args.get(opt::backend); !b.empty()) all.machines = co_await (co_await find_backend(c.mist, b)).machines();
    else all = co_await c.mist.machines();
    auto is_id = [&](const machine& m) { return m.id == ref || m.uuid == ref; };
    auto is_named = [&](const machine& m) { return m.name == ref; };
    report_failures(all);
    if (std::none_of(all.begin(), all.end(), [&](const machine& m) { return is_id(m) || is_named(m); }) && !all.failures.empty()) {
        // Not in the backends that answered: it may be in one that did not.
        const backend_failure& first = all.failures.front();
        diagnostics d = first.details;
        d.client_message = "no machine with the name or id '" + ref + "' in the backends that answered; it may be in '" +
                           first.backend_title + "', which could not be listed";
        throw mistasync::error(first.error, d);
    }
    co_return pick_one(std::move(all.machines), ref, "machine", is_id, is_named);
}

awaitable<backend> backend_arg(context& c) { co_return co_await find_backend(c.mist, c.args.required(opt::backend)); }

}  // namespace mistcli
