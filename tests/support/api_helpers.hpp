// Small helpers shared by the simulator tests: JSON access and waiting for time to pass.
#pragma once

#include "http_client.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace mistasync::test {

inline std::string str(const boost::json::value& v, std::string_view key) {
    return std::string(v.at(key).as_string());
}

/// Polls `ready` every 20 ms until it holds or `limit` passes; returns whether it held.
inline bool eventually(const std::function<bool()>& ready, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ready();
}

/// The first backend's id in the given family ("/backends" or "/api/v1/clouds").
inline std::string first_backend(http_client& c, const std::string& collection) {
    auto r = c.get(collection);
    return str(r.json().as_array().at(0), "id");
}

/// A machine of a list by name, or null.
inline boost::json::value find_by_name(const boost::json::value& list, std::string_view name) {
    for (auto& m : list.as_array())
        if (m.at("name").as_string() == name) return m;
    return nullptr;
}

}  // namespace mistasync::test
