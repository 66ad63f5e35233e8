#include "crm/schedule.hpp"

#include "crm/error.hpp"

#include <date/tz.h>

#include <cctype>

namespace crm {

std::string_view to_string(step_unit u) noexcept {
    switch (u) {
        case step_unit::business_days: return "business_days";
        case step_unit::days: return "days";
        case step_unit::weeks: return "weeks";
        case step_unit::months: return "months";
    }
    return "days";
}

step_unit parse_step_unit(std::string_view text) {
    std::string t;
    for (char c : text) t += c == ' ' || c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "business_days" || t == "business_day") return step_unit::business_days;
    if (t == "days" || t == "day") return step_unit::days;
    if (t == "weeks" || t == "week") return step_unit::weeks;
    if (t == "months" || t == "month") return step_unit::months;
    throw invalid_input("unit '" + std::string(text) +
                        "': expected one of business_days, days, weeks, months");
}

namespace {

bool is_weekend(date::sys_days d) {
    const date::weekday w{d};
    return w == date::Saturday || w == date::Sunday;
}

}  // namespace

date::year_month_day advance(date::year_month_day from, step s, const std::set<date::sys_days>& holidays) {
    if (!from.ok()) throw invalid_input("date: not a valid calendar date");
    if (s.count <= 0) throw invalid_input("step: count must be positive, got " + std::to_string(s.count));
    switch (s.unit) {
        case step_unit::days: return date::sys_days{from} + date::days{s.count};
        case step_unit::weeks: return date::sys_days{from} + date::weeks{s.count};
        case step_unit::months: {
            // year_month arithmetic, then the day clamped: Jan 31 + 1 month = Feb 28/29, and
            // Jan 31 + 2 months = Mar 31 (counted from the start, not by repeated clamping).
            const date::year_month ym = date::year_month{from.year(), from.month()} + date::months{s.count};
            const date::day last = (ym.year() / ym.month() / date::last).day();
            return ym.year() / ym.month() / (from.day() < last ? from.day() : last);
        }
        case step_unit::business_days: {
            date::sys_days d{from};
            for (int left = s.count; left > 0;) {
                d += date::days{1};
                if (!is_weekend(d) && !holidays.count(d)) --left;
            }
            return d;
        }
    }
    return from;
}

date::sys_seconds due_instant(date::year_month_day day, const std::string& time_zone,
                              std::chrono::minutes time_of_day) {
    if (!day.ok()) throw invalid_input("day: not a valid calendar date");
    if (time_of_day < std::chrono::minutes{0} || time_of_day >= std::chrono::hours{24})
        throw invalid_input("time of day: expected 00:00 to 23:59");
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(time_zone);
    } catch (const std::exception&) {
        throw invalid_input("unknown time zone '" + time_zone + "': expected an IANA name such as 'Europe/Paris'");
    }
    const date::local_seconds wall = date::local_days{day} + time_of_day;
    const date::local_info info = zone->get_info(wall);
    // One reading covers the three cases: `first` is the only offset (unique), the one before the
    // clocks went back (ambiguous: the first occurrence), or the one before they went forward (in the
    // gap: 02:30 on a spring-forward night lands at 03:30, the same distance past the change, as
    // RFC 5545 and Python's fold=0 do).
    return date::sys_seconds{wall.time_since_epoch()} - info.first.offset;
}

}  // namespace crm
