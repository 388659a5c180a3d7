// Finding one thing the user named: by id first, else by name, which must be unique, by
// the SDK's own rule (<mistasync/lookup.hpp>). Every verb that takes a backend, machine,
// key, script, network or subnet resolves it here or through the SDK's find_*, so that
// they all match alike and say alike what went wrong.
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
/// picks: the SDK's rule (mistasync::pick_by_id_or_name, the rule of find_* with
/// `id_or_name`). None, or several named: errc::not_found_locally, saying which ids share
/// the name (printed through terminal_safe_line, as every error is).
template <class T, class IsId, class IsNamed>
T pick_one(std::vector<T> all, const std::string& ref, const std::string& kind, IsId is_id, IsNamed is_named) {
    auto picked = mistasync::pick_by_id_or_name(std::move(all), ref, kind, is_id, is_named);
    if (auto* why = std::get_if<std::string>(&picked)) no_match(*why);
    return std::get<T>(std::move(picked));
}

/// pick_one by `id` and by `name_of(item)`.
template <class T, class Name>
T by_id_or_name(std::vector<T> all, const std::string& ref, const std::string& kind, Name name_of) {
    return pick_one(
        std::move(all), ref, kind, [&](const T& item) { return item.id == ref; }, [&](const T& item) { return name_of(item) == ref; });
}

}  // namespace mistcli
