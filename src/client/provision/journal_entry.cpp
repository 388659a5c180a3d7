#include "provision/journal_entry.hpp"

namespace mistasync::detail {

std::string_view name_of(journal_event e) noexcept {
    switch (e) {
    case journal_event::creating: return "creating";
    case journal_event::created: return "created";
    case journal_event::create_unsent: return "create_unsent";
    case journal_event::create_failed: return "create_failed";
    case journal_event::create_unknown: return "create_unknown";
    case journal_event::create_retry: return "create_retry";
    case journal_event::create_absent: return "create_absent";
    case journal_event::reconciled: return "reconciled";
    case journal_event::running: return "running";
    case journal_event::probed: return "probed";
    case journal_event::script_sending: return "script_sending";
    case journal_event::script_started: return "script_started";
    case journal_event::scripted: return "scripted";
    case journal_event::failed: return "failed";
    case journal_event::replacing: return "replacing";
    case journal_event::destroyed: return "destroyed";
    case journal_event::destroy_failed: return "destroy_failed";
    case journal_event::extra_destroyed: return "extra_destroyed";
    case journal_event::extra_destroy_failed: return "extra_destroy_failed";
    case journal_event::batch_stopping: return "batch_stopping";
    }
    return "unknown";
}

}  // namespace mistasync::detail
