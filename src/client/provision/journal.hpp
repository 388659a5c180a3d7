// The provisioning journal: append-only JSON lines, one per event of a machine's create
// and life in a batch. Written with one write(2) per line (O_APPEND, no user-space
// buffer), so a crash of the process loses nothing already recorded; journal_sync adds
// fdatasync for power loss. The file is created 0600 and held with an exclusive flock
// while a batch runs: two runs of one journal would create every machine twice.
#pragma once

#include <boost/json/object.hpp>
#include <boost/system/error_code.hpp>

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace mistasync::detail {

class journal_writer {
public:
    /// Opens (creating or appending) and locks. Throws boost::system::system_error, whose
    /// message names the file (and says when another run holds it).
    journal_writer(const std::string& path, bool sync);
    ~journal_writer();
    journal_writer(const journal_writer&) = delete;
    journal_writer& operator=(const journal_writer&) = delete;

    /// A text field of a line; its key is a plain identifier (no escaping needed).
    using text_field = std::pair<std::string_view, std::string_view>;

    /// Appends one line: "event" and "time" (unix seconds), then `fields`, then `texts`.
    /// `durable` lines are synced when the journal was opened with sync. After a failed
    /// write nothing more is written (a torn line stays the last); the error is returned.
    /// The line is built in a buffer the writer keeps: a batch writes several per machine.
    boost::system::error_code record(std::string_view event, const boost::json::object& fields, bool durable = false,
                                     std::span<const text_field> texts = {});

    /// The first failure, if any ("cannot write journal PATH: File too large").
    const boost::system::error_code& failure() const { return failure_; }
    const std::string& path() const { return path_; }

private:
    int fd_ = -1;
    bool sync_ = false;
    std::string path_;
    std::string line_;  ///< the line being written (its capacity is kept)
    boost::system::error_code failure_;
};

}  // namespace mistasync::detail
