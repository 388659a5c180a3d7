// A batch's create workers: at most `concurrency` creates at once, each taking the next
// name from the queue. What a create's answer or failure means is the ledger's to say
// (batch_ledger::create_answered, create_failed); a worker sends, and does what it says.
#include "provision/batch.hpp"

namespace mistasync::detail {
namespace {

// One create. "creating" is journaled just before its bytes are written (not while it
// waits for a connection), so a name journaled "creating" is one the server may have
// seen, and a name the journal never mentions was never sent.
awaitable<void> create_one(batch& b, batch::child& self, std::size_t index) {
    provisioned_machine& m = b.items[index];
    if (!m.id.empty()) {  // resumed: created by an earlier run
        follow_later(b, index);
        co_return;
    }
    if (!b.ledger.may_send(index)) co_return;  // an earlier run's create, looked for by the settler
    b.apply(b.ledger.create_started(index));
    self.current = index;
    self.written = false;
    client_ref ref = handle_access::ref(b.target);
    diagnostics d;
    ref.call.details = &d;
    // v1 files the create under a job id of ours: the settler can ask whether the server
    // got to it (contract §10.4). It is journaled with "creating".
    m.job_id = b.era == api_era::v1 ? b.random_hex(32) : std::string();  // a uuid4 hex's length
    auto sent_at = std::chrono::steady_clock::now();
    ref.before_write = std::make_shared<const std::function<error_code()>>([&b, &self, index, &sent_at]() -> error_code {
        const bool first = !self.written;
        self.written = true;
        sent_at = std::chrono::steady_clock::now();
        return b.apply(b.ledger.create_written(index, first));
    });
    auto [ec, created] = co_await initiate<created_machine>(use_tuple, ref, [id = b.target.id, &spec = b.specs[index], job = m.job_id](auto r, auto h) {
        start_operation(r, ops::create_machine{id, spec, job}, std::move(h));
    });
    self.current.reset();
    if (!ec) {
        m.id = created.id;
        if (!created.job_id.empty()) m.job_id = created.job_id;
        m.handle = b.target.machine_from(created);
        b.act_on(b.ledger.create_answered(index, std::chrono::steady_clock::now() - sent_at), index,
                 made_at{std::chrono::steady_clock::now(), true});
        if (!b.rivals_checked && b.era != api_era::legacy && b.options.tag_batch) {
            b.rivals_checked = true;
            b.spawn(check_for_rivals(b));
        }
        co_return;
    }
    const bool request_sent = d.request_sent;
    const ledger_step step = b.ledger.create_failed(index, ec, std::move(d), request_sent, self.written);
    if (step.action != next_action::look_by_name) {
        b.act_on(step, index);
        co_return;
    }
    b.apply(step);
    const auto now = std::chrono::steady_clock::now();
    batch::unresolved_create u{.index = index, .give_up_at = now + b.options.reconcile_window, .sent_at = sent_at};
    if (step.answered) u.done_at = now;
    u.may_appear_late = !step.answered;
    b.await_outcome(u);
}

awaitable<void> worker_loop(batch& b, batch::child& self) {
    while (!b.stopping()) {
        std::size_t index;
        if (!b.again.empty()) {
            index = b.again.front();
            b.again.pop_front();
        } else if (b.next < b.items.size()) {
            index = b.next++;
        } else if (b.may_hand_back()) {
            // A name may come back to be created again (a replacement after its backoff, an
            // earlier run's create proved absent): stay for it.
            try {
                co_await b.work_waiters.wait();
            } catch (const boost::system::system_error&) {
                co_return;  // stopped
            }
            continue;
        } else {
            break;
        }
        co_await create_one(b, self, index);
    }
}

awaitable<void> worker(batch& b, batch::child& self) {
    co_await worker_loop(b, self);
    --b.workers_running;
}

void spawn_worker(batch& b) {
    batch::child& c = b.add_child(batch::role::worker);
    ++b.workers_running;
    b.start(c, worker(b, c));  // the worker knows its child: a gentle stop spares its written create
}

awaitable<void> enqueue_when_due(batch& b, std::size_t index, std::chrono::steady_clock::duration delay) {
    asio::steady_timer pause(b.op.state->executor, delay);
    auto [ec] = co_await pause.async_wait(use_tuple);
    --b.backing_off;
    if (!ec) b.enqueue(index);  // stopped: it stays pending (never created)
    b.work_waiters.notify_all();
}

}  // namespace

void start_workers(batch& b) {
    const std::size_t workers = std::max<std::size_t>(1, std::min(b.options.concurrency, b.items.size()));
    for (std::size_t i = 0; i < workers && !b.items.empty(); ++i) spawn_worker(b);
}

void batch::enqueue(std::size_t index) {
    if (stopping()) return;
    again.push_back(index);
    work_waiters.notify_all();
    // Workers leave when the queue runs dry; names handed back later need new ones.
    while (workers_running < std::min(options.concurrency, again.size())) spawn_worker(*this);
}

void enqueue_after(batch& b, std::size_t index, std::chrono::steady_clock::duration delay) {
    ++b.backing_off;
    b.spawn(enqueue_when_due(b, index, delay));
}

}  // namespace mistasync::detail
