// A deliberately plain, synchronous HTTP/1.1 client for tests: it sends exactly the
// bytes a test asks for and reports exactly what came back, with keep-alive reuse.
// Independent of the SDK so it can judge the simulator (and later the SDK) from outside.
#pragma once

#include <boost/json/value.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mistasync::test {

struct http_reply {
    int status = 0;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    bool keep_alive = true;
    boost::json::value json() const;             // throws on invalid JSON
};

struct tls_settings {
    std::string ca_file;       // empty: the system trust store
    std::string server_name;   // SNI and host-name verification
    bool verify = true;
};

using header_list = std::vector<std::pair<std::string, std::string>>;

class http_client {
public:
    http_client(std::string host, unsigned short port, std::optional<tls_settings> tls = std::nullopt);
    ~http_client();
    http_client(http_client&&) noexcept;

    /// Sets the Authorization header for every later request ("" removes it).
    void authorization(std::string value) { authorization_ = std::move(value); }

    http_reply request(const std::string& method, const std::string& target, const std::string& body = {},
                       const header_list& headers = {});
    http_reply get(const std::string& target, const std::string& body = {}) { return request("GET", target, body); }
    http_reply post(const std::string& target, const std::string& body = {}) { return request("POST", target, body); }
    http_reply put(const std::string& target, const std::string& body = {}) { return request("PUT", target, body); }
    http_reply del(const std::string& target, const std::string& body = {}) { return request("DELETE", target, body); }

    /// Sends raw bytes on a fresh connection and returns everything read until the
    /// server closes it (or `timeout_ms` passes).
    std::string raw_exchange(const std::string& bytes, int timeout_ms = 3000);

    /// Connections opened so far (keep-alive reuse keeps this at 1).
    int connections_opened() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
    std::string authorization_;
};

}  // namespace mistasync::test
