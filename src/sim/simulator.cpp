// The simulator (include/mistasync/testing/simulator.hpp): its state, starting and
// stopping, and the test hooks. The network side is simulator_sessions.cpp's; the API lives
// in api.cpp and the handlers, the organizations in organizations.cpp, the test hooks'
// queries in world_queries.cpp.
#include "simulator_impl.hpp"

#include "world_queries.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl.hpp>

namespace mistasync::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

simulator::impl::impl(asio::any_io_executor ex, simulator_options o)
    : executor(std::move(ex)), options(std::move(o)), fault_rng(options.seed * 7919 + 17) {
    orgs = sim::make_organizations(options);
    world = orgs.front().get();
    for (auto& [backend, fault] : options.broken_backends)
        world->set_backend_fault(backend, static_cast<sim::backend_fault>(fault));
    api = std::make_unique<sim::api>(
        sim::organization_entries(orgs), sim::api_config{options.no_auth, options.rate_limit_per_token, options.retry_after_seconds,
                                         options.serve_legacy, options.serve_v1, options.serve_v2});
}

simulator::simulator(asio::any_io_executor executor, simulator_options options)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(options))) {}

simulator::~simulator() { stop(); }

void simulator::start() {
    auto& i = *impl_;
    if (i.acceptor) return;
    if (!i.options.tls_cert_file.empty() || !i.options.tls_key_file.empty()) {
        i.tls.emplace(asio::ssl::context::tls_server);
        i.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1);
        i.tls->use_certificate_chain_file(i.options.tls_cert_file);
        i.tls->use_private_key_file(i.options.tls_key_file, asio::ssl::context::pem);
    }
    if (i.options.demo_world && i.world->backends().empty()) i.build_demo_world();
    tcp::endpoint ep(asio::ip::make_address(i.options.listen_address), i.options.port);
    tcp::acceptor acceptor(i.executor);
    acceptor.open(ep.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
    i.bound_port = acceptor.local_endpoint().port();
    i.acceptor.emplace(std::move(acceptor));
    asio::co_spawn(i.executor, i.accept_loop(impl_), asio::detached);
}

void simulator::stop() {
    auto& i = *impl_;
    if (i.acceptor) {
        boost::system::error_code ignored;
        i.acceptor->close(ignored);
    }
    // Closing may run a session's cleanup later; copy the list so iteration is safe.
    auto sessions = i.sessions;
    for (auto& s : sessions) s.close();
}

unsigned short simulator::port() const { return impl_->bound_port; }

std::string simulator::base_url() const {
    std::string host = impl_->options.listen_address;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return std::string(impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(impl_->bound_port);
}

const simulator_options& simulator::options() const { return impl_->options; }

void simulator::expire_tokens() { impl_->world->expire_tokens(); }

std::string simulator::api_token() {
    if (!impl_->cached_token) impl_->cached_token = impl_->world->issue_token("simulator", 0).token;
    return *impl_->cached_token;
}

std::string simulator::legacy_token() { return impl_->world->legacy_token(); }

std::size_t simulator::machine_count(bool include_terminated) const { return sim::count_machines(*impl_->world, include_terminated); }

std::size_t simulator::machines_named(std::string_view name) const { return sim::count_named(*impl_->world, name); }

std::string simulator::create_request_of(std::string_view name) const { return sim::create_request_of(*impl_->world, name); }

void simulator::set_fault_rate(double rate) { impl_->options.fault_rate = rate; }
void simulator::set_faults(const fault_mix& mix) { impl_->options.faults = mix; }
void simulator::set_latency(std::chrono::milliseconds latency) { impl_->options.latency = latency; }
void simulator::script_fault(scripted_fault f) { impl_->scripts.add(std::move(f)); }

detail::message_channel simulator::in_process_channel() {
    std::weak_ptr<impl> weak = impl_;
    return [weak](detail::wire_request req, detail::wire_handler handler) {
        auto self = weak.lock();
        if (!self) {  // the simulator is gone: as a refused connection
            auto ex = asio::get_associated_executor(handler);
            asio::dispatch(ex, [handler = std::move(handler)]() mutable {
                std::move(handler)(asio::error::connection_refused, detail::wire_response{});
            });
            return;
        }
        asio::co_spawn(self->executor, self->serve_in_process(self, std::move(req), std::move(handler)), asio::detached);
    };
}

void simulator::set_backend_fault(std::string title_or_id, backend_fault fault) {
    impl_->world->set_backend_fault(std::move(title_or_id), static_cast<sim::backend_fault>(fault));
}

simulator_stats simulator::stats() const {
    simulator_stats s = impl_->stats;
    s.machines_created = impl_->world->machines_created();
    return s;
}

std::size_t simulator::approximate_bytes_per_machine() const { return sim::approximate_bytes_per_machine(*impl_->world); }

bool simulator::break_machine(std::string_view name) { return sim::break_newest_named(*impl_->world, name); }

std::string simulator::add_machine(std::string_view backend_title_or_id, std::string_view name) {
    return sim::add_running_machine(*impl_->world, backend_title_or_id, name);
}

void simulator::populate_machines(std::size_t count, std::string_view name_prefix) {
    if (impl_->world->backends().empty()) impl_->build_demo_world();
    sim::add_running_machines(*impl_->world, count, name_prefix);
}

}  // namespace mistasync::testing
