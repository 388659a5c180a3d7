// provision --spec FILE: a batch described in a JSON or YAML file. Its settings stand for
// the provision flags of the same names (a flag on the command line wins); `names`,
// `machines` (per-machine overrides), `tags` and an inline `script` add what flags cannot
// say. Unknown keys are refused: a typo must not silently drop a setting.
#include "cli.hpp"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include "files.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <sstream>

namespace mistcli {

namespace json = boost::json;

namespace {

// File keys and the flags they stand for; "" for switches' keys handled below.
const std::map<std::string, std::string> flag_of = {
    {"backend", "--backend"},         {"image", "--image"},
    {"size", "--size"},               {"location", "--location"},
    {"key", "--key"},                 {"count", "--count"},
    {"name", "--name"},               {"concurrency", "--concurrency"},
    {"max_attempts", "--max-attempts"}, {"max_failures", "--max-failures"},
    {"journal", "--journal"},         {"probe_deadline", "--probe-deadline"},
    {"reconcile_window", "--reconcile-window"}, {"run_script", "--run-script"},
    {"script_id", "--script-id"},     {"script_params", "--script-params"},
    {"events", "--events"},           {"inventory", "--inventory"},
    {"batch_id", "--batch-id"},       {"network", "--network"},
};
// Boolean keys and the switch each one's true (or, for "probe", false) stands for.
const std::map<std::string, std::pair<std::string, bool>> switch_of = {
    {"rollback", {"--rollback", true}},
    {"allow_existing_names", {"--allow-existing-names", true}},
    {"keep_failed_scripts", {"--keep-failed-scripts", true}},
    {"batch_tag", {"--no-batch-tag", false}},
    {"probe", {"--no-probe", false}},
};

[[noreturn]] void bad(const std::string& path, const std::string& why) { throw usage_failure("--spec " + path + ": " + why); }

// YAML read as the JSON it stands for, event by event, so that what a hostile or mistaken
// file can do is bounded: aliases are refused (a cycle `&r [a, *r]` would recurse without
// end; "billion laughs" expands a few hundred bytes to gigabytes), as are duplicate keys
// (YAML keeps the last: `count: 3` then `count: 500` would make 500 machines), a second
// document (it would be ignored), nesting deeper than 32 and more than 2 million nodes.
// Scalars stay text (their meaning is read per key below); an empty node is null.
class yaml_to_json final : public YAML::EventHandler {
public:
    explicit yaml_to_json(const std::string& path) : path_(path) {}
    json::value result;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& at, YAML::anchor_t) override { add(nullptr, at); }
    void OnAlias(const YAML::Mark& at, YAML::anchor_t) override {
        bad(path_, "line " + std::to_string(at.line + 1) + ": aliases (*name) are not read in spec files: write the value out");
    }
    void OnScalar(const YAML::Mark& at, const std::string&, YAML::anchor_t, const std::string& value) override {
        add(json::string(value), at);
    }
    void OnSequenceStart(const YAML::Mark& at, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        open(json::array(), at);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& at, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        open(json::object(), at);
    }
    void OnMapEnd() override { close(); }

private:
    struct level {
        json::value value;
        std::optional<std::string> key;  ///< a map's key waiting for its value
    };
    std::string path_;
    std::vector<level> stack_;
    std::size_t nodes_ = 0;

    void count(const YAML::Mark& at) {
        if (++nodes_ > 2'000'000) bad(path_, "line " + std::to_string(at.line + 1) + ": more than 2,000,000 values");
    }
    void open(json::value container, const YAML::Mark& at) {
        count(at);
        if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().key)
            bad(path_, "line " + std::to_string(at.line + 1) + ": a key must be a plain value, not a list or a map");
        if (stack_.size() >= 32) bad(path_, "line " + std::to_string(at.line + 1) + ": nested more than 32 deep");
        stack_.push_back({std::move(container), {}});
    }
    void close() {
        json::value done = std::move(stack_.back().value);
        stack_.pop_back();
        place(std::move(done), {});
    }
    void add(json::value v, const YAML::Mark& at) {
        count(at);
        place(std::move(v), at);
    }
    void place(json::value v, const YAML::Mark& at) {
        if (stack_.empty()) {
            result = std::move(v);
            return;
        }
        level& top = stack_.back();
        if (top.value.is_array()) {
            top.value.get_array().push_back(std::move(v));
        } else if (!top.key) {
            if (!v.is_string()) bad(path_, "line " + std::to_string(at.line + 1) + ": a key must be text");
            std::string key(v.get_string());
            if (top.value.get_object().contains(key))
                bad(path_, "line " + std::to_string(at.line + 1) + ": \"" + key + "\" is given twice");
            top.key = std::move(key);
        } else {
            top.value.get_object()[*top.key] = std::move(v);
            top.key.reset();
        }
    }
};

