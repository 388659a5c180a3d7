// libFuzzer: the files the command line reads as settings. The first byte picks the
// reader: a provision spec in YAML or JSON (provision --spec), or ~/.mist's INI text.
// Whatever the bytes, a reader answers with a settings value or a usage error naming what
// is wrong: no crash, no unbounded work (aliases, nesting and size are bounded).
#include "cli.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        switch (data[0] % 3) {
        case 0: (void)mistcli::parse_batch_spec(text, true, "fuzz.yaml"); break;
        case 1: (void)mistcli::parse_batch_spec(text, false, "fuzz.json"); break;
        default: (void)mistcli::parse_ini(text); break;
        }
    } catch (const mistcli::usage_failure&) {
        // a clear refusal is a fine answer
    }
    return 0;
}
