// Round trips (issue 3): every sample in tests/data is imported, exported, and imported again into a fresh
// store, and the contacts must come back the same. vCard 4.0 and 3.0 carry everything netcrm holds (what
// "the same" means for kept card properties is spelled out at canonical_extra); the JSON archive is the
// whole store, ids and times included; CSV carries the subset csv_writer.hpp documents (see csv_image).
#include "crm/archive.hpp"
#include "crm/contact_store.hpp"
#include "crm/exporter.hpp"
#include "crm/importer.hpp"
#include "crm/store.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using namespace date::literals;
using crm::card_parameter;
using crm::card_property;
using crm::contact;
using crm::export_format;
using crm::store;

namespace {

namespace fs = std::filesystem;

// Every sample file, by directory and name, so a new sample is covered without touching this test.
std::vector<fs::path> samples() {
    std::vector<fs::path> out;
    for (const char* dir : {"vcard", "csv", "mecard"})
        for (const auto& entry : fs::directory_iterator(fs::path(NETCRM_TEST_DATA_DIR) / dir))
            if (entry.is_regular_file() && entry.path().filename() != "README.md") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string sample_name(const fs::path& p) {
    return p.parent_path().filename().string() + "/" + p.filename().string();
}

// The two stores of a round trip run on different fixed clocks: a note time or timestamp that the trip
// lost would come back stamped with the second store's time and show up as a difference.
const date::sys_seconds first_clock = crm::test::at(2026_y / 3 / 1, std::chrono::hours{9}, std::chrono::minutes{30});
const date::sys_seconds second_clock = crm::test::at(2026_y / 6 / 15, std::chrono::hours{18});

store open_store(date::sys_seconds now) {
    return store::open(":memory:", crm::test::options_with_clock(crm::test::fixed_clock(now)));
}

store imported(const fs::path& sample) {
    store s = open_store(first_clock);
    s.imports().import_file(sample.string());
    return s;
}

std::string exported(store& s, export_format format) {
    std::ostringstream out;
    crm::export_contacts(s, out, format);
    return out.str();
}

// ------------------------------------------------------------------------------ kept properties

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_binary(const std::string& name) {
    return name == "PHOTO" || name == "LOGO" || name == "SOUND" || name == "KEY";
}

// "JPEG" (3.0 TYPE of inline data) -> "image/jpeg"; a media type stays as it is.
std::string media_type(const std::string& property, std::string_view type) {
    if (type.find('/') != std::string_view::npos) return lower(type);
    if (property == "SOUND") return "audio/" + lower(type);
    if (property == "KEY") return upper(type) == "PGP" ? "application/pgp-keys" : "application/" + lower(type);
    return "image/" + lower(type);
}

// One kept property, without its group, in a form where what RFC 6350 and 2426 call the same is equal:
// - Names and parameter names ignore letter case (RFC 6350 3.3, 5). Parameters are unordered, and a
//   parameter given twice equals one with both values (RFC 6350 5: TYPE=a,b is TYPE=a;TYPE=b), so they
//   are compared as a sorted map of sorted value lists.
// - CHARSET and a transfer ENCODING (quoted-printable, 8bit, 7bit) describe the bytes of the original
//   file, not the value; the reader decodes them and the writer drops them (vcard_writer.hpp). They are
//   left out.
// - Inline binary data (PHOTO, LOGO, SOUND, KEY) is the same data whether written as 3.0's ENCODING=b with
//   the format in TYPE (RFC 2426 2.4.1), as 4.0's data: URI (RFC 6350 6.2.4), or as the bare base64 that
//   Thunderbird and ownCloud write without ENCODING (which the reader takes as inline data, vcard.hpp):
//   all compare as "data:<media type>;base64,...". VALUE (binary, uri) only says which of those forms
//   the line used, so it is left out for inline data.
bool base64_blob(std::string_view s) {
    return s.size() >= 16 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                      c == '/' || c == '=' || c == '-' || c == '_';
           });
}

