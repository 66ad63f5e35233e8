// partial_date: a calendar date whose year may be unknown (birthdays from cards).
#include "crm/error.hpp"
#include "crm/partial_date.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace date::literals;
using crm::partial_date;

TEST_CASE("a full date parses from YYYY-MM-DD", "[partial_date]") {
    const auto d = partial_date::parse("1985-04-15");
    REQUIRE(d.has_year());
    CHECK(*d.year == 1985_y);
    CHECK(d.month == date::April);
    CHECK(d.day == 15_d);
    CHECK(d.ymd() == 1985_y / date::April / 15);
}

TEST_CASE("a full date parses from the compact YYYYMMDD", "[partial_date]") {
    CHECK(partial_date::parse("19850415") == partial_date(1985_y, date::April, 15_d));
}

TEST_CASE("a date without a year parses from --MM-DD and --MMDD", "[partial_date]") {
    const auto extended = partial_date::parse("--04-15");
    const auto basic = partial_date::parse("--0415");
    CHECK_FALSE(extended.has_year());
    CHECK(extended.month == date::April);
    CHECK(extended.day == 15_d);
    CHECK(basic == extended);
}

TEST_CASE("a date without a year prints as --MM-DD", "[partial_date]") {
    CHECK(partial_date(date::April, 15_d).to_string() == "--04-15");
    CHECK(partial_date(date::January, 1_d).to_string() == "--01-01");
}

TEST_CASE("a full date prints as YYYY-MM-DD with a four-digit year", "[partial_date]") {
    CHECK(partial_date(1985_y, date::April, 15_d).to_string() == "1985-04-15");
    CHECK(partial_date(date::year{812}, date::December, 3_d).to_string() == "0812-12-03");
}

TEST_CASE("every accepted form round-trips through to_string", "[partial_date]") {
    for (const char* text : {"1985-04-15", "2000-02-29", "--04-15", "--02-29", "--12-31", "0001-01-01"}) {
        INFO(text);
        CHECK(partial_date::parse(text).to_string() == text);
    }
}

TEST_CASE("a year_month_day converts into a partial date with its year", "[partial_date]") {
    const partial_date d(date::year_month_day{1990_y / date::July / 4});
    CHECK(d.has_year());
    CHECK(d.to_string() == "1990-07-04");
}

TEST_CASE("February 29 without a year is valid", "[partial_date]") {
    CHECK(partial_date(date::February, 29_d).ok());
    CHECK(partial_date::parse("--02-29").to_string() == "--02-29");
}

TEST_CASE("February 29 is valid in a leap year and invalid in a common year", "[partial_date]") {
    CHECK(partial_date(2024_y, date::February, 29_d).ok());
    CHECK(partial_date(2000_y, date::February, 29_d).ok());
    CHECK_FALSE(partial_date(2023_y, date::February, 29_d).ok());
    CHECK_FALSE(partial_date(1900_y, date::February, 29_d).ok());
}

TEST_CASE("days past the end of their month are invalid, with or without a year", "[partial_date]") {
    CHECK_FALSE(partial_date(date::February, 30_d).ok());
    CHECK_FALSE(partial_date(date::April, 31_d).ok());
    CHECK_FALSE(partial_date(2024_y, date::June, 31_d).ok());
    CHECK(partial_date(date::January, 31_d).ok());
}

TEST_CASE("month 0, month 13 and day 0 are invalid", "[partial_date]") {
    CHECK_FALSE(partial_date(date::month{0}, 1_d).ok());
    CHECK_FALSE(partial_date(date::month{13}, 1_d).ok());
    CHECK_FALSE(partial_date(date::March, date::day{0}).ok());
}

TEST_CASE("a date that does not exist on the calendar is rejected by parse", "[partial_date]") {
    for (const char* text : {"2023-02-29", "1985-04-31", "--02-30", "--13-01", "--00-10", "1985-00-10", "1985-01-00",
                             "--0230", "20230229"}) {
        INFO(text);
        CHECK_THROWS_AS(partial_date::parse(text), crm::invalid_input);
    }
}

TEST_CASE("text that is not a date is rejected with invalid_input naming the text", "[partial_date]") {
    for (const char* text : {"", "--", "----", "1985", "1985-4-15", "1985-04-5", "85-04-15", "1985/04/15",
                             "1985-04-15x", " 1985-04-15", "-04-15", "--4-15", "abcd-ef-gh", "--04-15-",
                             "1985-04-15T10:00", "+1985-04-15"}) {
        INFO("'" << text << "'");
        CHECK_THROWS_AS(partial_date::parse(text), crm::invalid_input);
    }
    CHECK_THROWS_WITH(partial_date::parse("April 15"), Catch::Contains("April 15"));
}

// The header lists four forms: YYYY-MM-DD, YYYYMMDD, --MM-DD, --MMDD. A mixture of the extended
// and the basic form is none of them (ISO 8601 forbids mixing them in one representation).
TEST_CASE("a date mixing the extended and the basic form is rejected", "[partial_date]") {
    CHECK_THROWS_AS(partial_date::parse("1985-0415"), crm::invalid_input);
    CHECK_THROWS_AS(partial_date::parse("198504-15"), crm::invalid_input);
}

TEST_CASE("dates with and without a year compare unequal", "[partial_date]") {
    CHECK_FALSE(partial_date(1985_y, date::April, 15_d) == partial_date(date::April, 15_d));
    CHECK(partial_date(date::April, 15_d) == partial_date::parse("--0415"));
}

TEST_CASE("a default partial date is January 1 without a year", "[partial_date]") {
    const partial_date d;
    CHECK_FALSE(d.has_year());
    CHECK(d.ok());
    CHECK(d.to_string() == "--01-01");
}
