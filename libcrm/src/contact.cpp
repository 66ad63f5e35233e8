#include "crm/contact.hpp"

#include "crm/error.hpp"
#include "detail/ascii.hpp"
#include "detail/text.hpp"

#include <algorithm>
#include <unordered_set>

namespace crm {

bool structured_name::empty() const noexcept {
    return prefix.empty() && given.empty() && additional.empty() && family.empty() && suffix.empty();
}

std::string structured_name::formatted() const {
    std::string out;
    for (const std::string* part : {&prefix, &given, &additional, &family, &suffix}) {
        std::string p = detail::trim(*part);
        if (p.empty()) continue;
        if (!out.empty()) out += ' ';
        out += p;
    }
    return out;
}

bool postal_address::empty() const noexcept {
    return po_box.empty() && extended.empty() && street.empty() && locality.empty() && region.empty() &&
           postal_code.empty() && country.empty();
}

namespace {

void check_values(const char* field, std::vector<labeled_value>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::string where = std::string(field) + "[" + std::to_string(i) + "]";
        detail::check_text(where + ".value", values[i].value);
        detail::check_text(where + ".kind", values[i].kind);
        values[i].value = detail::trim(values[i].value);
        values[i].kind = detail::trim(values[i].kind);
        if (values[i].value.empty()) throw invalid_input(where + " is empty");
    }
}

// The services whose handles vCard producers write with a scheme other than the service's name
// (Apple's IMPP;X-SERVICE-TYPE=... values, lower-cased), and the X- properties of older cards.
struct im_service {
    std::string_view service, scheme;
};
constexpr im_service im_services[] = {
    {"aim", "aim"},        {"facebook", "xmpp"}, {"gadugadu", "x-apple"}, {"googletalk", "xmpp"},
    {"gtalk", "xmpp"},     {"icq", "aim"},       {"jabber", "xmpp"},      {"msn", "msnim"},
    {"qq", "x-apple"},     {"sip", "sip"},       {"skype", "skype"},      {"xmpp", "xmpp"},
    {"yahoo", "ymsgr"},
};

const im_service* known_im_service(std::string_view service) {
    for (const auto& s : im_services)
        if (s.service == service) return &s;
    return nullptr;
}

bool is_scheme(std::string_view s) {
    if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
    return std::all_of(s.begin(), s.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '+' ||
               ch == '-' || ch == '.';
    });
}

