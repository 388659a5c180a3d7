// The v2 search grammar's tokenizer against the cases of mist.api's own unit tests
// (tests/unit_tests/test_search_parser.py at mist.api dcf483f): each input, and the terms
// mist.api's search_parser returns for it.
#include <boost/test/unit_test.hpp>

#include "search_parser.hpp"

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