std::string canonical_property(const card_property& p) {
    const std::string name = upper(p.name);
    std::map<std::string, std::vector<std::string>> params;
    bool base64 = false, has_encoding = false;
    std::string binary_type;
    for (const card_parameter& prm : p.parameters) {
        const std::string pname = upper(prm.name);
        if (pname == "CHARSET") continue;
        if (pname == "ENCODING") {
            has_encoding = true;
            for (const auto& v : prm.values) base64 = base64 || upper(v) == "B" || upper(v) == "BASE64";
            continue;
        }
        auto& values = params[pname];
        values.insert(values.end(), prm.values.begin(), prm.values.end());
    }
    std::string value = p.value;
    if (is_binary(name) && !has_encoding) {
        const auto type = params.find("VALUE");
        const std::string value_type = type == params.end() || type->second.empty() ? "" : upper(type->second[0]);
        base64 = value_type != "URI" && value_type != "URL" && base64_blob(value);
    }
    const bool inline_data = is_binary(name) && (base64 || value.starts_with("data:"));
    if (inline_data) params.erase("VALUE");
    if (is_binary(name) && base64) {
        if (auto type = params.find("TYPE"); type != params.end() && !type->second.empty()) {
            binary_type = media_type(name, type->second.front());
            type->second.erase(type->second.begin());
            if (type->second.empty()) params.erase(type);
        }
        value = "data:" + (binary_type.empty() ? "application/octet-stream" : binary_type) + ";base64," + value;
    }
    std::string out = name;
    for (auto& [pname, values] : params) {
        std::sort(values.begin(), values.end());
        out += ";" + pname + "=";
        for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + values[i];
    }
    return out + ":" + value;
}

// The kept properties of a contact as a sorted multiset of canonical properties with their groups.
// A group name ("item1") means nothing by itself: RFC 6350 3.3 uses it only to say which properties
// belong together, and a writer may number its groups afresh. So a property's group is replaced by what
// the group holds (the sorted canonical properties of every kept property in it): two lists are equal
// when some renaming of groups makes them equal, and properties grouped together stay grouped together.
std::vector<std::string> canonical_extra(const std::vector<card_property>& extra) {
    std::map<std::string, std::vector<std::string>> members;  // lower-cased group -> its properties
    for (const auto& p : extra)
        if (!p.group.empty()) members[lower(p.group)].push_back(canonical_property(p));
    for (auto& [group, list] : members) std::sort(list.begin(), list.end());
    std::vector<std::string> out;
    for (const auto& p : extra) {
        std::string group;
        if (!p.group.empty()) {
            group = "{";
            for (const auto& m : members[lower(p.group)]) group += m + " | ";
            group += "}.";
        }
        out.push_back(group + canonical_property(p));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// ------------------------------------------------------------------------------ comparisons

std::string describe(const contact& c) {
    return c.display_name + (c.emails.empty() ? std::string() : " <" + c.emails.front().value + ">");
}

// What vCard carries: every field but the store's own bookkeeping (id, created_at, updated_at, and
// introduced_by, which the importer drops because ids from another store mean nothing).
void check_same_contact(const contact& want, const contact& got) {
    INFO("contact " << describe(want));
    CHECK(got.display_name == want.display_name);
    CHECK(got.name == want.name);
    CHECK(got.organization == want.organization);
    CHECK(got.title == want.title);
    CHECK(got.emails == want.emails);
    CHECK(got.phones == want.phones);
    CHECK(got.urls == want.urls);
    CHECK(got.addresses == want.addresses);
    CHECK(got.tags == want.tags);
    CHECK(got.birthday == want.birthday);
    CHECK(got.notes == want.notes);  // text and time
    CHECK(got.how_met == want.how_met);
    CHECK(got.source == want.source);
    CHECK(canonical_extra(got.extra) == canonical_extra(want.extra));
}

// Both lists are in display-name order (then id, which follows the export order): the n-th contact of
// one is the n-th of the other.
void check_same_contacts(const std::vector<contact>& want, const std::vector<contact>& got) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) check_same_contact(want[i], got[i]);
}

