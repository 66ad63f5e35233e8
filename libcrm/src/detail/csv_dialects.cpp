#include "detail/csv_dialects.hpp"

#include "crm/error.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <utility>

namespace crm::detail::csv {

std::string squeeze_header(std::string_view header) {
    std::string out;
    out.reserve(header.size());
    for (char c : header) {
        const char l = ascii::to_lower(c);
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || static_cast<unsigned char>(c) >= 0x80) out.push_back(l);
    }
    return out;
}

std::string kind_from_label(std::string_view label) {
    label = ascii::trim(label);
    // Google marks the primary value with "* " ("* Work"); alone, "*" means no label.
    while (!label.empty() && label.front() == '*') label = ascii::trim(label.substr(1));
    struct known {
        std::string_view label, kind;
    };
    static constexpr known table[] = {
        {"home", "home"},
        {"work", "work"},
        {"other", "other"},
        {"mobile", "mobile"},
        {"cell", "mobile"},
        {"main", "main"},
        {"home fax", "home,fax"},
        {"work fax", "work,fax"},
        {"other fax", "fax"},
        {"fax", "fax"},
        {"pager", "pager"},
        {"work mobile", "work,mobile"},
        {"work pager", "work,pager"},
        {"google voice", "google voice"},
        {"profile", "profile"},
        {"blog", "blog"},
        {"home page", "homepage"},
        {"homepage", "homepage"},
        {"ftp", "ftp"},
    };
    for (const auto& k : table)
        if (iequals(label, k.label)) return std::string(k.kind);
    return std::string(label);
}

std::vector<std::string_view> split_pieces(std::string_view cell) {
    std::vector<std::string_view> out;
    cell = ascii::trim(cell);
    if (cell.empty()) return out;
    for (;;) {
        const std::size_t sep = cell.find(":::");
        out.push_back(ascii::trim(cell.substr(0, sep)));
        if (sep == std::string_view::npos) return out;
        cell.remove_prefix(sep + 3);
    }
}

bool is_outlook_default(std::string_view cell) noexcept {
    static constexpr std::string_view defaults[] = {
        "0/0/00", "0/0/0000", "0.0.00", "0.0.0000",    "00.00.00",        "00.00.0000", "Normal",
        "False",  "Falsch",   "Aus",    "Unspecified", "Nicht angegeben", "Unbekannt",  "SMTP"};
    cell = ascii::trim(cell);
    return std::any_of(std::begin(defaults), std::end(defaults), [&](std::string_view d) { return iequals(cell, d); });
}

int address_slot_for(plan& p, std::vector<std::string>& keys, const std::string& key, const std::string& kind) {
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it != keys.end()) return static_cast<int>(it - keys.begin());
    keys.push_back(key);
    p.addresses.push_back(address_slot{kind, -1});
    return static_cast<int>(keys.size() - 1);
}

// ------------------------------------------------------------------------------------ dialects

