// A calendar date whose year may be unknown: birthdays from cards often carry only month and day
// (vCard "--0415"). Modelled as such rather than with an invented year such as 1900 or 1604.
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

namespace crm {

struct partial_date {
    std::optional<date::year> year;  // empty when the year is not known
    date::month month{1};
    date::day day{1};

    partial_date() = default;
    partial_date(date::month m, date::day d) : month(m), day(d) {}
    partial_date(date::year y, date::month m, date::day d) : year(y), month(m), day(d) {}
    explicit partial_date(date::year_month_day ymd)
        : year(ymd.year()), month(ymd.month()), day(ymd.day()) {}

    // Valid as a calendar date; without a year, Feb 29 is valid (it exists in leap years).
    bool ok() const noexcept;
    bool has_year() const noexcept { return year.has_value(); }
    // The full date; only meaningful when has_year().
    date::year_month_day ymd() const { return date::year_month_day{*year, month, day}; }

    // ISO 8601 forms: "1985-04-15", or "--04-15" when the year is unknown (as in vCard 4).
    std::string to_string() const;
    // Accepts the two forms above plus the compact "19850415" and "--0415". Throws invalid_input.
    static partial_date parse(std::string_view text);

    friend bool operator==(const partial_date&, const partial_date&) = default;
};

}  // namespace crm
