// How results are printed (-o table|json|yaml|csv|ids, --columns, --no-header, --quiet):
// a verb hands over its document (print_json) or its table (print_table), and this file
// renders either in the format asked for. Data goes to stdout, always.
#include "cli.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <sys/ioctl.h>
#include <unistd.h>

namespace mistcli {

namespace json = boost::json;

namespace {

constexpr std::size_t max_cell = 80;

struct output_settings {
    output_format format = output_format::table;
    std::vector<std::string> columns;  ///< upper-cased; empty: all
    bool header = true;
    bool colour = false;
    std::size_t width = 0;  ///< the terminal's; 0: not a terminal, no limit
};
output_settings settings;

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::size_t terminal_width() {
    if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
        char* end = nullptr;
        long n = std::strtol(columns, &end, 10);
        if (*end == '\0' && n >= 20 && n <= 10'000) return static_cast<std::size_t>(n);
    }
    winsize ws{};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
    return 0;
}

// Bytes to the end of the UTF-8 character that starts at `at`.
std::size_t char_length(const std::string& s, std::size_t at) {
    std::size_t n = 1;
    while (at + n < s.size() && (static_cast<unsigned char>(s[at + n]) & 0xC0) == 0x80) ++n;
    return n;
}

// Characters shown (UTF-8 continuation bytes take no column).
std::size_t columns_of(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// At most `limit` columns of `s`, "…" marking a cut.
std::string fit(const std::string& s, std::size_t limit) {
    if (columns_of(s) <= limit) return s;
    std::string out;
    for (std::size_t at = 0, shown = 0; at < s.size() && shown + 1 < limit; ++shown) {
        std::size_t n = char_length(s, at);
        out += s.substr(at, n);
        at += n;
    }
    return out + "…";
}

// Which of `header`'s columns --columns keeps, in the order asked.
std::vector<std::size_t> chosen_columns(const std::vector<std::string>& header) {
    std::vector<std::size_t> out;
    if (settings.columns.empty()) {
        for (std::size_t i = 0; i < header.size(); ++i) out.push_back(i);
        return out;
    }
    for (const std::string& wanted : settings.columns) {
        auto it = std::find(header.begin(), header.end(), wanted);
        if (it == header.end()) {
            std::string known;
            for (auto& h : header) known += (known.empty() ? "" : ", ") + h;
            throw usage_failure("--columns: no column " + wanted + " here (the columns: " + known + ")");
        }
        out.push_back(static_cast<std::size_t>(it - header.begin()));
    }
    return out;
}

void print_csv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
               const std::vector<std::size_t>& keep) {
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t i = 0; i < keep.size(); ++i) out += (i ? "," : "") + csv_field(keep[i] < cells.size() ? cells[keep[i]] : "");
        out += "\r\n";  // RFC 4180 line ends
        std::fwrite(out.data(), 1, out.size(), stdout);  // a NUL in a name must not cut the row
    };
    if (settings.header) line(header);
    for (auto& r : rows) line(r);
}

// -o names0: the NAME column (else the first), each name as the server sent it and ended by
// a NUL byte: what the completion scripts read, so that no name (a newline, "$(...)") can
// be split, cut or taken for code on its way to the shell.
void print_names0(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    auto it = std::find(header.begin(), header.end(), "NAME");
    const std::size_t column = it == header.end() ? 0 : static_cast<std::size_t>(it - header.begin());
    for (auto& r : rows)
        if (column < r.size() && !r[column].empty() && r[column].find('\0') == std::string::npos)
            std::fwrite(r[column].c_str(), 1, r[column].size() + 1, stdout);
}