namespace {

struct entry {
    std::string_view header;
    field target;
    std::string_view kind = {};
    int slot = -1;  // address slot, for address parts
    bool outlook_defaults = false;
};

// Outlook's address blocks: 0 business, 1 home, 2 other.
constexpr std::array<std::string_view, 3> outlook_slots{"work", "home", "other"};

// Outlook desktop (English and German, with the variants Outlook.com and Google's "Outlook CSV"
// write). Columns with no contact field (Department, Spouse, User 1 ...) are not listed: they are extra.
constexpr entry outlook_table[] = {
    {"Title", field::prefix},
    {"First Name", field::given},
    {"Middle Name", field::additional},
    {"Last Name", field::family},
    {"Suffix", field::suffix},
    {"Company", field::organization},
    {"Job Title", field::title},
    {"Business Street", field::street, {}, 0},
    {"Business Street 2", field::street, {}, 0},
    {"Business Street 3", field::street, {}, 0},
    {"Business City", field::locality, {}, 0},
    {"Business State", field::region, {}, 0},
    {"Business Postal Code", field::postal_code, {}, 0},
    {"Business Country/Region", field::country, {}, 0},
    {"Business Country", field::country, {}, 0},
    {"Business Address PO Box", field::po_box, {}, 0},
    {"Business Address", field::formatted_address, {}, 0},
    {"Home Street", field::street, {}, 1},
    {"Home Street 2", field::street, {}, 1},
    {"Home Street 3", field::street, {}, 1},
    {"Home City", field::locality, {}, 1},
    {"Home State", field::region, {}, 1},
    {"Home Postal Code", field::postal_code, {}, 1},
    {"Home Country/Region", field::country, {}, 1},
    {"Home Country", field::country, {}, 1},
    {"Home Address PO Box", field::po_box, {}, 1},
    {"Home Address", field::formatted_address, {}, 1},
    {"Other Street", field::street, {}, 2},
    {"Other Street 2", field::street, {}, 2},
    {"Other Street 3", field::street, {}, 2},
    {"Other City", field::locality, {}, 2},
    {"Other State", field::region, {}, 2},
    {"Other Postal Code", field::postal_code, {}, 2},
    {"Other Country/Region", field::country, {}, 2},
    {"Other Country", field::country, {}, 2},
    {"Other Address PO Box", field::po_box, {}, 2},
    {"Other Address", field::formatted_address, {}, 2},
    {"Business Phone", field::phone, "work"},
    {"Business Phone 2", field::phone, "work"},
    {"Home Phone", field::phone, "home"},
    {"Home Phone 2", field::phone, "home"},
    {"Mobile Phone", field::phone, "mobile"},
    {"Business Fax", field::phone, "work,fax"},
    {"Home Fax", field::phone, "home,fax"},
    {"Other Fax", field::phone, "fax"},
    {"Other Phone", field::phone, "other"},
    {"Primary Phone", field::phone, "main"},
    {"Company Main Phone", field::phone, "company"},
    {"Assistant's Phone", field::phone, "assistant"},
    {"Car Phone", field::phone, "car"},
    {"Pager", field::phone, "pager"},
    {"Callback", field::phone, "callback"},
    {"ISDN", field::phone, "isdn"},
    {"Radio Phone", field::phone, "radio"},
    {"TTY/TDD Phone", field::phone, "tty"},
    {"Telex", field::phone, "telex"},
    {"E-mail Address", field::email},
    {"E-mail 2 Address", field::email},
    {"E-mail 3 Address", field::email},
    {"Web Page", field::url},
    {"Personal Web Page", field::url, "home"},
    {"Birthday", field::birthday, {}, -1, true},
    {"Notes", field::note},
    {"Categories", field::tags},
    {"Anniversary", field::extra, {}, -1, true},
    {"Gender", field::extra, {}, -1, true},
    {"Priority", field::extra, {}, -1, true},
    {"Sensitivity", field::extra, {}, -1, true},
    {"Private", field::extra, {}, -1, true},
    {"E-mail Type", field::extra, {}, -1, true},
    {"E-mail 2 Type", field::extra, {}, -1, true},
    {"E-mail 3 Type", field::extra, {}, -1, true},
    // German Outlook
    {"Anrede", field::prefix},
    {"Vorname", field::given},
    {"Weitere Vornamen", field::additional},
    {"Nachname", field::family},
    {"Firma", field::organization},
    {"Position", field::title},
    {"Straße geschäftlich", field::street, {}, 0},
    {"Straße geschäftlich 2", field::street, {}, 0},
    {"Straße geschäftlich 3", field::street, {}, 0},
    {"Ort geschäftlich", field::locality, {}, 0},
    {"Region geschäftlich", field::region, {}, 0},
    {"Postleitzahl geschäftlich", field::postal_code, {}, 0},
    {"Land/Region geschäftlich", field::country, {}, 0},
    {"Postfach geschäftlich", field::po_box, {}, 0},
    {"Straße privat", field::street, {}, 1},
    {"Straße privat 2", field::street, {}, 1},
    {"Straße privat 3", field::street, {}, 1},
    {"Ort privat", field::locality, {}, 1},
    {"Bundesland/Kanton privat", field::region, {}, 1},
    {"Postleitzahl privat", field::postal_code, {}, 1},
    {"Land/Region privat", field::country, {}, 1},
    {"Postfach privat", field::po_box, {}, 1},
    {"Weitere Straße", field::street, {}, 2},
    {"Weitere Straße 2", field::street, {}, 2},
    {"Weitere Straße 3", field::street, {}, 2},
    {"Weiterer Ort", field::locality, {}, 2},
    {"Weiteres/r Bundesland/Kanton", field::region, {}, 2},
    {"Weitere Postleitzahl", field::postal_code, {}, 2},
    {"Weiteres/e Land/Region", field::country, {}, 2},
    {"Weiteres Postfach", field::po_box, {}, 2},
    {"Telefon geschäftlich", field::phone, "work"},
    {"Telefon geschäftlich 2", field::phone, "work"},
    {"Telefon privat", field::phone, "home"},
    {"Telefon privat 2", field::phone, "home"},
    {"Telefon (privat)", field::phone, "home"},
    {"Telefon (privat 2)", field::phone, "home"},
    {"Mobiltelefon", field::phone, "mobile"},
    {"Mobiltelefon 2", field::phone, "mobile"},
    {"Fax geschäftlich", field::phone, "work,fax"},
    {"Fax privat", field::phone, "home,fax"},
    {"Weiteres Fax", field::phone, "fax"},
    {"Weiteres Telefon", field::phone, "other"},
    {"Haupttelefon", field::phone, "main"},
    {"Telefon Firma", field::phone, "company"},
    {"Telefon Assistent", field::phone, "assistant"},
    {"Autotelefon", field::phone, "car"},
    {"Rückmeldung", field::phone, "callback"},
    {"Telefon für Hörbehinderte", field::phone, "tty"},
    {"E-Mail-Adresse", field::email},
    {"E-Mail 2: Adresse", field::email},
    {"E-Mail 3: Adresse", field::email},
    {"Webseite", field::url},
    {"Geburtstag", field::birthday, {}, -1, true},
    {"Notizen", field::note},
    {"Kategorien", field::tags},
    {"Jahrestag", field::extra, {}, -1, true},
    {"Geschlecht", field::extra, {}, -1, true},
    {"Priorität", field::extra, {}, -1, true},
    {"Vertraulichkeit", field::extra, {}, -1, true},
    {"Privat", field::extra, {}, -1, true},
    {"E-Mail-Typ", field::extra, {}, -1, true},
    {"E-Mail 2: Typ", field::extra, {}, -1, true},
    {"E-Mail 3: Typ", field::extra, {}, -1, true},
};

// Headers Outlook writes and a hand-made sheet rarely has; three of them make an Outlook file (it writes
// all of its columns). Fewer are not enough: a sheet with "Title,E-mail Address,Mobile Phone" means
// the job title by "Title", where Outlook means the form of address. Thunderbird shares Home Phone and
// Job Title, so it is recognised first.
constexpr std::string_view outlook_markers[] = {"E-mail Address",
                                                "E-mail 2 Address",
                                                "E-mail Display Name",
                                                "Business Phone",
                                                "Business Fax",
                                                "Business Street",
                                                "Business City",
                                                "Home Street",
                                                "Home City",
                                                "Mobile Phone",
                                                "Home Phone",
                                                "Job Title",
                                                "E-Mail-Adresse",
                                                "Vorname",
                                                "Nachname",
                                                "Weitere Vornamen",
                                                "Anrede",
                                                "Mobiltelefon",
                                                "Telefon geschäftlich",
                                                "Straße geschäftlich",
                                                "Ort geschäftlich"};

constexpr std::array<std::string_view, 2> thunderbird_slots{"work", "home"};

// Thunderbird, with the spellings of its US and UK builds.
constexpr entry thunderbird_table[] = {
    {"First Name", field::given},
    {"Last Name", field::family},
    {"Display Name", field::display_name},
    {"Primary Email", field::email},
    {"Secondary Email", field::email},
    {"Work Phone", field::phone, "work"},
    {"Home Phone", field::phone, "home"},
    {"Fax Number", field::phone, "fax"},
    {"Pager Number", field::phone, "pager"},
    {"Mobile Number", field::phone, "mobile"},
    {"Home Address", field::street, {}, 1},
    {"Home Address 2", field::street, {}, 1},
    {"Home Address2", field::street, {}, 1},
    {"Home City", field::locality, {}, 1},
    {"Home State", field::region, {}, 1},
    {"Home County", field::region, {}, 1},
    {"Home ZipCode", field::postal_code, {}, 1},
    {"Home Zip", field::postal_code, {}, 1},
    {"Home Post Code", field::postal_code, {}, 1},
    {"Home Country", field::country, {}, 1},
    {"Work Address", field::street, {}, 0},
    {"Work Address 2", field::street, {}, 0},
    {"Work Address2", field::street, {}, 0},
    {"Work City", field::locality, {}, 0},
    {"Work State", field::region, {}, 0},
    {"Work County", field::region, {}, 0},
    {"Work ZipCode", field::postal_code, {}, 0},
    {"Work Zip", field::postal_code, {}, 0},
    {"Work Post Code", field::postal_code, {}, 0},
    {"Work Country", field::country, {}, 0},
    {"Job Title", field::title},
    {"Organization", field::organization},
    {"Organisation", field::organization},
    {"Web Page 1", field::url, "work"},
    {"Web Page 2", field::url, "home"},
    {"Birth Year", field::birth_year},
    {"Birth Month", field::birth_month},
    {"Birth Day", field::birth_day},
    {"Notes", field::note},
};

constexpr entry linkedin_table[] = {
    {"First Name", field::given},          {"Last Name", field::family},     {"URL", field::url, "linkedin"},
    {"Email Address", field::email},       {"Company", field::organization}, {"Position", field::title},
    {"Connected On", field::connected_on},
};

// The generic guess, keyed by squeeze_header(): "E-mail" and "Email" are both "email".
constexpr entry generic_table[] = {
    {"name", field::display_name},
    {"fullname", field::display_name},
    {"displayname", field::display_name},
    {"contactname", field::display_name},
    {"contact", field::display_name},
    {"firstname", field::given},
    {"givenname", field::given},
    {"first", field::given},
    {"forename", field::given},
    {"lastname", field::family},
    {"familyname", field::family},
    {"surname", field::family},
    {"last", field::family},
    {"middlename", field::additional},
    {"additionalname", field::additional},
    {"prefix", field::prefix},
    {"nameprefix", field::prefix},
    {"salutation", field::prefix},
    {"suffix", field::suffix},
    {"namesuffix", field::suffix},
    {"company", field::organization},
    {"companyname", field::organization},
    {"organization", field::organization},
    {"organisation", field::organization},
    {"org", field::organization},
    {"employer", field::organization},
    {"title", field::title},
    {"jobtitle", field::title},
    {"position", field::title},
    {"role", field::title},
    {"email", field::email},
    {"emailaddress", field::email},
    {"mail", field::email},
    {"emails", field::email},
    {"workemail", field::email, "work"},
    {"homeemail", field::email, "home"},
    {"personalemail", field::email, "home"},
    {"phone", field::phone},
    {"phonenumber", field::phone},
    {"phones", field::phone},
    {"telephone", field::phone},
    {"tel", field::phone},
    {"workphone", field::phone, "work"},
    {"homephone", field::phone, "home"},
    {"mobile", field::phone, "mobile"},
    {"mobilephone", field::phone, "mobile"},
    {"mobilenumber", field::phone, "mobile"},
    {"cell", field::phone, "mobile"},
    {"cellphone", field::phone, "mobile"},
    {"website", field::url},
    {"url", field::url},
    {"web", field::url},
    {"webpage", field::url},
    {"homepage", field::url},
    {"linkedin", field::url, "linkedin"},
    {"linkedinurl", field::url, "linkedin"},
    {"linkedinprofile", field::url, "linkedin"},
    {"tags", field::tags},
    {"tag", field::tags},
    {"labels", field::tags},
    {"groups", field::tags},
    {"categories", field::tags},
    {"notes", field::note},
    {"note", field::note},
    {"comments", field::note},
    {"comment", field::note},
    {"memo", field::note},
    {"birthday", field::birthday},
    {"birthdate", field::birthday},
    {"dateofbirth", field::birthday},
    {"dob", field::birthday},
    {"howmet", field::how_met},
    {"howwemet", field::how_met},
    {"wheremet", field::how_met},
    {"metat", field::how_met},
    {"street", field::street, {}, 0},
    {"address", field::street, {}, 0},
    {"streetaddress", field::street, {}, 0},
    {"city", field::locality, {}, 0},
    {"town", field::locality, {}, 0},
    {"state", field::region, {}, 0},
    {"region", field::region, {}, 0},
    {"province", field::region, {}, 0},
    {"zip", field::postal_code, {}, 0},
    {"zipcode", field::postal_code, {}, 0},
    {"postcode", field::postal_code, {}, 0},
    {"postalcode", field::postal_code, {}, 0},
    {"country", field::country, {}, 0},
};

bool has(const std::vector<std::string>& headers, std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [&](const std::string& h) { return iequals(h, name); });
}

