// schedule: business days over weekends and holidays, month steps clamped at month end (leap
// years included), and 09:00 local turned into an instant in Paris, New York and Kolkata, also on
// the days the clocks change.
#include "crm/error.hpp"
#include "crm/schedule.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::advance;
using crm::due_instant;
using crm::step;
using crm::step_unit;
using crm::test::at;

namespace Catch {
template <>
struct StringMaker<date::year_month_day> {
    static std::string convert(const date::year_month_day& d) { return date::format("%F", d); }
};
}  // namespace Catch

TEST_CASE("one business day after a Friday or a Saturday is the Monday", "[follow_ups][schedule]") {
    CHECK(advance(2026_y / 3 / 6, step{1, step_unit::business_days}) == 2026_y / 3 / 9);
    CHECK(advance(2026_y / 3 / 7, step{1, step_unit::business_days}) == 2026_y / 3 / 9);
    CHECK(advance(2026_y / 3 / 6, step{2, step_unit::business_days}) == 2026_y / 3 / 10);
    CHECK(advance(2026_y / 3 / 2, step{5, step_unit::business_days}) == 2026_y / 3 / 9);
}

TEST_CASE("business days skip the holidays of the calendar given", "[follow_ups][schedule]") {
    const std::set<date::sys_days> may{date::sys_days{2026_y / 5 / 1}, date::sys_days{2026_y / 5 / 4}};
    CHECK(advance(2026_y / 4 / 30, step{1, step_unit::business_days}) == 2026_y / 5 / 1);
    CHECK(advance(2026_y / 4 / 30, step{1, step_unit::business_days}, may) == 2026_y / 5 / 5);
    // A holiday on a weekend changes nothing.
    const std::set<date::sys_days> saturday{date::sys_days{2026_y / 5 / 2}};
    CHECK(advance(2026_y / 5 / 1, step{1, step_unit::business_days}, saturday) == 2026_y / 5 / 4);
}

TEST_CASE("a month step clamps to the month's last day, leap years included", "[follow_ups][schedule]") {
    const step month{1, step_unit::months};
    CHECK(advance(2024_y / 1 / 31, month) == 2024_y / 2 / 29);
    CHECK(advance(2025_y / 1 / 31, month) == 2025_y / 2 / 28);
    CHECK(advance(2100_y / 1 / 31, month) == 2100_y / 2 / 28);  // not a leap year
    CHECK(advance(2000_y / 1 / 31, month) == 2000_y / 2 / 29);  // a leap year
    CHECK(advance(2026_y / 3 / 31, month) == 2026_y / 4 / 30);
    // Counted from the start, not clamped step by step: Jan 31 + 2 months is Mar 31.
    CHECK(advance(2024_y / 1 / 31, step{2, step_unit::months}) == 2024_y / 3 / 31);
    CHECK(advance(2023_y / 12 / 31, step{2, step_unit::months}) == 2024_y / 2 / 29);
    CHECK(advance(2024_y / 2 / 29, step{12, step_unit::months}) == 2025_y / 2 / 28);
    CHECK(advance(2026_y / 11 / 15, step{3, step_unit::months}) == 2027_y / 2 / 15);
}

TEST_CASE("day and week steps cross month and year ends", "[follow_ups][schedule]") {
    CHECK(advance(2024_y / 2 / 28, step{1, step_unit::days}) == 2024_y / 2 / 29);
    CHECK(advance(2026_y / 12 / 28, step{1, step_unit::weeks}) == 2027_y / 1 / 4);
    CHECK(advance(2026_y / 12 / 31, step{1, step_unit::days}) == 2027_y / 1 / 1);
}

TEST_CASE("a step must count forward and units parse by name", "[follow_ups][schedule]") {
    CHECK_THROWS_AS(advance(2026_y / 1 / 1, step{0, step_unit::days}), crm::invalid_input);
    CHECK_THROWS_AS(advance(2026_y / 2 / 30, step{1, step_unit::days}), crm::invalid_input);
    CHECK(crm::parse_step_unit("business days") == step_unit::business_days);
    CHECK(crm::parse_step_unit("month") == step_unit::months);
    CHECK(crm::parse_step_unit("Weeks") == step_unit::weeks);
    CHECK(crm::to_string(step_unit::business_days) == "business_days");
    CHECK_THROWS_WITH(crm::parse_step_unit("fortnights"), Catch::Contains("business_days, days, weeks, months"));
}

TEST_CASE("09:00 in Paris on the days the clocks change", "[follow_ups][schedule]") {
    CHECK(due_instant(2026_y / 3 / 28, "Europe/Paris") == at(2026_y / 3 / 28, 8h));  // CET
    CHECK(due_instant(2026_y / 3 / 29, "Europe/Paris") == at(2026_y / 3 / 29, 7h));  // CEST from 02:00
    CHECK(due_instant(2026_y / 10 / 24, "Europe/Paris") == at(2026_y / 10 / 24, 7h));
    CHECK(due_instant(2026_y / 10 / 25, "Europe/Paris") == at(2026_y / 10 / 25, 8h));  // CET from 03:00
}

TEST_CASE("a time in the spring gap moves forward by the gap; a repeated one takes the first", "[follow_ups][schedule]") {
    // 02:30 does not exist on 2026-03-29 in Paris: 03:30 CEST.
    CHECK(due_instant(2026_y / 3 / 29, "Europe/Paris", 2h + 30min) == at(2026_y / 3 / 29, 1h, 30min));
    // 02:30 happens twice on 2026-10-25: the first is still CEST (+02:00).
    CHECK(due_instant(2026_y / 10 / 25, "Europe/Paris", 2h + 30min) == at(2026_y / 10 / 25, 0h, 30min));
    // New York: 02:30 on 2026-03-08 is 03:30 EDT.
    CHECK(due_instant(2026_y / 3 / 8, "America/New_York", 2h + 30min) == at(2026_y / 3 / 8, 7h, 30min));
}

TEST_CASE("09:00 in New York across its DST changes", "[follow_ups][schedule]") {
    CHECK(due_instant(2026_y / 3 / 7, "America/New_York") == at(2026_y / 3 / 7, 14h));
    CHECK(due_instant(2026_y / 3 / 8, "America/New_York") == at(2026_y / 3 / 8, 13h));
    CHECK(due_instant(2026_y / 10 / 31, "America/New_York") == at(2026_y / 10 / 31, 13h));
    CHECK(due_instant(2026_y / 11 / 1, "America/New_York") == at(2026_y / 11 / 1, 14h));
}

TEST_CASE("09:00 in Kolkata is 03:30 UTC all year", "[follow_ups][schedule]") {
    CHECK(due_instant(2026_y / 1 / 15, "Asia/Kolkata") == at(2026_y / 1 / 15, 3h, 30min));
    CHECK(due_instant(2026_y / 7 / 15, "Asia/Kolkata") == at(2026_y / 7 / 15, 3h, 30min));
    CHECK(due_instant(2026_y / 7 / 15, "Asia/Kolkata", 18h + 45min) == at(2026_y / 7 / 15, 13h, 15min));
}

TEST_CASE("due_instant refuses an unknown zone and an impossible time", "[follow_ups][schedule]") {
    CHECK_THROWS_WITH(due_instant(2026_y / 1 / 1, "Mars/Olympus"), Catch::Contains("Mars/Olympus"));
    CHECK_THROWS_AS(due_instant(2026_y / 1 / 1, "UTC", 24h), crm::invalid_input);
    CHECK_THROWS_AS(due_instant(2026_y / 1 / 1, "UTC", -1min), crm::invalid_input);
}
