// A list route's elements, whatever the era: one JSON array (2015, v1), or /api/v2's pages
// ({data, meta}) followed to the end (`start` += returned until `meta.total`), ids rather
// than names (`deref=none`).
#pragma once

#include "call/call.hpp"
#include "call/operation_support.hpp"
#include "codec/responses.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace mistasync::detail {

/// The elements of a list, each holding its page's arena, and the last answer (for errors).
struct list_result {
    std::vector<json_holder> items;
    answer last;
};

/// What a v2 list asks beyond its route: `search`, `only` (comma-separated fields).
struct v2_list_query {
    std::string search;
    std::string only;
    std::size_t page_size = 1000;  ///< the spec's "1000 max"
};

/// Every element of route `id`'s list. A page that is not an envelope, or that makes no
/// progress while the total says more remain, is errc::bad_response.
boost::asio::awaitable<list_result> list_elements(op_context& op, route_id id, std::initializer_list<std::string_view> arguments,
                                                  std::string body = {}, v2_list_query query = {});

/// Decodes each element with `decode`; a decoding error is bad_response naming the request.
template <class T, class Decode>
std::vector<T> decode_elements(list_result& list, Decode decode) {
    std::vector<T> out;
    out.reserve(list.items.size());
    try {
        for (auto& item : list.items) out.push_back(decode(std::move(item)));
    } catch (const op_failure&) {
        throw;
    } catch (const std::exception& e) {
        bad_shape(list.last, e.what());
    }
    return out;
}

}  // namespace mistasync::detail