std::string lower(std::string s) {
    for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

// ims: the kind is the service, in lower case; the value the handle without the service's own scheme
// ("skype:ada.l" with kind "skype" -> "ada.l"), so that a handle is stored one way whatever card
// brought it, and the writer adds the scheme back.
void check_ims(std::vector<labeled_value>& ims) {
    check_values("ims", ims);
    for (std::size_t i = 0; i < ims.size(); ++i) {
        auto& im = ims[i];
        im.kind = lower(im.kind);
        if (im.kind.empty()) {
            if (!is_im_uri(im.value))
                throw invalid_input("ims[" + std::to_string(i) + "] '" + im.value +
                                    "' names no service: give its kind (skype, xmpp ...) or write it as a URI "
                                    "such as skype:" + im.value);
            im.kind = lower(im.value.substr(0, im.value.find(':')));
        }
        const std::string prefix = im_scheme(im.kind) + ":";
        if (im.value.size() > prefix.size() && lower(im.value.substr(0, prefix.size())) == prefix)
            im.value = detail::trim(im.value.substr(prefix.size()));
        if (im.value.empty()) throw invalid_input("ims[" + std::to_string(i) + "] is empty");
    }
}

bool is_letter(char ch) noexcept {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

// "https://www.example.com/in/jdoe/?ref=x" -> "example.com/in/jdoe"; "skype:jdoe?call" -> "jdoe";
// "xmpp:jo@example.org" -> "jo@example.org". What is left when nothing else is: the value itself.
std::string name_from_uri(std::string_view uri) {
    std::string_view v = uri;
    std::size_t i = 0;
    while (i < v.size() && (is_letter(v[i]) || (i > 0 && ((v[i] >= '0' && v[i] <= '9') || v[i] == '+' || v[i] == '-'))))
        ++i;
    // A scheme is two or more characters before ':' ("C:" is a drive, "host:8080" a port).
    if (i >= 2 && i < v.size() && v[i] == ':' && (i + 1 == v.size() || v[i + 1] < '0' || v[i + 1] > '9')) {
        v.remove_prefix(i + 1);
        while (v.starts_with('/')) v.remove_prefix(1);
    }
    if (v.size() > 4 && detail::ascii::istarts_with(v, "www.")) v.remove_prefix(4);
    v = v.substr(0, v.find_first_of("?#"));
    while (v.ends_with('/')) v.remove_suffix(1);
    const std::string out = detail::trim(v);
    return out.empty() ? std::string(uri) : out;
}

// "12 Rue de Rivoli, Paris": the street's first line and the city; without them the first of region,
// postal code, country, PO box and extended part that is filled in.
std::string name_from_address(const postal_address& a) {
    const std::string street = detail::trim(std::string_view(a.street).substr(0, a.street.find('\n')));
    if (!street.empty() && !a.locality.empty()) return street + ", " + a.locality;
    if (!street.empty()) return street;
    for (const std::string* part : {&a.locality, &a.region, &a.postal_code, &a.country, &a.po_box, &a.extended})
        if (!part->empty()) return *part;
    return {};
}

// Instant-messaging handles as vCards carry them (RFC 4770 IMPP, and the X- properties of Apple,
// Android, Evolution and Kaddressbook). They stay in contact.extra; they only give a name here.
bool is_im_property(std::string_view name) noexcept {
    for (std::string_view im : {"IMPP", "X-SKYPE", "X-SKYPE-USERNAME", "X-GOOGLE-TALK", "X-GTALK", "X-JABBER",
                                "X-AIM", "X-ICQ", "X-MSN", "X-YAHOO", "X-QQ", "X-GADUGADU"})
        if (detail::ascii::iequals(name, im)) return true;
    return false;
}

// What a contact without a name, organization, email or phone is called, from the first thing it
// has: an IM handle, a URL, an address, a photo. Empty when it has none of them.
std::string derived_name(const contact& c) {
    if (!c.ims.empty()) return c.ims.front().value;  // normalized first: the handle without its scheme
    for (const auto& p : c.extra)
        if (is_im_property(p.name) && !detail::trim(p.value).empty()) return name_from_uri(detail::trim(p.value));
    if (!c.urls.empty()) return name_from_uri(c.urls.front().value);
    if (!c.addresses.empty()) return name_from_address(c.addresses.front());
    for (const auto& p : c.extra)
        if (detail::ascii::iequals(p.name, "PHOTO") && !detail::trim(p.value).empty()) return "Photo contact";
    return {};
}

}  // namespace

std::string im_scheme(std::string_view service) {
    const std::string s = lower(std::string(service));
    if (const im_service* known = known_im_service(s)) return std::string(known->scheme);
    return is_scheme(s) ? s : "im";
}

bool is_im_uri(std::string_view value) {
    const std::size_t colon = value.find(':');
    return colon != std::string_view::npos && colon + 1 < value.size() && is_scheme(value.substr(0, colon));
}

std::string im_uri(const labeled_value& im) {
    // A known service's value is always a handle, even one with a ':' (Skype's "live:ada").
    if (!known_im_service(lower(im.kind)) && is_im_uri(im.value)) return im.value;
    return im_scheme(im.kind) + ":" + im.value;
}

void normalize_and_validate(contact& c) {
    using detail::check_text;
    check_text("display_name", c.display_name);
    check_text("name.prefix", c.name.prefix);
    check_text("name.given", c.name.given);
    check_text("name.additional", c.name.additional);
    check_text("name.family", c.name.family);
    check_text("name.suffix", c.name.suffix);
    check_text("organization", c.organization);
    check_text("title", c.title);
    check_text("how_met", c.how_met);
    check_text("source", c.source);
    check_values("emails", c.emails);
    check_values("phones", c.phones);
    check_values("urls", c.urls);
    check_ims(c.ims);
    for (std::size_t i = 0; i < c.addresses.size(); ++i) {
        auto& a = c.addresses[i];
        std::string where = "addresses[" + std::to_string(i) + "]";
        for (auto* part : {&a.kind, &a.po_box, &a.extended, &a.street, &a.locality, &a.region, &a.postal_code,
                           &a.country}) {
            check_text(where, *part);
            *part = detail::trim(*part);
        }
        if (a.empty()) throw invalid_input(where + " is empty");
    }
    for (std::size_t i = 0; i < c.notes.size(); ++i)
        check_text("notes[" + std::to_string(i) + "].text", c.notes[i].text);
    for (std::size_t i = 0; i < c.extra.size(); ++i) {
        const auto& p = c.extra[i];
        std::string where = "extra[" + std::to_string(i) + "]";
        check_text(where + ".group", p.group);
        check_text(where + ".name", p.name);
        check_text(where + ".value", p.value);
        if (p.name.empty()) throw invalid_input(where + " has no name");
        for (const auto& prm : p.parameters) {
            check_text(where + ".parameters", prm.name);
            for (const auto& v : prm.values) check_text(where + ".parameters", v);
        }
    }

    std::vector<std::string> tags;
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < c.tags.size(); ++i) {
        check_text("tags[" + std::to_string(i) + "]", c.tags[i]);
        std::string t = detail::trim(c.tags[i]);
        if (!t.empty() && seen.insert(t).second) tags.push_back(std::move(t));
    }
    c.tags = std::move(tags);

    if (c.birthday && !c.birthday->ok())
        throw invalid_input("birthday " + c.birthday->to_string() + " is not a valid calendar date");
    if (c.introduced_by && c.id != 0 && *c.introduced_by == c.id)
        throw invalid_input("a contact cannot be introduced by itself");

    // One rule for white space at the ends of text: it goes when the contact is stored, whichever way
    // the contact came in, so what an export writes reads back the same. Inside, text stays as it is
    // (a note keeps its line breaks and indentation). Emails, phones, URLs, addresses and tags were
    // trimmed above.
    for (std::string* field : {&c.display_name, &c.name.prefix, &c.name.given, &c.name.additional, &c.name.family,
                               &c.name.suffix, &c.organization, &c.title, &c.how_met, &c.source})
        *field = detail::trim(*field);
    for (auto& n : c.notes) n.text = detail::trim(n.text);

    if (c.display_name.empty()) c.display_name = c.name.formatted();
    if (c.display_name.empty()) c.display_name = c.organization;
    if (c.display_name.empty() && !c.emails.empty()) c.display_name = c.emails.front().value;
    if (c.display_name.empty() && !c.phones.empty()) c.display_name = c.phones.front().value;
    if (c.display_name.empty()) c.display_name = derived_name(c);
    if (c.display_name.empty())
        throw invalid_input(
            "a contact needs a name, an organization, an email address, a phone number, an IM handle, a URL, "
            "an address or a photo");
}

}  // namespace crm
