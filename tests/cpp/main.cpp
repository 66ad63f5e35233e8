// Catch2's main, alone in its translation unit: catch.hpp's runner takes long to compile, and
// keeping it apart means editing a test recompiles only that test.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
