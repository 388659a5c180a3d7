// The SSH key verbs: list, add, describe, rename, delete; associate with a machine and
// disassociate.
#include "cli.hpp"
#include "command_support.hpp"
#include "commands.hpp"
#include "lookup.hpp"
#include "files.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace mistcli {

namespace json = boost::json;
namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;

awaitable<int> list_keys_command(context& c) {
    auto list = co_await c.mist.keys();
    if (c.json) {
        json::array a;
        for (auto& k : list) a.push_back(json::object{{"id", k.id}, {"name", k.name}, {"default", k.is_default}, {"machines", k.associations.size()}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& k : list) rows.push_back({k.name, k.id, k.is_default ? "yes" : "", std::to_string(k.associations.size())});
        print_table({"NAME", "ID", "DEFAULT", "MACHINES"}, rows);
    }
    co_return ok;
}

awaitable<int> add_key_command(context& c) {
    std::string name = c.args.required(opt::name);
    std::string pem;
    if (auto file = c.args.get(opt::file); !file.empty()) {
        pem = read_input_file(file, "--file", 64 * 1024);
        // ssh-keygen's default format since OpenSSH 7.8; mist.io reads PEM only.
        if (pem.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string::npos)
            throw usage_failure(file + " is in OpenSSH's own format; the server reads PEM keys. Convert a copy: "
                                       "cp " + file + " " + file + ".pem && ssh-keygen -p -N '' -m PEM -f " + file + ".pem "
                                       "(for a key without a passphrase), then --file " + file + ".pem; "
                                       "or leave --file out and the server makes a key");
        if (pem.find("PRIVATE KEY-----") == std::string::npos)
            throw usage_failure(file + " holds no PEM private key (-----BEGIN RSA PRIVATE KEY-----)");
    } else {
        pem = (co_await c.mist.generate_key()).private_key;  // as the Python client's add-key without a file
    }
    auto k = co_await c.mist.add_key(name, pem);
    if (c.json) print_json(json::object{{"id", k.id}, {"name", k.name}});
    else std::printf("added key %s (%s)\n", terminal_safe_line(k.name).c_str(), terminal_safe_line(k.id).c_str());
    co_return ok;
}

awaitable<int> describe_key_command(context& c) {
    key k = co_await find_key(c.mist, c.args.subject("KEY"));
    std::string public_key = co_await k.public_key();
    std::string private_key = c.args.has(opt::private_) ? co_await k.private_key() : std::string();
    if (c.json) {
        json::array machines;
        for (auto& a : k.associations) machines.push_back(json::object{{"backend", a.backend_id}, {"machine", a.machine_id}});
        json::object out{{"id", k.id}, {"name", k.name}, {"default", k.is_default}, {"public_key", public_key}, {"machines", machines}};
        if (!private_key.empty()) out["private_key"] = private_key;
        print_json(out);
        co_return ok;
    }
    print_fields({{"name", k.name}, {"id", k.id}, {"default", k.is_default ? "yes" : "no"}, {"public key", public_key},
                  {"machines", std::to_string(k.associations.size())}});
    if (!private_key.empty()) std::printf("%s", private_key.c_str());
    co_return ok;
}

awaitable<int> rename_key_command(context& c) {
    const std::string name = new_name(c);  // a usage error before any request
    co_return co_await renamed(c, co_await find_key(c.mist, c.args.subject("KEY")), name);
}

awaitable<int> delete_key_command(context& c) {
    key k = co_await find_key(c.mist, c.args.subject("KEY"));
    co_return co_await deleted(c, k, k.name);
}

// associate-key and disassociate-key: a key put on, or taken off, a machine.
awaitable<int> key_on_machine_command(context& c) {
    const bool put_on = c.args.verb == "associate-key";
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    auto k = co_await find_key(c.mist, c.args.required(opt::key));
    association_options o;
    o.host = c.args.get(opt::host);
    o.user = c.args.get(opt::user);
    auto associations = put_on ? co_await m.associate_key(k.id, o) : co_await m.disassociate_key(k.id, o);
    if (c.json) print_json(json::object{{"key", k.id}, {"machine", m.id}, {"associations", associations.size()}});
    else std::printf("key %s %s %s (%zu machines use it)\n", terminal_safe_line(k.name).c_str(), put_on ? "associated with" : "taken off",
                     terminal_safe_line(m.name).c_str(), associations.size());
    co_return ok;
}

}  // namespace mistcli
