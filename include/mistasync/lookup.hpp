// How a word a person typed picks one thing: the rule the find_* operations use for a
// filter's `id_or_name`, and the one the command line uses for every BACKEND, MACHINE,
// KEY, SCRIPT, NETWORK or SUBNET it is given, so that they match alike and fail alike.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace mistasync {

/// The thing of `all` whose id `ref` is (`is_id(item)`: an exact id; a machine's uuid or a
/// network's provider id count too), else the only one whose exact name it is
/// (`is_named(item)`). Names never match by substring: "web" does not pick "webserver".
/// Returns the thing, or why none was picked: none has that id or name ("no machine named
/// or with the id 'web'"), or several have that name, with their ids ("2 machines are
/// named 'web': give the id instead (i-1, i-2)").
template <class T, class IsId, class IsNamed>
std::variant<T, std::string> pick_by_id_or_name(std::vector<T> all, std::string_view ref, std::string_view kind, IsId is_id,
                                                IsNamed is_named) {
    std::vector<T> named;
    for (auto& item : all) {
        if (is_id(item)) return std::move(item);
        if (is_named(item)) named.push_back(std::move(item));
    }
    const std::string word(ref), what(kind);
    if (named.empty()) return "no " + what + " named or with the id '" + word + "'";
    if (named.size() > 1) {
        std::string ids;
        for (auto& item : named) ids += (ids.empty() ? "" : ", ") + item.id;
        return std::to_string(named.size()) + " " + what + "s are named '" + word + "': give the id instead (" + ids + ")";
    }
    return std::move(named.front());
}

}  // namespace mistasync
