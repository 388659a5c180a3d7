// The v2 search grammar: its tokenizer against the cases of mist.api's own unit tests
// (tests/unit_tests/test_search_parser.py at mist.api dcf483f: each input, and the terms
// mist.api's search_parser returns for it), and what a search keeps, as list_resources
// reads the terms.
#include <boost/test/unit_test.hpp>

#include "search_filter.hpp"
#include "search_parser.hpp"

#include <map>
#include <stdexcept>

#include <string>
#include <vector>

using mistasync::sim::parse_search;
using terms = std::vector<std::string>;

BOOST_AUTO_TEST_CASE(an_empty_search_has_no_terms) { BOOST_TEST(parse_search("").empty()); }

BOOST_AUTO_TEST_CASE(stray_text_alone_is_one_term_quoted_or_not) {
    for (const char* s : {"idorname", "id or name", "Id_o-r Name*", R"("idorname")", R"("id or name")", R"("Id_o-r Name*")"})
        BOOST_TEST((parse_search(s) == terms{s}), s);
}

BOOST_AUTO_TEST_CASE(stray_text_between_key_value_pairs) {
    BOOST_TEST((parse_search("id or name attr_1:value") == terms{"id or name", "attr_1:value"}));
    BOOST_TEST((parse_search("attr_1:value id or name attr_2=value") == terms{"attr_1:value", "id or name", "attr_2=value"}));
    BOOST_TEST((parse_search("attr_1=value id_or-name attr_2:value") == terms{"attr_1=value", "id_or-name", "attr_2:value"}));
    BOOST_TEST((parse_search(R"("id or name" attr_1:value)") == terms{R"("id or name")", "attr_1:value"}));
    BOOST_TEST((parse_search(R"(attr_1:value "id or name" attr_2=value)") == terms{"attr_1:value", R"("id or name")", "attr_2=value"}));
    BOOST_TEST((parse_search(R"(attr_1=value "id_or-name" attr_2:value)") == terms{"attr_1=value", R"("id_or-name")", "attr_2:value"}));
}

BOOST_AUTO_TEST_CASE(parentheses_are_dropped_and_quotes_kept) {
    BOOST_TEST((parse_search("attr_1:(value 1) attr_2=(value:2) attr_3:val3 attr4:(value 4) attr5=(value 5) attr6:(value -6) "
                             "attr7=(value 7)") ==
                terms{"attr_1:value 1", "attr_2=value:2", "attr_3:val3", "attr4:value 4", "attr5=value 5", "attr6:value -6",
                      "attr7=value 7"}));
    BOOST_TEST((parse_search(R"(attr_1:(value 1) attr_2="value_2" attr_3:val-3 attr4:(value4) attr5=(value 5) attr6:"value 6" )"
                             R"(attr7="value 7")") ==
                terms{"attr_1:value 1", R"(attr_2="value_2")", "attr_3:val-3", "attr4:value4", "attr5=value 5",
                      R"(attr6:"value 6")", R"(attr7="value 7")"}));
}

BOOST_AUTO_TEST_CASE(stray_text_among_parentheses_and_quotes) {
    BOOST_TEST((parse_search(R"(attr_1:(value 1) attr_2="value_2" id or name attr_3:val-3 attr4:(value4) attr5=(value 5) )"
                             R"(attr6:"value 6" attr7="value 7")") ==
                terms{"attr_1:value 1", R"(attr_2="value_2")", "id or name", "attr_3:val-3", "attr4:value4", "attr5=value 5",
                      R"(attr6:"value 6")", R"(attr7="value 7")"}));
    BOOST_TEST((parse_search(R"(id_or_name attr_1:(value 1) attr_2="value_2" attr_3:val-3 attr4:(value4) attr5=(value 5) )"
                             R"(attr6:"value 6" attr7="value 7")") ==
                terms{"id_or_name", "attr_1:value 1", R"(attr_2="value_2")", "attr_3:val-3", "attr4:value4", "attr5=value 5",
                      R"(attr6:"value 6")", R"(attr7="value 7")"}));
}

