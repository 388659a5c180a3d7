// The v2 search grammar's tokenizer, as mist.api's `search_parser` splits a `search=`
// value (mist.api dcf483f, src/mist/api/helpers.py): `key:value`, `key=value`, the
// comparisons `<= >= != < >`, values in parentheses (their parentheses dropped) or double
// quotes (kept), the words AND and OR, and "stray" text (an id or a name) between them.
// Every term of mist.api's own unit tests is reproduced (test_sim_search_parser).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mistasync::sim {

/// The longest search the simulator tokenizes; a longer one is refused (400) before it is
/// read, so that a hostile query costs nothing.
inline constexpr std::size_t max_search_length = 1024;

/// The terms of `search`, in order. Empty for an empty search.
std::vector<std::string> parse_search(std::string_view search);

}  // namespace mistasync::sim
