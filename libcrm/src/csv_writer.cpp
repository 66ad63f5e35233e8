#include "crm/csv_writer.hpp"

#include "detail/ascii.hpp"
#include "detail/csv_dialects.hpp"
#include "detail/csv_formula.hpp"

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace crm::csv {
namespace {

constexpr std::string_view joiner = " ::: ";  // Google's separator for several values in one cell

using detail::ascii::to_lower;
using detail::ascii::trim;

// A cell's text.
struct cell {
    std::string text;
    cell() = default;
    cell(std::string t) : text(std::move(t)) {}
    cell(const char* t) : text(t) {}
};

// One field: neutralized (detail/csv_formula.hpp: a leading "'" where a spreadsheet would evaluate
// it), then quoted per RFC 4180 2.6 and 2.7 when it needs to be.
void put_field(std::ostream& out, const cell& field) {
    std::string text;
    if (detail::csv::needs_formula_mark(field.text)) text += '\'';
    text += field.text;
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        out << text;
        return;
    }
    out << '"';
    for (char c : text) {
        if (c == '"') out << '"';
        out << c;
    }
    out << '"';
}

void put_record(std::ostream& out, const std::vector<cell>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out << ',';
        put_field(out, fields[i]);
    }
    out << "\r\n";
}

// The columns of one address slot, after its label, in Google's order.
constexpr std::string_view address_columns[] = {"Formatted", "Street",      "City",    "PO Box",
                                                "Region",    "Postal Code", "Country", "Extended Address"};

std::vector<cell> header_fields() {
    std::vector<cell> h = {"First Name",        "Middle Name",        "Last Name", "Name Prefix", "Name Suffix",
                           "Organization Name", "Organization Title", "Birthday",  "Notes",       "Labels"};
    auto pair = [&](std::string_view what, std::size_t slots) {
        for (std::size_t i = 1; i <= slots; ++i) {
            const std::string prefix = std::string(what) + " " + std::to_string(i) + " - ";
            h.push_back(prefix + "Label");
            h.push_back(prefix + "Value");
        }
    };
    pair("E-mail", writer::email_slots);
    pair("Phone", writer::phone_slots);
    for (std::size_t i = 1; i <= writer::address_slots; ++i) {
        const std::string prefix = "Address " + std::to_string(i) + " - ";
        h.push_back(prefix + "Label");
        for (std::string_view column : address_columns) h.push_back(prefix + std::string(column));
    }
    pair("Website", writer::url_slots);
    pair("Custom Field", 1);
    return h;
}

// Google's labels for netcrm's standard kinds ("work,fax" -> "Work Fax"); any other kind is the user's
// own label, kept as written. "pref" is Google's "* " mark of the primary value.
std::string label_for(std::string_view kind) {
    std::vector<std::string> words;
    bool pref = false;
    std::size_t start = 0;
    while (start <= kind.size()) {
        std::size_t comma = kind.find(',', start);
        if (comma == std::string_view::npos) comma = kind.size();
        const std::string_view word = trim(kind.substr(start, comma - start));
        start = comma + 1;
        std::string lower;
        for (char c : word) lower += to_lower(c);
        if (lower == "pref")
            pref = true;
        else if (!word.empty())
            words.emplace_back(word);
    }
    std::string label;
    for (const auto& w : words) {
        if (!label.empty()) label += ',';
        label += w;
    }
    std::string key;
    std::vector<std::string> sorted;
    for (const auto& w : words) {
        std::string lower;
        for (char c : w) lower += to_lower(c);
        if (lower == "voice" || lower == "internet") continue;  // say nothing Google shows
        if (lower == "cell") lower = "mobile";
        sorted.push_back(std::move(lower));
    }
    std::sort(sorted.begin(), sorted.end());
    for (const auto& w : sorted) {
        if (!key.empty()) key += ',';
        key += w;
    }
    struct known {
        std::string_view key, label;
    };
    static constexpr known labels[] = {
        {"work", "Work"},          {"home", "Home"},
        {"other", "Other"},        {"mobile", "Mobile"},
        {"main", "Main"},          {"pager", "Pager"},
        {"fax", "Other Fax"},      {"fax,work", "Work Fax"},
        {"fax,home", "Home Fax"},  {"fax,other", "Other Fax"},
        {"homepage", "Home Page"}, {"blog", "Blog"},
        {"profile", "Profile"},    {"ftp", "FTP"},
    };
    for (const auto& l : labels)
        if (key == l.key) {
            label = l.label;
            break;
        }
    return pref ? "* " + label : label;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += joiner;
        out += parts[i];
    }
    return out;
}