// "E-mail 1 - Value" -> thing "E-mail", number 1, part "Value".
struct numbered_header {
    std::string_view thing;
    int number = 0;
    std::string_view part;
};

std::optional<numbered_header> split_numbered(std::string_view h) {
    const std::size_t dash = h.find(" - ");
    if (dash == std::string_view::npos) return std::nullopt;
    std::string_view left = h.substr(0, dash);
    std::size_t digits = 0;
    while (digits < left.size() && left[left.size() - 1 - digits] >= '0' && left[left.size() - 1 - digits] <= '9')
        ++digits;
    if (digits == 0 || digits > 3 || digits == left.size() || left[left.size() - 1 - digits] != ' ')
        return std::nullopt;
    numbered_header out;
    out.thing = left.substr(0, left.size() - digits - 1);
    for (char c : left.substr(left.size() - digits)) out.number = out.number * 10 + (c - '0');
    out.part = h.substr(dash + 3);
    return out;
}

bool is_google(const std::vector<std::string>& headers) {
    if (has(headers, "Group Membership") || (has(headers, "Labels") && has(headers, "File As"))) return true;
    return std::any_of(headers.begin(), headers.end(), [](const std::string& h) {
        const auto n = split_numbered(h);
        return n && (iequals(n->part, "Value") || iequals(n->part, "Type") || iequals(n->part, "Label")) &&
               (iequals(n->thing, "E-mail") || iequals(n->thing, "Phone"));
    });
}

