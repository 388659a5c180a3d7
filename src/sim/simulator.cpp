// The simulator's network side: accept loop, HTTP/1.1 keep-alive sessions over TCP or
// TLS, latency and fault injection. The only translation unit of the simulator that
// includes Beast; the API itself lives in api.cpp and the handlers.
#include <mistasync/testing/simulator.hpp>

#include "api.hpp"
#include "crypto.hpp"
#include "faults.hpp"
#include "world.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <cerrno>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>

namespace mistasync::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using sim::fault_kind;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr auto handshake_timeout = std::chrono::seconds(10);

// One RSA key per process for the demo world: generating one costs ~50 ms.
const sim::rsa_key_pair& demo_key() {
    static std::once_flag once;
    static sim::rsa_key_pair pair;
    std::call_once(once, [] { pair = sim::generate_rsa_key(); });
    return pair;
}

// The status line and headers of a response; its body is written after them as it is
// (a list of 100,000 v1 machines is ~160 MB: not copied again behind its headers).
std::string render_head(const sim::sim_response& r, bool keep_alive) {
    std::string out;
    out.reserve(256);
    out += "HTTP/1.1 ";
    out += std::to_string(r.status);
    out += ' ';
    out += http::obsolete_reason(static_cast<http::status>(r.status));
    out += "\r\nServer: mistsim\r\nContent-Type: ";
    out += r.content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(r.body.size());
    for (auto& [name, value] : r.headers) {
        out += "\r\n";
        out += name;
        out += ": ";
        out += value;
    }
    out += keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
    return out;
}

std::string error_reply(int status, const std::string& text) {
    return render_head({status, sim::content_type_html, text, {}}, false) + text;
}

// Something stop() can reach to end a session: its socket and its timer.
struct session_handle {
    std::function<void()> close;
};

}  // namespace

struct simulator::impl : std::enable_shared_from_this<impl> {
    impl(asio::any_io_executor ex, simulator_options o)
        : executor(std::move(ex)), options(std::move(o)), fault_rng(options.seed * 7919 + 17) {
        sim::world_options wo{options.email,
                              options.password,
                              options.boot_delay,
                              options.ssh_delay,
                              options.action_delay,
                              options.async_create_delay,
                              options.delay_jitter,
                              options.seed,
                              options.max_machines};
        wo.addresses = static_cast<sim::address_rule>(options.addresses);
        wo.stored_records = options.stored_records;
        wo.poll_interval = options.poll_interval;
        wo.provider_lag = options.provider_lag;
        wo.post_create_failure_rate = options.post_create_failure_rate;
        wo.script_duration = options.script_duration;
        wo.script_failure_rate = options.script_failure_rate;
        wo.failing_scripts = options.failing_scripts;
        wo.script_failure_exit_code = options.script_failure_exit_code;
        wo.clock = options.clock;
        // The default organization keeps the id it always had (from the user's email).
        std::vector<sim::organization_entry> orgs;
        const std::size_t org_count = std::max<std::size_t>(1, options.organizations.size());
        for (std::size_t i = 0; i < org_count; ++i) {
            sim::world_options o = wo;
            o.org_name = options.organizations.empty() ? options.email : options.organizations[i];
            o.org_id = sim::sha1_hex(i == 0 ? options.email : "organization/" + o.org_name).substr(0, 32);
            o.seed = wo.seed + i * 1'000'003;
            auto& w = i == 0 ? world : other_orgs.emplace_back();
            w = std::make_unique<sim::world>(std::move(o));
            orgs.push_back({w->options().org_id, w->options().org_name, w.get()});
        }
        for (auto& [backend, fault] : options.broken_backends)
            world->set_backend_fault(backend, static_cast<sim::backend_fault>(fault));
        api = std::make_unique<sim::api>(
            std::move(orgs), sim::api_config{options.no_auth, options.rate_limit_per_token, options.retry_after_seconds,
                                             options.serve_legacy, options.serve_v1});
    }

