// How a batch starts (batch.hpp start_batch): what it owns, and where it
// resumes from.
//
// Ownership is the rule that keeps a batch from destroying what is not its own: the
// journal's first batch record lists every machine that already had one of the batch's
// names when it started. Resume and cleanup never adopt or destroy those, and a create of
// unknown outcome is matched only to a machine of its name that is not among them.
#include "provision/batch.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <set>

namespace mistasync::detail {

namespace json = boost::json;

namespace {

[[noreturn]] void refuse(error_code ec, std::string message) {
    diagnostics d;
    d.client_message = std::move(message);
    throw op_failure(ec, std::move(d));
}

// The batch's names; refuses empty and repeated ones.
std::set<std::string_view> checked_names(const std::vector<machine_spec>& specs) {
    std::set<std::string_view> names;
    for (auto& s : specs) {
        if (s.name.empty()) refuse(errc::invalid_argument, "every spec needs a name");
        if (!names.insert(s.name).second) refuse(errc::invalid_argument, "two specs are named " + s.name + ": names identify machines");
    }
    return names;
}

std::string list_of(const std::vector<journal_batch::machine_ref>& machines) {
    std::string out;
    std::size_t shown = 0;
    for (auto& m : machines) {
        if (shown++ == 10) {
            out += ", … (" + std::to_string(machines.size()) + " in all)";
            break;
        }
        out += (out.empty() ? "" : ", ") + m.name + " (" + m.id + ")";
    }
    return out;
}

}  // namespace

awaitable<void> start_batch(batch& b) {
    const std::set<std::string_view> names = checked_names(b.specs);
    const std::string server = server_identity(b.op.state->url);
    std::map<std::string, journal_record> earlier;
    journal_batch recorded;
    if (!b.options.journal_path.empty()) {
        const std::string& path = b.options.journal_path;
        try {
            b.journal.emplace(path, b.options.journal_sync);  // locks it: a second run stops here
            recorded = read_journal_batch(path);
            // A line for a name no run of the batch recorded was not the batch's to write.
            for (auto& r : read_journal(path))
                if (names.contains(r.name) && (r.backend_id.empty() || r.backend_id == b.target.id) &&
                    (!recorded.names_recorded || recorded.names.contains(r.name)))
                    earlier[r.name] = r;
        } catch (const boost::system::system_error& e) {
            refuse(e.code(), e.what());
        }
        if (recorded.found && (recorded.server != server || recorded.backend_id != b.target.id))
            refuse(errc::invalid_argument, "journal " + path + " belongs to a batch on " + recorded.server + ", backend " +
                                               recorded.backend_id + "; this batch is on " + server + ", backend " +
                                               b.target.id + ": use another journal");
    }

    // What exists before we create anything.
    diagnostics d;
    auto [ec, existing] = co_await b.target.with({.details = &d}).machines({.server_search = names_search(b), .only = machine_fields_used}, use_tuple);
    if (ec) throw op_failure(ec, d);
    std::set<std::string> ours;
    for (auto& [name, r] : earlier)
        if (!r.id.empty()) ours.insert(r.id);
    std::vector<journal_batch::machine_ref> preexisting;
    if (recorded.found) {
        preexisting = recorded.preexisting;  // as the first run saw them
    } else {
        // Everything named like the batch and not journaled as ours. (Resuming a journal
        // without an ownership record, a machine its unknown creates made is taken as not
        // ours: never destroyed, at worst left behind.)
        for (auto& m : existing)
            if (names.contains(m.name) && !ours.contains(m.id)) preexisting.push_back({m.id, m.name});
        if (!preexisting.empty() && !b.options.allow_existing_names)
            refuse(errc::conflict, "machines with the batch's names already exist on backend " + b.target.title + ": " +
                                       list_of(preexisting) +
                                       "; a batch could not tell them from its own (allow_existing_names, or "
                                       "--allow-existing-names, keeps them out of it)");
    }
    for (auto& m : preexisting) b.foreign_ids.insert(m.id);

    // The batch's id: the journal's when resuming, so its machines keep one tag.
    if (recorded.found && !recorded.batch_id.empty()) b.options.batch_id = recorded.batch_id;
    // 12 hex digits: short enough to type in `cleanup --batch`, unique enough per account.
    if (b.options.batch_id.empty()) b.options.batch_id = b.random_hex(12);
    b.era = b.op.state->session.era;
    if (b.options.tag_batch && b.era != api_era::legacy) {
        for (auto& spec : b.specs) {
            std::erase_if(spec.tags, [](auto& kv) { return kv.first == batch_tag_key; });
            spec.tags.emplace_back(batch_tag_key, b.options.batch_id);
        }
        // v2 lists the batch's own machines, by its tag, when it waits for them to run.
        const std::string own = "tag:" + std::string(batch_tag_key) + "," + b.options.batch_id;
        for (wait_policy* p : {&b.options.running_policy, &b.options.probe_policy})
            if (b.era == api_era::v2 && p->list_search.empty()) p->list_search = own;
    }

    b.ledger.begin(b.specs);
    if (!earlier.empty()) b.earlier.assign(b.specs.size(), journal_record{});  // a new batch needs none
    if (b.journal) {
        json::array listed;
        for (auto& m : preexisting) listed.push_back(json::object{{"id", m.id}, {"name", m.name}});
        json::array batch_names;
        batch_names.reserve(b.specs.size());
        for (auto& spec : b.specs) batch_names.push_back(json::string(spec.name));
        json::object header{{"server", server},         {"backend", b.target.id},
                            {"batch_id", b.options.batch_id}, {"requested", b.specs.size()},
                            {"resumed", earlier.size()}, {"preexisting", std::move(listed)},
                            {"names", std::move(batch_names)}};
        if (error_code jec = b.journal->record("batch", std::move(header), true))
            refuse(jec, "cannot write journal " + b.options.journal_path + ": " + jec.message());
    }

    if (b.options.on_start) b.options.on_start(b.options.batch_id);

    // Machines of the batch's names that are neither there-before nor journaled nor tagged
    // by another batch: only an earlier run of this batch can have made them (one per
    // name, else none is taken).
    std::map<std::string, const machine*> unclaimed;
    std::set<std::string> repeated;
    for (auto& m : existing)
        if (names.contains(m.name) && !ours.contains(m.id) && !b.foreign_ids.contains(m.id) && rival_batch_of(b, m).empty())
            if (!unclaimed.emplace(m.name, &m).second) repeated.insert(m.name);
    for (auto& name : repeated) unclaimed.erase(name);

    const double now_unix = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto now = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < b.specs.size(); ++i) {
        provisioned_machine& m = b.items[i];
        auto it = earlier.find(m.name);
        if (it == earlier.end() || !it->second.may_exist()) {
            // Never sent, or journaled as absent: created, unless a machine of its name
            // appeared that is none but this batch's (an earlier run's late create).
            if (auto late = unclaimed.find(m.name); recorded.found && late != unclaimed.end())
                b.apply(b.ledger.found_by_name(i, b.slim(*late->second)));  // the worker that takes it follows it
            continue;
        }
        b.earlier[i] = it->second;
        if (!it->second.id.empty()) {
            m.id = it->second.id;
            b.apply(b.ledger.resumed_created(i, b.handle_for(m), it->second.job_id));
            continue;
        }
        // An earlier run's create of unknown outcome: looked for until reconcile_window
        // after it was sent, then created again if absent.
        b.apply(b.ledger.resumed_unknown(i));
        const double sent_at = it->second.sent_at > 0 ? it->second.sent_at : now_unix;
        auto left = std::chrono::duration<double>(sent_at + std::chrono::duration<double>(b.options.reconcile_window).count() - now_unix);
        auto give_up = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::max(left, std::chrono::duration<double>(0)));
        batch::unresolved_create u{.index = i, .give_up_at = give_up, .sent_at = give_up - b.options.reconcile_window};
        b.await_outcome(u);
    }
    co_return;
}

}  // namespace mistasync::detail