json::value parse_yaml(const std::string& text, const std::string& path) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    yaml_to_json reader(path);
    try {
        if (!parser.HandleNextDocument(reader)) return nullptr;
        yaml_to_json second(path);
        if (parser.HandleNextDocument(second)) bad(path, "holds more than one YAML document (---): give one batch per file");
    } catch (const YAML::Exception& e) {
        bad(path, std::string("not valid YAML: ") + e.what());
    }
    return std::move(reader.result);
}

// JSON read the same way, through Boost.JSON's event parser: duplicate keys are refused
// (a DOM keeps one of them silently), and numbers keep their spelling ("1.5", not 1.5E0),
// as in YAML: every scalar is text, read per key below.
class json_to_text_tree {
public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    json::value result;
    std::string duplicate;  ///< the first key given twice

    bool on_document_begin(boost::system::error_code&) { return true; }
    bool on_document_end(boost::system::error_code&) { return true; }
    bool on_object_begin(boost::system::error_code&) { return open(json::object()); }
    bool on_object_end(std::size_t, boost::system::error_code&) { return close(); }
    bool on_array_begin(boost::system::error_code&) { return open(json::array()); }
    bool on_array_end(std::size_t, boost::system::error_code&) { return close(); }
    bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) { return part_.append(s.data(), s.size()), true; }
    bool on_key(json::string_view s, std::size_t, boost::system::error_code& ec) {
        part_.append(s.data(), s.size());
        level& top = stack_.back();
        if (top.value.get_object().contains(part_)) {
            duplicate = part_;
            ec = json::error::syntax;
            return false;
        }
        top.key = std::move(part_);
        part_.clear();
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, boost::system::error_code&) { return part_.append(s.data(), s.size()), true; }
    bool on_string(json::string_view s, std::size_t, boost::system::error_code&) { return text(s); }
    bool on_number_part(json::string_view s, boost::system::error_code&) { return part_.append(s.data(), s.size()), true; }
    bool on_int64(std::int64_t, json::string_view s, boost::system::error_code&) { return text(s); }
    bool on_uint64(std::uint64_t, json::string_view s, boost::system::error_code&) { return text(s); }
    bool on_double(double, json::string_view s, boost::system::error_code&) { return text(s); }
    bool on_bool(bool b, boost::system::error_code&) { return place(json::string(b ? "true" : "false")); }
    bool on_null(boost::system::error_code&) { return place(nullptr); }
    bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
    bool on_comment(json::string_view, boost::system::error_code&) { return true; }

private:
    struct level {
        json::value value;
        std::string key;
    };
    std::vector<level> stack_;
    std::string part_;

    bool text(json::string_view last) {
        part_.append(last.data(), last.size());
        bool ok = place(json::string(part_));
        part_.clear();
        return ok;
    }
    bool open(json::value container) {
        stack_.push_back({std::move(container), {}});
        return true;
    }
    bool close() {
        json::value done = std::move(stack_.back().value);
        stack_.pop_back();
        return place(std::move(done));
    }
    bool place(json::value v) {
        if (stack_.empty()) result = std::move(v);
        else if (stack_.back().value.is_array()) stack_.back().value.get_array().push_back(std::move(v));
        else stack_.back().value.get_object()[stack_.back().key] = std::move(v);
        return true;
    }
};

