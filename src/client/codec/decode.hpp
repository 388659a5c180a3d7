// Reading answers: the JSON mapping of both eras, in one place (contract §7): 2015 imageId/can_*/flat
// probes and v1 image_id/actions/{ping, ssh} probes all become the same models.
#pragma once

#include "codec/json_text.hpp"
#include "codec/responses.hpp"

#include <mistasync/client.hpp>

#include <boost/json/value.hpp>

#include <string_view>

namespace mistasync::detail {

std::vector<provider> decode_providers(const boost::json::value& doc);
backend decode_backend(const client_ref& ref, json_holder doc);
machine decode_machine(const client_ref& ref, json_holder doc, const std::string& backend_id, api_era era);
/// The provider's machine id of a machine document (what machine::id holds), cheaply.
std::string machine_id_of(const boost::json::value& doc, api_era era);
key decode_key(const client_ref& ref, json_holder doc);
std::vector<key_association> decode_associations(const boost::json::value& doc);
image decode_image(const boost::json::value& doc);
size decode_size(const boost::json::value& doc);
location decode_location(const boost::json::value& doc);
/// Either era's network list: 2015's {"public": [...], "private": [...], "routers": [...]}
/// or v1's array of records (whose subnets are an object keyed by id).
std::vector<network> decode_networks(const boost::json::value& doc);
/// One v1 network record (a create's answer).
network decode_network(const boost::json::value& doc);
subnet decode_subnet(const boost::json::value& doc);
probe_result decode_probe(const boost::json::value& doc);
job decode_job(const boost::json::value& doc);
/// A stored script (2015 "script_id", v1 "id"; the source under "location").
script decode_script(const boost::json::value& doc);
created_machine decode_created(const boost::json::value& doc);

/// One page of a v2 list: its `data` and `meta.total`.
struct v2_page_view {
    const boost::json::array* data = nullptr;
    std::size_t total = 0;
};
/// Reads `{data: [...], meta: {total, ...}}`; throws std::runtime_error saying what is wrong.
v2_page_view read_v2_page(const boost::json::value& doc);

// Calls f(text) for each element of a JSON array given as text, without parsing it
// (strings and nesting are followed); returns false if `text` is not an array.
template <class F>
bool for_each_array_element(std::string_view text, F f) {
    std::size_t i = text.find_first_not_of(" \t\r\n");
    if (i == std::string_view::npos || text[i] != '[') return false;
    ++i;
    std::size_t start = i;
    int depth = 0;
    bool in_string = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') ++depth;
        else if ((c == '}' || c == ']') && depth > 0) --depth;
        else if ((c == ',' || c == ']') && depth == 0) {
            std::string_view element = text.substr(start, i - start);
            if (element.find_first_not_of(" \t\r\n") != std::string_view::npos) f(element);
            if (c == ']') return true;
            start = i + 1;
        }
    }
    return false;  // no closing bracket
}


}  // namespace mistasync::detail
