// A typical consumer file: includes the SDK and makes one call.
#include <mistasync/mistasync.hpp>

boost::asio::awaitable<std::size_t> count_machines(mistasync::client mist) {
    auto machines = co_await mist.machines();
    co_return machines.size();
}