BOOST_AUTO_TEST_CASE(comparisons) {
    BOOST_TEST((parse_search("attr_1<=val1 attr_2<=val2 attr_3>val3 attr_4!=(val 4)") ==
                terms{"attr_1<=val1", "attr_2<=val2", "attr_3>val3", "attr_4!=val 4"}));
    BOOST_TEST((parse_search(R"(attr_1:(value 1) attr_2>"value_2" id or name attr_3<val-3 attr4<=(value4) attr5!=(value 5) )"
                             R"(attr6!="value 6" attr7>="value 7")") ==
                terms{"attr_1:value 1", R"(attr_2>"value_2")", "id or name", "attr_3<val-3", "attr4<=value4", "attr5!=value 5",
                      R"(attr6!="value 6")", R"(attr7>="value 7")"}));
}

BOOST_AUTO_TEST_CASE(and_and_or_are_terms_of_their_own) {
    BOOST_TEST((parse_search(R"(attr_1:(value 1) AND attr_2>"value 2" OR attr_3:val-3 attr4:value4 AND attr5=(value 5) )"
                             R"(attr6:"value 6" OR attr7!="value 7")") ==
                terms{"attr_1:value 1", "AND", R"(attr_2>"value 2")", "OR", "attr_3:val-3", "attr4:value4", "AND",
                      "attr5=value 5", R"(attr6:"value 6")", "OR", R"(attr7!="value 7")"}));
}

BOOST_AUTO_TEST_CASE(stray_text_anywhere_among_and_and_or) {
    BOOST_TEST((parse_search(R"(attr_1!=(value 1) id or name AND attr_2="value 2" OR attr_3:val-3 attr4:value4 )"
                             R"(AND attr5=(value 5) attr6>="value 6" OR attr7="value 7")") ==
                terms{"attr_1!=value 1", "id or name", "AND", R"(attr_2="value 2")", "OR", "attr_3:val-3", "attr4:value4",
                      "AND", "attr5=value 5", R"(attr6>="value 6")", "OR", R"(attr7="value 7")"}));
    BOOST_TEST((parse_search(R"(attr_1:(value 1) AND attr_2="value 2" OR attr_3:val-3 id or name attr4:value4 )"
                             R"(AND attr5=(value 5) attr6:"value 6" OR attr7="value 7")") ==
                terms{"attr_1:value 1", "AND", R"(attr_2="value 2")", "OR", "attr_3:val-3", "id or name", "attr4:value4",
                      "AND", "attr5=value 5", R"(attr6:"value 6")", "OR", R"(attr7="value 7")"}));
    BOOST_TEST((parse_search(R"(id_or_name attr_1:(value 1) AND attr_2="value 2" OR attr_3:val-3 attr4:value4 )"
                             R"(AND attr5=(value 5) attr6:"value 6" OR attr7="value 7")") ==
                terms{"id_or_name", "attr_1:value 1", "AND", R"(attr_2="value 2")", "OR", "attr_3:val-3", "attr4:value4",
                      "AND", "attr5=value 5", R"(attr6:"value 6")", "OR", R"(attr7="value 7")"}));
    BOOST_TEST((parse_search(R"(attr_1:(value 1) AND attr_2<="value 2" OR attr_3:val-3 "id or name" attr4>value4 )"
                             R"(AND attr5=(value 5) attr6:"value 6" OR attr7="value 7")") ==
                terms{"attr_1:value 1", "AND", R"(attr_2<="value 2")", "OR", "attr_3:val-3", R"("id or name")",
                      "attr4>value4", "AND", "attr5=value 5", R"(attr6:"value 6")", "OR", R"(attr7="value 7")"}));
    BOOST_TEST((parse_search(R"(attr_1:(value 1) AND attr_2<="value 2" OR attr_3:val-3 attr4>value4 AND attr5=(value 5) )"
                             R"(attr6:"value 6" OR attr7="value 7" "id or name")") ==
                terms{"attr_1:value 1", "AND", R"(attr_2<="value 2")", "OR", "attr_3:val-3", "attr4>value4", "AND",
                      "attr5=value 5", R"(attr6:"value 6")", "OR", R"(attr7="value 7")", R"("id or name")"}));
    BOOST_TEST((parse_search(R"(attr_1:(value 1) AND attr_2<="value 2" OR attr_3:val-3 attr4>value4 AND attr5=(value 5) )"
                             R"(attr6:"value 6" OR attr7="value 7" id or name)") ==
                terms{"attr_1:value 1", "AND", R"(attr_2<="value 2")", "OR", "attr_3:val-3", "attr4>value4", "AND",
                      "attr5=value 5", R"(attr6:"value 6")", "OR", R"(attr7="value 7")", "id or name"}));
}

