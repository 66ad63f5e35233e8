// Date arithmetic for follow-ups: "2 business days later" (weekends and a holiday calendar
// skipped), "every 3 months" (Jan 31 + 1 month is the last day of February), and a local time of
// day in an IANA zone turned into the instant it falls due.
#pragma once

#include <date/date.h>

#include <chrono>
#include <set>
#include <string>
#include <string_view>

namespace crm {

enum class step_unit { business_days, days, weeks, months };
std::string_view to_string(step_unit u) noexcept;  // "business_days", "days", "weeks", "months"
step_unit parse_step_unit(std::string_view text);    // also accepts the singular; throws invalid_input

// A span of calendar time: "2 business_days", "1 months".
struct step {
    int count = 1;  // > 0
    step_unit unit = step_unit::days;
    friend bool operator==(const step&, const step&) = default;
};

// `from` moved forward by `s`. Months clamp to the month's last day (2024-01-31 + 1 month =
// 2024-02-29; 2025-01-31 + 1 month = 2025-02-28). Business days skip Saturdays, Sundays and the
// given holidays; "1 business day" after a Friday is the Monday.
date::year_month_day advance(date::year_month_day from, step s, const std::set<date::sys_days>& holidays = {});

// The instant a follow-up due on `day` at `time_of_day` (local, default 09:00) falls due in the zone.
// A time that does not exist that day (a DST gap) is moved forward by the gap; an ambiguous one takes
// the first occurrence. Throws invalid_input for an unknown zone.
date::sys_seconds due_instant(date::year_month_day day, const std::string& time_zone,
                              std::chrono::minutes time_of_day = std::chrono::hours{9});

}  // namespace crm
