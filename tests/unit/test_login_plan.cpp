// How a session gets ready, fed statuses step by step, without sockets.
#include <boost/test/unit_test.hpp>

#include "errc_printing.hpp"
#include "decide/login_plan.hpp"

#include <vector>

using namespace mistasync;
using namespace mistasync::detail;
using S = login_plan::step;

BOOST_TEST_DONT_PRINT_LOG_VALUE(login_plan::step)
BOOST_TEST_DONT_PRINT_LOG_VALUE(api_era)

namespace {

// The steps the plan goes through when its answers have these statuses.
std::vector<S> walk(login_plan plan, const std::vector<int>& statuses) {
    std::vector<S> steps{plan.current()};
    for (int status : statuses) steps.push_back(plan.on_answer(status));
    return steps;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_password_logs_in_through_v1_tokens_first) {
    login_plan plan(api_era::automatic, false, true);
    BOOST_TEST((walk(plan, {200}) == std::vector<S>{S::token_login, S::done}));
    plan.on_answer(200);
    BOOST_TEST((plan.era() == api_era::v1));
    BOOST_TEST(plan.v1_served());
    login_plan v2(api_era::v2, false, true);
    v2.on_answer(200);
    BOOST_TEST((v2.era() == api_era::v2));
    BOOST_TEST(v2.v1_served());
}

BOOST_AUTO_TEST_CASE(v2_is_spoken_where_asked_for_or_where_v1_is_not_served) {
    // Both served: v1 unless v2 is asked for.
    login_plan both(api_era::automatic, true, false);
    BOOST_TEST((walk(both, {200}) == std::vector<S>{S::detect_with_token, S::done}));
    both.on_answer(200);
    BOOST_TEST((both.era() == api_era::v1));
    // v2 alone: no v1 routes to fall back on.
    login_plan alone(api_era::automatic, true, false);
    BOOST_TEST((alone.on_answer(404) == S::detect_v2));
    BOOST_TEST(alone.authenticated());
    BOOST_TEST((alone.on_answer(200) == S::done));
    BOOST_TEST((alone.era() == api_era::v2));
    BOOST_TEST(!alone.v1_served());
    // Without a token, v2 is there when it refuses with 401.
    login_plan anonymous(api_era::automatic, false, false);
    anonymous.on_answer(404);
    BOOST_TEST(!anonymous.authenticated());
    BOOST_TEST((anonymous.on_answer(401) == S::done));
    BOOST_TEST((anonymous.era() == api_era::v2));
    // With a token, a 401 from v2 is the token refused.
    login_plan refused(api_era::automatic, true, false);
    refused.on_answer(404);
    BOOST_TEST((refused.on_answer(401) == S::failed));
    BOOST_TEST(refused.error() == errc::unauthorized);
    // v2 asked for: only whether v1 is beside it.
    login_plan pinned(api_era::v2, true, false);
    BOOST_TEST((pinned.current() == S::detect_with_token));
    BOOST_TEST((pinned.on_answer(200) == S::done));
    BOOST_TEST((pinned.era() == api_era::v2));
    BOOST_TEST(pinned.v1_served());
}

BOOST_AUTO_TEST_CASE(a_2015_server_404s_the_token_login_and_gets_auth) {
    login_plan plan(api_era::automatic, false, true);
    BOOST_TEST((walk(plan, {404, 200}) == std::vector<S>{S::token_login, S::legacy_login, S::done}));
    plan.on_answer(404);
    plan.on_answer(200);
    BOOST_TEST((plan.era() == api_era::legacy));
}

BOOST_AUTO_TEST_CASE(an_era_asked_for_is_not_second_guessed) {
    // v1 asked for: a 404 is the server's answer, not a reason to try 2015.
    login_plan v1(api_era::v1, false, true);
    BOOST_TEST((v1.on_answer(404) == S::failed));
    BOOST_TEST(v1.error() == errc::not_found);
    // 2015 asked for: straight to /auth.
    BOOST_TEST((login_plan(api_era::legacy, false, true).current() == S::legacy_login));
    // A token with an era: nothing to send.
    login_plan given(api_era::legacy, true, false);
    BOOST_TEST((given.current() == S::done));
    BOOST_TEST((given.era() == api_era::legacy));
}

BOOST_AUTO_TEST_CASE(wrong_credentials_are_login_failed_in_either_family) {
    for (int status : {401, 403}) {
        login_plan v1(api_era::automatic, false, true);
        BOOST_TEST((v1.on_answer(status) == S::failed));
        BOOST_TEST(v1.error() == errc::login_failed);
        login_plan legacy(api_era::automatic, false, true);
        legacy.on_answer(404);
        BOOST_TEST((legacy.on_answer(status) == S::failed));
        BOOST_TEST(legacy.error() == errc::login_failed);
    }
}

BOOST_AUTO_TEST_CASE(a_token_alone_detects_the_era) {
    login_plan with_token(api_era::automatic, true, false);
    BOOST_TEST((with_token.current() == S::detect_with_token));
    BOOST_TEST((with_token.on_answer(404) == S::detect_v2));
    BOOST_TEST((with_token.on_answer(404) == S::done));
    BOOST_TEST((with_token.era() == api_era::legacy));
    login_plan anonymous(api_era::automatic, false, false);
    BOOST_TEST((anonymous.current() == S::detect_anonymously));
    BOOST_TEST((anonymous.on_answer(200) == S::done));
    BOOST_TEST((anonymous.era() == api_era::v1));
    // A token wins over a password: no login.
    BOOST_TEST((login_plan(api_era::automatic, true, true).current() == S::detect_with_token));
}

BOOST_AUTO_TEST_CASE(other_answers_fail_with_their_status) {
    login_plan plan(api_era::automatic, true, false);
    BOOST_TEST((plan.on_answer(500) == S::failed));
    BOOST_TEST(plan.error() == errc::server_error);
}