BOOST_AUTO_TEST_CASE(the_v2_searches_mist_io_tests_send) {
    BOOST_TEST((parse_search("tag:dev,value1") == terms{"tag:dev,value1"}));
    BOOST_TEST((parse_search("tag:,value1") == terms{"tag:,value1"}));
    BOOST_TEST((parse_search("dev") == terms{"dev"}));
    BOOST_TEST((parse_search("cloud:EC2 state=running") == terms{"cloud:EC2", "state=running"}));
}

BOOST_AUTO_TEST_CASE(the_longest_search_accepted_is_tokenized_without_trouble) {
    const std::size_t n = mistasync::sim::max_search_length;
    BOOST_TEST(parse_search(std::string(n, 'x')).size() == 1u);
    BOOST_TEST(parse_search("name:(" + std::string(n - 7, 'y') + ")").at(0).size() == n - 7 + 5);
    std::string many;
    while (many.size() + 4 <= n) many += "a:b ";
    many.pop_back();  // a trailing space is a term of its own, empty (as mist.api splits it)
    BOOST_TEST(parse_search(many).size() == (many.size() + 1) / 4);
    BOOST_TEST((parse_search("a:b ") == terms{"a:b", ""}));
    std::string words;
    while (words.size() + 2 <= n) words += "w ";
    BOOST_TEST(parse_search(words).size() == 1u);  // one stray text
}

