#include "journal.hpp"

#include <mistasync/provision.hpp>

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <map>

namespace mistasync {
namespace detail {

namespace {
[[noreturn]] void throw_errno(const std::string& what) {
    throw boost::system::system_error(boost::system::error_code(errno, boost::system::system_category()), what);
}
}  // namespace

journal_writer::journal_writer(const std::string& path, bool sync) : sync_(sync), path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw_errno("cannot open journal " + path);
}

journal_writer::~journal_writer() {
    if (fd_ >= 0) ::close(fd_);
}

void journal_writer::record(std::string_view event, boost::json::object fields, bool durable) {
    boost::json::object line;
    line["event"] = event;
    line["time"] = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    for (auto& [k, v] : fields) line[k] = std::move(v);
    std::string text = boost::json::serialize(line);
    text += '\n';
    std::string_view rest = text;
    while (!rest.empty()) {
        ssize_t n = ::write(fd_, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("cannot write journal " + path_);
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (durable && sync_ && ::fdatasync(fd_) != 0) throw_errno("cannot sync journal " + path_);
}

}  // namespace detail

std::vector<journal_record> read_journal(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        if (::access(path.c_str(), F_OK) != 0) return {};
        throw boost::system::system_error(boost::system::error_code(errno, boost::system::system_category()),
                                          "cannot read journal " + path);
    }
    std::vector<journal_record> out;
    std::map<std::string, std::size_t> by_name;
    std::string text;
    while (std::getline(in, text)) {
        boost::system::error_code ec;
        auto v = boost::json::parse(text, ec);
        if (ec || !v.is_object()) continue;  // a torn last line after a crash
        auto& o = v.get_object();
        auto str = [&](const char* k) -> std::string {
            auto* f = o.if_contains(k);
            return f && f->is_string() ? std::string(f->get_string()) : std::string();
        };
        std::string name = str("name");
        std::string event = str("event");
        if (name.empty() || event.empty()) continue;
        auto [it, fresh] = by_name.try_emplace(name, out.size());
        if (fresh) out.push_back(journal_record{name, {}, {}, {}});
        journal_record& r = out[it->second];
        r.last_event = event;
        if (auto b = str("backend"); !b.empty()) r.backend_id = b;
        if (auto id = str("id"); !id.empty()) r.id = id;
        // A new create (after a failed or destroyed one) forgets the old id.
        if (event == "creating" || event == "create_failed") r.id.clear();
    }
    return out;
}

}  // namespace mistasync
