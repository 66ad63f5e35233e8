// Wall clocks and instants through the tz database: offsets in Paris, New York and Kolkata, the
// hours that DST changes skip or repeat, and a weekly meetup that keeps its local time.
#include "crm/error.hpp"
#include "crm/time_zone.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::ambiguous_time;
using crm::from_local;
using crm::to_local;
using crm::test::at;

namespace {

date::local_seconds local(date::year_month_day d, std::chrono::hours h, std::chrono::minutes m = 0min) {
    return date::local_days{d} + h + m;
}

}  // namespace

TEST_CASE("wall clocks convert with the zone's offset of that day", "[time_zone][events]") {
    CHECK(from_local(local(2026_y / 1 / 15, 19h), "Europe/Paris") == at(2026_y / 1 / 15, 18h));     // CET +1
    CHECK(from_local(local(2026_y / 7 / 15, 19h), "Europe/Paris") == at(2026_y / 7 / 15, 17h));     // CEST +2
    CHECK(from_local(local(2026_y / 1 / 15, 19h), "America/New_York") == at(2026_y / 1 / 16, 0h));  // EST -5
    CHECK(from_local(local(2026_y / 7 / 15, 19h), "America/New_York") == at(2026_y / 7 / 15, 23h)); // EDT -4
    CHECK(from_local(local(2026_y / 7 / 15, 19h), "Asia/Kolkata") == at(2026_y / 7 / 15, 13h, 30min));
    CHECK(from_local(local(2026_y / 1 / 15, 0h, 15min), "Asia/Kolkata") == at(2026_y / 1 / 14, 18h, 45min));
    CHECK(from_local(local(2026_y / 1 / 15, 9h), "UTC") == at(2026_y / 1 / 15, 9h));
}

TEST_CASE("instants read back as the same wall clock", "[time_zone][events]") {
    for (const char* zone : {"Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"}) {
        for (auto d : {2026_y / 1 / 15, 2026_y / 3 / 29, 2026_y / 7 / 1, 2026_y / 11 / 1}) {
            INFO(zone << " " << d);
            const auto wall = local(d, 12h, 45min);
            CHECK(to_local(from_local(wall, zone), zone) == wall);
        }
    }
    CHECK(to_local(at(2026_y / 3 / 10, 18h, 45min), "Asia/Kolkata") == local(2026_y / 3 / 11, 0h, 15min));
}

TEST_CASE("a time skipped by the spring change does not exist unless a side is chosen", "[time_zone][events]") {
    // 2026-03-29 in Paris: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    const auto gap = local(2026_y / 3 / 29, 2h, 30min);
    CHECK_THROWS_WITH(from_local(gap, "Europe/Paris"),
                      Catch::Contains("2026-03-29 02:30:00 does not exist in Europe/Paris") &&
                          Catch::Contains("from 2026-03-29 02:00:00 to 2026-03-29 03:00:00"));
    CHECK(from_local(gap, "Europe/Paris", ambiguous_time::latest) == at(2026_y / 3 / 29, 1h, 30min));   // 03:30 CEST
    CHECK(from_local(gap, "Europe/Paris", ambiguous_time::earliest) == at(2026_y / 3 / 29, 0h, 30min)); // 01:30 CET
    // 2026-03-08 in New York: 02:00 EST becomes 03:00 EDT.
    CHECK_THROWS_AS(from_local(local(2026_y / 3 / 8, 2h, 15min), "America/New_York"), crm::invalid_input);
    CHECK(from_local(local(2026_y / 3 / 8, 2h, 15min), "America/New_York", ambiguous_time::latest) ==
          at(2026_y / 3 / 8, 7h, 15min));
}

TEST_CASE("a time repeated by the autumn change is ambiguous unless a side is chosen", "[time_zone][events]") {
    // 2026-10-25 in Paris: 03:00 CEST becomes 02:00 CET again (01:00 UTC).
    const auto twice = local(2026_y / 10 / 25, 2h, 30min);
    CHECK_THROWS_WITH(from_local(twice, "Europe/Paris"),
                      Catch::Contains("happens twice in Europe/Paris") && Catch::Contains("+0200") &&
                          Catch::Contains("+0100"));
    CHECK(from_local(twice, "Europe/Paris", ambiguous_time::earliest) == at(2026_y / 10 / 25, 0h, 30min));
    CHECK(from_local(twice, "Europe/Paris", ambiguous_time::latest) == at(2026_y / 10 / 25, 1h, 30min));
    // 2026-11-01 in New York: 01:30 happens in EDT, then in EST.
    CHECK(from_local(local(2026_y / 11 / 1, 1h, 30min), "America/New_York", ambiguous_time::earliest) ==
          at(2026_y / 11 / 1, 5h, 30min));
    CHECK(from_local(local(2026_y / 11 / 1, 1h, 30min), "America/New_York", ambiguous_time::latest) ==
          at(2026_y / 11 / 1, 6h, 30min));
    // Kolkata has no DST: nothing is ever ambiguous there.
    CHECK(from_local(local(2026_y / 10 / 25, 2h, 30min), "Asia/Kolkata") == at(2026_y / 10 / 24, 21h));
}

TEST_CASE("a weekly 19:00 Paris meetup stays at 19:00 across both DST changes", "[time_zone][events]") {
    // Thursdays from 2026-03-19 (before the March change) to 2026-11-05 (after the October one).
    date::sys_days day{2026_y / 3 / 19};
    int winter = 0, summer = 0;
    for (; day <= date::sys_days{2026_y / 11 / 5}; day += date::days{7}) {
        const auto starts = from_local(date::local_days{day.time_since_epoch()} + 19h, "Europe/Paris");
        const auto wall = to_local(starts, "Europe/Paris");
        CHECK(wall == date::local_days{day.time_since_epoch()} + 19h);
        const auto utc_hour = date::floor<std::chrono::hours>(starts - date::floor<date::days>(starts));
        if (utc_hour == 18h) ++winter;
        if (utc_hour == 17h) ++summer;
    }
    CHECK(winter == 4);   // Mar 19, Mar 26, Oct 29, Nov 5
    CHECK(summer == 30);  // Apr 2 .. Oct 22
}

TEST_CASE("unknown zones are refused with their name", "[time_zone][events]") {
    CHECK_THROWS_WITH(from_local(local(2026_y / 1 / 1, 0h), "Europe/Pariss"), Catch::Contains("'Europe/Pariss'"));
    CHECK_THROWS_AS(to_local(at(2026_y / 1 / 1), "Mars/Olympus"), crm::invalid_input);
    CHECK_THROWS_AS(crm::check_time_zone(""), crm::invalid_input);
    CHECK_NOTHROW(crm::check_time_zone("Asia/Kolkata"));
}
