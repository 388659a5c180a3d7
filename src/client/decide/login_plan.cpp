#include "decide/login_plan.hpp"

namespace mistasync::detail {

login_plan::login_plan(api_era wanted, bool has_token, bool has_password) : wanted_(wanted), era_(wanted), has_token_(has_token) {
    if (!has_token && has_password) step_ = wanted == api_era::legacy ? step::legacy_login : step::token_login;
    else if (wanted == api_era::automatic || wanted == api_era::v2) step_ = has_token ? step::detect_with_token : step::detect_anonymously;
    else step_ = step::done;
    v1_served_ = wanted == api_era::v1;
}

void login_plan::fail(boost::system::error_code ec) {
    error_ = ec;
    step_ = step::failed;
}

void login_plan::finish(api_era era) {
    era_ = era;
    step_ = step::done;
}

login_plan::step login_plan::on_answer(int status) {
    const bool refused = status == 401 || status == 403;
    switch (step_) {
    case step::token_login:
        if (status == 200) {
            v1_served_ = true;
            has_token_ = true;
            finish(wanted_ == api_era::v2 ? api_era::v2 : api_era::v1);
        }
        else if (refused) fail(errc::login_failed);
        // No /api/v1 here: a 2015 server, unless the caller insisted on v1.
        else if (status == 404 && wanted_ == api_era::automatic) step_ = step::legacy_login;
        else fail(error_from_status(status));
        break;
    case step::legacy_login:
        if (status == 200) finish(api_era::legacy);
        else if (refused) fail(errc::login_failed);
        else fail(error_from_status(status));
        break;
    case step::detect_with_token:
    case step::detect_anonymously:
        if (status != 200 && status != 404) {
            fail(error_from_status(status));
            break;
        }
        v1_served_ = status == 200;
        if (wanted_ == api_era::v2) finish(api_era::v2);  // v2 asked for: whether v1 is beside it
        // Where v1 is served it is spoken unless v2 is asked for (api_era::v2): every
        // operation and bulk provisioning behave there as documented for v1. A server
        // without v1 is asked whether it serves v2 (else it is a 2015 server).
        else if (v1_served_) finish(api_era::v1);
        else step_ = step::detect_v2;
        break;
    case step::detect_v2:
        // Without a token, v2 answers 401 (a problem object) where a server without it 404s.
        if (status == 200 || (status == 401 && !has_token_)) finish(api_era::v2);
        else if (status == 404) finish(v1_served_ ? api_era::v1 : api_era::legacy);
        else fail(error_from_status(status));
        break;
    case step::done:
    case step::failed: break;
    }
    return step_;
}

}  // namespace mistasync::detail
