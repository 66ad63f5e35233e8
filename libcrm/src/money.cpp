#include "crm/money.hpp"

#include "crm/error.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace crm {

namespace {

struct currency_entry {
    char code[4];
    signed char exponent;  // -1: ISO gives no minor unit ("N.A."): metals, funds, test and no-currency codes
};

// ISO 4217 List One (current currency and funds codes), as published by the maintenance agency
// (SIX Financial Information) with amendments up to 2025: XCG (Caribbean guilder, from 2025-03-31)
// in, ANG out; ZWG (Zimbabwe Gold, 2024) in, ZWL out; SLE in, SLL out; HRK out (Croatia, euro 2023);
// VED and VES both listed. BGN is kept while it is on the list (Bulgaria joined the euro 2026-01-01)
// and old receipts still carry it. The minor-unit column is the "exponent" here. Sorted by code:
// looked up by binary search.
constexpr std::array<currency_entry, 179> currencies{{
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2},
    {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2},
    {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2},
    {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2},
    {"CUC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2},
    {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2},
    {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2},
    {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2},
    {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2},
    {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2},
    {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3},
    {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2},
    {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2},
    {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2},
    {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2},
    {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XAG", -1}, {"XAU", -1}, {"XBA", -1}, {"XBB", -1},
    {"XBC", -1}, {"XBD", -1}, {"XCD", 2}, {"XCG", 2}, {"XDR", -1}, {"XOF", 0}, {"XPD", -1}, {"XPF", 0}, {"XPT", -1},
    {"XSU", -1}, {"XTS", -1}, {"XUA", -1}, {"XXX", -1}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
}};

constexpr bool sorted_table() {
    for (std::size_t i = 1; i < currencies.size(); ++i) {
        const auto& a = currencies[i - 1].code;
        const auto& b = currencies[i].code;
        if (!(a[0] < b[0] || (a[0] == b[0] && (a[1] < b[1] || (a[1] == b[1] && a[2] < b[2]))))) return false;
    }
    return true;
}
static_assert(sorted_table(), "the currency table must stay sorted by code, without repeats");

std::string upper_ascii(std::string_view s) {
    std::string out(s);
    for (auto& ch : out)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    return out;
}

const currency_entry* lookup(std::string_view code) {
    if (code.size() != 3) return nullptr;
    const std::string up = upper_ascii(code);
    auto it = std::lower_bound(currencies.begin(), currencies.end(), up,
                               [](const currency_entry& e, const std::string& c) { return std::string_view(e.code, 3) < c; });
    if (it == currencies.end() || std::string_view(it->code, 3) != up) return nullptr;
    return &*it;
}

// For messages: the code as given, without letting control bytes or a whole paragraph through.
std::string shown(std::string_view s) {
    std::string out;
    for (char ch : s.substr(0, 40)) out += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ? '?' : ch;
    if (s.size() > 40) out += "...";
    return out;
}

int exponent_or_throw(std::string_view code) {
    const currency_entry* e = lookup(code);
    if (!e)
        throw invalid_input("currency '" + shown(code) +
                            "' is not an ISO 4217 currency code: expected three letters such as EUR, USD or JPY");
    if (e->exponent < 0)
        throw invalid_input("currency '" + std::string(e->code, 3) +
                            "' has no minor unit in ISO 4217 (a metal, fund or test code): it cannot hold an amount");
    return e->exponent;
}


}  // namespace

std::optional<int> currency_exponent(std::string_view code) {
    const currency_entry* e = lookup(code);
    if (!e || e->exponent < 0) return std::nullopt;
    return e->exponent;
}

std::string checked_currency(std::string_view code) {
    exponent_or_throw(code);
    return upper_ascii(code);
}

std::string money::amount_string() const {
    const int exp = currency_exponent(currency).value_or(0);
    // The magnitude as unsigned: -INT64_MIN does not fit an int64.
    const bool negative = minor < 0;
    const std::uint64_t mag = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(minor)
                                       : static_cast<std::uint64_t>(minor);
    std::string digits = std::to_string(mag);
    if (exp > 0) {
        if (digits.size() <= static_cast<std::size_t>(exp))
            digits.insert(0, static_cast<std::size_t>(exp) + 1 - digits.size(), '0');
        digits.insert(digits.size() - static_cast<std::size_t>(exp), 1, '.');
    }
    return negative ? "-" + digits : digits;
}

std::string money::to_string() const { return amount_string() + " " + currency; }

money money::parse(std::string_view amount, std::string_view currency) {
    const int exp = exponent_or_throw(currency);
    std::string_view s = amount;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    auto not_a_number = [&] {
        return invalid_input("amount '" + shown(amount) +
                             "' is not a decimal number: expected digits with an optional sign and decimal point, "
                             "e.g. '12.50'");
    };
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    const auto point = s.find('.');
    std::string_view whole = s.substr(0, point);
    std::string_view fraction = point == std::string_view::npos ? std::string_view() : s.substr(point + 1);
    auto all_digits = [](std::string_view v) {
        return std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (whole.empty() || !all_digits(whole) || !all_digits(fraction) ||
        (point != std::string_view::npos && fraction.empty()))
        throw not_a_number();
    // Zeros past the currency's decimals change nothing ("12.500" EUR is 12.50); other digits there
    // would be lost, so they are refused rather than rounded.
    while (fraction.size() > static_cast<std::size_t>(exp) && fraction.back() == '0') fraction.remove_suffix(1);
    if (fraction.size() > static_cast<std::size_t>(exp))
        throw invalid_input("amount '" + shown(amount) + "' has " + std::to_string(fraction.size()) + " decimals; " +
                            checked_currency(currency) + " has " + std::to_string(exp) +
                            (exp == 1 ? " decimal" : " decimals"));

    // Accumulated as a negative number: its range includes INT64_MIN, the positive one does not.
    constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
    std::int64_t value = 0;
    auto push = [&](char digit) {
        const int d = digit - '0';
        if (value < (lowest + d) / 10)
            throw invalid_input("amount '" + shown(amount) + "' is too large to store");
        value = value * 10 - d;
    };
    for (char c : whole) push(c);
    for (char c : fraction) push(c);
    for (std::size_t i = fraction.size(); i < static_cast<std::size_t>(exp); ++i) push('0');
    if (!negative) {
        if (value == lowest) throw invalid_input("amount '" + shown(amount) + "' is too large to store");
        value = -value;
    }
    return money{value, checked_currency(currency)};
}

}  // namespace crm
