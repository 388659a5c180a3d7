// The account verbs: who the credentials belong to, and their organizations.
#include "cli.hpp"
#include "command_support.hpp"
#include "commands.hpp"
#include "lookup.hpp"

#include <boost/json.hpp>

namespace mistcli {

namespace json = boost::json;
namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;

awaitable<int> list_orgs_command(context& c) {
    auto list = co_await c.mist.organizations();
    if (c.json) {
        json::array a;
        for (auto& o : list) a.push_back(json::object{{"id", o.id}, {"name", o.name}});
        print_json(a);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (auto& o : list) rows.push_back({o.name, o.id});
        print_table({"NAME", "ID"}, rows);
    }
    co_return ok;
}

awaitable<int> user_info_command(context& c) {
    std::string email = co_await c.mist.whoami();
    if (c.json) print_json(json::object{{"email", email}});
    else std::printf("%s\n", terminal_safe_line(email).c_str());
    co_return ok;
}

}  // namespace mistcli
