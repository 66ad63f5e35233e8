// What each column of a contact CSV means: the dialects the CSV reader knows by their header rows
// (LinkedIn, Google Contacts, Outlook in English and German, Thunderbird), the guess made for any other
// header, and the loose date forms those producers write.
#pragma once

#include "crm/partial_date.hpp"

#include "detail/ascii.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::detail::csv {

enum class field : std::uint8_t {
    extra,   // no field: a non-empty cell goes to contact.extra
    ignore,  // dropped
    display_name,
    given,
    family,
    additional,
    prefix,
    suffix,
    organization,
    title,
    how_met,
    email,
    phone,
    url,
    tags,
    note,
    birthday,
    po_box,
    extended,
    street,
    locality,
    region,
    postal_code,
    country,
    formatted_address,  // a whole address in one cell: the street when the address has no parts
    label,              // the kind of another column (Google's "E-mail 1 - Type")
    birth_year,
    birth_month,
    birth_day,     // Thunderbird writes the birthday in three columns
    connected_on,  // LinkedIn: the day the connection was made
    custom,        // Google's "Custom Field N - Value": how_met when its label is how_met_label, else extra
    custom_label,  // its "Custom Field N - Label": extra, unless it is how_met_label
};

// The Custom Field label under which netcrm's CSV writer puts how_met, so its reader can take it back.
inline constexpr std::string_view how_met_label = "How we met";

constexpr bool is_address_part(field f) noexcept {
    return f >= field::po_box && f <= field::formatted_address;
}
constexpr bool takes_kind(field f) noexcept {
    return f == field::email || f == field::phone || f == field::url || is_address_part(f);
}

struct column_plan {
    field target = field::extra;
    std::string kind;               // fixed label for an email, phone or url
    int label_column = -1;          // column whose cell is the label instead (Google)
    int address = -1;               // address slot; columns sharing it make one postal_address
    bool multi = false;             // several values joined by " ::: " alone (Google), tags and address parts included
    bool outlook_defaults = false;  // Outlook's per-row default values ("0/0/00", "Normal") mean empty
};

struct address_slot {
    std::string kind;
    int label_column = -1;
};

struct plan {
    std::string format;                // card.format: "csv-linkedin" ...
    std::vector<column_plan> columns;  // one per header cell
    std::vector<address_slot> addresses;
};

// The plan for a header row (cells decoded and trimmed): a known dialect's, else the generic guess.
plan plan_for_header(const std::vector<std::string>& headers);

// Adds `column` to the address slot keyed `key` (created with `kind` the first time).
int address_slot_for(plan& p, std::vector<std::string>& keys, const std::string& key, const std::string& kind);

// ---- text

using ascii::iequals;
// Lower-cased ASCII letters and digits only, other bytes kept: "E-mail Address" -> "emailaddress".
std::string squeeze_header(std::string_view header);

// A Google or caller label as a kind: "* Work" -> "work", "Work Fax" -> "work,fax", "Mobile" -> "mobile";
// a label a user typed is kept as written.
std::string kind_from_label(std::string_view label);

// The pieces of a Google cell between " ::: " separators, trimmed, empty ones kept: piece k of one
// column goes with piece k of the others ("A ::: " is two pieces, the second empty). "" gives none.
std::vector<std::string_view> split_pieces(std::string_view cell);

// Outlook's placeholders in columns nobody filled: "0/0/00", "Normal", "False", "SMTP" ...
bool is_outlook_default(std::string_view cell) noexcept;

// ---- dates

// Birthdays as CSV producers write them: 1985-04-15, 19850415, --04-15, 1985/04/15, 15.04.1985,
// 4/15/1985 (month first unless the first number is over 12), 15 Apr 1985, Apr 15, 1985; a time after
// the date is ignored. Years 1604 and 0000 (Apple's "no year") and a missing year give no year;
// two-digit years are 19xx from 30 on, else 20xx.
std::optional<partial_date> parse_birthday(std::string_view text);

// LinkedIn's Connected On: "07 Feb 2026", "8-Jan-18", "1/8/18, 6:14 PM", "2018-01-08". Two-digit
// years are 20xx (LinkedIn started in 2003).
std::optional<date::year_month_day> parse_connected_on(std::string_view text);

}  // namespace crm::detail::csv