// Content lines after unfolding (RFC 6350 3.2), CRLF-separated as the writer writes them.
std::vector<std::string> content_lines(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "\r\n") == 0) {
            if (i + 2 < text.size() && (text[i + 2] == ' ' || text[i + 2] == '\t')) {
                i += 2;
                continue;
            }
            out.push_back(std::move(current));
            current.clear();
            ++i;
            continue;
        }
        current += text[i];
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

// Equal contacts after the trip are not enough: the file in between must be one other programs can read.
// Inline data is where the two versions differ most: 3.0 writes it as ENCODING=b (RFC 2426 2.4.1, with no
// VALUE=uri, which would say the value is a URI), 4.0 has no ENCODING at all and writes a data: URI
// (RFC 6350 6.2.4, 6.7.x); bare base64 is neither. (A SOUND holding the reading of a name as text, as
// vCard 2.1 phones and MECARD write it, is kept as the text it was: it is no inline data.)
void check_inline_data(const std::string& text, export_format format) {
    for (const std::string& l : content_lines(text)) {
        const std::size_t colon = l.find(':');  // parameters of inline data hold no quoted ':'
        std::string head = upper(l.substr(0, colon));
        const std::string value = colon == std::string::npos ? std::string() : l.substr(colon + 1);
        std::string name = head.substr(0, head.find(';'));
        if (const std::size_t dot = name.find('.'); dot != std::string::npos) name.erase(0, dot + 1);
        if (!is_binary(name)) continue;
        INFO(l.substr(0, 120));
        const bool encoded = head.find(";ENCODING=") != std::string::npos;
        if (format == export_format::vcard4) {
            CHECK_FALSE(encoded);
            CHECK_FALSE(base64_blob(value));
        } else if (base64_blob(value)) {
            CHECK(head.find(";ENCODING=B") != std::string::npos);
        }
        if (encoded) CHECK(head.find(";VALUE=") == std::string::npos);
    }
}

void vcard_round_trip(export_format format) {
    for (const fs::path& sample : samples()) {
        DYNAMIC_SECTION(sample_name(sample)) {
            store first = imported(sample);
            const auto before = first.contacts().list();
            REQUIRE_FALSE(before.empty());
            const std::string text = exported(first, format);
            INFO(text);
            check_inline_data(text, format);
            store second = open_store(second_clock);
            const auto report = second.imports().import_text(text, "roundtrip.vcf");
            CHECK(report.rejected.empty());  // netcrm's own output reads without a problem
            CHECK(report.merged == 0);
            check_same_contacts(before, second.contacts().list());
        }
    }
}

// A kind is a set of TYPE words ("work,fax"). In CSV it becomes one of Google's labels ("Work Fax"), found
// and read back regardless of letter case and word order ("fax,work" and "Work" leave as "Work Fax" and
// "Work", and come back as "work,fax" and "work"), so kinds compare as sets of lower-cased words.
std::string word_set(std::string_view kind) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start <= kind.size()) {
        std::size_t comma = kind.find(',', start);
        if (comma == std::string_view::npos) comma = kind.size();
        words.push_back(lower(kind.substr(start, comma - start)));
        start = comma + 1;
    }
    std::sort(words.begin(), words.end());
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ",") + w;
    return out;
}

std::vector<crm::labeled_value> as_word_sets(std::vector<crm::labeled_value> values) {
    for (auto& v : values) v.kind = word_set(v.kind);
    return values;
}

std::vector<crm::postal_address> as_word_sets(std::vector<crm::postal_address> addresses) {
    for (auto& a : addresses) a.kind = word_set(a.kind);
    return addresses;
}

