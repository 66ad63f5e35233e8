#include "crm/error.hpp"
#include "crm/period.hpp"

#include "test_support.hpp"

using namespace date;
using namespace std::chrono_literals;
using crm::period;
using crm::test::at;

namespace {

constexpr year_month_day today = 2027_y / May / 14;  // a Friday in ISO week 19, Q2

std::string error_of(std::string_view text, year_month_day when = today) {
    try {
        (void)period::parse(text, when);
    } catch (const crm::invalid_input& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a year, a quarter, a month, an ISO week, a day and a range read as written", "[goals][period]") {
    auto p = period::parse("2027", today);
    CHECK(p.first == 2027_y / January / 1);
    CHECK(p.last == 2027_y / December / 31);
    CHECK(p.label == "2027");
    CHECK(p.days() == 365);

    p = period::parse("2027-Q2", today);
    CHECK(p.first == 2027_y / April / 1);
    CHECK(p.last == 2027_y / June / 30);
    CHECK(p.label == "2027-Q2");
    CHECK(period::parse("2027-q4", today).last == 2027_y / December / 31);

    p = period::parse("2027-03", today);
    CHECK(p.first == 2027_y / March / 1);
    CHECK(p.last == 2027_y / March / 31);
    CHECK(p.label == "2027-03");

    p = period::parse("2027-W05", today);  // ISO week 5 of 2027: Monday 1 February to Sunday 7 February
    CHECK(p.first == 2027_y / February / 1);
    CHECK(p.last == 2027_y / February / 7);
    CHECK(p.label == "2027-W05");
    // ISO week 1 can start in the year before.
    CHECK(period::parse("2026-W01", today).first == 2025_y / December / 29);

    p = period::parse("2027-05-14", today);
    CHECK(p.first == p.last);
    CHECK(p.days() == 1);

    p = period::parse(" 2027-01-01..2027-06-30 ", today);
    CHECK(p.first == 2027_y / January / 1);
    CHECK(p.last == 2027_y / June / 30);
    CHECK(p.label == "2027-01-01..2027-06-30");
    CHECK(p.days() == 181);
    CHECK(p.contains(2027_y / June / 30));
    CHECK_FALSE(p.contains(2027_y / July / 1));
}

TEST_CASE("leap years: 29 February exists in 2028, 2000 and not in 2027 or 2100", "[goals][period]") {
    CHECK(period::parse("2028", today).days() == 366);
    CHECK(period::parse("2028-02", today).last == 2028_y / February / 29);
    CHECK(period::parse("2027-02", today).last == 2027_y / February / 28);
    CHECK(period::parse("2028-Q1", today).days() == 91);
    CHECK(period::parse("2000-02-29", today).first == 2000_y / February / 29);
    CHECK(error_of("2027-02-29").find("2027-02-29 is not a day of the calendar") != std::string::npos);
    CHECK(error_of("2100-02-29").find("not a day of the calendar") != std::string::npos);
    // 2026 has 53 ISO weeks (1 January 2026 is a Thursday), 2027 has 52.
    CHECK(period::parse("2026-W53", today).last == 2027_y / January / 3);
    CHECK(error_of("2027-W53").find("2027 has ISO weeks W01 to W52") != std::string::npos);
}

TEST_CASE("this, last and next week, month, quarter and year count from today", "[goals][period]") {
    CHECK(period::parse("this year", today) == period{2027_y / January / 1, 2027_y / December / 31, {}});
    CHECK(period::parse("last year", today).label == "2026");
    CHECK(period::parse("This Quarter", today).label == "2027-Q2");
    CHECK(period::parse("next quarter", today).label == "2027-Q3");
    CHECK(period::parse("last month", today).label == "2027-04");
    CHECK(period::parse("this week", today).first == 2027_y / May / 10);
    CHECK(period::parse("this week", today).last == 2027_y / May / 16);
    CHECK(period::parse("next week", today).label == "2027-W20");
    // Across a year boundary.
    constexpr auto january = 2027_y / January / 3;  // a Sunday: ISO week 53 of 2026
    CHECK(period::parse("last quarter", january).label == "2026-Q4");
    CHECK(period::parse("last month", january).label == "2026-12");
    CHECK(period::parse("this week", january).label == "2026-W53");
    CHECK(period::parse("next month", 2027_y / December / 31).label == "2028-01");
    // A relative period keeps the resolved label, not "this quarter": a stored goal's period does
    // not move when the calendar does.
    CHECK(period::parse("this month", 2028_y / February / 29).days() == 29);
}

TEST_CASE("bad periods are refused quoting the text and listing the forms", "[goals][period]") {
    for (const char* text : {"", "27", "2027-13", "2027-00", "2027-Q5", "2027-Q0", "2027-W00", "20x7", "this decade",
                             "2027-06-30..2027-01-01", "2027-01-01..", "Q1 2027", "2027-1-5"}) {
        INFO(text);
        const std::string e = error_of(text);
        CHECK(e.find("period '" + std::string(text) + "'") == 0);
        CHECK(e.find("expected a year (2027)") != std::string::npos);
    }
    CHECK(error_of("2027-06-30..2027-01-01").find("ends before it starts") != std::string::npos);
    CHECK(error_of("2027-13").find("a month is 01 to 12") != std::string::npos);
}

TEST_CASE("a period's instants start at local midnight in the given zone", "[goals][period]") {
    const auto y = period::parse("2027", today);
    auto [b, e] = y.instants("UTC");
    CHECK(b == at(2027_y / January / 1));
    CHECK(e == at(2028_y / January / 1));
    // "2027" in Asia/Kolkata (+05:30) starts 5h30 before UTC's.
    std::tie(b, e) = y.instants("Asia/Kolkata");
    CHECK(b == at(2026_y / December / 31, 18h, 30min));
    CHECK(e == at(2027_y / December / 31, 18h, 30min));
    std::tie(b, e) = y.instants("Europe/Paris");
    CHECK(b == at(2026_y / December / 31, 23h));
    std::tie(b, e) = y.instants("America/New_York");
    CHECK(b == at(2027_y / January / 1, 5h));
    CHECK(e == at(2028_y / January / 1, 5h));
    // Q2 in New York: EDT (-4) at both ends.
    std::tie(b, e) = period::parse("2027-Q2", today).instants("America/New_York");
    CHECK(b == at(2027_y / April / 1, 4h));
    CHECK(e == at(2027_y / July / 1, 4h));
}

TEST_CASE("a DST-change day lasts 23 or 25 hours", "[goals][period]") {
    // Europe/Paris springs forward on 28 March 2027 and falls back on 31 October 2027.
    auto [b, e] = period::parse("2027-03-28", today).instants("Europe/Paris");
    CHECK(b == at(2027_y / March / 27, 23h));
    CHECK(e - b == 23h);
    std::tie(b, e) = period::parse("2027-10-31", today).instants("Europe/Paris");
    CHECK(e - b == 25h);
    // America/New_York: 14 March 2027.
    std::tie(b, e) = period::parse("2027-03-14", today).instants("America/New_York");
    CHECK(b == at(2027_y / March / 14, 5h));
    CHECK(e - b == 23h);
    // Where midnight itself does not exist (America/Santiago springs forward at 24:00 on
    // 5 September 2026), the day starts at the first instant it has: 01:00 local, 04:00 UTC.
    std::tie(b, e) = period::parse("2026-09-06", today).instants("America/Santiago");
    CHECK(b == at(2026_y / September / 6, 4h));
}

TEST_CASE("instants in an unknown zone are refused", "[goals][period]") {
    CHECK_THROWS_AS(period::parse("2027", today).instants("Mars/Olympus"), crm::invalid_input);
    CHECK_THROWS_WITH(crm::local_date(at(2027_y / May / 1), "Nowhere"), Catch::Contains("unknown time zone 'Nowhere'"));
}

TEST_CASE("the local date of an instant depends on the zone", "[goals][period]") {
    const auto t = at(2026_y / December / 31, 20h);
    CHECK(crm::local_date(t, "UTC") == 2026_y / December / 31);
    CHECK(crm::local_date(t, "Asia/Kolkata") == 2027_y / January / 1);
    CHECK(crm::local_date(t, "Europe/Paris") == 2026_y / December / 31);
    CHECK(crm::local_date(at(2027_y / January / 1, 3h), "America/New_York") == 2026_y / December / 31);
}
