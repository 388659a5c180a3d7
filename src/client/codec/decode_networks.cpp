// Networks and subnets of either era (contract §3.6; mist.api networks/models.py as_dict).
#include "codec/decode.hpp"
#include "codec/decode_fields.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace mistasync::detail {
namespace json = boost::json;
using namespace lenient;

subnet decode_subnet(const json::value& doc) {
    if (!doc.is_object()) throw std::runtime_error("subnet is not an object");
    subnet s{.id = text(doc, "id"), .name = text(doc, "name"), .cidr = text(doc, "cidr"), .network_id = text(doc, "network"),
             .availability_zone = text(doc, "availability_zone")};
    // 2015 EC2 and GCE lists name a subnet by its range alone.
    if (s.cidr.empty() && s.id.empty()) s.cidr = s.name;
    return s;
}

namespace {

network network_from(const json::value& doc, bool listed_public) {
    if (!doc.is_object()) throw std::runtime_error("network is not an object");
    network n{.id = text(doc, "id"), .external_id = text(doc, "external_id"), .name = text(doc, "name"), .cidr = text(doc, "cidr"),
              .description = text(doc, "description"), .is_public = listed_public || flag(field(doc, "router_external"))};
    if (n.external_id.empty()) n.external_id = n.id;
    if (const json::value* subnets = field(doc, "subnets")) {
        if (subnets->is_array()) {  // 2015
            for (auto& s : subnets->get_array()) n.subnets.push_back(decode_subnet(s));
        } else if (subnets->is_object()) {  // v1: keyed by id
            for (auto& [id, s] : subnets->get_object()) {
                n.subnets.push_back(decode_subnet(s));
                if (n.subnets.back().id.empty()) n.subnets.back().id = std::string(id);
            }
        }
    }
    for (auto& s : n.subnets)
        if (s.network_id.empty()) s.network_id = n.id;
    n.raw_json = json::serialize(doc);
    return n;
}

}  // namespace

network decode_network(const json::value& doc) { return network_from(doc, false); }

std::vector<network> decode_networks(const json::value& doc) {
    std::vector<network> out;
    if (doc.is_array()) {
        for (auto& n : doc.get_array()) out.push_back(network_from(n, false));
        return out;
    }
    if (!doc.is_object()) throw std::runtime_error("networks are neither a list nor {public, private}");
    for (const char* kind : {"public", "private"}) {
        const json::value* list = field(doc, kind);
        if (!list) continue;
        if (!list->is_array()) throw std::runtime_error(std::string("networks' ") + kind + " is not a list");
        for (auto& n : list->get_array()) out.push_back(network_from(n, kind == std::string_view("public")));
    }
    return out;
}

}  // namespace mistasync::detail
