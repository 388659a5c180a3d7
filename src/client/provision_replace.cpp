// Exactly N, by name (provision_options::max_attempts): a name whose create failed, or
// whose machine went to `error` or vanished, is created again; a machine a late create
// makes after its name was created again is adopted or destroyed, so a batch never holds
// two live machines of one name.
#include "provision_batch.hpp"

namespace mistasync::detail {
namespace {

using std::chrono::milliseconds;

// replace_backoff, doubled for each create after the 2nd (up to 8 times), ±20 %.
std::chrono::steady_clock::duration backoff_for(batch& b, unsigned attempts) {
    const unsigned doublings = std::min(attempts > 1 ? attempts - 1 : 0u, 3u);
    const double jitter = std::uniform_real_distribution<double>(0.8, 1.2)(b.random);
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(b.options.replace_backoff * (1u << doublings) * jitter);
}

awaitable<void> enqueue_after(batch& b, std::size_t index, std::chrono::steady_clock::duration delay) {
    asio::steady_timer pause(b.op.state->executor, delay);
    auto [ec] = co_await pause.async_wait(use_tuple);
    --b.backing_off;
    if (!ec) b.enqueue(index);  // stopped: it stays pending (never created)
    b.work_waiters.notify_all();
}

// Forgets what the counts said of the item's machine: it is replaced.
void uncount(batch& b, const provisioned_machine& m) {
    if (m.stage >= provision_stage::created && m.stage <= provision_stage::scripted) --b.counts.created;
    if (m.stage >= provision_stage::running && m.stage <= provision_stage::scripted) --b.counts.running;
}

}  // namespace

void batch::retry_after_backoff(std::size_t index, std::string_view event, bool watch_late, time_point until) {
    provisioned_machine& m = items[index];
    record(event, m, {{"attempt", m.attempts}}, true);
    m.resumed = false;
    m.reconciled = false;
    m.job_id.clear();
    ++counts.replaced;
    ++failed_tries;
    move_to(m, provision_stage::pending);
    if (watch_late) watches.push_back({index, until});
    ++backing_off;
    spawn(enqueue_after(*this, index, backoff_for(*this, m.attempts)));
    if (!stopping) check_brakes(m, m.error ? m.error : error_code(errc::outcome_unknown));
}

awaitable<void> replace_machine(batch& b, std::size_t index, error_code why, std::string_view step) {
    provisioned_machine& m = b.items[index];
    const std::string old = m.id;
    b.record("replacing", m, {{"step", step}, {"error", why.message()}}, true);
    b.retired_ids.insert(old);  // never adopted again, whatever a list still shows
    auto [ec] = co_await b.handle_for(m).with({.timeout = milliseconds(60'000)}).destroy(use_tuple);
    const bool gone = !ec || ec == error_code(errc::not_found);
    b.record(gone ? "destroyed" : "destroy_failed", m, gone ? boost::json::object{} : boost::json::object{{"error", ec.message()}}, true);
    m.replaced.push_back(old);
    uncount(b, m);
    m.id.clear();
    m.handle = machine{};
    m.probe.reset();
    m.script.reset();
    m.details = {};
    if (!gone) m.details.client_message = "the machine it replaced (" + old + ") could not be destroyed: " + ec.message();
    b.retry_after_backoff(index, "create_retry");
}

awaitable<void> destroy_extra(batch& b, std::size_t index, machine extra) {
    provisioned_machine& m = b.items[index];
    auto [ec] = co_await extra.with({.timeout = milliseconds(60'000)}).destroy(use_tuple);
    const bool gone = !ec || ec == error_code(errc::not_found);
    boost::json::object what{{"extra_id", extra.id}};
    if (!gone) what["error"] = ec.message();
    b.record(gone ? "extra_destroyed" : "extra_destroy_failed", m, std::move(what), true);
    if (gone) m.replaced.push_back(extra.id);
    else m.details.client_message += (m.details.client_message.empty() ? "" : "; ") + std::string("an extra machine of its name (") +
                                     extra.id + ") could not be destroyed: " + ec.message();
    if (b.options.on_change) b.options.on_change(m, b.counts);
}

}  // namespace mistasync::detail
