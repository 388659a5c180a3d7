// `Accept: ...csv` on a /api/v2 list: the page's `data` as mist.api's json2csv writes it
// (renderers.py at dcf483f) behind the leading comma mist-api-v2's return_csv adds.
#pragma once

#include <boost/json/array.hpp>

#include <string>
#include <string_view>

namespace mistasync::sim {

/// Nested objects flattened with "__" ("cost__monthly"); `columns` (comma-separated, ""
/// for every field) picks the columns, "cost" meaning "cost__monthly". The server's column
/// order is a Python set's (arbitrary); this one keeps the order fields are first seen.
std::string v2_csv(const boost::json::array& data, std::string_view columns);

}  // namespace mistasync::sim
