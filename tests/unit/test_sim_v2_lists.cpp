// The shape of /api/v2 lists and gets: pages, the envelope, and what `only` keeps, as
// mist-api-v2's controllers/base.py and mist.api's prepare_dereferenced_dict make them.
#include <boost/test/unit_test.hpp>

#include "v2_lists.hpp"

#include <boost/json.hpp>

using namespace mistasync::sim;
namespace json = boost::json;

BOOST_AUTO_TEST_CASE(start_is_read_as_pythons_int_reads_it) {
    BOOST_TEST(v2_start(std::nullopt) == 0u);
    BOOST_TEST(v2_start("25") == 25u);
    BOOST_TEST(v2_start(" 7 ") == 7u);
    BOOST_TEST(v2_start("+3") == 3u);
    BOOST_TEST(v2_start("1_000") == 1000u);
    BOOST_TEST(v2_start("1__0") == 0u);
    BOOST_TEST(v2_start("_1") == 0u);
    BOOST_TEST(v2_start("machine-id") == 0u);  // the spec says "index or id"; an id becomes 0
    BOOST_TEST(v2_start("-5") == 0u);
    BOOST_TEST(v2_start("") == 0u);
    BOOST_TEST(v2_start("99999999999999999999999999") == static_cast<std::size_t>(-1));
}

BOOST_AUTO_TEST_CASE(limit_defaults_to_a_hundred_and_is_not_clamped) {
    BOOST_TEST(v2_limit(std::nullopt) == 100u);
    BOOST_TEST(v2_limit(0) == 100u);
    BOOST_TEST(v2_limit(56) == 56u);
    BOOST_TEST(v2_limit(5000) == 5000u);  // "1000 max" in the spec, not in the server
}

BOOST_AUTO_TEST_CASE(pages_follow_start_and_limit_to_the_total) {
    v2_list_params p;
    p.limit = 40;
    BOOST_TEST(page_of(100, p).first == 0u);
    BOOST_TEST(page_of(100, p).count == 40u);
    p.start = 80;
    BOOST_TEST(page_of(100, p).count == 20u);
    p.start = 100;
    BOOST_TEST(page_of(100, p).count == 0u);
    p.start = 500;
    BOOST_TEST(page_of(100, p).count == 0u);
}

BOOST_AUTO_TEST_CASE(the_envelope_of_a_list_and_of_a_get) {
    v2_list_params p;
    p.start = 2;
    p.sort = "-name";
    json::object list = v2_list_envelope(json::array{json::object{{"id", "a"}}}, 10, p, "machines");
    BOOST_TEST(list.at("data").as_array().size() == 1u);
    const json::object& meta = list.at("meta").as_object();
    BOOST_TEST(meta.at("kind").as_string() == "machines");
    BOOST_TEST(meta.at("total").to_number<int>() == 10);
    BOOST_TEST(meta.at("returned").to_number<int>() == 1);
    BOOST_TEST(meta.at("sort").as_string() == "-name");
    BOOST_TEST(meta.at("start").to_number<int>() == 2);
    json::object get = v2_get_envelope(json::object{{"id", "a"}}, 3, v2_list_params{}, "machine");
    BOOST_TEST(get.at("data").at("id").as_string() == "a");
    BOOST_TEST(get.at("meta").at("kind").as_string() == "machine");
    BOOST_TEST(get.at("meta").at("returned").to_number<int>() == 1);
}

BOOST_AUTO_TEST_CASE(only_keeps_named_fields_and_the_models_own_by_substring) {
    BOOST_TEST(v2_keeps("", "name"));
    BOOST_TEST(v2_keeps("id,name", "name"));
    BOOST_TEST(!v2_keeps("id,name", "state"));
    BOOST_TEST(!v2_keeps("id,os_type", "os"));  // standard fields by whole name
    BOOST_TEST(v2_keeps(",", "state"));           // no name at all: every standard field
    BOOST_TEST(v2_keeps("", "tags", true));
    BOOST_TEST(v2_keeps("id,os_type", "type", true));  // the server tests 'type' in only
    BOOST_TEST(!v2_keeps("id,name", "tags", true));
    BOOST_TEST(!v2_keeps(",", "tags", true));
}
