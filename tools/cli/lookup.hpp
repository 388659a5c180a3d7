// Finding one thing the user named: by id first, else by name, which must be unique.
// Every verb that takes a backend, key, script, network or subnet resolves it here, so
// that they all match alike and say alike what went wrong.
#pragma once

#include "cli.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mistcli {

/// The backend the verb's --backend names.
boost::asio::awaitable<mistasync::backend> backend_arg(context& c);
/// Names each backend that could not be listed, on stderr: what was printed or found comes
/// from the others only.
void report_failures(const mistasync::machine_listing& listing);

/// The one item of `all` that `is_id(item)` picks, else the only one `is_named(item)`
/// picks. None, or several named: errc::not_found_locally, saying which ids share the name.
template <class T, class IsId, class IsNamed>
T pick_one(std::vector<T> all, const std::string& ref, const std::string& kind, IsId is_id, IsNamed is_named) {
    std::vector<T> named;
    for (auto& item : all) {
        if (is_id(item)) return std::move(item);
        if (is_named(item)) named.push_back(std::move(item));
    }
    const std::string shown = terminal_safe_line(ref);
    if (named.empty()) no_match("no " + kind + " named or with the id '" + shown + "'");
    if (named.size() > 1) {
        std::string ids;
        for (auto& item : named) ids += (ids.empty() ? "" : ", ") + terminal_safe_line(item.id);
        no_match(std::to_string(named.size()) + " " + kind + "s are named '" + shown + "': give the id instead (" + ids + ")");
    }
    return std::move(named.front());
}

/// pick_one by `id` and by `name_of(item)`.
template <class T, class Name>
T by_id_or_name(std::vector<T> all, const std::string& ref, const std::string& kind, Name name_of) {
    return pick_one(
        std::move(all), ref, kind, [&](const T& item) { return item.id == ref; }, [&](const T& item) { return name_of(item) == ref; });
}

}  // namespace mistcli
