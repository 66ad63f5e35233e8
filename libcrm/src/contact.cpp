#include "crm/contact.hpp"

#include "crm/error.hpp"
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
                           &a.country})
            check_text(where, *part);
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

    c.display_name = detail::trim(c.display_name);
    if (c.display_name.empty()) c.display_name = c.name.formatted();
    if (c.display_name.empty()) c.display_name = detail::trim(c.organization);
    if (c.display_name.empty() && !c.emails.empty()) c.display_name = c.emails.front().value;
    if (c.display_name.empty() && !c.phones.empty()) c.display_name = c.phones.front().value;
    if (c.display_name.empty())
        throw invalid_input("a contact needs a name, an organization, an email address or a phone number");
}

}  // namespace crm