// What csv_writer.hpp documents a CSV row to carry, as the contact reads back from it:
// - the structured name; a contact without one gets its display name as First Name, unless that name
//   is just the organization. There is no display-name column: the display name is derived again from
//   the name (or the organization, first email or phone), as normalize_and_validate does.
// - organization, title, birthday, tags (Labels), emails, phones, urls and addresses with their kinds,
//   all of them (past the last slot they share its cell, joined by " ::: "); kinds as word_set says.
// - the note texts, in one Notes cell separated by a blank line: they read back as one note, stamped
//   by the second store (CSV has no note times).
// - how_met, in Custom Field 1 labelled "How we met".
// Not carried: extra properties (no columns for them), the source (the second import names its own),
// note times, ids and timestamps.
contact csv_image(const contact& c) {
    contact out;
    out.name = c.name;
    if (c.name.empty() && c.display_name != c.organization) out.name.given = c.display_name;
    out.organization = c.organization;
    out.title = c.title;
    out.emails = c.emails;
    out.phones = c.phones;
    out.urls = c.urls;
    out.addresses = c.addresses;
    out.tags = c.tags;
    out.birthday = c.birthday;
    out.how_met = c.how_met;
    std::string notes;
    for (const auto& n : c.notes) notes += (notes.empty() ? "" : "\n\n") + n.text;
    if (!notes.empty()) out.notes.push_back(crm::note{second_clock, notes});
    crm::normalize_and_validate(out);  // the display name, derived as the importer derives it
    return out;
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<crm::postal_address> {
    static std::string convert(const crm::postal_address& a) {
        return "{" + a.kind + ": " + a.po_box + "; " + a.extended + "; " + a.street + "; " + a.locality + "; " +
               a.region + "; " + a.postal_code + "; " + a.country + "}";
    }
};
}  // namespace Catch

TEST_CASE("the round trip covers every sample file", "[roundtrip]") {
    const auto files = samples();
    for (const char* dir : {"vcard", "csv", "mecard"})
        CHECK(std::any_of(files.begin(), files.end(),
                          [&](const fs::path& p) { return p.parent_path().filename() == dir; }));
}

TEST_CASE("every sample exported as vCard 4.0 imports again as the same contacts", "[roundtrip]") {
    vcard_round_trip(export_format::vcard4);
}

TEST_CASE("every sample exported as vCard 3.0 imports again as the same contacts", "[roundtrip]") {
    vcard_round_trip(export_format::vcard3);
}

TEST_CASE("every sample archived as JSON restores as the identical store", "[roundtrip]") {
    for (const fs::path& sample : samples()) {
        DYNAMIC_SECTION(sample_name(sample)) {
            store first = imported(sample);
            std::ostringstream out;
            first.archive().write(out);
            store second = open_store(second_clock);
            std::istringstream in(out.str());
            const auto summary = second.archive().restore(in, "roundtrip.json");
            const auto before = first.contacts().list();
            const auto after = second.contacts().list();
            CHECK(summary.contacts == before.size());
            REQUIRE(after.size() == before.size());
            for (std::size_t i = 0; i < before.size(); ++i) {
                INFO("contact " << describe(before[i]));
                CHECK(after[i] == before[i]);  // ids, times, notes and kept properties included, as they were
            }
            const auto batches_before = first.imports().batches();
            const auto batches_after = second.imports().batches();
            REQUIRE(batches_after.size() == batches_before.size());
            for (std::size_t i = 0; i < batches_before.size(); ++i) {
                CHECK(batches_after[i].id == batches_before[i].id);
                CHECK(batches_after[i].source == batches_before[i].source);
                CHECK(batches_after[i].started_at == batches_before[i].started_at);
                CHECK(batches_after[i].added == batches_before[i].added);
                CHECK(first.imports().changes(batches_before[i].id) == second.imports().changes(batches_after[i].id));
            }
        }
    }
}

