// The client class and the state its handles share.
#include "call/client_state.hpp"
#include "codec/responses.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace mistasync::detail {

namespace {

http_settings http_settings_of(const client_options& o, const base_url& url) {
    return {.url = url,
            .tls = o.tls,
            .pool_size = o.pool_size,
            .connect_timeout = o.timeouts.connect,
            .tls_timeout = o.timeouts.tls,
            .request_timeout = o.timeouts.request,
            .max_response_bytes = o.max_response_bytes};
}

base_url parsed_base_url(const client_options& o) {
    auto parsed = parse_base_url(o.base_url);
    if (!parsed) throw std::invalid_argument("mistasync: base_url must be an http:// or https:// URL with a host");
    return *parsed;
}

}  // namespace

client_state::client_state(boost::asio::any_io_executor ex, client_options opts)
    : client_state(std::move(ex), std::move(opts), nullptr) {}

client_state::client_state(boost::asio::any_io_executor ex, client_options opts, message_channel channel)
    : executor(std::move(ex)),
      options(std::move(opts)),
      url(parsed_base_url(options)),
      transport(channel ? make_channel_transport(std::move(channel), http_settings_of(options, url))
                        : make_pool_transport(executor, http_settings_of(options, url))),
      session(executor, options.era),
      limits(executor, options.max_in_flight, options.requests_per_second),
      budget(options.retry),
      rng(options.retry.seed ? options.retry.seed
                             : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
      operations(std::make_shared<running_operations>(executor)) {
    if (url.tls && !options.tls.verify)
        log(log_level::warning, "TLS verification is OFF for " + url.host + ": the server's identity is not checked (insecure)");
}

client_state::~client_state() = default;

void client_state::log(log_level level, const std::string& text) const {
    if (logs(level)) options.logger.sink(level, text);
}

boost::asio::any_io_executor executor_of(const client_ref& ref) { return ref.state->executor; }

client client_over_channel(boost::asio::any_io_executor executor, client_options options, message_channel channel) {
    return client(client_ref{std::make_shared<client_state>(std::move(executor), std::move(options), std::move(channel)), {}, {}});
}

std::string json_text(const std::shared_ptr<const json_holder>& raw) {
    return raw ? boost::json::serialize(raw->value) : std::string("null");
}

}  // namespace mistasync::detail

namespace mistasync {

client::client(boost::asio::any_io_executor executor, client_options options)
    : ref_{std::make_shared<detail::client_state>(std::move(executor), std::move(options)), {}} {}

const client_options& client::options() const { return ref_.state->options; }

api_era client::era() const { return ref_.state->session.era; }

std::string client::server() const { return detail::server_identity(ref_.state->url); }

void client::cancel() {
    // On the client's executor (from another thread, dispatched there).
    boost::asio::dispatch(ref_.state->executor, [state = ref_.state] { state->operations->cancel_all(); });
}

}  // namespace mistasync
