// JSON text as the real server writes it: Python's json.dumps with default settings
// (", " and ": " separators, ASCII-only output with \uXXXX escapes, floats in repr form).
// Clients written against the real service see the same bytes from the simulator.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace mistasync::sim {

std::string to_python_json(const boost::json::value& value);
void append_python_json(std::string& out, const boost::json::value& value);

/// What mist-api-v2 writes (connexion 2 through Flask's json.dumps): keys sorted, an
/// indent of two spaces, "," and ": " separators, ASCII-only, and a final newline.
std::string to_flask_json(const boost::json::value& value);

}  // namespace mistasync::sim
