#include "provision/journal.hpp"

#include <mistasync/provision.hpp>

#include <boost/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <map>

namespace mistasync {
namespace detail {

namespace {
boost::system::error_code last_error() { return {errno, boost::system::system_category()}; }
}  // namespace

journal_writer::journal_writer(const std::string& path, bool sync) : sync_(sync), path_(path) {
    // 0600: a journal names the account's machines and the server. O_NONBLOCK: a FIFO
    // without a reader fails here instead of hanging the batch before it starts.
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0600);
    if (fd_ < 0) throw boost::system::system_error(last_error(), "cannot open journal " + path);
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd_);
        fd_ = -1;
        // /dev/full, /dev/null, a FIFO: nothing written there could be read back to resume.
        throw boost::system::system_error(make_error_code(boost::system::errc::invalid_argument),
                                          "journal " + path + " is not a regular file");
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        auto ec = last_error();
        ::close(fd_);
        fd_ = -1;
        if (ec == boost::system::errc::operation_would_block)
            throw boost::system::system_error(ec, "journal " + path + " is in use by another run (it holds the file's lock)");
        throw boost::system::system_error(ec, "cannot lock journal " + path);
    }
    // A line torn by a crash would swallow the first record of this run: end it first.
    char last = '\n';
    if (st.st_size > 0 && ::pread(fd_, &last, 1, st.st_size - 1) == 1 && last != '\n' && ::write(fd_, "\n", 1) != 1) {
        auto ec = last_error();
        ::close(fd_);
        fd_ = -1;
        throw boost::system::system_error(ec, "cannot write journal " + path);
    }
}

journal_writer::~journal_writer() {
    if (fd_ >= 0) ::close(fd_);  // also releases the lock
}

namespace {

// Appends the JSON text of `what` (a value's address, or a string), read in chunks: no
// allocation for the scalars and strings a journal line holds (the serializer's stack is
// only used for nested containers).
template <class Source>
void append_json(std::string& out, Source what) {
    boost::json::serializer sr;
    sr.reset(what);
    char chunk[512];
    while (!sr.done()) out.append(sr.read(chunk, sizeof chunk));
}

void append_key(std::string& out, std::string_view key) {
    out += ",\"";
    out += key;
    out += "\":";
}

}  // namespace

boost::system::error_code journal_writer::record(std::string_view event, const boost::json::object& fields, bool durable,
                                                 std::span<const text_field> texts) {
    if (failure_) return failure_;
    line_.clear();
    line_ += "{\"event\":";
    append_json(line_, std::string_view(event));
    append_key(line_, "time");
    const boost::json::value time(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    append_json(line_, &time);
    for (auto& [k, v] : fields) {
        line_ += ',';
        append_json(line_, std::string_view(k));
        line_ += ':';
        append_json(line_, &v);
    }
    for (auto& [k, v] : texts) {
        append_key(line_, k);
        append_json(line_, std::string_view(v));
    }
    line_ += "}\n";
    std::string_view rest = line_;
    while (!rest.empty()) {
        ssize_t n = ::write(fd_, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return failure_ = last_error();
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (durable && sync_ && ::fdatasync(fd_) != 0) return failure_ = last_error();
    return {};
}

}  // namespace detail

namespace {

std::string text_of(const boost::json::object& o, const char* key) {
    auto* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

// A journal line is at most this long: the batch record names every machine of the
// batch (about 40 bytes each), so this holds a batch of over a million.
constexpr std::size_t max_line = 64u << 20;

[[noreturn]] void unreadable(int error, const std::string& path, const std::string& why) {
    throw boost::system::system_error(boost::system::error_code(error, boost::system::system_category()), "cannot read journal " + path + why);
}

// Calls `each` with every well-formed line's object; a torn last line after a crash, or
// garbage, is skipped. Only a regular file is read (a FIFO would hang, /dev/zero never
// end), and a line is bounded.
template <class Each>
void each_line(const std::string& path, Each each) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT) return;
        unreadable(errno, path, "");
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } hold{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) unreadable(errno, path, "");
    if (!S_ISREG(st.st_mode)) unreadable(EINVAL, path, ": not a regular file");
    std::string pending;
    char chunk[1 << 16];
    auto line_done = [&](std::string_view text) {
        boost::system::error_code ec;
        auto v = boost::json::parse(text, ec);
        if (!ec && v.is_object()) each(v.get_object());
    };
    for (;;) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) unreadable(errno, path, "");
        if (n == 0) break;
        std::string_view in(chunk, static_cast<std::size_t>(n));
        for (std::size_t nl; (nl = in.find('\n')) != std::string_view::npos; in.remove_prefix(nl + 1)) {
            if (pending.empty()) {
                line_done(in.substr(0, nl));
            } else {
                pending.append(in.substr(0, nl));
                line_done(pending);
                pending.clear();
            }
        }
        pending.append(in);
        if (pending.size() > max_line) unreadable(EFBIG, path, ": a line is over 64 MB (not a journal)");
    }
    line_done(pending);  // a last line without its newline: kept when whole, skipped when torn
}

}  // namespace

std::vector<journal_record> read_journal(const std::string& path) {
    std::vector<journal_record> out;
    std::map<std::string, std::size_t> by_name;
    each_line(path, [&](const boost::json::object& o) {
        std::string name = text_of(o, "name");
        std::string event = text_of(o, "event");
        if (name.empty() || event.empty()) return;
        auto [it, fresh] = by_name.try_emplace(name, out.size());
        if (fresh) out.push_back(journal_record{name, {}, {}, {}});
        journal_record& r = out[it->second];
        r.last_event = event;
        if (auto b = text_of(o, "backend"); !b.empty()) r.backend_id = b;
        if (auto id = text_of(o, "id"); !id.empty()) r.id = id;
        if (auto job = text_of(o, "job_id"); !job.empty()) r.job_id = job;
        if (auto run = text_of(o, "script_job_id"); !run.empty()) r.script_job_id = run;
        if (auto* code = o.if_contains("exit_code"); code && code->is_int64()) r.script_exit_code = static_cast<int>(code->get_int64());
        // A new create (after a failed or destroyed one) forgets the old id and its script.
        if (event == "creating" || event == "create_failed" || event == "create_unsent" || event == "create_retry") {
            r.id.clear();
            r.job_id.clear();
            r.script_job_id.clear();
            r.script_exit_code.reset();
        }
        if (event == "creating")
            if (auto* t = o.if_contains("time"); t && t->is_number()) r.sent_at = t->to_number<double>();
    });
    return out;
}

journal_batch read_journal_batch(const std::string& path) {
    journal_batch out;
    each_line(path, [&](const boost::json::object& o) {
        if (text_of(o, "event") != "batch") return;
        // Every run's record names its machines: what cleanup may ever take as the batch's.
        if (auto* names = o.if_contains("names"); names && names->is_array()) {
            out.names_recorded = true;
            for (auto& n : names->get_array())
                if (n.is_string()) out.names.insert(std::string(n.get_string()));
        }
        if (out.found) return;
        auto* pre = o.if_contains("preexisting");
        if (!pre || !pre->is_array()) return;  // journals of 0.2.0 have no ownership record
        out.found = true;
        out.server = text_of(o, "server");
        out.backend_id = text_of(o, "backend");
        out.batch_id = text_of(o, "batch_id");
        for (auto& m : pre->get_array()) {
            if (!m.is_object()) continue;
            out.preexisting.push_back({text_of(m.get_object(), "id"), text_of(m.get_object(), "name")});
        }
    });
    return out;
}

}  // namespace mistasync