bool is_linkedin(const std::vector<std::string>& headers) {
    return has(headers, "Connected On") && (has(headers, "First Name") || has(headers, "Last Name"));
}

bool is_thunderbird(const std::vector<std::string>& headers) {
    return has(headers, "Primary Email") || (has(headers, "Display Name") && has(headers, "Mobile Number"));
}

bool is_outlook(const std::vector<std::string>& headers) {
    int hits = 0;
    for (std::string_view m : outlook_markers) hits += has(headers, m) ? 1 : 0;
    return hits >= 3;
}

plan from_table(std::string format, const std::vector<std::string>& headers, std::span<const entry> table,
                std::span<const std::string_view> slots, bool squeeze) {
    plan p;
    p.format = std::move(format);
    for (std::string_view kind : slots) p.addresses.push_back(address_slot{std::string(kind), -1});
    for (const std::string& h : headers) {
        column_plan c;
        const std::string key = squeeze ? squeeze_header(h) : std::string();
        for (const entry& e : table) {
            if (squeeze ? key != e.header : !iequals(h, e.header)) continue;
            c.target = e.target;
            c.kind = std::string(e.kind);
            c.address = e.slot;
            c.outlook_defaults = e.outlook_defaults;
            break;
        }
        p.columns.push_back(std::move(c));
    }
    return p;
}

