// `mistasync cleanup`: destroys what a provision journal says a batch made (never a
// machine that was there before it: plan_cleanup decides), or what a batch tagged (v1).
#include "cli.hpp"
#include "commands.hpp"
#include "lookup.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mistcli {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::awaitable;
using namespace mistasync;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// cleanup --batch ID: the machines a batch tagged (v1), found without its journal.
awaitable<int> cleanup_batch(context& c) {
    const std::string id = c.args.get(opt::batch);
    if (!batch_liveness::plain_id(id)) throw usage_failure("--batch takes the batch id a provision printed (letters, digits, '-', '_', '.')");
    // A batch still running would make again what this destroys: refuse while it is alive.
    if (long pid = 0; batch_liveness::running(id, pid)) {
        diagnostics d;
        d.client_message = "batch " + id + " is still running (process " + (pid ? std::to_string(pid) : std::string("?")) +
                           " on this machine): stop it first (Ctrl-C, or kill -TERM; with --rollback it destroys its own machines), "
                           "then clean up; nothing destroyed";
        throw mistasync::error(errc::conflict, d);
    }
    const machine_filter tagged{.tag = std::string(batch_tag_key) + "=" + id};
    machine_listing listing;
    if (c.args.has(opt::backend)) listing.machines = co_await (co_await find_backend(c.mist, c.args.get(opt::backend))).machines(tagged);
    else listing = co_await c.mist.machines(tagged);
    if (listing.machines.empty() && c.mist.era() == api_era::legacy)
        throw usage_failure("2015 servers keep no tags from a create: cleanup --journal FILE finds a batch's machines there");
    std::size_t destroyed = 0, failed = 0;
    for (auto& m : listing.machines) {
        if (m.state == machine_state::terminated) continue;
        auto [ec] = co_await m.destroy(use_tuple);
        if (ec) {
            ++failed;
            std::fprintf(stderr, "%s (%s): %s\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str(), ec.message().c_str());
            continue;
        }
        ++destroyed;
        if (!c.json) std::printf("destroyed %s (%s)\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str());
    }
    for (auto& f : listing.failures)
        std::fprintf(stderr, "backend %s could not be listed (%s): its machines of the batch, if any, remain\n", terminal_safe_line(f.backend_title).c_str(),
                     f.error.message().c_str());
    if (c.json) print_json(json::object{{"destroyed", destroyed}, {"failed", failed}});
    else std::printf("%zu destroyed, %zu failed\n", destroyed, failed);
    co_return failed || !listing.failures.empty() ? api_failure : ok;
}

// Destroys what a journal says the batch made, and nothing else: a machine whose id and
// name both match a journal record (at most one per name); for a create whose outcome
// stayed unknown, the one machine of that name that was not there before the batch (none
// if several could be it). A journal of another server or backend is refused.
}  // namespace

awaitable<int> cleanup_command(context& c) {
    if (c.args.has(opt::batch)) co_return co_await cleanup_batch(c);
    std::string path = c.args.required(opt::journal);
    if (::access(path.c_str(), F_OK) != 0) throw usage_failure("no journal at " + path);
    // A batch still running on this journal would go on creating: refuse, as it does.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) throw usage_failure("cannot read journal " + path + ": " + std::strerror(errno));
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } hold{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw usage_failure("journal " + path + " is not a regular file: nothing destroyed");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        diagnostics d;
        d.client_message = "journal " + path + " is in use by a running batch (it holds the file's lock)";
        throw mistasync::error(errc::conflict, d);
    }
    journal_batch header;
    std::vector<journal_record> records;
    try {
        header = read_journal_batch(path);
        records = read_journal(path);
    } catch (const boost::system::system_error& e) {
        throw usage_failure(std::string(e.what()) + ": nothing destroyed");
    }
    if (!header.found && records.empty())
        throw usage_failure("journal " + path + " records no batch (it is empty, or not a provision journal): nothing destroyed");
    if (header.found && header.server != c.mist.server()) {
        diagnostics d;
        d.client_message = "journal " + path + " records a batch on " + header.server + ", not on " + c.mist.server() + ": nothing destroyed";
        throw mistasync::error(errc::invalid_argument, d);
    }
    // The library decides what is the batch's (plan_cleanup); this lists and destroys.
    std::map<std::string, std::vector<machine>> listed;  // one list per backend, not one per machine
    for (const std::string& backend_id : cleanup_backends(header, records))
        listed[backend_id] = co_await (co_await find_backend(c.mist, backend_id)).machines();
    const cleanup_plan plan = plan_cleanup(header, records, listed);
    for (auto& name : plan.ignored)
        std::fprintf(stderr, "mistasync: journal %s: a line for %s, which no batch record lists: ignored\n", path.c_str(),
                     terminal_safe(name).c_str());
    for (auto& name : plan.ambiguous)
        std::fprintf(stderr, "%s: cannot tell which machine the batch's create of unknown outcome made; none destroyed\n",
                     terminal_safe_line(name).c_str());
    const std::size_t left_alone = plan.ambiguous.size();
    const std::vector<machine>& doomed = plan.destroy;
    std::size_t destroyed = 0, failed = 0;
    for (auto& m : doomed) {
        auto [ec] = co_await m.destroy(use_tuple);
        if (ec) {
            ++failed;
            std::fprintf(stderr, "%s (%s): %s\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str(), ec.message().c_str());
        } else {
            ++destroyed;
            if (!c.json) std::printf("destroyed %s (%s)\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str());
        }
    }
    if (c.json) print_json(json::object{{"destroyed", destroyed}, {"failed", failed}, {"left_alone", left_alone}});
    else std::printf("%zu destroyed, %zu failed\n", destroyed, failed);
    co_return failed ? api_failure : ok;
}

}  // namespace mistcli
