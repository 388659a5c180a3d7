// The rule that decides what a cleanup may destroy (provision.hpp: plan_cleanup). The
// batch's own rule for a create of unknown outcome is adoption.hpp's; this one reads a
// journal after the fact, with the batch record's names and the machines there before.
#include <mistasync/provision.hpp>

#include <algorithm>

namespace mistasync {

namespace {

bool tagged_with(const machine& m, const std::string& batch_id) {
    return std::any_of(m.tags.begin(), m.tags.end(), [&](auto& t) { return t.first == batch_tag_key && t.second == batch_id; });
}

// The records the batch wrote: only names a batch record lists (a line added by hand for
// another name is not the batch's).
std::vector<const journal_record*> batch_records(const journal_batch& header, const std::vector<journal_record>& records,
                                                 std::vector<std::string>* ignored) {
    std::vector<const journal_record*> out;
    for (auto& r : records) {
        if (header.names_recorded && !header.names.contains(r.name)) {
            if (ignored) ignored->push_back(r.name);
            continue;
        }
        if (!r.may_exist()) continue;
        if (header.found && r.backend_id != header.backend_id) continue;  // not the batch's backend
        out.push_back(&r);
    }
    return out;
}

}  // namespace

std::set<std::string> cleanup_backends(const journal_batch& header, const std::vector<journal_record>& records) {
    std::set<std::string> out;
    for (const journal_record* r : batch_records(header, records, nullptr)) out.insert(r->backend_id);
    return out;
}

cleanup_plan plan_cleanup(const journal_batch& header, const std::vector<journal_record>& records,
                          const std::map<std::string, std::vector<machine>>& listed) {
    cleanup_plan plan;
    std::set<std::string> preexisting, journaled_ids, taken;
    for (auto& m : header.preexisting) preexisting.insert(m.id);
    for (auto& r : records)
        if (!r.id.empty()) journaled_ids.insert(r.id);
    auto choose = [&](const machine& m) {
        if (taken.insert(m.id).second) plan.destroy.push_back(m);
    };
    for (const journal_record* r : batch_records(header, records, &plan.ignored)) {
        auto it = listed.find(r->backend_id);
        if (it == listed.end()) continue;
        std::vector<const machine*> matches;
        for (auto& m : it->second) {
            if (m.name != r->name || preexisting.contains(m.id) || m.state == machine_state::terminated) continue;
            if (!r->id.empty() ? m.id == r->id : !journaled_ids.contains(m.id)) matches.push_back(&m);
        }
        if (matches.size() == 1 && (header.found || !r->id.empty())) choose(*matches.front());
        else if (!matches.empty()) plan.ambiguous.push_back(r->name);  // several, or an unknown create of a journal without its batch record
    }
    // v1: a machine tagged with this batch's id, of one of its names, is the batch's even
    // when the journal has no id for it (a create of a killed run that landed after the
    // resume made the name again).
    if (header.found && !header.batch_id.empty() && header.names_recorded)
        for (auto& [backend_id, machines] : listed) {
            if (backend_id != header.backend_id) continue;
            for (auto& m : machines)
                if (tagged_with(m, header.batch_id) && header.names.contains(m.name) && !preexisting.contains(m.id) &&
                    m.state != machine_state::terminated)
                    choose(m);
        }
    return plan;
}

}  // namespace mistasync
