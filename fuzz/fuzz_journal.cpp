// libFuzzer: a provision journal as the library reads it to resume a batch or to clean up
// after one (read_journal, read_journal_batch): torn lines, garbage, wrong types, huge
// numbers. Each input is written to a file, as a journal is.
#include <mistasync/provision.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/mistasync-fuzz-journal-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        auto records = mistasync::read_journal(path);
        auto header = mistasync::read_journal_batch(path);
        for (auto& r : records) (void)r.may_exist();
        (void)header.names.size();
    } catch (const std::exception&) {
        // an unreadable journal is said, not crashed on
    }
    std::remove(path.c_str());
    return 0;
}
