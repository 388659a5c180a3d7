// The provisioning journal: append-only JSON lines, one per event of a machine's create
// and life in a batch. Written with one write(2) per line (O_APPEND, no user-space
// buffer), so a crash of the process loses nothing already recorded; journal_sync adds
// fdatasync for power loss.
#pragma once

#include <boost/json/object.hpp>

#include <string>

namespace mistasync::detail {

class journal_writer {
public:
    /// Opens (creating or appending). Throws boost::system::system_error.
    journal_writer(const std::string& path, bool sync);
    ~journal_writer();
    journal_writer(const journal_writer&) = delete;
    journal_writer& operator=(const journal_writer&) = delete;

    /// Appends one line: `fields` plus "event" and "time" (unix seconds). `durable`
    /// lines are synced when the journal was opened with sync.
    void record(std::string_view event, boost::json::object fields, bool durable = false);

private:
    int fd_ = -1;
    bool sync_ = false;
    std::string path_;
};

}  // namespace mistasync::detail
