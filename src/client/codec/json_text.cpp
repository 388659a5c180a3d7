#include "codec/json_text.hpp"

#include <boost/json/serialize.hpp>

namespace mistasync::detail {
namespace json = boost::json;

std::string text_of(const json::value* v) {
    if (!v) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) return std::to_string(v->get_int64());
    if (v->is_uint64()) return std::to_string(v->get_uint64());
    if (v->is_double()) return json::serialize(*v);
    return {};
}

}  // namespace mistasync::detail
