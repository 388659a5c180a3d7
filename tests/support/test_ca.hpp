// A throw-away certificate authority made with the `openssl` command at test time:
// a CA, and a server certificate for localhost / 127.0.0.1 signed by it.
#pragma once

#include <string>

namespace mistasync::test {

struct test_ca {
    std::string dir;
    std::string ca_cert;      ///< PEM of the CA: trust it to accept server_cert
    std::string server_cert;  ///< for DNS:localhost and IP:127.0.0.1
    std::string server_key;
    std::string other_ca_cert; ///< an unrelated CA: trusting only it must fail
    std::string wrong_host_cert;  ///< signed by the CA, but only for DNS:mist.example.com
    std::string wrong_host_key;
    std::string expired_cert;     ///< signed by the CA for localhost, but already expired
    std::string expired_key;
};

/// Creates the files under a fresh temporary directory. Throws std::runtime_error if
/// the openssl command fails.
test_ca make_test_ca();

}  // namespace mistasync::test