void print_human_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& raw_rows,
                       const std::vector<std::size_t>& keep) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(raw_rows.size() + 1);
    if (settings.header) rows.push_back({});
    for (std::size_t i : keep)
        if (settings.header) rows.front().push_back(header[i]);
    for (auto& r : raw_rows) {
        auto& safe = rows.emplace_back();
        for (std::size_t i : keep) safe.push_back(terminal_safe(i < r.size() ? r[i] : ""));
    }
    std::vector<std::size_t> width(keep.size());
    for (auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], columns_of(r[i]));
    // On a terminal, the widest columns give way until the table fits (down to 8).
    if (settings.width) {
        auto total = [&] {
            std::size_t t = 0;
            for (auto w : width) t += w + 2;
            return t - 2;
        };
        while (!width.empty() && total() > settings.width) {
            auto widest = std::max_element(width.begin(), width.end());
            if (*widest <= 8) break;
            --*widest;
        }
    }
    auto line = [&](const std::vector<std::string>& cells, bool bold) {
        std::string out;
        for (std::size_t i = 0; i < width.size(); ++i) {
            std::string cell = fit(cells[i], width[i]);
            out += cell;
            if (i + 1 < width.size()) out += std::string(width[i] - columns_of(cell) + 2, ' ');
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        if (bold) std::printf("\033[1m%s\033[0m\n", out.c_str());
        else std::printf("%s\n", out.c_str());
    };
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const bool is_header = settings.header && r == 0;
        line(rows[r], is_header && settings.colour);
        if (is_header && !settings.colour) {
            std::vector<std::string> rule;
            for (auto w : width) rule.push_back(std::string(w, '-'));
            line(rule, false);
        }
    }
}

// --quiet / -o ids: the ids a document holds (its own, its elements', or those of its
// "machines"), one per line, for xargs.
void print_ids(const json::value& v) {
    auto id_of = [](const json::value& item) {
        if (const json::object* o = item.if_object())
            if (const json::value* id = o->if_contains("id"); id && id->is_string()) std::printf("%s\n", id->as_string().c_str());
    };
    if (const json::array* a = v.if_array()) {
        for (auto& item : *a) id_of(item);
    } else if (const json::object* o = v.if_object()) {
        if (o->contains("id")) id_of(v);
        else if (const json::value* machines = o->if_contains("machines"); machines && machines->is_array())
            for (auto& item : machines->as_array()) id_of(item);
    }
}

}  // namespace

std::string csv_field(const std::string& s) {
    std::string text = s;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) text.insert(0, 1, '\'');
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string terminal_safe_line(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        // C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F) act like ESC on some terminals.
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            out += '?';
            ++i;
            continue;
        }
        out += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
    }
    return out;
}

std::string terminal_safe(const std::string& text) {
    std::string out = terminal_safe_line(text);
    if (out.size() > max_cell) {
        std::size_t cut = max_cell;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
        out += "…";
    }
    return out;
}

void configure_output(const arguments& args) {
    std::string format = args.get(opt::output, args.has(opt::json) ? "json" : "table");
    if (args.has(opt::quiet)) format = "ids";
    if (args.has(opt::json) && format != "json") throw usage_failure("--json and --output " + format + " ask for different output");
    if (format == "table") settings.format = output_format::table;
    else if (format == "json") settings.format = output_format::json;
    else if (format == "yaml") settings.format = output_format::yaml;
    else if (format == "csv") settings.format = output_format::csv;
    else if (format == "ids") settings.format = output_format::ids;
    else if (format == "names0") settings.format = output_format::names0;
    else throw usage_failure("--output takes table, json, yaml, csv, ids or names0, not '" + format + "'");
    std::stringstream columns(args.get(opt::columns));
    for (std::string c; std::getline(columns, c, ',');)
        if (!c.empty()) settings.columns.push_back(upper(c));
    settings.header = !args.has(opt::no_header);
    const char* no_colour = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    settings.colour = isatty(STDOUT_FILENO) && !(no_colour && *no_colour) && !(term && std::string_view(term) == "dumb");
    settings.width = terminal_width();
}

output_format current_output() { return settings.format; }

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    const std::vector<std::size_t> keep = chosen_columns(header);
    if (settings.format == output_format::names0) print_names0(header, rows);
    else if (settings.format == output_format::csv) print_csv(header, rows, keep);
    else print_human_table(header, rows, keep);
}

void print_json(const json::value& v) {
    switch (settings.format) {
    case output_format::yaml: {
        const std::string text = yaml_document(v);
        std::fwrite(text.data(), 1, text.size(), stdout);
        break;
    }
    case output_format::ids: print_ids(v); break;
    default: std::printf("%s\n", json::serialize(v).c_str());
    }
}

}  // namespace mistcli
