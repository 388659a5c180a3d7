// The one rule for every file the command line reads or writes (files.hpp).
#include "files.hpp"

#include "cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace mistcli {

namespace {

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

struct descriptor {
    int fd = -1;
    ~descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit, struct stat* info) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file ignores it.
    descriptor f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
    if (f.fd < 0) throw usage_failure(what + ": cannot read " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) throw usage_failure(what + ": cannot read " + path + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw usage_failure(what + ": " + path + " is " + kind_of(st.st_mode) + ", not a file");
    if (static_cast<std::uintmax_t>(st.st_size) > limit)
        throw usage_failure(what + ": " + path + " is over " + std::to_string(limit / 1024) + " KB");
    // Sized for the file as it is (one byte more, to see that it ended), grown only if it
    // grows while read, never past the limit plus one byte.
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t have = 0;
    while (true) {
        if (have == text.size()) {
            if (text.size() > limit) break;
            text.resize(std::min(text.size() * 2, limit + 1));
        }
        ssize_t n = ::read(f.fd, text.data() + have, text.size() - have);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw usage_failure(what + ": cannot read " + path + ": " + std::strerror(errno));
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
    }
    if (have > limit) throw usage_failure(what + ": " + path + " is over " + std::to_string(limit / 1024) + " KB");
    text.resize(have);
    if (info) *info = st;
    return text;
}

int open_output_file(const std::string& path, const std::string& what, bool append) {
    // 0600: what the CLI writes names the account's machines and addresses. O_NOFOLLOW: a
    // symlink planted at the path must not make us truncate its target. O_NONBLOCK: a FIFO
    // without a reader fails at once instead of hanging.
    descriptor f{::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (append ? O_APPEND : 0), 0600)};
    if (f.fd < 0) {
        if (errno == ELOOP) throw usage_failure(what + ": " + path + " is a symbolic link; give the file itself");
        throw usage_failure(what + ": cannot write " + path + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) throw usage_failure(what + ": cannot write " + path + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw usage_failure(what + ": " + path + " is " + kind_of(st.st_mode) + ", not a file");
    if (!append && ::ftruncate(f.fd, 0) != 0) throw usage_failure(what + ": cannot write " + path + ": " + std::strerror(errno));
    ::fcntl(f.fd, F_SETFL, ::fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
    int fd = f.fd;
    f.fd = -1;
    return fd;
}

std::string check_output_path(const std::string& path, const std::string& what) {
    // Checked before the batch: a path that cannot be written must not cost a batch its report.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) throw usage_failure(what + ": " + path + " is a symbolic link; give the file itself");
        if (!S_ISREG(st.st_mode)) throw usage_failure(what + ": " + path + " is " + kind_of(st.st_mode) + ", not a file");
        if (::access(path.c_str(), W_OK) != 0) throw usage_failure(what + ": cannot write " + path + ": " + std::strerror(errno));
        return path;
    }
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw usage_failure(what + ": cannot write " + path + ": no directory " + dir);
    if (::access(dir.c_str(), W_OK) != 0) throw usage_failure(what + ": cannot write " + path + ": " + std::strerror(errno));
    return path;
}

}  // namespace mistcli
