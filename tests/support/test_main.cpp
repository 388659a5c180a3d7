// The tests' one main: Boost.Test's (linked dynamically), linked into every test
// executable. A file that defines BOOST_TEST_MODULE gets the main from Boost.Test's
// header; here that happens once, so the test files include the header without it and
// it can sit in their shared precompiled header. This file is compiled without that
// precompiled header, for the same reason.
#define BOOST_TEST_MODULE mistasync
#include <boost/test/unit_test.hpp>
