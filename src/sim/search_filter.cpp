#include "search_filter.hpp"

#include "search_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>
#include <stdexcept>

namespace mistasync::sim {

struct compiled_pattern {
    std::regex regex;
};

namespace {

// Case-insensitive comparisons without copies: a search is applied to every resource of a
// list (100,000 machines in a batch's).
bool same_letter(char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_letter);
}

bool contains_ignoring_case(std::string_view text, std::string_view part) {
    return std::search(text.begin(), text.end(), part.begin(), part.end(), same_letter) != text.end();
}

bool wrapped_in(std::string_view s, char c) { return s.size() >= 2 && s.front() == c && s.back() == c; }

// A term split on its operator, as Python's str.split does: exactly two parts, else the
// server fails on it too.
std::pair<std::string, std::string> split_once(const std::string& term, std::string_view op) {
    const auto at = term.find(op);
    if (term.find(op, at + op.size()) != std::string::npos)
        throw std::invalid_argument("the search term '" + term + "' holds '" + std::string(op) + "' twice");
    return {term.substr(0, at), term.substr(at + op.size())};
}

// `:` and `=`: contains, unless the value says otherwise.
search_term::op match_kind(std::string& v) {
    if (wrapped_in(v, '"')) return search_term::op::exact;
    if (v.starts_with('^')) {
        v.erase(0, 1);
        return search_term::op::starts;
    }
    if (v.ends_with('$')) {
        v.pop_back();
        return search_term::op::ends;
    }
    if (v.starts_with('r') && (wrapped_in(std::string_view(v).substr(1), '"') || wrapped_in(std::string_view(v).substr(1), '\''))) {
        v = v.substr(2, v.size() - 3);
        return search_term::op::matches_regex;
    }
    return search_term::op::contains;
}

std::string tags_text(const searchable& r) {
    std::string out;
    if (!r.tags) return out;
    for (auto& [k, v] : *r.tags) out += (out.empty() ? "" : ",") + k + ":" + v;
    return out;
}

std::optional<double> number(std::string_view s) {
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return d;
}

// -1, 0 or 1: numbers as numbers, anything else as text.
int compare(std::string_view a, std::string_view b) {
    if (auto x = number(a), y = number(b); x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
    return a < b ? -1 : a > b ? 1 : 0;
}

std::optional<std::string> value_of(const searchable& r, const std::string& key) {
    if (key == "name" || key == "title") return r.name.empty() ? std::nullopt : std::optional<std::string>(r.name);
    if (key == "tags") {
        std::string t = tags_text(r);
        return t.empty() ? std::nullopt : std::optional<std::string>(t);
    }
    return r.field ? r.field(key) : std::nullopt;
}

bool implicit_match(const searchable& r, const std::string& v, bool exact) {
    if (r.id == v) return true;  // an id always matches exactly
    if (exact) return r.name == v || tags_text(r) == v;
    return contains_ignoring_case(r.name, v) || contains_ignoring_case(tags_text(r), v);
}

bool holds(const search_term& t, const searchable& r) {
    using op = search_term::op;
    if (t.how == op::implicit) return implicit_match(r, t.value, t.quoted);
    if (t.how == op::tag) {
        if (!r.tags) return false;
        return std::any_of(r.tags->begin(), r.tags->end(), [&](const auto& kv) {
            return (t.key.empty() || equals_ignoring_case(kv.first, t.key)) && (t.value.empty() || equals_ignoring_case(kv.second, t.value));
        });
    }
    if (t.key == "id") return r.id == t.value;  // not implicit: the id, exactly, whatever the operator
    if (t.key == "cloud") {
        if (!r.cloud) return false;
        return implicit_match(*r.cloud, t.value, t.how == op::exact);
    }
    const std::optional<std::string> field = value_of(r, t.key);
    if (t.none) return t.how == op::not_equal ? field.has_value() : !field.has_value();
    if (!field) return t.how == op::not_equal;
    const std::string& f = *field;
    switch (t.how) {
    case op::contains: return f.find(t.value) != std::string::npos;
    case op::exact: return f == t.value;
    case op::starts: return f.starts_with(t.value);
    case op::ends: return f.ends_with(t.value);
    case op::matches_regex: return t.pattern && std::regex_search(f, t.pattern->regex);
    case op::not_equal: return compare(f, t.value) != 0;
    case op::less: return compare(f, t.value) < 0;
    case op::less_or_equal: return compare(f, t.value) <= 0;
    case op::greater: return compare(f, t.value) > 0;
    case op::greater_or_equal: return compare(f, t.value) >= 0;
    default: return false;
    }
}

// The operators, in the order mist.api looks for them in a term; `:` and `=` take their
// meaning from the value's form (match_kind).
struct operator_spelling {
    std::string_view text;
    std::optional<search_term::op> how;
};
constexpr operator_spelling operators[] = {
    {":", std::nullopt},
    {"!=", search_term::op::not_equal},
    {"<=", search_term::op::less_or_equal},
    {">=", search_term::op::greater_or_equal},
    {">", search_term::op::greater},
    {"<", search_term::op::less},
    {"=", std::nullopt},
};

}  // namespace

std::vector<search_term> read_search(std::string_view search) {
    using op = search_term::op;
    std::vector<search_term> out;
    for (const std::string& term : parse_search(search)) {
        search_term t;
        std::string v;
        const auto spelled = std::find_if(std::begin(operators), std::end(operators),
                                          [&](const operator_spelling& o) { return term.find(o.text) != std::string::npos; });
        if (spelled != std::end(operators)) {
            std::tie(t.key, v) = split_once(term, spelled->text);
            t.how = spelled->how ? *spelled->how : match_kind(v);
        } else if (term.empty() || equals_ignoring_case(term, "and") || equals_ignoring_case(term, "or")) {
            continue;  // all terms are ANDed
        } else {
            t.key = "id";
            v = term;
            t.quoted = wrapped_in(v, '"');
        }
        // Python's strip('"'): quotes at either end.
        while (!v.empty() && v.front() == '"') v.erase(0, 1);
        while (!v.empty() && v.back() == '"') v.pop_back();
        t.none = equals_ignoring_case(v, "none") || equals_ignoring_case(v, "null") || v == "''";
        if (t.how == op::matches_regex) {
            if (v.size() > max_search_regex)
                throw std::invalid_argument("the search term '" + term.substr(0, 40) + "…' holds a regular expression over " +
                                            std::to_string(max_search_regex) + " characters");
            try {
                t.pattern = std::make_shared<const compiled_pattern>(compiled_pattern{std::regex(v)});
            } catch (const std::regex_error&) {
                throw std::invalid_argument("the search term '" + term + "' holds a regular expression that does not compile");
            }
        }
        if (t.key == "tag" && t.how != op::implicit) {
            const auto comma = v.find(',');
            t.how = op::tag;
            if (comma == std::string::npos || v.find(',', comma + 1) != std::string::npos) {
                t.key = v;  // no single comma: the whole value is the key
                t.value.clear();
            } else {
                t.key = v.substr(0, comma);
                t.value = v.substr(comma + 1);
            }
            out.push_back(std::move(t));
            continue;
        }
        if (t.how == op::implicit) t.key = "id";
        t.value = std::move(v);
        out.push_back(std::move(t));
    }
    return out;
}

bool matches_search(const std::vector<search_term>& terms, const searchable& resource) {
    return std::all_of(terms.begin(), terms.end(), [&](const search_term& t) { return holds(t, resource); });
}

}  // namespace mistasync::sim
