// money: the ISO 4217 table, exact decimal parsing and formatting, and the limits of 64 bits.
#include "crm/error.hpp"
#include "crm/money.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

using crm::money;

TEST_CASE("currencies have the decimals ISO 4217 gives them", "[money][events]") {
    CHECK(crm::currency_exponent("EUR") == 2);
    CHECK(crm::currency_exponent("USD") == 2);
    CHECK(crm::currency_exponent("INR") == 2);
    CHECK(crm::currency_exponent("JPY") == 0);
    CHECK(crm::currency_exponent("KRW") == 0);
    CHECK(crm::currency_exponent("XOF") == 0);
    CHECK(crm::currency_exponent("BHD") == 3);
    CHECK(crm::currency_exponent("KWD") == 3);
    CHECK(crm::currency_exponent("TND") == 3);
    CHECK(crm::currency_exponent("CLF") == 4);
    CHECK(crm::currency_exponent("UYW") == 4);
    // Recent amendments: the Caribbean guilder, Zimbabwe Gold, the new leone, the digital bolivar.
    CHECK(crm::currency_exponent("XCG") == 2);
    CHECK(crm::currency_exponent("ZWG") == 2);
    CHECK(crm::currency_exponent("SLE") == 2);
    CHECK(crm::currency_exponent("VED") == 2);
}

TEST_CASE("codes are matched case-insensitively and come back in upper case", "[money][events]") {
    CHECK(crm::currency_exponent("eur") == 2);
    CHECK(crm::checked_currency("jpy") == "JPY");
    CHECK(money::parse("3", "gbp").currency == "GBP");
}

TEST_CASE("withdrawn, unknown and unit-less codes are not currencies to spend", "[money][events]") {
    CHECK_FALSE(crm::currency_exponent("HRK"));  // Croatia adopted the euro in 2023
    CHECK_FALSE(crm::currency_exponent("FRF"));
    CHECK_FALSE(crm::currency_exponent("EURO"));
    CHECK_FALSE(crm::currency_exponent("EU"));
    CHECK_FALSE(crm::currency_exponent(""));
    CHECK_FALSE(crm::currency_exponent("XAU"));  // listed, but without a minor unit
    CHECK_FALSE(crm::currency_exponent("XXX"));
    CHECK_THROWS_WITH(crm::checked_currency("EUX"), Catch::Contains("'EUX' is not an ISO 4217 currency code"));
    CHECK_THROWS_WITH(crm::checked_currency("XAU"), Catch::Contains("no minor unit"));
    CHECK_THROWS_AS(money::parse("1", "ZZZ"), crm::invalid_input);
}

TEST_CASE("amounts parse to exact minor units and print with the currency's decimals", "[money][events]") {
    struct row {
        const char* amount;
        const char* currency;
        std::int64_t minor;
        const char* printed;
    };
    const row rows[] = {
        {"12.5", "EUR", 1250, "12.50 EUR"},    {"12.50", "EUR", 1250, "12.50 EUR"},
        {"12", "EUR", 1200, "12.00 EUR"},      {"0.05", "USD", 5, "0.05 USD"},
        {"0", "USD", 0, "0.00 USD"},           {"-3.20", "EUR", -320, "-3.20 EUR"},
        {"+7.1", "CHF", 710, "7.10 CHF"},      {"1250", "JPY", 1250, "1250 JPY"},
        {"1.25", "BHD", 1250, "1.250 BHD"},    {"0.001", "KWD", 1, "0.001 KWD"},
        {"1.0001", "CLF", 10001, "1.0001 CLF"}, {"12.500", "EUR", 1250, "12.50 EUR"},
        {"  4.2 ", "EUR", 420, "4.20 EUR"},    {"0010.10", "EUR", 1010, "10.10 EUR"},
    };
    for (const auto& r : rows) {
        INFO(r.amount << " " << r.currency);
        const money m = money::parse(r.amount, r.currency);
        CHECK(m.minor == r.minor);
        CHECK(m.to_string() == r.printed);
        // Round trip through the printed amount.
        CHECK(money::parse(m.amount_string(), m.currency) == m);
    }
}

TEST_CASE("sums of parsed amounts are exact to the cent", "[money][events]") {
    // 0.1 + 0.2 in binary floating point is 0.30000000000000004; in minor units it is 30.
    CHECK(money::parse("0.10", "EUR").minor + money::parse("0.20", "EUR").minor == money::parse("0.30", "EUR").minor);
}

TEST_CASE("an amount with more decimals than its currency is refused, not rounded", "[money][events]") {
    CHECK_THROWS_WITH(money::parse("12.345", "EUR"), Catch::Contains("3 decimals") && Catch::Contains("EUR has 2"));
    CHECK_THROWS_WITH(money::parse("12.5", "JPY"), Catch::Contains("JPY has 0 decimals"));
    CHECK_THROWS_AS(money::parse("1.2345", "BHD"), crm::invalid_input);
    CHECK_NOTHROW(money::parse("12.0", "JPY"));
}

TEST_CASE("text that is not a decimal number is refused with the amount named", "[money][events]") {
    for (const char* bad : {"", " ", "abc", "12,50", "1e3", ".5", "12.", "--1", "+-1", "1 000", "12.5.0", "0x10",
                            "١٢", "NaN", "-"}) {
        INFO("'" << bad << "'");
        CHECK_THROWS_WITH(money::parse(bad, "EUR"), Catch::Contains("amount") && Catch::Contains("not a decimal number"));
    }
}

TEST_CASE("amounts at the edge of 64 bits parse exactly; one more overflows", "[money][events]") {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    constexpr auto min = std::numeric_limits<std::int64_t>::min();
    CHECK(money::parse("9223372036854775807", "JPY").minor == max);
    CHECK(money::parse("-9223372036854775808", "JPY").minor == min);
    CHECK(money::parse("92233720368547758.07", "EUR").minor == max);
    CHECK(money::parse("-92233720368547758.08", "EUR").minor == min);
    CHECK_THROWS_WITH(money::parse("9223372036854775808", "JPY"), Catch::Contains("too large"));
    CHECK_THROWS_WITH(money::parse("-9223372036854775809", "JPY"), Catch::Contains("too large"));
    CHECK_THROWS_WITH(money::parse("92233720368547758.08", "EUR"), Catch::Contains("too large"));
    CHECK_THROWS_WITH(money::parse("99999999999999999999999999", "USD"), Catch::Contains("too large"));
    CHECK(money{min, "EUR"}.to_string() == "-92233720368547758.08 EUR");
    CHECK(money{max, "BHD"}.amount_string() == "9223372036854775.807");
}
