// provision --spec FILE: a batch described in a JSON or YAML file. Its settings stand for
// the provision flags of the same names (a flag on the command line wins); `names`,
// `machines` (per-machine overrides), `tags` and an inline `script` add what flags cannot
// say. Unknown keys are refused: a typo must not silently drop a setting.
#include "cli.hpp"

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

#include <fstream>
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

// YAML as the JSON it stands for: maps, sequences, and scalars as text (their meaning is
// read per key below), null for an empty node.
json::value from_yaml(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Map: {
        json::object o;
        for (auto it = n.begin(); it != n.end(); ++it) o[it->first.as<std::string>()] = from_yaml(it->second);
        return o;
    }
    case YAML::NodeType::Sequence: {
        json::array a;
        for (auto it = n.begin(); it != n.end(); ++it) a.push_back(from_yaml(*it));
        return a;
    }
    case YAML::NodeType::Scalar: return json::string(n.Scalar());
    default: return nullptr;
    }
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

json::value read_document(const std::string& path) {
    std::ifstream in(path);
    if (!in) bad(path, "cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    const bool yaml = path.ends_with(".yaml") || path.ends_with(".yml");
    if (yaml) {
        try {
            return from_yaml(YAML::Load(text.str()));
        } catch (const YAML::Exception& e) {
            bad(path, std::string("not valid YAML: ") + e.what());
        }
    }
    boost::system::error_code ec;
    json::value doc = json::parse(text.str(), ec);
    if (ec) bad(path, "not valid JSON (" + ec.message() + "); YAML files end in .yaml or .yml");
    return doc;
}

}  // namespace

batch_spec_file read_batch_spec(const std::string& path) {
    const json::value doc = read_document(path);
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
