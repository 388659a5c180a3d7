// A batch's ledger walked event by event, without sockets: what each event does to a
// machine's stage and the counts, which journal lines it asks for, when the batch stops,
// and what is done next.
#include <boost/test/unit_test.hpp>

#include "provision/batch_ledger.hpp"

#include <boost/asio/error.hpp>

#include <chrono>
#include <vector>

using namespace mistasync;
using namespace mistasync::detail;
using namespace std::chrono_literals;

namespace {

std::vector<machine_spec> specs_named(std::size_t n) {
    std::vector<machine_spec> specs(n);
    for (std::size_t i = 0; i < n; ++i) specs[i].name = "web-" + std::to_string(i + 1);
    return specs;
}

std::vector<journal_event> events_of(const ledger_step& s) {
    std::vector<journal_event> out;
    for (std::size_t k = 0; k < s.size(); ++k) out.push_back(s[k].event);
    return out;
}

machine found(std::string id, std::string name) {
    machine m;
    m.id = std::move(id);
    m.name = std::move(name);
    return m;
}

diagnostics status(int code, std::string text = {}) {
    diagnostics d;
    d.http_status = code;
    d.server_message = std::move(text);
    d.request_sent = true;
    return d;
}

// A ledger over `n` machines with the options a test sets first.
struct walk {
    provision_options options;
    batch_ledger ledger{options, 42};

    explicit walk(std::size_t n, provision_options o = {}) : options(std::move(o)) { ledger.begin(specs_named(n)); }