TEST_CASE("every sample exported as CSV imports again with what CSV carries", "[roundtrip]") {
    for (const fs::path& sample : samples()) {
        DYNAMIC_SECTION(sample_name(sample)) {
            store first = imported(sample);
            const auto before = first.contacts().list();
            REQUIRE_FALSE(before.empty());
            const std::string text = exported(first, export_format::csv);
            INFO(text);
            store second = open_store(second_clock);
            const auto report = second.imports().import_text(text, "roundtrip.csv");
            CHECK(report.format == "csv");
            CHECK(report.rejected.empty());
            CHECK(report.merged == 0);
            const auto after = second.contacts().list();
            REQUIRE(after.size() == before.size());
            // The display name may change (it is derived again), and with it the list order: match by
            // the derived name.
            std::vector<contact> want;
            for (const auto& c : before) want.push_back(csv_image(c));
            std::stable_sort(want.begin(), want.end(), [](const contact& a, const contact& b) {
                return lower(a.display_name) < lower(b.display_name);
            });
            for (std::size_t i = 0; i < want.size(); ++i) {
                const contact& w = want[i];
                const contact& g = after[i];
                INFO("contact " << describe(w));
                CHECK(g.display_name == w.display_name);
                CHECK(g.name == w.name);
                CHECK(g.organization == w.organization);
                CHECK(g.title == w.title);
                CHECK(as_word_sets(g.emails) == as_word_sets(w.emails));
                CHECK(as_word_sets(g.phones) == as_word_sets(w.phones));
                CHECK(as_word_sets(g.urls) == as_word_sets(w.urls));
                CHECK(as_word_sets(g.addresses) == as_word_sets(w.addresses));
                CHECK(g.tags == w.tags);
                CHECK(g.birthday == w.birthday);
                CHECK(g.notes == w.notes);
                CHECK(g.how_met == w.how_met);
                // CSV carries no card properties; the store gives the contact a UID of its own.
                REQUIRE(g.extra.size() == 1);
                CHECK(g.extra[0].name == "UID");
            }
        }
    }
}

TEST_CASE("blanks at the ends of text are stripped when stored, so an export imports back identical", "[roundtrip]") {
    store first = open_store(first_clock);
    contact c;
    c.display_name = "  Ada  ";
    c.name = {" Dr. ", " Ada ", "", " Lovelace\t", ""};
    c.organization = " Analytical Engines ";
    c.title = " Countess ";
    c.emails = {{" ada@example.com ", " work "}};
    c.phones = {{" +44 20 7946 0000 ", " mobile"}};
    c.urls = {{" https://ada.example/ ", ""}};
    c.addresses = {{"home", "", "", " 12 St James's Sq\n  (rear door) ", " London ", "", " SW1 ", " UK "}};
    c.tags = {" math "};
    c.notes = {{crm::note::unstamped, "\n  Likes engines.\n  Indented.  "}};
    c.how_met = " salon ";
    c.source = " manual ";
    const contact stored = first.contacts().add(c);
    first.contacts().add_note(stored.id, "  said hello  \n");
    const contact updated = first.contacts().update([&] {
        contact u = first.contacts().get(stored.id);
        u.title = "\tCountess of Lovelace ";
        return u;
    }());
    CHECK(updated.display_name == "Ada");
    CHECK(updated.name == crm::structured_name{"Dr.", "Ada", "", "Lovelace", ""});
    CHECK(updated.organization == "Analytical Engines");
    CHECK(updated.title == "Countess of Lovelace");
    CHECK(updated.addresses.at(0).street == "12 St James's Sq\n  (rear door)");
    REQUIRE(updated.notes.size() == 2);
    CHECK(updated.notes[0].text == "Likes engines.\n  Indented.");
    CHECK(updated.notes[1].text == "said hello");
    CHECK(updated.how_met == "salon");
    CHECK(updated.source == "manual");
    for (const export_format format : {export_format::vcard4, export_format::vcard3}) {
        DYNAMIC_SECTION("format " << static_cast<int>(format)) {
            store second = open_store(second_clock);
            const auto report = second.imports().import_text(exported(first, format), "roundtrip.vcf");
            CHECK(report.rejected.empty());
            check_same_contacts(first.contacts().list(), second.contacts().list());
            store third = open_store(second_clock);
            third.imports().import_text(exported(second, format), "again.vcf");
            check_same_contacts(first.contacts().list(), third.contacts().list());
        }
    }
}
