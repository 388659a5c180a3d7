#include "crypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace mistasync::sim {
namespace {

struct bio_free { void operator()(BIO* b) const { BIO_free(b); } };
struct pkey_free { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct bn_free { void operator()(BIGNUM* b) const { BN_free(b); } };
using bio_ptr = std::unique_ptr<BIO, bio_free>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using bn_ptr = std::unique_ptr<BIGNUM, bn_free>;

void put_u32(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v >> 24);
    out += static_cast<char>(v >> 16);
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v);
}

void put_ssh_string(std::string& out, std::string_view s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out += s;
}

void put_mpint(std::string& out, const BIGNUM* bn) {
    std::vector<unsigned char> bytes(BN_num_bytes(bn));
    BN_bn2bin(bn, bytes.data());
    std::string s;
    if (!bytes.empty() && (bytes[0] & 0x80)) s += '\0';  // keep it positive
    s.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    put_ssh_string(out, s);
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(n);
    return out;
}

std::optional<std::string> ssh_public_of(EVP_PKEY* key) {
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return std::nullopt;
    BIGNUM* n_raw = nullptr;
    BIGNUM* e_raw = nullptr;
    if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n_raw)) return std::nullopt;
    bn_ptr n(n_raw);
    if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e_raw)) return std::nullopt;
    bn_ptr e(e_raw);
    std::string blob;
    put_ssh_string(blob, "ssh-rsa");
    put_mpint(blob, e.get());
    put_mpint(blob, n.get());
    return "ssh-rsa " + base64(blob);
}

}  // namespace

std::string sha1_bytes(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha1(), nullptr);
    return std::string(reinterpret_cast<char*>(md), len);
}

std::string sha1_hex(std::string_view data) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : sha1_bytes(data)) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string base58(std::string_view bytes) {
    static constexpr char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    std::vector<unsigned char> num(bytes.begin(), bytes.end());
    std::string out;
    // Repeated division of the big-endian number by 58.
    std::size_t start = 0;
    while (start < num.size() && num[start] == 0) ++start;
    while (start < num.size()) {
        unsigned rem = 0;
        for (std::size_t i = start; i < num.size(); ++i) {
            unsigned cur = rem * 256 + num[i];
            num[i] = static_cast<unsigned char>(cur / 58);
            rem = cur % 58;
        }
        out += alphabet[rem];
        while (start < num.size() && num[start] == 0) ++start;
    }
    for (char c : bytes) {
        if (c != 0) break;
        out += '1';
    }
    return std::string(out.rbegin(), out.rend());
}

rsa_key_pair generate_rsa_key() {
    pkey_ptr key(EVP_RSA_gen(2048));
    if (!key) throw std::runtime_error("RSA key generation failed");
    // PKCS#1 ("BEGIN RSA PRIVATE KEY"), the format mist.io produced and expects.
    bio_ptr bio(BIO_new(BIO_s_mem()));
    OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(key.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "PEM",
                                                          "type-specific", nullptr);
    bool ok = ctx && OSSL_ENCODER_to_bio(ctx, bio.get());
    OSSL_ENCODER_CTX_free(ctx);
    if (!ok) throw std::runtime_error("RSA key encoding failed");
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    rsa_key_pair pair;
    pair.private_pem.assign(data, static_cast<std::size_t>(len));
    while (!pair.private_pem.empty() && pair.private_pem.back() == '\n') pair.private_pem.pop_back();
    pair.public_ssh = ssh_public_of(key.get()).value();
    return pair;
}

std::optional<std::string> rsa_public_from_private(std::string_view private_pem) {
    bio_ptr bio(BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
    if (!bio) return std::nullopt;
    pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) return std::nullopt;
    return ssh_public_of(key.get());
}

}  // namespace mistasync::sim
