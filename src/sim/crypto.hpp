// The few cryptographic facts the simulator needs, from OpenSSL: SHA-1 (for the 2015
// ids), RSA key generation (POST /keys) and private-key validation (PUT /keys).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mistasync::sim {

/// 20 raw bytes.
std::string sha1_bytes(std::string_view data);
/// 40 lowercase hex chars.
std::string sha1_hex(std::string_view data);
/// Bitcoin-alphabet base58 (no 0, O, I, l), as the 2015 backend ids use.
std::string base58(std::string_view bytes);

struct rsa_key_pair {
    std::string private_pem;  ///< "-----BEGIN RSA PRIVATE KEY-----\n..." (PKCS#1)
    std::string public_ssh;   ///< "ssh-rsa AAAA..."
};

/// A fresh 2048-bit RSA key. Throws std::runtime_error if OpenSSL fails.
rsa_key_pair generate_rsa_key();

/// The OpenSSH public key of a PEM private key, or nullopt when it is not a valid RSA key.
std::optional<std::string> rsa_public_from_private(std::string_view private_pem);

}  // namespace mistasync::sim
