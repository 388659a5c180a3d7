// How a session gets ready: which login or era probe to send, and what each answer's status
// means (logged in as v1 or 2015, try the other family, or fail with which error). No I/O:
// the login session (login_session.cpp) sends what it says and reads the tokens; unit tests
// feed it statuses.
#pragma once

#include <mistasync/config.hpp>
#include <mistasync/error.hpp>

#include <boost/system/error_code.hpp>

namespace mistasync::detail {

class login_plan {
public:
    enum class step {
        token_login,          ///< POST /api/v1/tokens with email and password
        legacy_login,         ///< POST /auth with email and password
        detect_with_token,    ///< GET /api/v1/ping with the token: 200 is v1, 404 is 2015 (for v2: whether v1 is served beside it)
        detect_anonymously,   ///< GET /api/v1/providers without a token: the same test
        detect_v2,            ///< no v1: GET /api/v2/machines?limit=1&only=id: 200 (401 without a token) is v2, 404 is 2015
        done,                 ///< ready: era() is settled
        failed,               ///< error() says why
    };

    /// `wanted`: the configured era (automatic: find out).
    login_plan(api_era wanted, bool has_token, bool has_password);
    /// Whether the current step sends the token (detect_v2 after an anonymous v1 test does not).
    bool authenticated() const { return has_token_; }

    step current() const { return step_; }
    /// The era once done (the configured one when nothing had to be found out).
    api_era era() const { return era_; }
    /// Whether the server serves /api/v1 (a v2 session sends v1's routes where v2 has none).
    bool v1_served() const { return v1_served_; }
    /// Why it failed.
    boost::system::error_code error() const { return error_; }

    /// The current step's answer had this status; moves to the next step.
    step on_answer(int status);

private:
    void fail(boost::system::error_code ec);
    void finish(api_era era);

    api_era wanted_;
    api_era era_;
    bool v1_served_ = false;
    bool has_token_ = false;
    step step_;
    boost::system::error_code error_;
};

}  // namespace mistasync::detail