json::value parse_json(const std::string& text, const std::string& path) {
    json::parse_options o;
    o.max_depth = 32;
    json::basic_parser<json_to_text_tree> parser(o);
    boost::system::error_code ec;
    std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used < text.size()) ec = json::error::extra_data;
    if (!parser.handler().duplicate.empty()) bad(path, "\"" + parser.handler().duplicate + "\" is given twice");
    if (ec) bad(path, "not valid JSON (" + ec.message() + "); YAML files end in .yaml or .yml");
    return std::move(parser.handler().result);
}

std::string scalar_text(const std::string& path, const std::string& key, const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_double()) return json::serialize(v);
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    bad(path, "\"" + key + "\" must be a single value");
}

bool truth(const std::string& path, const std::string& key, const json::value& v) {
    const std::string t = scalar_text(path, key, v);
    if (t == "true" || t == "yes") return true;
    if (t == "false" || t == "no") return false;
    bad(path, "\"" + key + "\" must be true or false, not " + t);
}

std::vector<std::pair<std::string, std::string>> tags_of(const std::string& path, const std::string& key, const json::value& v) {
    if (!v.is_object()) bad(path, "\"" + key + "\" must be a map of tag names to values");
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& [k, value] : v.get_object()) out.emplace_back(std::string(k), scalar_text(path, key, value));
    return out;
}

machine_override override_of(const std::string& path, const json::value& v) {
    if (!v.is_object()) bad(path, "each of \"machines\" must be a map with a \"name\"");
    machine_override m;
    for (auto& [k, value] : v.get_object()) {
        const std::string key(k);
        if (key == "name") m.name = scalar_text(path, key, value);
        else if (key == "image") m.image = scalar_text(path, key, value);
        else if (key == "size") m.size = scalar_text(path, key, value);
        else if (key == "location") m.location = scalar_text(path, key, value);
        else if (key == "key") m.key = scalar_text(path, key, value);
        else if (key == "tags") m.tags = tags_of(path, key, value);
        else bad(path, "unknown key \"" + key + "\" in \"machines\" (name, image, size, location, key, tags)");
    }
    if (m.name.empty()) bad(path, "each of \"machines\" needs a \"name\"");
    return m;
}



}  // namespace

batch_spec_file read_batch_spec(const std::string& path) {
    const std::string text = read_input_file(path, "--spec", 16 * 1024 * 1024);
    return parse_batch_spec(text, path.ends_with(".yaml") || path.ends_with(".yml"), path);
}

batch_spec_file parse_batch_spec(const std::string& text, bool yaml, const std::string& path) {
    const json::value doc = yaml ? parse_yaml(text, path) : parse_json(text, path);
    if (!doc.is_object()) bad(path, "must be a map of settings");
    batch_spec_file out;
    for (auto& [k, value] : doc.get_object()) {
        const std::string key(k);
        if (auto f = flag_of.find(key); f != flag_of.end()) {
            out.flags.emplace(f->second, scalar_text(path, key, value));
        } else if (auto s = switch_of.find(key); s != switch_of.end()) {
            if (truth(path, key, value) == s->second.second) out.flags.emplace(s->second.first, "");
        } else if (key == "names") {
            if (!value.is_array()) bad(path, "\"names\" must be a list");
            for (auto& n : value.get_array()) out.names.push_back(scalar_text(path, key, n));
        } else if (key == "machines") {
            if (!value.is_array()) bad(path, "\"machines\" must be a list");
            for (auto& m : value.get_array()) out.machines.push_back(override_of(path, m));
        } else if (key == "tags") {
            out.tags = tags_of(path, key, value);
        } else if (key == "script") {
            out.script = scalar_text(path, key, value);
        } else {
            bad(path, "unknown key \"" + key + "\"");
        }
    }
    return out;
}

arguments with_spec_file(const arguments& command_line, const batch_spec_file& file) {
    arguments merged = command_line;
    std::set<std::string> given;
    for (auto& [flag, value] : command_line.flags) given.insert(flag);
    for (auto& [flag, value] : file.flags)
        if (!given.contains(flag)) merged.flags.emplace(flag, value);
    return merged;
}

}  // namespace mistcli
