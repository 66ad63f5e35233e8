// A contact: a person met while networking, as a plain value. Callers read contacts from the
// store, change them and hand them back; nothing here touches storage.
#pragma once

#include "crm/partial_date.hpp"
#include "crm/property.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crm {

using contact_id = std::int64_t;

// The parts of a name, in vCard's N order.
struct structured_name {
    std::string prefix;      // "Dr."
    std::string given;       // "Hélène"
    std::string additional;  // middle names
    std::string family;      // "Lefèvre"
    std::string suffix;      // "Jr."
    bool empty() const noexcept;
    // "Dr. Hélène Lefèvre Jr.": parts joined by single spaces, empty parts skipped.
    std::string formatted() const;
    friend bool operator==(const structured_name&, const structured_name&) = default;
};

// An email address, phone number or URL with its label ("work", "mobile", "linkedin" ...).
struct labeled_value {
    std::string value;
    std::string kind;
    friend bool operator==(const labeled_value&, const labeled_value&) = default;
};

struct postal_address {
    std::string kind;  // "work", "home" ...
    std::string po_box;
    std::string extended;  // apartment, suite
    std::string street;
    std::string locality;  // city
    std::string region;
    std::string postal_code;
    std::string country;
    bool empty() const noexcept;
    friend bool operator==(const postal_address&, const postal_address&) = default;
};

// Something learnt about the person, when it was written: what they said, need, care about.
struct note {
    // A note not yet stamped gets the store's current instant when saved (the epoch is a valid time).
    static constexpr date::sys_seconds unstamped = date::sys_seconds::min();
    date::sys_seconds at = unstamped;
    std::string text;
    friend bool operator==(const note&, const note&) = default;
};

struct contact {
    contact_id id = 0;  // 0 until stored
    std::string display_name;
    structured_name name;
    std::string organization;
    std::string title;
    std::vector<labeled_value> emails;
    std::vector<labeled_value> phones;
    std::vector<labeled_value> urls;
    std::vector<postal_address> addresses;
    std::vector<std::string> tags;
    std::optional<partial_date> birthday;
    std::vector<note> notes;  // oldest first
    std::string how_met;      // where and how you met, in the user's words
    std::optional<contact_id> introduced_by;
    std::string source;       // where the record came from: "manual", "import:cards.vcf" ...
    // What the contact's cards carried that no field above holds (UID, X- properties, PHOTO ...),
    // in card order, so nothing imported is lost and exports can write it back.
    std::vector<card_property> extra;
    date::sys_seconds created_at{};
    date::sys_seconds updated_at{};

    friend bool operator==(const contact&, const contact&) = default;
};

// Checks the rules every stored contact obeys and fills what can be derived (a display name from
// the structured name, trimmed tags without duplicates). Throws invalid_input naming the field.
void normalize_and_validate(contact& c);

}  // namespace crm
