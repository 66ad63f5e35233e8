#include "crm/contact.hpp"

#include "crm/error.hpp"
#include "detail/text.hpp"

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

}  // namespace

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
