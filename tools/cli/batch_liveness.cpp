// A batch alive on this machine (cli.hpp batch_liveness): a lock file per batch id in a
// directory of the user's own, held with flock by the provision that runs the batch (the
// kernel releases it when that process dies, kill -9 included).
#include "cli.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mistcli {

namespace {

// A directory only this user can write: another user could otherwise plant locks that
// block cleanup, or symbolic links.
bool own_private_directory(const std::string& dir) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return false;
        if (::lstat(dir.c_str(), &st) != 0) return false;
    }
    return S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::string lock_directory() {
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime == '/') {
        std::string dir = std::string(runtime) + "/mistasync";
        if (own_private_directory(dir)) return dir;
    }
    std::string dir = "/tmp/mistasync-" + std::to_string(::geteuid());
    return own_private_directory(dir) ? dir : std::string();
}

}  // namespace

bool batch_liveness::plain_id(const std::string& id) {
    return !id.empty() && id.size() <= 64 && id.front() != '.' && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    });
}

batch_liveness::batch_liveness(const std::string& batch_id) {
    const std::string dir = plain_id(batch_id) ? lock_directory() : std::string();
    if (dir.empty()) {
        std::fprintf(stderr, "mistasync: warning: no private directory for the batch's lock: `cleanup --batch` cannot tell "
                             "that this batch runs\n");
        return;
    }
    path_ = dir + "/batch-" + batch_id + ".lock";
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        return;  // another run of the same batch holds it (its journal's lock refuses this one)
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::write(fd_, pid.data(), pid.size()) < 0) {
        // The lock is what counts; the pid is a courtesy.
    }
}

batch_liveness::~batch_liveness() {
    if (fd_ < 0) return;
    ::unlink(path_.c_str());  // before the lock goes: a cleanup never sees a stale file as alive
    ::close(fd_);
}

bool batch_liveness::running(const std::string& batch_id, long& pid) {
    pid = 0;
    if (!plain_id(batch_id)) return false;
    const std::string dir = lock_directory();
    if (dir.empty()) return false;
    const std::string path = dir + "/batch-" + batch_id + ".lock";
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    char text[32] = {};
    if (held && ::read(fd, text, sizeof text - 1) > 0) pid = std::strtol(text, nullptr, 10);
    ::close(fd);
    return held;
}

}  // namespace mistcli
