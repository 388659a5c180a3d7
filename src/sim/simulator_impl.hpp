// The simulator's state (simulator::impl): its worlds, API, options, faults and counters,
// and its network side's members. The state and the test hooks are simulator.cpp's; the
// network side (accept loop, HTTP/1.1 keep-alive sessions over TCP or TLS, the in-process
// channel, latency and faults) is simulator_sessions.cpp's, the one translation unit of the
// simulator that includes Beast's parsers and streams (each costs ~800 MB and a core for a
// minute to build).
#pragma once

#include <mistasync/testing/simulator.hpp>

#include "api.hpp"
#include "faults.hpp"
#include "organizations.hpp"
#include "world.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace mistasync::sim {
/// Something stop() can reach to end a session: its socket and its timer.
struct session_handle {
    std::function<void()> close;
};
}  // namespace mistasync::sim

namespace mistasync::testing {

struct simulator::impl : std::enable_shared_from_this<impl> {
    using tcp = boost::asio::ip::tcp;

    impl(boost::asio::any_io_executor ex, simulator_options o);
    void build_demo_world() { sim::build_demo_worlds(orgs); }

    // The network side (simulator_sessions.cpp). Each session holds `self`, so the state
    // outlives every connection.
    boost::asio::awaitable<void> accept_loop(std::shared_ptr<impl> self);
    boost::asio::awaitable<void> serve_plain(std::shared_ptr<impl> self, tcp::socket socket);
    boost::asio::awaitable<void> serve_tls(std::shared_ptr<impl> self, tcp::socket socket);
    template <class Stream>
    boost::asio::awaitable<void> serve(std::shared_ptr<impl> self, Stream& stream);
    // What happens to one request, over a socket or not: the server's latency, a create's
    // provider time, the fault it meets (scripted, else drawn), the API's answer. Waits on
    // `timer`; cancelling it during the latency abandons the request (drop_before).
    struct served {
        sim::fault_kind fault = sim::fault_kind::none;
        sim::sim_response response;
    };
    boost::asio::awaitable<served> respond(sim::sim_request req, boost::asio::steady_timer& timer);
    // One request of the in-process channel: served like a connection's, answered as the
    // client's transport would read it (a dropped or cut answer is the error it would meet).
    boost::asio::awaitable<void> serve_in_process(std::shared_ptr<impl> self, detail::wire_request wire, detail::wire_handler handler);
    template <class Stream>
    boost::asio::awaitable<bool> write_raw(Stream& stream, const std::string& data, std::string_view more = {});

    boost::asio::any_io_executor executor;
    simulator_options options;
    sim::organization_worlds orgs;  ///< the user's organizations, the default first
    sim::world* world = nullptr;    ///< the default organization's (what the test hooks see)
    std::unique_ptr<sim::api> api;
    std::optional<tcp::acceptor> acceptor;
    std::optional<boost::asio::ssl::context> tls;
    std::list<sim::session_handle> sessions;
    std::mt19937_64 fault_rng;
    sim::fault_script scripts;
    simulator_stats stats;
    unsigned short bound_port = 0;
    std::optional<std::string> cached_token;
};

}  // namespace mistasync::testing
