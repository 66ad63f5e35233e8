// A contact: a person met while networking, as a plain value. Callers read contacts from the
// store, change them and hand them back; nothing here touches storage.
#pragma once

#include "crm/partial_date.hpp"
#include "crm/property.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// An email address, phone number, URL or instant-messaging handle with its label ("work", "mobile",
// "linkedin" ...; for a handle, its service: "skype", "xmpp" ...).
struct labeled_value {
    labeled_value() = default;
    // Not an aggregate, so that {value, kind} leaves e164 empty without a missing-initializer warning.
    labeled_value(std::string v, std::string k = {}, std::string e = {})
        : value(std::move(v)), kind(std::move(k)), e164(std::move(e)) {}

    std::string value;
    std::string kind;
    // Phones only: the number in E.164 ("+33612345678") when libphonenumber can place it, else empty.
    // Derived by the store from `value` (with the contact's country or the store's default region)
    // each time the contact is written, so it is no part of equality: the value is what was written.
    std::string e164;
    friend bool operator==(const labeled_value& a, const labeled_value& b) noexcept {
        return a.value == b.value && a.kind == b.kind;
    }
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
    // Instant-messaging handles (vCard IMPP, X-SKYPE, X-JABBER ...): the handle as the service knows it
    // ("ada.l") or a URI its service's scheme does not name ("xmpp:ada@chat.example"), kind = the
    // service in lower case ("skype", "xmpp", "googletalk" ...). See normalize_and_validate.
    std::vector<labeled_value> ims;
    std::vector<postal_address> addresses;
    std::vector<std::string> tags;
    std::optional<partial_date> birthday;
    std::vector<note> notes;  // oldest first
    std::string how_met;      // where and how you met, in the user's words
    std::optional<contact_id> introduced_by;
    std::string source;       // where the record came from: "manual", "import:cards.vcf" ...
    // What the contact's cards carried that no field above holds (UID, X- properties, PHOTO ...),
    // in card order, so nothing imported is lost and exports can write it back. The store gives
    // every contact a UID here (urn:uuid:..., once) when it has none, so every export carries one.
    std::vector<card_property> extra;
    date::sys_seconds created_at{};
    date::sys_seconds updated_at{};

    friend bool operator==(const contact&, const contact&) = default;
};

// Checks the rules every stored contact obeys and fills what can be derived (a display name from
// the structured name, trimmed tags without duplicates). Throws invalid_input naming the field.
// IM handles: the kind is lower-cased; a handle without a kind must be a URI ("skype:ada.l"), whose
// scheme names the service: it becomes kind "skype", value "ada.l".
void normalize_and_validate(contact& c);

// The URI scheme of an IM service, as vCard IMPP writes it (RFC 4770, RFC 6350 6.4.3): "skype" ->
// "skype", "jabber", "googletalk", "facebook" -> "xmpp", "msn" -> "msnim", "yahoo" -> "ymsgr",
// "icq" -> "aim"; another service that is a URI scheme name is its own scheme; anything else "im".
std::string im_scheme(std::string_view service);
// Whether an IM value is a URI already ("xmpp:ada@x"): a scheme name and ':' (a handle has no ':').
bool is_im_uri(std::string_view value);
// A handle as a URI of its service: ("ada.l", "skype") -> "skype:ada.l"; a URI is returned as it is.
std::string im_uri(const labeled_value& im);

}  // namespace crm
