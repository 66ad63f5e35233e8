// Canonical forms that decide whether two records describe the same person: emails with the
// domain case-folded, phone numbers in E.164, names folded for comparison (case and accents:
// "Zoë" = "Zoe"). Originals are always kept as written; these are only match keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crm {

// "  Ada.L@Example.COM " -> "Ada.L@example.com". The local part is case-sensitive by the
// standard, so only the domain is folded. Empty when the text has no '@' with text either side.
std::string normalized_email(std::string_view email);

// A social profile URL reduced to what identifies the person: "https://www.LinkedIn.com/in/ada-l/"
// -> "linkedin.com/in/ada-l". Empty for URLs that are not profiles on a known network (a company
// website is shared by colleagues, so it says nothing about who the person is).
std::string profile_key(std::string_view url);

// Names, organizations and tags folded for comparison: Unicode case folding, accents removed,
// whitespace and punctuation runs collapsed to one space. "  Zoë  LEFÈVRE-Martin" -> "zoe lefevre martin".
std::string folded(std::string_view text);

// Phone numbers to E.164 ("+33612345678") with libphonenumber, reading numbers without a country
// code as numbers of `default_region` (ISO 3166 alpha-2, e.g. "FR", "US"; "ZZ" or "" for none, so
// only numbers written with a +country code are placed). Thread-safe.
class phone_normalizer {
public:
    explicit phone_normalizer(std::string default_region = "ZZ");
    const std::string& default_region() const noexcept { return region_; }
    // Empty when the text is not a phone number libphonenumber can place.
    std::optional<std::string> e164(std::string_view phone) const;
    // The same, reading a number without a country code as one of `region` (from phone_region)
    // instead of the default region.
    std::optional<std::string> e164(std::string_view phone, const std::string& region) const;

private:
    std::string region_;
};

// A postal address's country as a region libphonenumber knows, for reading the contact's phone
// numbers: an ISO 3166 alpha-2 code in any case ("fr", " FR ") -> "FR"; empty for anything else
// (country names are not guessed).
std::string phone_region(std::string_view country);

}  // namespace crm
