// ~/.mist's INI text, as the Python client's configparser reads it (cli.hpp parse_ini).
#include "cli.hpp"

#include <sstream>

namespace mistcli {

namespace {

std::string trim(std::string s) {
    auto first = s.find_first_not_of(" \t\r\n");
    auto last = s.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

}  // namespace

std::map<std::string, std::string> parse_ini(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string section, line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line.front() == '[' && line.back() == ']') {
            section = trim(line.substr(1, line.size() - 2));
            continue;
        }
        auto eq = line.find_first_of("=:");
        if (eq == std::string::npos) continue;
        out[section + "." + trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return out;
}

}  // namespace mistcli