// Google Contacts, both exports: the legacy one (Given Name, E-mail 1 - Type, Group Membership) and the
// current one (First Name, E-mail 1 - Label, Labels). Numbered blocks pair a label with values.
plan google_plan(const std::vector<std::string>& headers) {
    static constexpr entry plain[] = {
        {"Name", field::display_name},
        {"Given Name", field::given},
        {"Additional Name", field::additional},
        {"Family Name", field::family},
        {"First Name", field::given},
        {"Middle Name", field::additional},
        {"Last Name", field::family},
        {"Name Prefix", field::prefix},
        {"Name Suffix", field::suffix},
        {"Organization Name", field::organization},
        {"Organization Title", field::title},
        {"Birthday", field::birthday},
        {"Notes", field::note},
        {"Group Membership", field::tags},
        {"Labels", field::tags},
    };
    plan p = from_table("csv-google", headers, plain, {}, false);
    for (column_plan& c : p.columns)
        if (c.target == field::tags) c.multi = true;  // labels are separated by " ::: " only
    std::vector<std::string> address_keys;
    // The label column of each numbered block: "E-mail 1" -> column index.
    std::vector<std::pair<std::string, int>> label_columns;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const auto n = split_numbered(headers[i]);
        if (!n) continue;
        const std::string block = std::string(n->thing) + " " + std::to_string(n->number);
        if (iequals(n->part, "Type") || iequals(n->part, "Label")) label_columns.emplace_back(block, int(i));
    }
    auto label_of = [&](const std::string& block) {
        for (const auto& [b, column] : label_columns)
            if (iequals(b, block)) return column;
        return -1;
    };
    std::vector<bool> label_used(headers.size(), false);
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const auto n = split_numbered(headers[i]);
        if (!n) continue;
        const std::string block = std::string(n->thing) + " " + std::to_string(n->number);
        column_plan& c = p.columns[i];
        const bool value = iequals(n->part, "Value");
        auto labelled = [&](field f) {
            c.target = f;
            c.multi = true;
            c.label_column = label_of(block);
            if (c.label_column >= 0) label_used[std::size_t(c.label_column)] = true;
        };
        if (iequals(n->thing, "E-mail") && value)
            labelled(field::email);
        else if (iequals(n->thing, "Phone") && value)
            labelled(field::phone);
        else if (iequals(n->thing, "Website") && value)
            labelled(field::url);
        else if (iequals(n->thing, "Custom Field") && value)
            c.target = field::custom;
        else if (iequals(n->thing, "Custom Field") && (iequals(n->part, "Label") || iequals(n->part, "Type")))
            c.target = field::custom_label;
        else if (iequals(n->thing, "Organization") && n->number == 1 && iequals(n->part, "Name"))
            c.target = field::organization;
        else if (iequals(n->thing, "Organization") && n->number == 1 && iequals(n->part, "Title"))
            c.target = field::title;
        else if (iequals(n->thing, "Address")) {
            static constexpr std::pair<std::string_view, field> parts[] = {{"Formatted", field::formatted_address},
                                                                           {"Street", field::street},
                                                                           {"City", field::locality},
                                                                           {"PO Box", field::po_box},
                                                                           {"Region", field::region},
                                                                           {"Postal Code", field::postal_code},
                                                                           {"Country", field::country},
                                                                           {"Extended Address", field::extended}};
            for (const auto& [part, f] : parts) {
                if (!iequals(n->part, part)) continue;
                c.target = f;
                c.multi = true;  // several addresses in one block: component by component, " ::: " between
                c.address = address_slot_for(p, address_keys, block, {});
                const int label = label_of(block);
                if (label >= 0) {
                    p.addresses[std::size_t(c.address)].label_column = label;
                    label_used[std::size_t(label)] = true;
                }
            }
        }
    }
    // A label column whose block has no mapped value (IM 1 - Type, Relation 1 - Type ...) stays extra.
    for (std::size_t i = 0; i < headers.size(); ++i)
        if (label_used[i]) p.columns[i].target = field::label;
    // The value of a custom field looks at its label, found as the other blocks find theirs.
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (p.columns[i].target != field::custom) continue;
        const auto n = split_numbered(headers[i]);
        p.columns[i].label_column = label_of(std::string(n->thing) + " " + std::to_string(n->number));
    }
    return p;
}

}  // namespace

