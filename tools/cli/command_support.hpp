// Pieces several commands share: KEY=VALUE words, a thing's fields as a table, the
// server's JSON, renames and deletes.
#pragma once

#include "cli.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <utility>
#include <vector>

namespace mistcli {

/// KEY=VALUE of a --field or --tag word. Throws usage_failure (without echoing the word:
/// it may hold a secret).
std::pair<std::string, std::string> key_value(const std::string& text, const char* flag);
/// The server's JSON for a thing, parsed back, so that --json prints one document.
boost::json::value server_json(const std::string& text);
/// NAME/VALUE rows as a FIELD/VALUE table.
void print_fields(const std::vector<std::pair<std::string, std::string>>& fields);
/// The --new-name of a rename.
std::string new_name(context& c);

/// rename-backend and rename-key.
template <class Thing>
boost::asio::awaitable<int> renamed(context& c, const Thing& thing, const std::string& name) {
    co_await thing.rename(name);
    co_return print_done(c, "renamed to", name, thing.id);
}

/// delete-backend and delete-key.
template <class Thing>
boost::asio::awaitable<int> deleted(context& c, const Thing& thing, const std::string& name) {
    co_await thing.remove();
    co_return print_done(c, "deleted", name, thing.id);
}

}  // namespace mistcli
