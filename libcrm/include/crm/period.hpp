// A span of calendar days in the user's time zone: "2027", "this quarter", March, a date range.
// Plan goals are measured over one; its bounds become instants only through an IANA zone, so "2027"
// in Asia/Kolkata starts 5h30 before "2027" in UTC.
#pragma once

#include <date/date.h>

#include <string>
#include <string_view>
#include <utility>

namespace crm {

struct period {
    date::year_month_day first;  // inclusive
    date::year_month_day last;   // inclusive
    std::string label;           // how it was written: "2027", "2027-Q1", "2027-03" ...

    bool contains(date::year_month_day d) const noexcept { return first <= d && d <= last; }
    int days() const noexcept;  // 365 for a common year

    // The instants [begin, end) the period covers in `time_zone`: midnight starting `first` to
    // midnight after `last` (the first instant of the day when midnight does not exist that day).
    // Throws invalid_input for an unknown zone.
    std::pair<date::sys_seconds, date::sys_seconds> instants(const std::string& time_zone) const;

    // Reads "2027" (a year), "2027-Q2" (a quarter), "2027-05" (a month), "2027-W05" (an ISO week,
    // Monday to Sunday), "2027-05-14" (a day), "2027-01-01..2027-06-30" (a range, both days
    // included), and, relative to `today`: "this week|month|quarter|year", "last ...", "next ...".
    // Throws invalid_input quoting the text and listing these forms.
    static period parse(std::string_view text, date::year_month_day today);

    friend bool operator==(const period& a, const period& b) { return a.first == b.first && a.last == b.last; }
};

// The calendar date of an instant in an IANA zone (throws invalid_input for an unknown zone).
date::year_month_day local_date(date::sys_seconds instant, const std::string& time_zone);

}  // namespace crm