plan plan_for_header(const std::vector<std::string>& headers) {
    if (is_linkedin(headers)) return from_table("csv-linkedin", headers, linkedin_table, {}, false);
    if (is_google(headers)) return google_plan(headers);
    if (is_thunderbird(headers))
        return from_table("csv-thunderbird", headers, thunderbird_table, thunderbird_slots, false);
    if (is_outlook(headers)) return from_table("csv-outlook", headers, outlook_table, outlook_slots, false);
    static constexpr std::array<std::string_view, 1> generic_slots{""};
    return from_table("csv", headers, generic_table, generic_slots, true);
}

// ------------------------------------------------------------------------------------ dates

namespace {

struct token {
    std::string_view text;
    bool digits = false;
};

// Runs of digits or of letters (bytes >= 0x80 count as letters: "März"); what lies between is a
// separator. The separator before the second token tells the form (15.04.1985 vs 4/15/1985).
std::vector<token> tokenize(std::string_view s, std::string_view& first_separator) {
    std::vector<token> out;
    first_separator = {};
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    auto is_letter = [](char c) {
        const char l = ascii::to_lower(c);
        return (l >= 'a' && l <= 'z') || static_cast<unsigned char>(c) >= 0x80;
    };
    std::size_t i = 0;
    while (i < s.size() && out.size() < 3) {
        const std::size_t sep = i;
        while (i < s.size() && !is_digit(s[i]) && !is_letter(s[i])) ++i;
        if (out.size() == 1) first_separator = s.substr(sep, i - sep);
        if (i == s.size()) break;
        const std::size_t start = i;
        const bool digits = is_digit(s[i]);
        while (i < s.size() && (digits ? is_digit(s[i]) : is_letter(s[i]))) ++i;
        out.push_back({s.substr(start, i - start), digits});
    }
    return out;
}

int number(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

// 1-12 for an English or German month name or its abbreviation of three letters or more.
int month_number(std::string_view word) {
    static constexpr std::string_view names[][2] = {
        {"january", "januar"},  {"february", "februar"},  {"march", "m\xC3\xA4rz"},
        {"april", "april"},     {"may", "mai"},           {"june", "juni"},
        {"july", "juli"},       {"august", "august"},     {"september", "september"},
        {"october", "oktober"}, {"november", "november"}, {"december", "dezember"}};
    if (word.size() < 3) return 0;
    std::string lower;
    for (char c : word) lower.push_back(ascii::to_lower(c));
    for (int m = 0; m < 12; ++m)
        for (std::string_view name : names[m])
            if (name.starts_with(lower)) return m + 1;
    return 0;
}

// Two-digit years below `pivot` are 20xx, the rest 19xx.
std::optional<partial_date> loose_date(std::string_view text, int pivot) {
    text = ascii::trim(text);
    if (text.empty()) return std::nullopt;
    {  // ISO 8601 and vCard forms, with or without a time after 'T'
        std::string_view iso = text;
        if (const std::size_t t = iso.find('T'); t != std::string_view::npos && t >= 6) iso = iso.substr(0, t);
        try {
            return partial_date::parse(iso);
        } catch (const invalid_input&) {
        }
    }
    std::string_view sep;
    const std::vector<token> t = tokenize(text, sep);
    if (t.size() < 2) return std::nullopt;
    int y = -1, m = 0, d = 0;
    bool two_digit_year = false;
    auto take_year = [&](const token& tok) {
        if (!tok.digits || (tok.text.size() != 2 && tok.text.size() != 4)) return false;
        y = number(tok.text);
        two_digit_year = tok.text.size() == 2;
        return true;
    };
    auto small = [](const token& tok) { return tok.digits && tok.text.size() <= 2; };
    const bool three = t.size() == 3;
    if (t[0].digits && t[1].digits) {
        if (t[0].text.size() == 4) {  // 1985/04/15, 1985.04.15
            if (!three || !small(t[1]) || !small(t[2])) return std::nullopt;
            y = number(t[0].text);
            m = number(t[1].text);
            d = number(t[2].text);
        } else {
            if (!small(t[0]) || !small(t[1])) return std::nullopt;
            if (three && !take_year(t[2])) return std::nullopt;
            int a = number(t[0].text), b = number(t[1].text);
            const bool month_first = sep.find('/') != std::string_view::npos;
            if (month_first && a > 12) std::swap(a, b);  // 15/4/1985: the day came first after all
            m = month_first ? a : b;
            d = month_first ? b : a;
        }
    } else if (t[0].digits && !t[1].digits) {  // 15 Apr 1985, 8-Jan-18, 15. März
        if (!small(t[0]) || (three && !take_year(t[2]))) return std::nullopt;
        d = number(t[0].text);
        m = month_number(t[1].text);
    } else if (!t[0].digits && t[1].digits) {  // Apr 15, 1985
        if (!small(t[1]) || (three && !take_year(t[2]))) return std::nullopt;
        m = month_number(t[0].text);
        d = number(t[1].text);
    } else {
        return std::nullopt;
    }
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    if (two_digit_year) y += y < pivot ? 2000 : 1900;
    partial_date out{date::month{unsigned(m)}, date::day{unsigned(d)}};
    if (y >= 0) out.year = date::year{y};
    if (!out.ok()) return std::nullopt;
    return out;
}

}  // namespace

std::optional<partial_date> parse_birthday(std::string_view text) {
    auto d = loose_date(text, 30);
    if (d && d->year && (int(*d->year) == 1604 || int(*d->year) == 0)) d->year.reset();
    return d;
}

std::optional<date::year_month_day> parse_connected_on(std::string_view text) {
    const auto d = loose_date(text, 100);
    if (!d || !d->year) return std::nullopt;
    return d->ymd();
}

}  // namespace crm::detail::csv
