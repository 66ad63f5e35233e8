// Calendar dates as the schema stores them: "YYYY-MM-DD". Written and read here by hand because
// date::parse trips GCC 12's -Wmaybe-uninitialized inside date.h, which CI builds as an error.
#pragma once

#include <date/date.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace crm::detail {

inline std::string iso_date(date::year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
    return buf;
}

// Exactly YYYY-MM-DD naming a real day, or nothing.
inline std::optional<date::year_month_day> parse_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t n) -> int {
        int v = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
    if (y < 0 || m < 0 || d < 0) return std::nullopt;
    const date::year_month_day out{date::year{y}, date::month{unsigned(m)}, date::day{unsigned(d)}};
    if (!out.ok()) return std::nullopt;
    return out;
}

}  // namespace crm::detail
