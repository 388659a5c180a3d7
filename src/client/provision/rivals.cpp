// Another live batch making the same names (two runs of one command with different
// journals, or on two hosts): both listed the backend before either created anything, so
// neither saw the other. On v1 every machine carries its batch's tag, so a machine of one
// of our names tagged with another batch id is proof. The batch never adopts, replaces or
// destroys such a machine, and stops early once it sees one: a duplicate name is said, not
// silently doubled.
#include "provision/batch.hpp"

#include <boost/asio/steady_timer.hpp>

#include <cctype>
#include <map>
#include <unordered_set>

namespace mistasync::detail {

std::string names_search(const batch& b) {
    if (b.specs.empty()) return {};
    std::string_view prefix = b.specs.front().name;
    for (auto& spec : b.specs) {
        std::size_t same = 0;
        while (same < prefix.size() && same < spec.name.size() && prefix[same] == spec.name[same]) ++same;
        prefix = prefix.substr(0, same);
    }
    std::size_t plain = 0;
    while (plain < prefix.size() && (std::isalnum(static_cast<unsigned char>(prefix[plain])) || prefix[plain] == '.' ||
                                     prefix[plain] == '_' || prefix[plain] == '-'))
        ++plain;
    return plain == 0 ? std::string() : "name:^" + std::string(prefix.substr(0, plain));
}

std::string_view rival_batch_of(const batch& b, const machine& m) {
    for (auto& [key, value] : m.tags)
        if (key == batch_tag_key) return value == b.options.batch_id ? std::string_view() : std::string_view(value);
    return {};
}

awaitable<void> check_for_rivals(batch& b) {
    // A settle margin after our first create answered: creates the other batch sent at the
    // same moment have answered too.
    asio::steady_timer pause(b.op.state->executor, b.ledger.settle_margin());
    if (auto [ec] = co_await pause.async_wait(use_tuple); ec || b.stopping()) co_return;
    // v2: only machines that carry a batch's tag, and only what is read of them.
    std::string search = "tag:" + std::string(batch_tag_key) + ",";
    if (std::string names = names_search(b); !names.empty()) search += " " + names;
    auto [ec, listed] = co_await b.target.machines({.server_search = std::move(search), .only = machine_fields_used}, use_tuple);
    if (ec || b.stopping()) co_return;  // nothing proved; the batch goes on
    std::unordered_set<std::string_view> names;
    for (auto& item : b.items) names.insert(item.name);
    std::map<std::string, std::size_t> rivals;  // batch id -> machines of our names
    std::string example;
    for (auto& m : listed) {
        if (m.state == machine_state::terminated || !names.contains(m.name) || b.foreign_ids.contains(m.id)) continue;
        const std::string_view rival = rival_batch_of(b, m);
        if (rival.empty()) continue;
        ++rivals[std::string(rival)];
        if (example.empty()) example = m.name + " (" + m.id + ")";
        b.foreign_ids.insert(m.id);  // never adopted
    }
    if (rivals.empty()) co_return;
    std::string which;
    for (auto& [id, count] : rivals)
        which += (which.empty() ? "" : ", ") + std::string(batch_tag_key) + "=" + id + " (" + std::to_string(count) + " machines)";
    b.apply(b.ledger.stop_early("another batch is creating machines of this batch's names: " + which + ", e.g. " + example +
                                         "; this batch stops (no new creates) and takes none of them for its own"));
}

}  // namespace mistasync::detail
