// The shape of every /api/v2 list and get, as mist-api-v2 (de29606, controllers/base.py)
// and mist.api's prepare_dereferenced_dict (dcf483f, helpers.py) make it: which page of
// the matches, the {data, meta} envelope, and which fields `only` keeps.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mistasync::sim {

/// A list's query, read as the server reads it.
struct v2_list_params {
    std::string search;
    std::string cloud;
    std::string sort;  ///< echoed in meta; CE does not sort
    std::string only;
    std::string deref = "auto";
    std::size_t start = 0;
    std::size_t limit = 100;
};

/// `start` as Python's int() reads it (spaces around, a sign, digits with single '_'
/// between them), anything else 0; a negative one 0. `limit` missing or 0: 100. (The
/// spec types `limit` as an integer: a value that is not one is refused before, 400.)
std::size_t v2_start(std::optional<std::string_view> text);
std::size_t v2_limit(std::optional<long long> value);

/// The matches a page shows: [first, first + count) of `total`.
struct v2_page {
    std::size_t first = 0;
    std::size_t count = 0;
};
v2_page page_of(std::size_t total, const v2_list_params& p);

/// {data: [...], meta: {kind, total, returned, sort, start}}; `kind` is plural ("machines").
boost::json::object v2_list_envelope(boost::json::array data, std::size_t total, const v2_list_params& p, std::string_view kind);
/// A get: the first match as `data`, meta's kind singular ("machine").
boost::json::object v2_get_envelope(boost::json::value item, std::size_t total, const v2_list_params& p, std::string_view kind);

/// Whether a document keeps a field under `only`. A standard field must be one of the
/// comma-separated names (none at all, as in "" or ",": every field); the few a model adds
/// itself (a machine's type, external_id, tags, cost, monitoring) are kept when `only` is
/// empty or holds their name anywhere, as the server tests them (`only=os_type` keeps
/// `type` too, and `only=,` drops them).
bool v2_keeps(std::string_view only, std::string_view field, bool added_by_model = false);

}  // namespace mistasync::sim
