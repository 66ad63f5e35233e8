#include "crm/period.hpp"

#include "crm/error.hpp"

#include <date/iso_week.h>
#include <date/tz.h>

#include <cctype>
#include <charconv>
#include <optional>
#include <string>

namespace crm {

namespace {

using namespace date;

constexpr const char* forms =
    "expected a year (2027), a quarter (2027-Q2), a month (2027-05), an ISO week (2027-W05), a day "
    "(2027-05-14), a range of days (2027-01-01..2027-06-30), or this/last/next week, month, quarter or year";

[[noreturn]] void bad(std::string_view text, const std::string& why = {}) {
    std::string msg = "period '" + std::string(text) + "'";
    if (!why.empty()) msg += ": " + why;
    throw invalid_input(msg + "; " + forms);
}

const time_zone* zone_of(const std::string& name) {
    try {
        return locate_zone(name);
    } catch (const std::exception&) {
        throw invalid_input("unknown time zone '" + name + "': expected an IANA name such as 'Europe/Paris'");
    }
}

// Exactly `digits` ASCII digits, as a number; nullopt otherwise.
std::optional<int> number(std::string_view s, std::size_t digits) {
    if (s.size() != digits) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::string two(unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); }
std::string four(int y) {
    std::string s = std::to_string(y);
    return std::string(s.size() < 4 ? 4 - s.size() : 0, '0') + s;
}
std::string iso(year_month_day d) { return four(int(d.year())) + "-" + two(unsigned(d.month())) + "-" + two(unsigned(d.day())); }

// Years netcrm reads: four digits, so 0001 to 9999 (and the dates stay well inside sys_days).
std::optional<year> year_of(std::string_view s) {
    auto y = number(s, 4);
    if (!y || *y < 1) return std::nullopt;
    return year{*y};
}

period whole_year(year y) { return {y / January / 1, y / December / 31, four(int(y))}; }

period quarter(year y, unsigned q) {
    const month m{3 * (q - 1) + 1};
    return {y / m / 1, year_month_day{(y / month{3 * q} / last)}, four(int(y)) + "-Q" + std::to_string(q)};
}

period whole_month(year_month ym) {
    return {ym / 1, year_month_day{ym / last}, four(int(ym.year())) + "-" + two(unsigned(ym.month()))};
}

period week_of(iso_week::year y, iso_week::weeknum w) {
    const iso_week::year_weeknum_weekday mon{y, w, iso_week::mon};
    const sys_days start{mon};
    return {year_month_day{start}, year_month_day{start + days{6}},
            four(int(y)) + "-W" + two(unsigned(w))};
}

period one_day(year_month_day d) { return {d, d, iso(d)}; }

// "2027-05-14", or nullopt when the text is not of that shape; bad() when the shape is right but
// the day does not exist (2027-02-29).
std::optional<year_month_day> day_of(std::string_view whole, std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto y = year_of(s.substr(0, 4));
    auto m = number(s.substr(5, 2), 2);
    auto d = number(s.substr(8, 2), 2);
    if (!y || !m || !d) return std::nullopt;
    year_month_day ymd{*y, month{unsigned(*m)}, day{unsigned(*d)}};
    if (!ymd.ok()) bad(whole, iso(ymd) + " is not a day of the calendar");
    return ymd;
}

std::string lower_trimmed(std::string_view text) {
    std::size_t b = 0, e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    std::string out;
    bool space = false;
    for (char c : text.substr(b, e - b)) {  // "this  quarter" reads as "this quarter"
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<period> relative(const std::string& text, year_month_day today) {
    const auto space = text.find(' ');
    if (space == std::string::npos) return std::nullopt;
    const std::string which = text.substr(0, space), unit = text.substr(space + 1);
    int shift;
    if (which == "this") shift = 0;
    else if (which == "last") shift = -1;
    else if (which == "next") shift = 1;
    else return std::nullopt;
    if (unit == "year") return whole_year(today.year() + years{shift});
    if (unit == "month") return whole_month(year_month{today.year(), today.month()} + months{shift});
    if (unit == "quarter") {
        const unsigned q = (unsigned(today.month()) - 1) / 3 + 1;
        const auto first = year_month{today.year(), month{3 * (q - 1) + 1}} + months{3 * shift};
        return quarter(first.year(), (unsigned(first.month()) - 1) / 3 + 1);
    }
    if (unit == "week") {
        const iso_week::year_weeknum_weekday w{sys_days{today} + weeks{shift}};
        return week_of(w.year(), w.weeknum());
    }
    return std::nullopt;
}

}  // namespace

int period::days() const noexcept { return int((sys_days{last} - sys_days{first}).count()) + 1; }

std::pair<sys_seconds, sys_seconds> period::instants(const std::string& time_zone) const {
    const auto* z = zone_of(time_zone);
    // choose::earliest: a midnight that happens twice starts at its first occurrence; one that does
    // not exist (a DST jump at midnight, as in Santiago or Havana) maps to the instant of the jump,
    // the first instant of that day.
    auto midnight = [&](year_month_day d) { return z->to_sys(local_days{d}, choose::earliest); };
    return {sys_seconds{midnight(first)}, sys_seconds{midnight(year_month_day{sys_days{last} + date::days{1}})}};
}

period period::parse(std::string_view text, year_month_day today) {
    const std::string t = lower_trimmed(text);
    if (t.empty()) bad(text, "empty");
    if (auto r = relative(t, today)) return *r;

    if (const auto dots = t.find(".."); dots != std::string::npos) {
        const auto a = day_of(text, t.substr(0, dots)), b = day_of(text, t.substr(dots + 2));
        if (!a || !b) bad(text, "a range is two days written YYYY-MM-DD");
        if (*b < *a) bad(text, "the range ends before it starts");
        return {*a, *b, iso(*a) + ".." + iso(*b)};
    }
    if (auto d = day_of(text, t)) return one_day(*d);
    if (auto y = year_of(t)) return whole_year(*y);
    if (t.size() >= 6 && t[4] == '-') {
        auto y = year_of(t.substr(0, 4));
        const std::string_view rest = std::string_view(t).substr(5);
        if (y && rest.size() == 2 && rest[0] == 'q') {
            auto q = number(rest.substr(1), 1);
            if (!q || *q < 1 || *q > 4) bad(text, "a quarter is Q1 to Q4");
            return quarter(*y, unsigned(*q));
        }
        if (y && rest.size() == 3 && rest[0] == 'w') {
            auto w = number(rest.substr(1), 2);
            const iso_week::year wy{int(*y)};
            if (!w || *w < 1 || unsigned(*w) > unsigned((wy / iso_week::last).weeknum()))
                bad(text, four(int(*y)) + " has ISO weeks W01 to W" + two(unsigned((wy / iso_week::last).weeknum())));
            return week_of(wy, iso_week::weeknum{unsigned(*w)});
        }
        if (y && rest.size() == 2) {
            auto m = number(rest, 2);
            if (!m || *m < 1 || *m > 12) bad(text, "a month is 01 to 12");
            return whole_month(*y / month{unsigned(*m)});
        }
    }
    bad(text);
}

year_month_day local_date(sys_seconds instant, const std::string& time_zone) {
    const auto* z = zone_of(time_zone);
    return year_month_day{floor<date::days>(z->to_local(instant))};
}

}  // namespace crm
