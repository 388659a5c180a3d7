// world: SSH keys and their associations with machines.
#include "world.hpp"

#include "crypto.hpp"

#include <algorithm>
#include <stdexcept>

namespace mistasync::sim {

// --- keys ----------------------------------------------------------------------------

key_record* world::find_key_by_name(std::string_view name) {
    for (auto& k : keys_)
        if (k->name == name) return k.get();
    return nullptr;
}

key_record* world::find_key_by_uuid(std::string_view uuid) {
    for (auto& k : keys_)
        if (k->uuid == uuid) return k.get();
    return nullptr;
}

key_record* world::default_key() {
    for (auto& k : keys_)
        if (k->is_default) return k.get();
    return nullptr;
}

key_record& world::add_key(std::string name, std::string private_pem, std::string public_ssh) {
    auto k = std::make_unique<key_record>();
    k->uuid = random_hex(32);
    k->name = std::move(name);
    k->private_pem = std::move(private_pem);
    k->public_ssh = std::move(public_ssh);
    k->is_default = keys_.empty();  // the user's first key becomes the default
    keys_.push_back(std::move(k));
    return *keys_.back();
}

void world::remove_key(key_record& k) {
    bool was_default = k.is_default;
    std::erase_if(keys_, [&](const auto& p) { return p.get() == &k; });
    if (was_default && !keys_.empty()) keys_.front()->is_default = true;
}

void world::set_default_key(key_record& k) {
    for (auto& other : keys_) other->is_default = false;
    k.is_default = true;
}

key_association* world::find_association(key_record& k, const backend& b, const machine& m) {
    return k.find(b.uuid, m.provider_id);
}

void world::associate(key_record& k, const backend& b, const machine& m, std::optional<std::string> user,
                      int port, double last_used) {
    key_association* a = find_association(k, b, m);
    if (!a) {
        k.machines.push_back({b.legacy_id, b.uuid, m.provider_id, 0, std::nullopt, false, 22});
        k.where[b.uuid + "/" + m.provider_id] = k.machines.size() - 1;
        a = &k.machines.back();
    }
    if (user) a->ssh_user = std::move(user);
    a->port = port;
    if (last_used > 0) a->last_used = last_used;
}

bool world::disassociate(key_record& k, const backend& b, const machine& m) {
    const bool removed = std::erase_if(k.machines, [&](const key_association& a) {
                             return a.backend_uuid == b.uuid && a.machine_provider_id == m.provider_id;
                         }) > 0;
    if (removed) k.reindex();  // O(associations): destroys and disassociations are rare beside creates
    return removed;
}

}  // namespace mistasync::sim