    void build_demo_world() {
        auto& kp = demo_key();
        world->add_key("MyKey", kp.private_pem, kp.public_ssh);
        auto add = [&](std::string title, std::string provider, std::string region, std::string apikey) {
            return add_demo_backend(*world, std::move(title), std::move(provider), std::move(region), std::move(apikey));
        };
        sim::backend* nepho = add("NephoScale", "nephoscale", "", "demo");
        add("EC2 AP NORTHEAST", "ec2", "ec2_ap_northeast", "AKIADEMO0000000000");
        add("Docker", "docker", "", "");
        for (const char* name : {"dbserver1", "dev-web-1"}) {
            sim::machine_spec spec{.name = name, .image_id = "51", .size_id = "221", .location_id = "86945",
                                   .key = world->default_key(), .already_running = true};
            world->create_machine(*nepho, spec, "");
        }
        // The other organizations: a backend, a key and a machine of their own.
        for (auto& org : other_orgs) {
            org->add_key("LabKey", kp.private_pem, kp.public_ssh);
            sim::backend* lab = add_demo_backend(*org, "Lab NephoScale", "nephoscale", "", "lab-" + org->options().org_id.substr(0, 8));
            sim::machine_spec spec{.name = "lab-box", .image_id = "51", .size_id = "221", .location_id = "86945",
                                   .key = org->default_key(), .already_running = true};
            org->create_machine(*lab, spec, "");
        }
    }

    static sim::backend* add_demo_backend(sim::world& w, std::string title, std::string provider, std::string region, std::string apikey) {
        sim::backend b;
        b.title = std::move(title);
        b.provider = provider;
        b.legacy_provider = provider == "ec2" ? region : provider;
        b.region = std::move(region);
        b.apikey = std::move(apikey);
        b.legacy_id = sim::base58(sim::sha1_bytes(b.legacy_provider + b.region + b.apikey));
        if (provider == "docker") b.public_fields.emplace_back("docker_port", "4243");
        return &w.add_backend(std::move(b));
    }

    asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
        while (acceptor && acceptor->is_open()) {
            bool back_off = false;
            {
                auto [ec, socket] = co_await acceptor->async_accept(use_tuple);
                if (!ec) {
                    ++stats.connections_accepted;
                    socket.set_option(tcp::no_delay(true));
                    if (tls) {
                        asio::co_spawn(executor, serve_tls(self, std::move(socket)), asio::detached);
                    } else {
                        asio::co_spawn(executor, serve_plain(self, std::move(socket)), asio::detached);
                    }
                    continue;
                }
                if (ec == asio::error::operation_aborted || !acceptor || !acceptor->is_open()) co_return;
                // Out of file descriptors (or memory): the pending connection stays queued
                // and accept would fail again at once; pause instead of spinning, so that
                // the open connections can finish and free some. (By value: no error_code
                // is kept across the pause's suspension.)
                int code = ec.value();
                back_off = code == EMFILE || code == ENFILE || code == ENOMEM || code == ENOBUFS;
            }
            if (back_off) {
                asio::steady_timer pause(executor, std::chrono::milliseconds(50));
                co_await pause.async_wait(use_tuple);
            }
        }
    }

    asio::awaitable<void> serve_plain(std::shared_ptr<impl> self, tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        co_await serve(self, stream);
    }

    asio::awaitable<void> serve_tls(std::shared_ptr<impl> self, tcp::socket socket) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
        beast::get_lowest_layer(stream).expires_after(handshake_timeout);
        auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
        if (ec) co_return;
        co_await serve(self, stream);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
        co_await stream.async_shutdown(use_tuple);
    }

    template <class Stream>
    asio::awaitable<void> serve(std::shared_ptr<impl> self, Stream& stream) {
        (void)self;  // held only to keep the simulator state alive while the session runs
        auto& tcp_layer = beast::get_lowest_layer(stream);
        asio::steady_timer timer(executor);
        auto handle_it = sessions.insert(sessions.end(), session_handle{[&] {
            beast::error_code ignored;
            tcp_layer.socket().close(ignored);
            timer.cancel();
        }});
        ++stats.open_connections;
        struct unregister {
            impl* owner;
            std::list<session_handle>::iterator it;
            ~unregister() {
                owner->sessions.erase(it);
                --owner->stats.open_connections;
            }
        } guard{this, handle_it};

        beast::flat_buffer buffer;
        while (true) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(options.max_body_bytes);
            parser.header_limit(64 * 1024);
            tcp_layer.expires_after(options.idle_timeout);
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
                ec == asio::ssl::error::stream_truncated || ec == beast::error::timeout || ec == asio::error::connection_reset)
                co_return;
            if (ec) {
                // Named locals only across co_await: GCC 12 mishandles temporaries there.
                std::string reply = ec == http::error::body_limit     ? error_reply(413, "Request Entity Too Large")
                                    : ec == http::error::header_limit ? error_reply(431, "Request Header Fields Too Large")
                                                                      : error_reply(400, "Bad Request");
                co_await write_raw(stream, reply);
                co_return;
            }
            tcp_layer.expires_never();
            ++stats.requests;
            auto& msg = parser.get();
            sim::sim_request req;
            req.method = std::string(msg.method_string());
            req.target = std::string(msg.target());
            if (auto it = msg.find(http::field::authorization); it != msg.end()) req.authorization = it->value();
            if (auto it = msg.find("Api-Version"); it != msg.end()) req.api_version = it->value();
            if (auto it = msg.find(http::field::content_type); it != msg.end()) req.content_type = it->value();
            req.body = std::move(msg.body());
            bool keep_alive = msg.keep_alive();

            served outcome = co_await respond(std::move(req), timer);
            if (!tcp_layer.socket().is_open()) co_return;
            const fault_kind fault = outcome.fault;
            sim::sim_response& resp = outcome.response;
            if (fault == fault_kind::drop_before || fault == fault_kind::stall) co_return;
            if (fault == fault_kind::drop_after) co_return;
            const std::string head = render_head(resp, keep_alive && fault != fault_kind::truncated);
            if (fault == fault_kind::truncated) {
                // Headers promise the whole body; half of it arrives, then the connection ends.
                co_await write_raw(stream, head + resp.body.substr(0, resp.body.size() / 2));
                co_return;
            }
            if (fault == fault_kind::slow_body) {
                if (!co_await write_raw(stream, head)) co_return;
                for (std::size_t off = 0; off < resp.body.size(); off += 64) {
                    timer.expires_after(std::chrono::milliseconds(20));
                    auto [tec] = co_await timer.async_wait(use_tuple);
                    if (tec) co_return;
                    if (!co_await write_raw(stream, resp.body.substr(off, 64))) co_return;
                }
            } else if (!co_await write_raw(stream, head, resp.body)) {
                co_return;
            }
            if (!keep_alive) {
                beast::error_code ignored;
                tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ignored);
                co_return;
            }
        }
    }

    // What happens to one request, over a socket or not: the server's latency, a create's
    // provider time, the fault it meets (scripted, else drawn), the API's answer. Waits on
    // `timer`; cancelling it during the latency abandons the request (drop_before).
    struct served {
        fault_kind fault = fault_kind::none;
        sim::sim_response response;
    };
    asio::awaitable<served> respond(sim::sim_request req, asio::steady_timer& timer) {
        if (options.latency.count() > 0) {
            timer.expires_after(options.latency);
            auto [tec] = co_await timer.async_wait(use_tuple);
            if (tec) co_return served{fault_kind::drop_before, {}};
        }
        if (options.create_latency.count() > 0 && is_machine_create(req)) {
            // Like a server busy with the provider: it goes on even if the client left.
            timer.expires_after(options.create_latency);
            co_await timer.async_wait(use_tuple);
        }
        fault_kind fault = scripts.empty() ? fault_kind::none : scripts.on_request(req.method, path_of(req));
        bool exposed = options.fault_method.empty() || req.method == options.fault_method;
        if (fault == fault_kind::none && exposed) fault = sim::pick_fault(fault_rng, options.fault_rate, options.faults);
        if (fault != fault_kind::none) ++stats.faults_injected;
        served out{fault, {}};
        switch (fault) {
        case fault_kind::drop_before: co_return out;
        case fault_kind::stall: {
            timer.expires_after(options.stall_duration);
            co_await timer.async_wait(use_tuple);
            co_return out;
        }
        case fault_kind::http_500: out.response = {500, sim::content_type_html, "Internal Server Error", {}}; break;
        case fault_kind::http_503: out.response = {503, sim::content_type_html, "Service unavailable", {}}; break;
        case fault_kind::http_429:
            out.response = {429, sim::content_type_html, "Rate Limit Error", {}};
            out.response.headers.emplace_back("Retry-After", std::to_string(options.retry_after_seconds));
            break;
        default: out.response = api->handle(req); break;
        }
        if (fault == fault_kind::malformed_json) {
            out.response.status = 200;
            out.response.content_type = sim::content_type_json;
            out.response.body = "{\"id\": \"" + std::string(out.response.body.size() % 7 + 3, 'x') + "\", [truncated";
        }
        co_return out;
    }

    // One request of the in-process channel: served like a connection's, answered as the
    // client's transport would read it (a dropped or cut answer is the error it would meet).
    asio::awaitable<void> serve_in_process(std::shared_ptr<impl> self, detail::wire_request wire, detail::wire_handler handler) {
        if (options.demo_world && world->backends().empty()) build_demo_world();
        ++stats.requests;
        sim::sim_request req{std::move(wire.method), std::move(wire.target), {}, {}, {}, std::move(wire.body)};
        for_each_header(wire.fields, [&](std::string_view name, std::string_view value) {
            if (beast::iequals(name, "Authorization")) req.authorization = value;
            else if (beast::iequals(name, "Api-Version")) req.api_version = value;
        });
        if (!req.body.empty()) req.content_type = sim::content_type_json;
        // The client abandons a request by cancelling the handler's slot (its deadline, a
        // cancel()): that ends the waits, as closing a connection does. The timer is shared
        // so that a cancellation posted from another thread never outlives it.
        auto timer = std::make_shared<asio::steady_timer>(executor);
        auto slot = asio::get_associated_cancellation_slot(handler);
        if (slot.is_connected())
            slot.assign([timer, ex = executor](asio::cancellation_type) { asio::post(ex, [timer] { timer->cancel(); }); });
        served outcome = co_await respond(std::move(req), *timer);
        if (slot.is_connected()) slot.clear();
        boost::system::error_code ec;
        detail::wire_response answer;
        switch (outcome.fault) {
        case fault_kind::drop_before:
        case fault_kind::drop_after:
        case fault_kind::stall: ec = http::error::end_of_stream; break;
        case fault_kind::truncated: ec = http::error::partial_message; break;
        default: {
            sim::sim_response& r = outcome.response;
            answer.status = r.status;
            answer.content_type = r.content_type;
            answer.body = std::move(r.body);
            for (auto& [name, value] : r.headers) {
                if (beast::iequals(name, "Retry-After")) answer.retry_after = value;
                else if (beast::iequals(name, "Location")) answer.location = value;
            }
        }
        }
        auto ex = asio::get_associated_executor(handler, executor);
        asio::dispatch(ex, [handler = std::move(handler), ec, answer = std::move(answer), self]() mutable {
            std::move(handler)(ec, std::move(answer));
        });
    }

    // Calls f(name, value) for each "Name: value\r\n" line.
    template <class F>
    static void for_each_header(std::string_view fields, F f) {
        while (!fields.empty()) {
            auto end = fields.find("\r\n");
            std::string_view line = fields.substr(0, end);
            if (auto colon = line.find(':'); colon != std::string_view::npos) {
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
                f(line.substr(0, colon), value);
            }
            if (end == std::string_view::npos) break;
            fields.remove_prefix(end + 2);
        }
    }

    static std::string_view path_of(const sim::sim_request& req) {
        return std::string_view(req.target).substr(0, req.target.find('?'));
    }

    static bool is_machine_create(const sim::sim_request& req) {
        std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
        return req.method == "POST" && path.ends_with("/machines");
    }

    template <class Stream>
    asio::awaitable<bool> write_raw(Stream& stream, const std::string& data, std::string_view more = {}) {
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
        const std::array<asio::const_buffer, 2> parts{asio::buffer(data), asio::buffer(more)};
        auto [ec, n] = co_await asio::async_write(stream, parts, use_tuple);
        co_return !ec;
    }

    asio::any_io_executor executor;
    simulator_options options;
    std::unique_ptr<sim::world> world;  ///< the default organization's
    std::vector<std::unique_ptr<sim::world>> other_orgs;
    std::unique_ptr<sim::api> api;
    std::optional<tcp::acceptor> acceptor;
    std::optional<asio::ssl::context> tls;
    std::list<session_handle> sessions;
    std::mt19937_64 fault_rng;
    sim::fault_script scripts;
    simulator_stats stats;
    unsigned short bound_port = 0;
    std::optional<std::string> cached_token;
};

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
        beast::error_code ignored;
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

