#include "crm/partial_date.hpp"

#include "crm/error.hpp"

#include <cctype>
#include <cstdio>

namespace crm {

bool partial_date::ok() const noexcept {
    if (!month.ok() || !day.ok()) return false;
    if (year) return year->ok() && date::year_month_day{*year, month, day}.ok();
    // Without a year, the last day of the month in a leap year is the limit.
    return date::year_month_day{date::year{2000}, month, day}.ok();
}

std::string partial_date::to_string() const {
    char buf[16];
    if (year)
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(*year), unsigned(month), unsigned(day));
    else
        std::snprintf(buf, sizeof buf, "--%02u-%02u", unsigned(month), unsigned(day));
    return buf;
}

namespace {

bool digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

int number(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

}  // namespace

partial_date partial_date::parse(std::string_view text) {
    auto fail = [&]() -> partial_date {
        throw invalid_input("'" + std::string(text) +
                            "' is not a date: expected YYYY-MM-DD, YYYYMMDD, --MM-DD or --MMDD");
    };
    partial_date out;
    std::string_view rest = text;
    // After the year, "-" means the extended form (MM-DD), none the basic one (MMDD); ISO 8601
    // does not mix them. Without a year ("--") both forms are in use.
    bool extended = true, basic = true;
    if (rest.starts_with("--")) {
        rest.remove_prefix(2);
    } else {
        std::string_view y = rest.substr(0, 4);
        if (y.size() != 4 || !digits(y)) return fail();  // "1" must not step past the end below
        out.year = date::year{number(y)};
        rest.remove_prefix(4);
        extended = rest.starts_with('-');
        basic = !extended;
        if (extended) rest.remove_prefix(1);
    }
    std::string_view m, d;
    if (extended && rest.size() == 5 && rest[2] == '-') {
        m = rest.substr(0, 2);
        d = rest.substr(3, 2);
    } else if (basic && rest.size() == 4) {
        m = rest.substr(0, 2);
        d = rest.substr(2, 2);
    } else {
        return fail();
    }
    if (!digits(m) || !digits(d)) return fail();
    out.month = date::month{unsigned(number(m))};
    out.day = date::day{unsigned(number(d))};
    if (!out.ok())
        throw invalid_input("'" + std::string(text) + "' is not a valid calendar date");
    return out;
}

}  // namespace crm