    // The create of item i is sent and answered with machine `id`.
    ledger_step create(std::size_t i, std::string id) {
        BOOST_TEST_REQUIRE(ledger.may_send(i));
        ledger.create_started(i);
        ledger.create_written(i, true);
        ledger.item(i).id = std::move(id);
        return ledger.create_answered(i, 1s);
    }
    void probe(std::size_t i) {
        ledger.running(i, false);
        ledger.probed(i, true);
    }
    const provision_counts& counts() const { return ledger.counts(); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_create_answered_is_journaled_then_followed) {
    walk w(2);
    BOOST_TEST(w.ledger.item(1).name == "web-2");
    BOOST_TEST(w.counts().requested == 2u);
    ledger_step started = w.ledger.create_started(0);
    BOOST_TEST(started.size() == 0u);  // waiting for a connection is not journaled
    BOOST_TEST((w.ledger.item(0).stage == provision_stage::creating));
    ledger_step written = w.ledger.create_written(0, true);
    BOOST_TEST((events_of(written) == std::vector{journal_event::creating}));
    BOOST_TEST(*written[0].attempt == 1u);
    BOOST_TEST(*w.ledger.create_written(0, false)[0].attempt == 1u);  // a resend after a 429 is the same create
    w.ledger.item(0).id = "i-1";
    ledger_step answered = w.ledger.create_answered(0, 2s);
    BOOST_TEST((events_of(answered) == std::vector{journal_event::created}));
    BOOST_TEST((answered.action == next_action::follow));
    BOOST_TEST(answered.changed);
    BOOST_TEST(answered.machine == 0u);
    BOOST_TEST(w.counts().created == 1u);
    BOOST_TEST(!w.ledger.may_send(0));
    w.probe(0);
    BOOST_TEST(w.counts().running == 1u);
    BOOST_TEST(w.counts().probed == 1u);
    BOOST_TEST(w.counts().finished == 1u);
}

BOOST_AUTO_TEST_CASE(exactly_n_after_a_machine_goes_to_error) {
    walk w(3);
    for (std::size_t i = 0; i < 3; ++i) w.create(i, "i-" + std::to_string(i + 1));
    w.probe(0);
    w.probe(1);
    w.ledger.running(2, false);
    BOOST_TEST(w.counts().created == 3u);
    BOOST_TEST(w.counts().running == 3u);

    // web-3 went to `error` while it was probed: destroyed, and its name created again.
    ledger_step failed = w.ledger.wait_failed(2, errc::unexpected_state, {}, "probe");
    BOOST_TEST((failed.action == next_action::replace));
    BOOST_TEST(failed.size() == 0u);
    ledger_step replacing = w.ledger.replacing(2, errc::unexpected_state, "probe");
    BOOST_TEST((events_of(replacing) == std::vector{journal_event::replacing}));
    BOOST_TEST(replacing[0].step == "probe");
    ledger_step replaced = w.ledger.replaced(2, {});
    BOOST_TEST((events_of(replaced) == std::vector{journal_event::destroyed, journal_event::create_retry}));
    BOOST_TEST((replaced.action == next_action::create_later));
    // replace_backoff (250 ms) ±20 % for a second create.
    BOOST_TEST(replaced.delay >= std::chrono::steady_clock::duration(200ms));
    BOOST_TEST(replaced.delay <= std::chrono::steady_clock::duration(300ms));
    const provisioned_machine& m = w.ledger.item(2);
    BOOST_TEST((m.stage == provision_stage::pending));
    BOOST_TEST(m.id.empty());
    BOOST_TEST((m.replaced == std::vector<std::string>{"i-3"}));
    // The counts forget what the replaced machine had reached.
    BOOST_TEST(w.counts().created == 2u);
    BOOST_TEST(w.counts().running == 2u);
    BOOST_TEST(w.counts().replaced == 1u);

    w.create(2, "i-4");
    BOOST_TEST(w.ledger.item(2).attempts == 2u);
    w.probe(2);
    BOOST_TEST(w.counts().created == 3u);
    BOOST_TEST(w.counts().probed == 3u);
    BOOST_TEST(w.counts().finished == 3u);
    BOOST_TEST(w.counts().failed == 0u);
}

BOOST_AUTO_TEST_CASE(a_name_out_of_attempts_fails_instead_of_being_replaced) {
    provision_options o;
    o.max_attempts = 1;
    walk w(1, o);
    w.create(0, "i-1");
    ledger_step failed = w.ledger.wait_failed(0, errc::not_found, status(404, "Machine not found"), "wait for running");
    BOOST_TEST((failed.action == next_action::none));
    BOOST_TEST((events_of(failed) == std::vector{journal_event::failed}));  // it had a machine
    BOOST_TEST(failed[0].step == "wait for running");
    BOOST_TEST(failed[0].status == 404);
    BOOST_TEST((w.ledger.item(0).stage == provision_stage::failed));
    BOOST_TEST(w.counts().failed == 1u);
}

BOOST_AUTO_TEST_CASE(an_unknown_create_then_a_late_machine_after_its_replacement) {
    walk w(1);
    w.ledger.create_started(0);
    w.ledger.create_written(0, true);
    // The connection dropped after the request was written: a machine may exist.
    diagnostics d;
    d.request_sent = true;
    ledger_step unknown = w.ledger.create_failed(0, errc::timeout, d, true, true);
    BOOST_TEST((unknown.action == next_action::look_by_name));
    BOOST_TEST(!unknown.answered);  // the server may still be at it
    BOOST_TEST((events_of(unknown) == std::vector{journal_event::create_unknown}));
    BOOST_TEST((w.ledger.item(0).stage == provision_stage::creating));
    BOOST_TEST(w.counts().failed == 0u);

    // A list after the server was done showed no machine: created again, and watched.
    BOOST_TEST(w.ledger.settles_when_proved_absent(0));
    ledger_step absent = w.ledger.proved_absent(0, true);
    BOOST_TEST((events_of(absent) == std::vector{journal_event::create_absent}));
    BOOST_TEST((absent.action == next_action::create_later));
    BOOST_TEST(absent.watch_late);
    BOOST_TEST(w.counts().replaced == 1u);

    w.create(0, "i-new");
    BOOST_TEST(w.counts().created == 1u);
    // The first create's machine appears late: the name is held, it is an extra.
    ledger_step extra = w.ledger.extra_destroyed(0, "i-late", {});
    BOOST_TEST((events_of(extra) == std::vector{journal_event::extra_destroyed}));
    BOOST_TEST(extra[0].extra_id == "i-late");
    BOOST_TEST(w.ledger.item(0).id == "i-new");
    BOOST_TEST((w.ledger.item(0).replaced == std::vector<std::string>{"i-late"}));
    BOOST_TEST(w.counts().created == 1u);
}

BOOST_AUTO_TEST_CASE(a_late_machine_before_the_replacement_is_sent_is_adopted) {
    walk w(1);
    w.ledger.create_started(0);
    w.ledger.create_written(0, true);
    w.ledger.create_failed(0, errc::outcome_unknown, status(500, "Internal Server Error"), true, true);
    w.ledger.proved_absent(0, false);
    BOOST_TEST(w.ledger.may_send(0));
    ledger_step adopted = w.ledger.found_by_name(0, found("i-late", "web-1"));
    BOOST_TEST((events_of(adopted) == std::vector{journal_event::reconciled}));
    BOOST_TEST((adopted.action == next_action::none));  // the queue follows it when it comes round
    BOOST_TEST((w.ledger.item(0).stage == provision_stage::created));
    BOOST_TEST(w.ledger.item(0).reconciled);
    BOOST_TEST(!w.ledger.may_send(0));  // no second create
    BOOST_TEST(w.counts().created == 1u);
}

BOOST_AUTO_TEST_CASE(an_unknown_create_found_by_name_is_followed) {
    walk w(1);
    w.ledger.create_started(0);
    w.ledger.create_written(0, true);
    ledger_step unknown = w.ledger.create_failed(0, errc::bad_response, {}, true, true);
    BOOST_TEST(unknown.answered);  // an unreadable answer: the server is done with it
    ledger_step adopted = w.ledger.found_by_name(0, found("i-1", "web-1"));
    BOOST_TEST((adopted.action == next_action::follow));
    BOOST_TEST(w.counts().created == 1u);
}

BOOST_AUTO_TEST_CASE(a_create_never_sent_goes_back_to_the_queue_three_times) {
    walk w(1);
    for (int round = 0; round < 3; ++round) {
        w.ledger.create_started(0);
        ledger_step unsent = w.ledger.create_failed(0, errc::timeout, {}, false, false);
        BOOST_TEST((unsent.action == next_action::send_again));
        BOOST_TEST(unsent.size() == 0u);
        BOOST_TEST((w.ledger.item(0).stage == provision_stage::pending));
    }
    w.ledger.create_started(0);
    ledger_step last = w.ledger.create_failed(0, errc::timeout, {}, false, true);
    BOOST_TEST((events_of(last) == std::vector{journal_event::create_unsent, journal_event::create_failed}));
    BOOST_TEST((w.ledger.item(0).stage == provision_stage::failed));
    BOOST_TEST(w.ledger.item(0).details.client_message.find("three tries") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fail_fast_stops_at_ten_percent_counting_failed_tries) {
    provision_options o;
    o.max_failure_share = 0.10;
    walk w(20, o);
    w.create(0, "i-1");
    // A refused create is tried again, and counts as a failure at once.
    w.ledger.create_started(1);
    w.ledger.create_written(1, true);
    ledger_step first = w.ledger.create_failed(1, errc::server_error, status(500, "Machine creation failed: quota"), true, true);
    BOOST_TEST((first.action == next_action::create_later));
    BOOST_TEST((first.stop == stop_kind::none));
    w.ledger.create_started(2);
    w.ledger.create_written(2, true);
    ledger_step second = w.ledger.create_failed(2, errc::server_error, status(500, "Machine creation failed: quota"), true, true);
    BOOST_TEST((events_of(second) == std::vector{journal_event::create_retry, journal_event::batch_stopping}));
    BOOST_TEST((second.stop == stop_kind::gently));
    BOOST_TEST(second[1].machine == journal_entry::batch_wide);
    BOOST_TEST(second[1].reason.find("2 failures for 20 machines (max_failure_share 10 %)") == 0u);
    BOOST_TEST(w.ledger.stopping());
    BOOST_TEST(!w.ledger.cancelled());
    BOOST_TEST(w.ledger.stop_reason() == second[1].reason);
    BOOST_TEST(!w.ledger.may_replace(3));
    // A second stop reason is not recorded: the batch already stops.
    BOOST_TEST(w.ledger.stop_early("another").size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_refusal_every_create_would_meet_stops_before_any_succeeded) {
    walk w(5);
    w.ledger.create_started(0);
    w.ledger.create_written(0, true);
    ledger_step refused = w.ledger.create_failed(0, errc::unauthorized, status(401, "Authentication required"), true, true);
    BOOST_TEST((events_of(refused) == std::vector{journal_event::create_failed, journal_event::batch_stopping}));
    BOOST_TEST(refused[0].step == "create");
    BOOST_TEST(refused[0].status == 401);
    BOOST_TEST(refused[1].reason.find("before any succeeded") != std::string::npos);
    BOOST_TEST((refused.stop == stop_kind::gently));
}

BOOST_AUTO_TEST_CASE(the_first_cancellation_stops_gently_the_second_at_once) {
    walk w(3);
    w.create(0, "i-1");
    w.ledger.create_started(1);
    w.ledger.create_written(1, true);
    ledger_step first = w.ledger.cancel_requested();
    BOOST_TEST((first.stop == stop_kind::gently));
    BOOST_TEST(first.size() == 0u);
    BOOST_TEST(w.ledger.stopping());
    BOOST_TEST(w.ledger.cancelled());
    BOOST_TEST(!w.ledger.settle_while_stopping());  // no rollback: nothing to look for
    // A create that was waiting for a connection is not sent: its name stays pending.
    w.ledger.create_started(2);
    ledger_step unsent = w.ledger.create_failed(2, boost::asio::error::operation_aborted, {}, false, false);
    BOOST_TEST((unsent.action == next_action::none));
    BOOST_TEST((w.ledger.item(2).stage == provision_stage::pending));
    // The written create finishes, and is followed no further than the driver allows.
    w.ledger.item(1).id = "i-2";
    w.ledger.create_answered(1, 1s);
    BOOST_TEST(w.counts().created == 2u);
    // A wait cut short by the stop is not a failure.
    ledger_step cut = w.ledger.wait_failed(0, boost::asio::error::operation_aborted, {}, "probe");
    BOOST_TEST(cut.size() == 0u);
    BOOST_TEST(w.counts().failed == 0u);
    ledger_step second = w.ledger.cancel_requested();
    BOOST_TEST((second.stop == stop_kind::now));
}

BOOST_AUTO_TEST_CASE(with_rollback_a_stopped_batch_still_looks_for_unknown_creates) {
    provision_options o;
    o.rollback = true;
    walk w(1, o);
    BOOST_TEST((w.ledger.cancel_requested().stop == stop_kind::gently));
    BOOST_TEST(w.ledger.settle_while_stopping());
    BOOST_TEST((w.ledger.cancel_requested().stop == stop_kind::now));
    BOOST_TEST(!w.ledger.settle_while_stopping());
}

BOOST_AUTO_TEST_CASE(rollback_destroys_what_exists_and_nothing_stops_it) {
    provision_options o;
    o.rollback = true;
    o.max_attempts = 1;
    walk w(3, o);
    w.create(0, "i-1");
    w.create(1, "i-2");
    w.probe(0);
    w.ledger.wait_failed(1, errc::timeout, {}, "probe");
    BOOST_TEST(w.counts().failed == 1u);
    w.ledger.begin_rollback();
    BOOST_TEST((w.ledger.cancel_requested().stop == stop_kind::none));
    BOOST_TEST(!w.ledger.may_replace(2));
    ledger_step gone = w.ledger.rollback_destroyed(1, {});
    BOOST_TEST((events_of(gone) == std::vector{journal_event::destroyed}));
    BOOST_TEST((w.ledger.item(1).stage == provision_stage::destroyed));
    ledger_step refused = w.ledger.rollback_destroyed(0, errc::timeout);
    BOOST_TEST((events_of(refused) == std::vector{journal_event::destroy_failed}));
    BOOST_TEST((w.ledger.item(0).stage == provision_stage::probed));  // still there, and said so
    BOOST_TEST(w.ledger.item(0).details.client_message.find("rollback failed") != std::string::npos);
    BOOST_TEST(w.counts().destroyed == 1u);
    // Already gone counts as destroyed.
    w.create(2, "i-3");
    w.ledger.rollback_destroyed(2, errc::not_found);
    BOOST_TEST(w.counts().destroyed == 2u);
}

BOOST_AUTO_TEST_CASE(resume_follows_what_the_journal_made_and_looks_for_the_unknown) {
    walk w(3);
    // web-1: created by an earlier run.
    ledger_step made = w.ledger.resumed_created(0, found("i-1", "web-1"), "job-1");
    BOOST_TEST((made.action == next_action::follow));
    BOOST_TEST(made.size() == 0u);  // the journal has it already
    BOOST_TEST(w.ledger.item(0).resumed);
    BOOST_TEST(w.ledger.item(0).job_id == "job-1");
    BOOST_TEST(!w.ledger.may_send(0));
    // web-2: the earlier run's create has no known outcome.
    ledger_step unknown = w.ledger.resumed_unknown(1);
    BOOST_TEST((unknown.action == next_action::look_by_name));
    BOOST_TEST(!w.ledger.may_send(1));
    BOOST_TEST(!w.ledger.settles_when_proved_absent(1));  // only the end of its window tells
    // Absent for its whole window: created again, and a late machine is watched for.
    ledger_step absent = w.ledger.absent_for_window(1);
    BOOST_TEST((events_of(absent) == std::vector{journal_event::create_absent}));
    BOOST_TEST((absent.action == next_action::send_again));
    BOOST_TEST(absent.watch_late);
    BOOST_TEST(!w.ledger.item(1).resumed);
    BOOST_TEST(w.ledger.may_send(1));
    // web-3: never sent: created as in a new batch.
    BOOST_TEST(w.ledger.may_send(2));
    w.create(1, "i-2");
    w.create(2, "i-3");
    BOOST_TEST(w.counts().created == 3u);
    BOOST_TEST(w.counts().replaced == 0u);  // a resumed name made again is not a replacement
}

BOOST_AUTO_TEST_CASE(this_runs_unknown_create_fails_at_the_end_of_its_window_when_stopping) {
    walk w(1);
    w.ledger.create_started(0);
    w.ledger.create_written(0, true);
    w.ledger.create_failed(0, errc::timeout, {}, true, true);
    w.ledger.cancel_requested();
    ledger_step cut = w.ledger.absent_after_stop(0, true);
    BOOST_TEST((events_of(cut) == std::vector{journal_event::create_unknown}));  // "may exist" in the journal
    BOOST_TEST(w.ledger.item(0).may_exist());
    BOOST_TEST(w.ledger.item(0).details.client_message.find("no machine named web-1 was found") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failed_script_fails_the_machine_only_when_asked) {
    provision_options o;
    o.script_failure_fails = true;
    walk w(2, o);
    for (std::size_t i = 0; i < 2; ++i) {
        w.create(i, "i-" + std::to_string(i));
        w.ledger.running(i, false);
        w.ledger.probed(i, false);
    }
    w.ledger.item(0).script = script_result{.finished = true, .exit_code = 0};
    ledger_step ok = w.ledger.scripted(0);
    BOOST_TEST(*ok[0].ok);
    BOOST_TEST((w.ledger.item(0).stage == provision_stage::scripted));
    w.ledger.item(1).script = script_result{.finished = true, .exit_code = 2, .error = "the script exited with code 2"};
    ledger_step bad = w.ledger.scripted(1);
    BOOST_TEST((events_of(bad) == std::vector{journal_event::scripted, journal_event::failed}));
    BOOST_TEST(*bad[0].exit_code == 2);
    BOOST_TEST((w.ledger.item(1).error == errc::script_failed));
    BOOST_TEST(w.counts().scripted == 1u);
    BOOST_TEST(w.counts().finished == 1u);
}

BOOST_AUTO_TEST_CASE(the_settle_margin_follows_the_servers_usual_create_time) {
    provision_options o;
    o.reconcile_window = std::chrono::seconds(60);
    walk w(1, o);
    BOOST_TEST((w.ledger.settle_margin() == std::chrono::steady_clock::duration(60s)));  // nothing answered yet
    for (int k = 0; k < 10; ++k) w.ledger.note_create_time(1s);
    BOOST_TEST((w.ledger.settle_margin() == std::chrono::steady_clock::duration(2500ms)));
}

BOOST_AUTO_TEST_CASE(every_event_name_is_the_journals) {
    BOOST_TEST(name_of(journal_event::create_unknown) == "create_unknown");
    BOOST_TEST(name_of(journal_event::extra_destroy_failed) == "extra_destroy_failed");
    BOOST_TEST(name_of(journal_event::batch_stopping) == "batch_stopping");
}
