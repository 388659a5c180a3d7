#include "test_ca.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace mistasync::test {
namespace {

// P-256 keys: generated in a millisecond where RSA 2048 takes a good part of a second, and
// every test process that speaks TLS makes five of them.
const std::string new_key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1";

void run(const std::string& command) {
    if (std::system((command + " >/dev/null 2>&1").c_str()) != 0)
        throw std::runtime_error("test CA: command failed: " + command);
}

}  // namespace

test_ca make_test_ca() {
    char tmpl[] = "/tmp/mistasync-ca-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("test CA: mkdtemp failed");
    test_ca ca;
    ca.dir = tmpl;
    ca.ca_cert = ca.dir + "/ca.pem";
    ca.server_cert = ca.dir + "/server.pem";
    ca.server_key = ca.dir + "/server.key";
    ca.other_ca_cert = ca.dir + "/other-ca.pem";
    const std::string d = ca.dir;
    for (auto* name : {"ca", "other-ca"})
        run("openssl req -x509 " + new_key + " -nodes -days 2 -subj '/CN=mistasync test " + std::string(name) +
            "' -keyout " + d + "/" + name + ".key -out " + d + "/" + name + ".pem" +
            " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    run("openssl req " + new_key + " -nodes -subj '/CN=localhost' -keyout " + ca.server_key + " -out " + d +
        "/server.csr");
    std::ofstream(d + "/server.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                        "basicConstraints=CA:FALSE\n"
                                        "keyUsage=digitalSignature\n"
                                        "extendedKeyUsage=serverAuth\n";
    run("openssl x509 -req -days 2 -in " + d + "/server.csr -CA " + ca.ca_cert + " -CAkey " + d +
        "/ca.key -CAcreateserial -out " + ca.server_cert + " -extfile " + d + "/server.ext");
    ca.wrong_host_cert = d + "/wrong.pem";
    ca.wrong_host_key = d + "/wrong.key";
    run("openssl req " + new_key + " -nodes -subj '/CN=mist.example.com' -keyout " + ca.wrong_host_key + " -out " + d +
        "/wrong.csr");
    std::ofstream(d + "/wrong.ext") << "subjectAltName=DNS:mist.example.com\nextendedKeyUsage=serverAuth\n";
    run("openssl x509 -req -days 2 -in " + d + "/wrong.csr -CA " + ca.ca_cert + " -CAkey " + d +
        "/ca.key -CAcreateserial -out " + ca.wrong_host_cert + " -extfile " + d + "/wrong.ext");
    ca.expired_cert = d + "/expired.pem";
    ca.expired_key = d + "/expired.key";
    run("openssl req " + new_key + " -nodes -subj '/CN=localhost' -keyout " + ca.expired_key + " -out " + d + "/expired.csr");
    // -days -1: valid until yesterday.
    run("openssl x509 -req -days -1 -in " + d + "/expired.csr -CA " + ca.ca_cert + " -CAkey " + d +
        "/ca.key -CAcreateserial -out " + ca.expired_cert + " -extfile " + d + "/server.ext");
    return ca;
}

}  // namespace mistasync::test
