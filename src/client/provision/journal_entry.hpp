// A journal line a batch's ledger asks for, as a typed value: which event, which machine,
// and the few fields events carry. The batch writes it (batch::apply); the ledger's
// tests read it. The event names are the journal's file format: read_journal and
// cleanup read them back, so a name never changes.
#pragma once

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace mistasync::detail {

enum class journal_event : unsigned char {
    creating,              ///< a create's request is about to be written (its attempt)
    created,               ///< its create answered with a machine
    create_unsent,         ///< a create's request was not sent after all: no machine
    create_failed,         ///< a create was refused: no machine
    create_unknown,        ///< a create's outcome is unknown: it may have made a machine
    create_retry,          ///< the name is created again after a back-off
    create_absent,         ///< a list proved a create of unknown outcome made no machine
    reconciled,            ///< a machine of its name was found and taken as the batch's
    running,               ///< seen running
    probed,                ///< answered a probe
    script_sending,        ///< a script's run is about to be written
    script_started,        ///< the run answered with its job
    scripted,              ///< the script stage ended
    failed,                ///< a created machine failed at a later step
    replacing,             ///< a machine that went wrong is destroyed, its name created again
    destroyed,             ///< destroyed (rollback, or before a replacement)
    destroy_failed,        ///< a destroy failed
    extra_destroyed,       ///< a second machine of its name (a late create) was destroyed
    extra_destroy_failed,  ///< ... could not be destroyed
    batch_stopping,        ///< the batch stops itself (fail fast, another batch met)
};

/// The event's name in the journal ("create_unknown").
std::string_view name_of(journal_event e) noexcept;

/// One line to append. Fields left empty are not written.
struct journal_entry {
    static constexpr std::size_t batch_wide = std::numeric_limits<std::size_t>::max();

    journal_event event = journal_event::creating;
    std::size_t machine = batch_wide;  ///< the batch's item (batch_wide: about the batch)
    bool durable = true;               ///< synced before the batch goes on (journal_sync)
    std::string reason;                ///< batch_stopping: why
    std::string extra_id;              ///< extra_destroyed: the extra machine
    std::optional<unsigned> attempt;   ///< creates sent for the name so far
    std::string_view step;             ///< the step that failed ("create", "probe")
    boost::system::error_code error;   ///< what went wrong (written as its message)
    int status = 0;                    ///< the server's HTTP status
    std::string message;               ///< the server's own text
    std::string script_job_id;         ///< script_started: the run's job
    std::optional<int> exit_code;      ///< scripted
    std::optional<bool> ok;            ///< scripted: it succeeded
};

}  // namespace mistasync::detail
