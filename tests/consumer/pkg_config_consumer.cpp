// Built with `pkg-config --cflags --libs mistasync` only: the SDK's headers and library.
#include <mistasync/mistasync.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdio>

int main() {
    boost::asio::io_context io;
    mistasync::client_options o;
    o.base_url = "https://mist.example.com";
    o.token = "unused";
    mistasync::client mist(io.get_executor(), o);
    std::printf("mistasync %s (pkg-config)\n", MISTASYNC_VERSION_STRING);
    return mist.options().tls.verify ? 0 : 1;
}