std::size_t simulator::machine_count(bool include_terminated) const {
    impl_->world->advance();
    std::size_t n = 0;
    for (auto& b : impl_->world->backends())
        for (auto& m : b->machines)
            if (include_terminated || impl_->world->state_of(*m) != sim::machine_state::terminated) ++n;
    return n;
}

std::size_t simulator::machines_named(std::string_view name) const {
    impl_->world->advance();
    std::size_t n = 0;
    for (auto& b : impl_->world->backends())
        for (auto& m : b->machines)
            if (m->name == name && impl_->world->state_of(*m) != sim::machine_state::terminated) ++n;
    return n;
}

std::string simulator::create_request_of(std::string_view name) const {
    impl_->world->advance();
    const sim::machine* newest = nullptr;
    for (auto& b : impl_->world->backends())
        for (auto& m : b->machines)
            if (m->name == name && m->create_request && (!newest || m->created_wall >= newest->created_wall)) newest = m.get();
    return newest ? *newest->create_request : std::string();
}

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

// The internal enums mirror the public ones value for value.
static_assert(static_cast<int>(sim::address_rule::when_running) == static_cast<int>(address_rule::when_running));
static_assert(static_cast<int>(sim::backend_fault::bad_credentials) == static_cast<int>(backend_fault::bad_credentials));

