// The commands of the verbs, one per verb of the table (verbs.cpp), by resource:
// account_commands.cpp, backend_commands.cpp, key_commands.cpp, machine_commands.cpp,
// network_commands.cpp, script_commands.cpp, provision_command.cpp, cleanup_command.cpp.
#pragma once

#include <boost/asio/awaitable.hpp>

namespace mistcli {

struct context;

boost::asio::awaitable<int> add_backend_command(context& c);
boost::asio::awaitable<int> add_key_command(context& c);
boost::asio::awaitable<int> add_script_command(context& c);
boost::asio::awaitable<int> add_tag_command(context& c);
boost::asio::awaitable<int> cleanup_command(context& c);
boost::asio::awaitable<int> create_machine_command(context& c);
boost::asio::awaitable<int> create_network_command(context& c);
boost::asio::awaitable<int> create_subnet_command(context& c);
boost::asio::awaitable<int> delete_backend_command(context& c);
boost::asio::awaitable<int> delete_key_command(context& c);
boost::asio::awaitable<int> delete_network_command(context& c);
boost::asio::awaitable<int> delete_subnet_command(context& c);
boost::asio::awaitable<int> describe_backend_command(context& c);
boost::asio::awaitable<int> describe_key_command(context& c);
boost::asio::awaitable<int> describe_machine_command(context& c);
boost::asio::awaitable<int> job_command(context& c);
boost::asio::awaitable<int> key_on_machine_command(context& c);
boost::asio::awaitable<int> list_backends_command(context& c);
boost::asio::awaitable<int> list_images_command(context& c);
boost::asio::awaitable<int> list_keys_command(context& c);
boost::asio::awaitable<int> list_locations_command(context& c);
boost::asio::awaitable<int> list_machines_command(context& c);
boost::asio::awaitable<int> list_networks_command(context& c);
boost::asio::awaitable<int> list_orgs_command(context& c);
boost::asio::awaitable<int> list_providers_command(context& c);
boost::asio::awaitable<int> list_scripts_command(context& c);
boost::asio::awaitable<int> list_sizes_command(context& c);
boost::asio::awaitable<int> list_subnets_command(context& c);
boost::asio::awaitable<int> machine_action_command(context& c);
boost::asio::awaitable<int> probe_command(context& c);
boost::asio::awaitable<int> provision_command(context& c);
boost::asio::awaitable<int> remove_script_command(context& c);
boost::asio::awaitable<int> remove_tag_command(context& c);
boost::asio::awaitable<int> rename_backend_command(context& c);
boost::asio::awaitable<int> rename_key_command(context& c);
boost::asio::awaitable<int> run_script_command(context& c);
boost::asio::awaitable<int> tag_command(context& c);
boost::asio::awaitable<int> user_info_command(context& c);

}  // namespace mistcli
