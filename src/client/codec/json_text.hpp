// A JSON value as text, the way every reader of server answers wants it.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace mistasync::detail {

/// The value as text: strings as they are, numbers printed, anything else empty.
std::string text_of(const boost::json::value* v);

}  // namespace mistasync::detail
