// Money spent on networking: an exact amount in a currency's minor unit (cents, yen, fils) with its
// ISO 4217 code. Never a float, so that "12.10 + 0.20" is 12.30 and totals add up to the cent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crm {

struct money {
    std::int64_t minor = 0;  // in the currency's minor unit: 1250 is 12.50 EUR, 1250 is 1,250 JPY
    std::string currency;    // ISO 4217 alphabetic code, upper case: "EUR", "USD", "JPY"

    // "12.50 EUR", with as many decimals as the currency has ("1250 JPY", "1.250 BHD").
    std::string to_string() const;
    // The amount as a decimal string without the code: "12.50".
    std::string amount_string() const;

    // Parses an amount written in decimal ("12.5", "12.50", "1250", "-3.20") in `currency`.
    // Throws invalid_input when the currency is not ISO 4217 or the amount has more decimals than
    // the currency allows ("12.345 EUR"; zeros there are fine: "12.500 EUR" is 12.50), is not a
    // number, or does not fit 64 bits of minor units. Never rounds.
    static money parse(std::string_view amount, std::string_view currency);

    friend bool operator==(const money&, const money&) = default;
};

// The number of decimals of an active ISO 4217 currency (EUR 2, JPY 0, BHD 3), or nullopt when the
// code is not one, or is one without a minor unit (XAU, XDR, XXX ...: no amount of money can be
// written in them). Codes are matched case-insensitively.
std::optional<int> currency_exponent(std::string_view code);

// The code in upper case when it is an ISO 4217 currency; throws invalid_input naming it otherwise.
std::string checked_currency(std::string_view code);

}  // namespace crm
