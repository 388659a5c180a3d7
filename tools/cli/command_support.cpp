#include "command_support.hpp"

#include <boost/json.hpp>

namespace mistcli {

namespace json = boost::json;

std::pair<std::string, std::string> key_value(const std::string& text, const char* flag) {
    auto eq = text.find('=');
    // The word is not echoed: --field api_secret:S would print the secret.
    if (eq == std::string::npos || eq == 0)
        throw usage_failure(std::string(flag) + " takes KEY=VALUE; one of its values has no '=' (not shown: it may be a secret)");
    return {text.substr(0, eq), text.substr(eq + 1)};
}

json::value server_json(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? json::value(text) : v;
}

void print_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::vector<std::vector<std::string>> rows;
    for (auto& [name, value] : fields) rows.push_back({name, value});
    print_table({"FIELD", "VALUE"}, rows);
}

std::string new_name(context& c) { return c.args.required(opt::new_name); }

}  // namespace mistcli