simulator_stats simulator::stats() const {
    simulator_stats s = impl_->stats;
    s.machines_created = impl_->world->machines_created();
    return s;
}

std::size_t simulator::approximate_bytes_per_machine() const {
    std::size_t total = 0, count = 0;
    auto str = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
    for (auto& b : impl_->world->backends())
        for (auto& m : b->machines) {
            ++count;
            total += sizeof(sim::machine) + str(m->provider_id) + str(m->libcloud_uuid) + str(m->mist_id) +
                     str(m->name) + str(m->image_id) + str(m->size_id) + str(m->location_id) + str(m->job_id);
            for (auto& ip : m->public_ips) total += sizeof(std::string) + str(ip);
            for (auto& ip : m->private_ips) total += sizeof(std::string) + str(ip);
            total += m->timeline.capacity() * sizeof(sim::state_change);
            total += 2 * (sizeof(void*) * 4 + 32);  // two hash-map nodes and their buckets
        }
    return count ? total / count : 0;
}

bool simulator::break_machine(std::string_view name) {
    auto& w = *impl_->world;
    w.advance();
    sim::machine* newest = nullptr;
    for (auto& b : w.backends())
        for (auto& m : b->machines)
            if (m->name == name && w.state_of(*m) != sim::machine_state::terminated &&
                (!newest || m->created_wall >= newest->created_wall))
                newest = m.get();
    if (newest) w.break_machine(*newest);
    return newest != nullptr;
}

std::string simulator::add_machine(std::string_view backend_title_or_id, std::string_view name) {
    auto& w = *impl_->world;
    for (auto& b : w.backends())
        if (b->title == backend_title_or_id || b->uuid == backend_title_or_id || b->legacy_id == backend_title_or_id) {
            sim::machine_spec spec{.name = std::string(name), .image_id = "51", .size_id = "221", .location_id = "86945",
                                   .already_running = true};
            return w.create_machine(*b, spec, "").provider_id;
        }
    throw std::invalid_argument("no backend " + std::string(backend_title_or_id));
}

void simulator::populate_machines(std::size_t count, std::string_view name_prefix) {
    auto& w = *impl_->world;
    if (w.backends().empty()) impl_->build_demo_world();
    sim::backend& b = *w.backends().front();
    for (std::size_t k = 0; k < count; ++k) {
        sim::machine_spec spec{.name = std::string(name_prefix) + "-" + std::to_string(k + 1), .image_id = "51",
                               .size_id = "221", .location_id = "86945", .already_running = true};
        w.create_machine(b, spec, "");
    }
}

}  // namespace mistasync::testing