namespace {

using mistasync::sim::matches_search;
using mistasync::sim::read_search;
using mistasync::sim::searchable;

struct thing {
    std::string id, name;
    std::vector<std::pair<std::string, std::string>> tags;
    std::map<std::string, std::string> fields;
    const thing* cloud = nullptr;
};

searchable view_of(const thing& t, searchable* cloud_view = nullptr) {
    searchable s;
    s.id = t.id;
    s.name = t.name;
    s.tags = &t.tags;
    s.field = [&t](std::string_view key) -> std::optional<std::string> {
        auto it = t.fields.find(std::string(key));
        if (it == t.fields.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
    s.cloud = cloud_view;
    return s;
}

// The ids of `all` that `search` keeps, in order.
std::vector<std::string> kept(const std::vector<thing>& all, std::string_view search) {
    const auto terms = read_search(search);
    std::vector<std::string> out;
    for (auto& t : all) {
        searchable cloud;
        if (t.cloud) cloud = view_of(*t.cloud);
        if (matches_search(terms, view_of(t, t.cloud ? &cloud : nullptr))) out.push_back(t.id);
    }
    return out;
}

const thing ec2{"c-1", "EC2 AP NORTHEAST", {}, {}, nullptr};
const thing docker{"c-2", "Docker", {}, {}, nullptr};

const std::vector<thing> machines{
    {"m-1", "web", {{"dev", "value1"}}, {{"state", "running"}, {"cores", "2"}, {"owned_by", "a@example.com"}}, &ec2},
    {"m-2", "webserver-2", {}, {{"state", "stopped"}, {"cores", "10"}}, &ec2},
    {"m-3", "db", {{"dev", "value1"}, {"team", "blue"}}, {{"state", "running"}, {"cores", "1"}}, &docker},
    {"m-4", "WEB-big", {}, {{"state", "running"}, {"cores", "16"}}, &docker},
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_bare_term_is_the_id_or_part_of_the_name_or_a_tag) {
    BOOST_TEST((kept(machines, "web") == terms{"m-1", "m-2", "m-4"}));  // any case, any part: the path gotcha
    BOOST_TEST((kept(machines, R"("web")") == terms{"m-1"}));            // quoted: exactly
    BOOST_TEST((kept(machines, "m-3") == terms{"m-3"}));
    BOOST_TEST((kept(machines, "dev") == terms{"m-1", "m-3"}));          // a tag's key
    BOOST_TEST((kept(machines, "value1") == terms{"m-1", "m-3"}));       // a tag's value
    BOOST_TEST(kept(machines, "nothing").empty());
}

BOOST_AUTO_TEST_CASE(tag_terms_look_at_key_and_value) {
    BOOST_TEST((kept(machines, "tag:dev,value1") == terms{"m-1", "m-3"}));
    BOOST_TEST((kept(machines, "tag:,value1") == terms{"m-1", "m-3"}));
    BOOST_TEST((kept(machines, "tag:team") == terms{"m-3"}));
    BOOST_TEST((kept(machines, "tag:dev,other") == terms{}));
}

BOOST_AUTO_TEST_CASE(fields_contain_start_end_match_and_compare) {
    BOOST_TEST((kept(machines, "state:run") == terms{"m-1", "m-3", "m-4"}));   // contains
    BOOST_TEST((kept(machines, "state=run") == terms{"m-1", "m-3", "m-4"}));   // '=' contains too
    BOOST_TEST((kept(machines, R"(state="run")") == terms{}));                 // quoted: exactly
    BOOST_TEST((kept(machines, R"(state="stopped")") == terms{"m-2"}));
    BOOST_TEST((kept(machines, "name:^web") == terms{"m-1", "m-2"}));         // case matters here
    BOOST_TEST((kept(machines, "name:2$") == terms{"m-2"}));
    BOOST_TEST((kept(machines, R"(name:r"^[a-z]+$")") == terms{"m-1", "m-3"}));
    BOOST_TEST((kept(machines, "cores>2") == terms{"m-2", "m-4"}));            // numbers as numbers: 10 > 2
    BOOST_TEST((kept(machines, "cores<=2") == terms{"m-1", "m-3"}));
    BOOST_TEST((kept(machines, "cores!=2") == terms{"m-2", "m-3", "m-4"}));
    BOOST_TEST((kept(machines, "owned_by:none") == terms{"m-2", "m-3", "m-4"}));
    BOOST_TEST((kept(machines, "id:m") == terms{}));                            // id: exactly, whatever the operator
    BOOST_TEST((kept(machines, "id:m-2") == terms{"m-2"}));
}

BOOST_AUTO_TEST_CASE(terms_are_anded_and_and_or_ignored) {
    BOOST_TEST((kept(machines, "web state=running") == terms{"m-1", "m-4"}));
    BOOST_TEST((kept(machines, "state=running OR cores>10") == terms{"m-4"}));  // OR is not supported: ANDed
    BOOST_TEST((kept(machines, "cloud:EC2 state:running") == terms{"m-1"}));
    BOOST_TEST((kept(machines, "cloud:docker") == terms{"m-3", "m-4"}));      // a cloud by part of its title
    BOOST_TEST((kept(machines, "cloud:c-2") == terms{"m-3", "m-4"}));         // or its id
}

BOOST_AUTO_TEST_CASE(terms_the_server_cannot_read_are_refused) {
    BOOST_CHECK_THROW(read_search("a:b:c"), std::invalid_argument);
    BOOST_CHECK_THROW(read_search(R"(name:r"(")"), std::invalid_argument);
    BOOST_TEST(read_search("AND OR").empty());
    BOOST_CHECK_THROW(read_search("name:r\"" + std::string(mistasync::sim::max_search_regex + 1, 'a') + "\""), std::invalid_argument);
}
