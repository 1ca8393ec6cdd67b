// The libc++ build only (KIT_LIBCXX): Debian's compiled Boost.URL and
// Boost.JSON are built against libstdc++, so their header-only forms are
// compiled here, once, instead.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
