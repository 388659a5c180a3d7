// What a v2 `search=` keeps, as mist.api's list_resources reads the terms (mist.api
// dcf483f, src/mist/api/methods.py): terms are ANDed (AND and OR are ignored); a bare term
// is the id exactly or a case-insensitive part of the name or of a tag; `key:value` and
// `key=value` hold when the field contains the value (`"value"` exactly, `^value` at the
// start, `value$` at the end, `r"regex"`); `!=`, `<`, `<=`, `>`, `>=` compare (numbers as
// numbers); `none` or `null` is a field without a value; `tag:key,value` (either part may be
// empty) looks at the tags.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mistasync::sim {

/// One resource as a search sees it.
struct searchable {
    std::string_view id;
    std::string_view name;  ///< a cloud's title
    const std::vector<std::pair<std::string, std::string>>* tags = nullptr;
    /// Any other field as text (numbers in decimal, booleans as true/false); nullopt when
    /// the resource has no such field or it holds no value.
    std::function<std::optional<std::string>(std::string_view field)> field;
    /// The resource's cloud, for `cloud:` terms (none for a cloud).
    const searchable* cloud = nullptr;
};

/// A term's regular expression, compiled once (search_filter.cpp: <regex> stays there).
struct compiled_pattern;

/// One term, read.
struct search_term {
    enum class op { implicit, contains, exact, starts, ends, matches_regex, not_equal, less, less_or_equal, greater, greater_or_equal, tag };
    op how = op::implicit;
    std::string key;    ///< the field (`tag`: the tag's key, maybe empty)
    std::string value;  ///< what it is compared with (`tag`: the tag's value, maybe empty)
    bool quoted = false;  ///< a bare term in double quotes: the exact id or name
    bool none = false;    ///< the value is `none` or `null`: the field has no value
    std::shared_ptr<const compiled_pattern> pattern;  ///< matches_regex: `value`, compiled once
};

/// The longest regular expression a search may hold (the simulator's own bound: a longer
/// one is refused rather than compiled).
inline constexpr std::size_t max_search_regex = 128;

/// The terms of a search, without AND, OR and empty terms. Throws std::invalid_argument
/// for a term mist.api cannot read either (a key:value with a second ':' in the value
/// outside quotes and parentheses; a regex that does not compile) and for a regex longer
/// than max_search_regex.
std::vector<search_term> read_search(std::string_view search);

/// True when the resource holds every term.
bool matches_search(const std::vector<search_term>& terms, const searchable& resource);

}  // namespace mistasync::sim