// The label of a slot holding several values: their common label, or all of them in order.
std::string joined_label(const std::vector<std::string>& labels) {
    if (labels.empty()) return {};
    if (std::all_of(labels.begin(), labels.end(), [&](const std::string& l) { return l == labels.front(); }))
        return labels.front();
    return join(labels);
}

// The values of a component across the addresses of one slot; empty when they are all empty, so that
// " ::: " never appears alone.
std::string joined_component(const std::vector<std::string>& parts) {
    if (std::all_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) return {};
    return join(parts);
}

// Labels and values, with the values past the last slot joined into it.
void labeled_slots(std::vector<cell>& fields, const std::vector<labeled_value>& values, std::size_t slots) {
    for (std::size_t i = 0; i < slots; ++i) {
        if (i >= values.size()) {
            fields.emplace_back();
            fields.emplace_back();
            continue;
        }
        const std::size_t end = i + 1 == slots ? values.size() : i + 1;
        std::vector<std::string> labels, texts;
        for (std::size_t k = i; k < end; ++k) {
            labels.push_back(label_for(values[k].kind));
            texts.push_back(values[k].value);
        }
        fields.push_back(joined_label(labels));
        fields.push_back(join(texts));
    }
}

// A plain rendering for the Formatted column; the component columns are what importers use.
std::string formatted(const postal_address& a) {
    std::vector<std::string> lines;
    auto add = [&](std::string s) {
        if (!trim(s).empty()) lines.push_back(std::move(s));
    };
    add(a.street);
    add(a.extended);
    add(a.po_box);
    std::string city;
    for (const std::string* part : {&a.postal_code, &a.locality, &a.region}) {
        if (trim(*part).empty()) continue;
        if (!city.empty()) city += ' ';
        city += *part;
    }
    add(std::move(city));
    add(a.country);
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i) out += '\n';
        out += lines[i];
    }
    return out;
}

void address_fields(std::vector<cell>& fields, const std::vector<postal_address>& addresses) {
    for (std::size_t i = 0; i < writer::address_slots; ++i) {
        if (i >= addresses.size()) {
            fields.insert(fields.end(), 1 + std::size(address_columns), cell());
            continue;
        }
        const std::size_t end = i + 1 == writer::address_slots ? addresses.size() : i + 1;
        std::vector<std::string> labels;
        std::vector<std::vector<std::string>> columns(std::size(address_columns));
        for (std::size_t k = i; k < end; ++k) {
            const postal_address& a = addresses[k];
            labels.push_back(label_for(a.kind));
            const std::string values[] = {formatted(a), a.street,      a.locality, a.po_box,
                                          a.region,     a.postal_code, a.country,  a.extended};
            for (std::size_t c = 0; c < columns.size(); ++c) columns[c].push_back(values[c]);
        }
        fields.push_back(joined_label(labels));
        for (const auto& column : columns) fields.push_back(joined_component(column));
    }
}

}  // namespace

writer::writer(std::ostream& out, writer_options options) : out_(out), options_(options) {}

void writer::start() {
    if (started_) return;
    started_ = true;
    if (options_.byte_order_mark) out_ << "\xEF\xBB\xBF";
}

void writer::header() {
    start();
    put_record(out_, header_fields());
}

void writer::row(const contact& c) {
    start();
    std::vector<cell> f;
    f.reserve(10 + 2 * (email_slots + phone_slots + url_slots + 1) + address_slots * (1 + std::size(address_columns)));

    std::string first = c.name.given;
    const std::string display(trim(c.display_name));
    if (c.name.empty() && display != trim(c.organization)) first = display;
    f.push_back(std::move(first));
    f.push_back(c.name.additional);
    f.push_back(c.name.family);
    f.push_back(c.name.prefix);
    f.push_back(c.name.suffix);
    f.push_back(c.organization);
    f.push_back(c.title);
    // Google's own form, --04-15 for an unknown year, gets the mark like any cell starting with '-':
    // spreadsheets evaluate it (Excel and LibreOffice show -11).
    f.emplace_back(c.birthday ? c.birthday->to_string() : std::string());
    {
        std::string notes;
        for (const auto& n : c.notes) {
            if (trim(n.text).empty()) continue;
            if (!notes.empty()) notes += "\n\n";
            notes += n.text;
        }
        f.push_back(std::move(notes));
    }
    f.push_back(join(c.tags));
    labeled_slots(f, c.emails, email_slots);
    labeled_slots(f, c.phones, phone_slots);
    address_fields(f, c.addresses);
    labeled_slots(f, c.urls, url_slots);
    if (c.how_met.empty()) {
        f.emplace_back();
        f.emplace_back();
    } else {
        f.emplace_back(std::string(detail::csv::how_met_label));  // how netcrm's reader knows it again
        f.push_back(c.how_met);
    }
    put_record(out_, f);
}

}  // namespace crm::csv
