// Exactly N, by name (provision_options::max_attempts): a name whose machine went to
// `error` or vanished is created again (the ledger decides, batch_ledger::wait_failed and
// replaced); a machine a late create makes after its name was created again is adopted or
// destroyed, so a batch never holds two live machines of one name.
#include "provision/batch.hpp"

namespace mistasync::detail {

using std::chrono::milliseconds;

awaitable<void> replace_machine(batch& b, std::size_t index, error_code why, std::string_view step) {
    b.apply(b.ledger.replacing(index, why, step));
    b.retired_ids.insert(b.items[index].id);  // never adopted again, whatever a list still shows
    auto [ec] = co_await b.handle_for(b.items[index]).with({.timeout = milliseconds(60'000)}).destroy(use_tuple);
    b.act_on(b.ledger.replaced(index, ec), index);
}

awaitable<void> destroy_extra(batch& b, std::size_t index, machine extra) {
    auto [ec] = co_await extra.with({.timeout = milliseconds(60'000)}).destroy(use_tuple);
    b.apply(b.ledger.extra_destroyed(index, extra.id, ec));
}

}  // namespace mistasync::detail
