#include "search_parser.hpp"

#include <regex>

namespace mistasync::sim {

namespace {

// mist.api's pattern, unchanged: ECMAScript has the same alternation order, lazy
// quantifiers and lookahead as Python's `re`, and re.findall's scan is regex_iterator's.
const std::regex& search_pattern() {
    static const std::regex pattern(
        R"re(([a-zA-Z0-9_]+)(:|=|<=|>=|!=|<|>))re"   // a key and its operator
        R"re((\(.+?\)|".+?"|\S+))re"                  // its value: (with spaces), "quoted", or one word
        R"re(|(OR|AND|[^:=<>!]+?)re"                   // or AND, OR, or stray text ...
        R"re((?= [a-zA-Z0-9_]+?[:=<>!]| AND | OR |$))re"  // ... up to the next key, AND, OR or the end
        R"re(|^[^:=<>!]+$))re",                       // or a search that is stray text alone
        std::regex::ECMAScript | std::regex::optimize);
    return pattern;
}

// Python's str.strip(' ()').
std::string_view stripped(std::string_view s) {
    constexpr std::string_view junk = " ()";
    const auto first = s.find_first_not_of(junk);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(junk) - first + 1);
}

}  // namespace

std::vector<std::string> parse_search(std::string_view search) {
    std::vector<std::string> terms;
    const std::string text(search);
    for (std::sregex_iterator it(text.begin(), text.end(), search_pattern()), end; it != end; ++it) {
        std::string term;
        for (std::size_t group = 1; group < it->size(); ++group) {
            const std::string value = (*it)[group].str();  // an unmatched group: ""
            term += stripped(value);
        }
        terms.push_back(std::move(term));
    }
    return terms;
}

}  // namespace mistasync::sim
