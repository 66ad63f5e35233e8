// The CSV reader: every dialect mapped from sample files shaped like the real exports
// (tests/data/csv/README.md says where each shape comes from), RFC 4180 details, encodings, the caller's
// mapping, and broken rows reported while the rest is read.
#include "crm/csv.hpp"

#include "crm/error.hpp"

#include <catch2/catch.hpp>

#include <date/date.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace date::literals;

struct result {
    std::vector<crm::card> cards;
    crm::read_summary summary;
};

result read_text(std::string_view text, const crm::csv::column_mapping* mapping = nullptr) {
    result r;
    r.summary = crm::csv::read(
        text, "test.csv", [&](crm::card&& c) { r.cards.push_back(std::move(c)); }, mapping);
    return r;
}

std::string data_path(const std::string& name) {
    return std::string(NETCRM_TEST_DATA_DIR) + "/csv/" + name;
}

// Through the stream overload, as files are read in practice.
result read_file(const std::string& name, const crm::csv::column_mapping* mapping = nullptr) {
    std::ifstream in(data_path(name), std::ios::binary);
    REQUIRE(in);
    result r;
    r.summary = crm::csv::read(
        in, name, [&](crm::card&& c) { r.cards.push_back(std::move(c)); }, mapping);
    return r;
}

std::string file_bytes(const std::string& name) {
    std::ifstream in(data_path(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The value of the extra property `name`, or "<none>".
std::string extra(const crm::contact& c, const std::string& name) {
    for (const auto& p : c.extra)
        if (p.name == name) return p.value;
    return "<none>";
}

bool has_property(const crm::card& c, const std::string& name) {
    return std::any_of(c.properties.begin(), c.properties.end(), [&](const auto& p) { return p.name == name; });
}

crm::labeled_value lv(std::string value, std::string kind) {
    return {std::move(value), std::move(kind)};
}

std::string reasons(const crm::read_summary& s) {
    std::string out;
    for (const auto& p : s.problems)
        out += std::to_string(p.line) + ":" + std::to_string(p.column) + " " + p.reason + "\n";
    return out;
}

}  // namespace

// ------------------------------------------------------------------------------------ LinkedIn

TEST_CASE("a LinkedIn export skips the Notes preamble and maps every column", "[csv]") {
    const auto r = read_file("linkedin_connections.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 3);
    REQUIRE(r.summary.cards == 3);
    const auto& priya = r.cards[0];
    CHECK(priya.format == "csv-linkedin");
    CHECK(priya.source == "linkedin_connections.csv");
    CHECK(priya.person.name.given == "Priya");
    CHECK(priya.person.name.family == "Sharma");
    CHECK(priya.person.organization == "Northwind Traders, Inc.");
    CHECK(priya.person.title == "Technical Recruiter");
    CHECK(priya.person.urls == std::vector{lv("https://www.linkedin.com/in/priya-sharma-3b1a2c", "linkedin")});
    CHECK(priya.person.emails.empty());
    CHECK(r.cards[1].person.emails == std::vector{lv("arjun.mehta@example.com", "")});
    CHECK(r.cards[1].person.title == "Engineering Manager, Payments");
    CHECK(r.cards[2].person.name.given == "Élodie");
    CHECK(r.cards[2].person.title == "Head of \"Growth\"");
    CHECK(priya.person.extra.empty());
}

TEST_CASE("card.line counts the physical lines of LinkedIn's preamble", "[csv]") {
    const auto r = read_file("linkedin_connections.csv");
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[0].line == 5);
    CHECK(r.cards[1].line == 6);
    CHECK(r.cards[2].line == 7);
}

TEST_CASE("LinkedIn's Connected On becomes a note stamped at 00:00 UTC that day", "[csv]") {
    const auto r = read_file("linkedin_connections.csv");
    REQUIRE(r.cards.size() == 3);
    REQUIRE(r.cards[0].person.notes.size() == 1);
    CHECK(r.cards[0].person.notes[0] ==
          crm::note{date::sys_days{2026_y / date::February / 7}, "Connected on LinkedIn on 2026-02-07"});
    REQUIRE(r.cards[2].person.notes.size() == 1);
    CHECK(r.cards[2].person.notes[0].at == date::sys_days{2023_y / date::January / 3});
}

TEST_CASE("an older LinkedIn export without URL reads day-month-year dates", "[csv]") {
    const auto r = read_file("linkedin_connections_2018.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].format == "csv-linkedin");
    CHECK(r.cards[0].person.urls.empty());
    CHECK(r.cards[0].person.emails == std::vector{lv("marcus.webb@example.com", "")});
    REQUIRE(r.cards[0].person.notes.size() == 1);
    CHECK(r.cards[0].person.notes[0].text == "Connected on LinkedIn on 2018-01-08");
    CHECK(r.cards[0].person.notes[0].at == date::sys_days{2018_y / date::January / 8});
    CHECK(r.cards[1].person.notes.at(0).at == date::sys_days{2017_y / date::November / 22});
    CHECK(r.cards[0].line == 2);
}

TEST_CASE("an older LinkedIn export reads US month/day/year dates with a time of day", "[csv]") {
    const auto r = read_file("linkedin_connections_2017.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.notes.at(0).at == date::sys_days{2017_y / date::January / 8});
    CHECK(r.cards[1].person.notes.at(0).at == date::sys_days{2016_y / date::November / 20});
}

TEST_CASE("a LinkedIn Connected On that is not a date is reported and the card still read", "[csv]") {
    const auto r = read_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,,Analytical Engines,Engineer,last spring\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.notes.empty());
    CHECK(has_property(r.cards[0], "Connected On"));
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 2);
    CHECK(r.summary.problems[0].column == 43);
}

// ------------------------------------------------------------------------------------ Google

TEST_CASE("a legacy Google export in UTF-16 maps names, typed values and the address", "[csv]") {
    const auto r = read_file("google_contacts_legacy.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& h = r.cards[0];
    CHECK(h.format == "csv-google");
    CHECK(h.line == 2);
    CHECK(h.person.display_name == "Hélène Lefèvre");
    CHECK(h.person.name.given == "Hélène");
    CHECK(h.person.name.family == "Lefèvre");
    CHECK(h.person.organization == "Contoso SA");
    CHECK(h.person.title == "CTO");
    CHECK(h.person.birthday == crm::partial_date{1985_y / date::April / 15});
    CHECK(h.person.phones == std::vector{lv("+33 6 12 34 56 78", "mobile"), lv("+33 1 23 45 67 89", "work,fax")});
    CHECK(h.person.urls == std::vector{lv("https://example.com/helene", "profile")});
    REQUIRE(h.person.addresses.size() == 1);
    const auto& a = h.person.addresses[0];
    CHECK(a.kind == "work");
    CHECK(a.street == "12 rue de la Paix");
    CHECK(a.locality == "Paris");
    CHECK(a.postal_code == "75002");
    CHECK(a.country == "France");
    CHECK(h.person.notes.at(0).text == "Met at PyCon FR, wants to hire two data engineers");
    CHECK(extra(h.person, "Nickname") == "Léna");
}

TEST_CASE("Google's ::: joins several values in one cell, each keeping the row's label", "[csv]") {
    const auto r = read_file("google_contacts_legacy.csv");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.emails == std::vector{lv("helene@example.com", "work"), lv("h.lefevre@example.org", "work"),
                                                  lv("helene.home@example.net", "home")});
    CHECK(r.cards[1].person.phones == std::vector{lv("+1 555 0100", "mobile"), lv("+1 555 0101", "mobile")});
}

TEST_CASE("Google group membership drops the My Contacts noise and keeps the rest as tags", "[csv]") {
    const auto r = read_file("google_contacts_legacy.csv");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.tags == std::vector<std::string>{"Conference", "Starred"});
    CHECK(r.cards[1].person.tags.empty());  // "* My Contacts" only
}

TEST_CASE("a Google row with only a formatted address keeps it as the street", "[csv]") {
    const auto r = read_file("google_contacts_legacy.csv");
    REQUIRE(r.cards.size() == 2);
    const auto& bob = r.cards[1].person;
    REQUIRE(bob.addresses.size() == 1);
    CHECK(bob.addresses[0].street == "1 Harbour Road, Seaside");
    CHECK(bob.addresses[0].kind == "home");
    CHECK(bob.birthday == crm::partial_date{date::June, date::day{30}});
    CHECK_FALSE(bob.birthday->has_year());
}

TEST_CASE("a Google label holding a comma stays one tag", "[csv]") {
    const auto r = read_text(
        "First Name,Labels,E-mail 1 - Label,E-mail 1 - Value\nAda,\"investors, seed ::: VIP\",Work,ada@example.com\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].format == "csv-google");
    CHECK(r.cards[0].person.tags == std::vector<std::string>{"investors, seed", "VIP"});
}

TEST_CASE("the current Google export maps Labels and label/value pairs", "[csv]") {
    const auto r = read_file("google_contacts.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& g = r.cards[0].person;
    CHECK(r.cards[0].format == "csv-google");
    CHECK(g.name.prefix == "Dr.");
    CHECK(g.name.given == "Grace");
    CHECK(g.name.additional == "B.");
    CHECK(g.name.family == "Okonkwo");
    CHECK(g.organization == "Tailspin Toys");
    CHECK(g.title == "VP Engineering");
    CHECK(g.tags == std::vector<std::string>{"Mentors", "starred"});
    CHECK(g.emails == std::vector{lv("grace@example.com", "work"), lv("grace.o@example.net", "home")});
    CHECK(g.phones == std::vector{lv("+44 7700 900123", "mobile"), lv("+44 20 7946 0958", "work")});
    CHECK(g.urls == std::vector{lv("https://blog.example.com/grace", "blog")});
    CHECK(g.notes.at(0).text == "Intro via Marcus.\nAsk about the Lisbon offsite.");
    REQUIRE(g.addresses.size() == 1);
    CHECK(g.addresses[0].street == "221B Baker Street");
    CHECK(g.addresses[0].kind == "work");
    // A label the user typed is kept as written; Feb 29 without a year is a valid birthday.
    const auto& k = r.cards[1].person;
    CHECK(k.phones == std::vector{lv("+81 90 1234 5678", "Conference badge")});
    CHECK(k.birthday == crm::partial_date{date::February, date::day{29}});
    CHECK(k.tags.empty());
}

TEST_CASE("unmapped Google columns are kept in extra under their header", "[csv]") {
    const auto r = read_file("google_contacts.csv");
    REQUIRE(r.cards.size() == 2);
    const auto& g = r.cards[0].person;
    CHECK(extra(g, "Nickname") == "Gee");
    CHECK(extra(g, "Organization Department") == "R&D");
    CHECK(extra(g, "Custom Field 1 - Label") == "Met at");
    CHECK(extra(g, "Custom Field 1 - Value") == "QCon London");
    CHECK(extra(g, "E-mail 1 - Label") == "<none>");  // used as the label of E-mail 1
    CHECK(g.extra.size() == 4);
}

// ------------------------------------------------------------------------------------ Outlook

TEST_CASE("an Outlook export in Windows-1252 is decoded to UTF-8", "[csv]") {
    const auto r = read_file("outlook_contacts.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.name.given == "José");
    CHECK(r.cards[0].person.name.family == "García");
    CHECK(r.cards[0].person.notes.at(0).text == "Budget 50 000 € for Q3.\nMet at the café after the keynote.");
    CHECK(r.cards[1].person.name.given == "Zoë");
}

TEST_CASE("Outlook columns map to name parts, company, phones, emails and the business address", "[csv]") {
    const auto r = read_file("outlook_contacts.csv");
    REQUIRE(r.cards.size() == 2);
    const auto& j = r.cards[0].person;
    CHECK(r.cards[0].format == "csv-outlook");
    CHECK(j.name.prefix == "Mr.");  // Outlook's "Title" is the form of address
    CHECK(j.title == "Account Director");
    CHECK(j.organization == "Northwind Traders");
    CHECK(j.phones == std::vector{lv("+1 (212) 555-0142", "work"), lv("+1 (917) 555-0199", "mobile")});
    CHECK(j.emails == std::vector{lv("jose.garcia@example.com", "")});
    CHECK(j.urls == std::vector{lv("https://example.com/jose", "")});
    CHECK(j.birthday == crm::partial_date{1985_y / date::April / 15});
    CHECK(j.tags == std::vector<std::string>{"Clients", "Conference 2025"});
    REQUIRE(j.addresses.size() == 1);
    CHECK(j.addresses[0].kind == "work");
    CHECK(j.addresses[0].street == "350 Fifth Avenue\nSuite 4100");  // CR LF inside quotes
    CHECK(j.addresses[0].locality == "New York");
    CHECK(j.addresses[0].region == "NY");
    CHECK(j.addresses[0].postal_code == "10118");
    CHECK(j.addresses[0].country == "United States of America");
    CHECK(extra(j, "Department") == "Sales");
    CHECK(extra(j, "Initials") == "J.G.");
}

TEST_CASE("Outlook's placeholder values are not kept as data", "[csv]") {
    const auto r = read_file("outlook_contacts.csv");
    REQUIRE(r.cards.size() == 2);
    const auto& c = r.cards[0];
    for (const char* name : {"Anniversary", "Gender", "Priority", "Private", "Sensitivity", "E-mail Type"}) {
        INFO(name);
        CHECK(extra(c.person, name) == "<none>");
        CHECK_FALSE(has_property(c, name));
    }
}

TEST_CASE("short Outlook rows read the cells they have", "[csv]") {
    const auto r = read_file("outlook_contacts.csv");
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& z = r.cards[1];
    CHECK(z.line == 5);  // the first row spans lines 2 to 4: its street and notes hold line breaks
    CHECK(z.person.name.family == "Brontë");
    CHECK(z.person.organization == "Fabrikam");
    CHECK(z.person.extra.empty());
    CHECK(z.properties.size() == 3);
}

TEST_CASE("German Outlook headers are mapped", "[csv]") {
    const auto r = read_file("outlook_contacts_de.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& j = r.cards[0].person;
    CHECK(r.cards[0].format == "csv-outlook");
    CHECK(j.name.prefix == "Herr");
    CHECK(j.name.given == "Jürgen");
    CHECK(j.name.family == "Müller-Lüdenscheidt");
    CHECK(j.organization == "Fabrikam GmbH");
    CHECK(j.title == "Leiter Einkauf");
    CHECK(j.phones == std::vector{lv("+49 711 123456", "work"), lv("+49 151 23456789", "mobile")});
    CHECK(j.emails == std::vector{lv("juergen.mueller@example.de", "")});
    CHECK(j.birthday == crm::partial_date{1985_y / date::April / 15});  // 15.4.1985
    CHECK(j.tags == std::vector<std::string>{"Lieferanten"});
    CHECK(j.notes.at(0).text == "Größere Bestellung im März geplant.");
    REQUIRE(j.addresses.size() == 1);
    CHECK(j.addresses[0].street == "Königstraße 12");
    CHECK(j.addresses[0].locality == "Stuttgart");
    CHECK(j.addresses[0].postal_code == "70173");
    CHECK(j.addresses[0].country == "Deutschland");
    CHECK(extra(j, "Abteilung") == "Einkauf");
    CHECK(extra(j, "Privat") == "<none>");
    CHECK(extra(j, "Geschlecht") == "<none>");
    CHECK(r.cards[1].person.name.given == "Ömer");
}

// ------------------------------------------------------------------------------------ Thunderbird

TEST_CASE("a Thunderbird export maps its columns and joins the three birthday columns", "[csv]") {
    const auto r = read_file("thunderbird.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());  // the trailing comma on every line is no extra cell
    REQUIRE(r.cards.size() == 2);
    const auto& i = r.cards[0].person;
    CHECK(r.cards[0].format == "csv-thunderbird");
    CHECK(i.display_name == "Ingrid Halvorsen");
    CHECK(i.emails == std::vector{lv("ingrid@example.no", ""), lv("ingrid.h@example.com", "")});
    CHECK(i.phones == std::vector{lv("+47 22 12 34 56", "work"), lv("+47 912 34 567", "mobile")});
    CHECK(i.title == "Data Scientist");
    CHECK(i.organization == "Litware AS");
    CHECK(i.urls == std::vector{lv("https://litware.example.com", "work")});
    CHECK(i.birthday == crm::partial_date{1990_y / date::July / 21});
    CHECK(i.notes.at(0).text == "Speaks at NDC every year");
    REQUIRE(i.addresses.size() == 1);
    CHECK(i.addresses[0].kind == "work");
    CHECK(i.addresses[0].street == "Karl Johans gate 1");
    CHECK(i.addresses[0].postal_code == "0154");
    CHECK(extra(i, "Nickname") == "Inga");
    CHECK(extra(i, "Custom 1") == "Oslo meetup");
    const auto& pat = r.cards[1].person;
    CHECK(pat.birthday == crm::partial_date{date::March, date::day{5}});
}

// ------------------------------------------------------------------------------------ generic

TEST_CASE("a semicolon-delimited Excel file with a BOM is read with the generic guess", "[csv]") {
    const auto r = read_file("excel_semicolon.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& a = r.cards[0];
    CHECK(a.format == "csv");
    CHECK(a.properties.at(0).name == "Name");  // no BOM in the first header
    CHECK(a.person.display_name == "Anna Kowalska");
    CHECK(a.person.emails == std::vector{lv("anna.kowalska@example.pl", "")});
    CHECK(a.person.phones == std::vector{lv("+48 601 234 567", "")});
    CHECK(a.person.organization == "Contoso sp. z o.o.");
    CHECK(a.person.title == "CTO");
    CHECK(a.person.tags == std::vector<std::string>{"fintech", "speaker"});
    CHECK(extra(a.person, "Budget") == "12,5");
    CHECK(r.cards[1].person.organization == "Fabrikam; Milano");
}

TEST_CASE("a sheet with only a few Outlook-like headers is read with the generic guess", "[csv]") {
    const auto r =
        read_text("Name,Title,E-mail Address,Mobile Phone\nAda Lovelace,CTO,ada@example.com,+44 20 7946 0000\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].format == "csv");
    CHECK(r.cards[0].person.title == "CTO");  // Outlook would have taken Title as the form of address
    CHECK(r.cards[0].person.name.prefix.empty());
    CHECK(r.cards[0].person.emails == std::vector{lv("ada@example.com", "")});
    CHECK(r.cards[0].person.phones == std::vector{lv("+44 20 7946 0000", "mobile")});
}

TEST_CASE("German Outlook headers saved by Excel with semicolons are recognised", "[csv]") {
    const auto r = read_text(
        "Vorname;Nachname;Firma;E-Mail-Adresse;Mobiltelefon\r\n"
        "Jürgen;Müller;Fabrikam GmbH;jm@example.de;+49 151 23456789\r\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].format == "csv-outlook");
    CHECK(r.cards[0].person.name.family == "Müller");
    CHECK(r.cards[0].person.organization == "Fabrikam GmbH");
    CHECK(r.cards[0].person.phones == std::vector{lv("+49 151 23456789", "mobile")});
}

TEST_CASE("a tab-delimited file is read", "[csv]") {
    const auto r = read_text("Name\tE-mail\tCompany\nAda Lovelace\tada@example.com\tAnalytical Engines, Ltd\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Ada Lovelace");
    CHECK(r.cards[0].person.emails == std::vector{lv("ada@example.com", "")});
    CHECK(r.cards[0].person.organization == "Analytical Engines, Ltd");
}

TEST_CASE("Excel's sep= line sets the delimiter", "[csv]") {
    const auto r = read_text("sep=|\nName|Email\nAda, Countess|ada@example.com\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Ada, Countess");
    CHECK(r.cards[0].line == 3);
}

TEST_CASE("unmapped columns with content go to extra under their header", "[csv]") {
    const auto r = read_text("Name,Shoe size,Email\nAda,38,ada@example.com\nBob,,bob@example.com\n");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.extra == std::vector{crm::card_property{{}, "Shoe size", {}, "38"}});
    CHECK(r.cards[1].person.extra.empty());
    // Every non-empty cell is a property, mapped or not, in column order.
    REQUIRE(r.cards[0].properties.size() == 3);
    CHECK(r.cards[0].properties[0] == crm::card_property{{}, "Name", {}, "Ada"});
    CHECK(r.cards[0].properties[2] == crm::card_property{{}, "Email", {}, "ada@example.com"});
    CHECK(r.cards[1].properties.size() == 2);
}

TEST_CASE("a blank header is named after its column", "[csv]") {
    const auto r = read_text("Name,,Email\nAda,left-handed,ada@example.com\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(extra(r.cards[0].person, "column 2") == "left-handed");
}

TEST_CASE("tags split on commas, semicolons and :::", "[csv]") {
    const auto r = read_text("Name,Tags\nAda,\"investor; speaker, mentor ::: board\"\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.tags == std::vector<std::string>{"investor", "speaker", "mentor", "board"});
}

TEST_CASE("birthdays in the forms producers write are parsed", "[csv]") {
    const auto r = read_text(
        "Name,Birthday\n"
        "a,1985-04-15\n"
        "b,19850415\n"
        "c,15.04.1985\n"
        "d,4/15/1985\n"
        "e,15/4/1985\n"
        "f,15 Apr 1985\n"
        "g,\"April 15, 1985\"\n"
        "h,1985/04/15\n"
        "i,--04-15\n"
        "j,1604-04-15\n"
        "k,4/15/85 12:00 AM\n");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 11);
    const crm::partial_date full{1985_y / date::April / 15};
    const crm::partial_date no_year{date::April, date::day{15}};
    for (std::size_t i = 0; i < 8; ++i) {
        INFO(r.cards[i].person.display_name);
        CHECK(r.cards[i].person.birthday == full);
    }
    CHECK(r.cards[8].person.birthday == no_year);
    CHECK(r.cards[9].person.birthday == no_year);  // Apple's 1604 means "year unknown"
    CHECK(r.cards[10].person.birthday == full);
}

TEST_CASE("a birthday that is not a date is reported and the card is still read", "[csv]") {
    const auto r = read_text("Name,Birthday\nAda,sometime in May\nBob,1990-02-30\n");
    REQUIRE(r.cards.size() == 2);
    CHECK_FALSE(r.cards[0].person.birthday);
    CHECK(has_property(r.cards[0], "Birthday"));
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[0] == crm::read_problem{"test.csv", 2, 5, r.summary.problems[0].reason});
    CHECK(r.summary.problems[1].line == 3);
}

// ------------------------------------------------------------------------------------ RFC 4180

TEST_CASE("quoted fields keep embedded line breaks and doubled quotes", "[csv]") {
    const auto r = read_text("Name,Notes\n\"Ada \"\"The Countess\"\" Lovelace\",\"line one\r\nline two\"\nBob,x\n");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.display_name == "Ada \"The Countess\" Lovelace");
    CHECK(r.cards[0].person.notes.at(0).text == "line one\nline two");
    CHECK(r.cards[0].line == 2);
    CHECK(r.cards[1].line == 4);  // the row above spans two physical lines
}

TEST_CASE("CR LF, LF and a lone CR all end a row", "[csv]") {
    const auto r = read_text("Name,Email\r\nAda,ada@example.com\nBob,bob@example.com\rCid,cid@example.com");
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[1].person.emails == std::vector{lv("bob@example.com", "")});
    CHECK(r.cards[2].person.display_name == "Cid");
    CHECK(r.cards[2].line == 4);
}

TEST_CASE("an empty input or a header alone gives no cards and no problems", "[csv]") {
    for (std::string_view text : {std::string_view(""), std::string_view("\xEF\xBB\xBF"), std::string_view("\n\n"),
                                  std::string_view("Name,Email\r\n")}) {
        const auto r = read_text(text);
        CHECK(r.cards.empty());
        CHECK(r.summary.problems.empty());
    }
}

TEST_CASE("empty rows and rows of empty cells are skipped", "[csv]") {
    const auto r = read_text("Name,Email\n\nAda,ada@example.com\n,\n  ,  \nBob,bob@example.com\n\n");
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].line == 3);
    CHECK(r.cards[1].line == 6);
}

TEST_CASE("quotes inside an unquoted cell are kept as text", "[csv]") {
    const auto r = read_text("Name,Company\nBen \"Benny\" Example,Acme\n\"Doe\" Jr.,Acme\n");
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.display_name == "Ben \"Benny\" Example");
    CHECK(r.cards[1].person.display_name == "Doe Jr.");
}

TEST_CASE("a stray quote is reported with its line and column and the rows after it are read", "[csv]") {
    const auto r = read_file("broken_rows.csv");
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[0].source == "broken_rows.csv");
    CHECK(r.summary.problems[0].line == 4);
    CHECK(r.summary.problems[0].column == 14);
    std::vector<std::string> names;
    for (const auto& c : r.cards) names.push_back(c.person.display_name);
    CHECK(names == std::vector<std::string>{"Ada Example", "Ben \"Benny\" Example", "Dan Example", "Eve Example",
                                            "Gus Example"});
    CHECK(r.cards[2].line == 5);
    CHECK(r.cards[3].person.organization == "Umbrella");
}

TEST_CASE("a row with more cells than the header is reported and skipped", "[csv]") {
    const auto r = read_file("broken_rows.csv");
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[1].line == 7);
    CHECK(r.summary.problems[1].column == 34);
    CHECK(r.summary.problems[1].reason.find("4 cells but the header has 3") != std::string::npos);
    CHECK(r.cards.back().line == 8);
}

TEST_CASE("a cell marked against formula injection reads back without its leading quote", "[csv]") {
    const auto r = read_text("Name,Phone,Title\nAda,'+33 6 12 34 56 78,'=cto\nBob,,'plain\n");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.phones == std::vector{lv("+33 6 12 34 56 78", "")});
    CHECK(r.cards[0].person.title == "=cto");
    CHECK(r.cards[1].person.title == "'plain");  // not before = + - @: an apostrophe the user typed
}

TEST_CASE("empty cells past the header's last column are not a problem", "[csv]") {
    const auto r = read_text("Name,Email\nAda,ada@example.com,,\n");
    CHECK(r.summary.problems.empty());
    CHECK(r.cards.size() == 1);
}

TEST_CASE("a quote never closed before the end is reported and the lines after it are read", "[csv]") {
    const auto r = read_text("Name,Email\nAda,\"ada@example.com\nBob,bob@example.com\nCid,cid@example.com");
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 2);
    CHECK(r.summary.problems[0].column == 5);
    CHECK(r.summary.problems[0].reason.find("never closed") != std::string::npos);
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.display_name == "Bob");
    CHECK(r.cards[0].line == 3);
    CHECK(r.cards[1].line == 4);
}

TEST_CASE("a row longer than max_row_size is reported and skipped", "[csv]") {
    std::string text = "Name,Notes\nAda,";
    text.append(crm::csv::max_row_size + 10, 'x');
    text += "\nBob,fine\n";
    const auto r = read_text(text);
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 2);
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Bob");
    CHECK(r.cards[0].line == 3);
}

// ------------------------------------------------------------------------------------ encodings

TEST_CASE("UTF-16 without a BOM is recognised", "[csv]") {
    const std::string text = "Name,Email\nZoë,zoe@example.com\n";
    std::string le;
    // Latin text only: each UTF-8 sequence here is ASCII or "ë" (U+00EB).
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "\xC3\xAB") == 0) {
            le += "\xEB";
            le.push_back('\0');
            ++i;
        } else {
            le.push_back(text[i]);
            le.push_back('\0');
        }
    }
    const auto r = read_text(le);
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Zoë");
}

TEST_CASE("a UTF-8 file stays UTF-8 and a Windows-1252 row in it is decoded", "[csv]") {
    const auto r = read_text("Name,Note\nZoë,ok\nJos\xE9,caf\xE9\n");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.display_name == "Zoë");
    CHECK(r.cards[1].person.display_name == "José");
    CHECK(r.cards[1].person.notes.at(0).text == "café");
}

// ------------------------------------------------------------------------------------ caller mapping

TEST_CASE("a caller mapping assigns columns and keeps the rest in extra", "[csv]") {
    crm::csv::column_mapping m;
    m.columns = {{"Full name", "display_name"}, {" work E-MAIL ", "email:work"}, {"Cell", "phone:mobile"},
                 {"Employer", "organization"},  {"Where we met", "how_met"},     {"Met on", "ignore"},
                 {"Interests", "tags"}};
    const auto r = read_file("event_contacts.csv", &m);
    INFO(reasons(r.summary));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& n = r.cards[0];
    CHECK(n.format == "csv");
    CHECK(n.person.display_name == "Noor Haddad");
    CHECK(n.person.emails == std::vector{lv("noor@example.com", "work")});
    CHECK(n.person.phones == std::vector{lv("+971 50 123 4567", "mobile")});
    CHECK(n.person.organization == "Wide World Importers");
    CHECK(n.person.how_met == "GITEX Dubai booth 4");
    CHECK(n.person.tags == std::vector<std::string>{"logistics", "AI"});
    CHECK(n.person.extra == std::vector{crm::card_property{{}, "Favourite drink", {}, "mint tea"}});
    CHECK(has_property(n, "Met on"));  // ignored for the contact, still among the card's properties
    CHECK(r.cards[1].person.phones.empty());
}

TEST_CASE("a caller mapping replaces dialect detection", "[csv]") {
    crm::csv::column_mapping m;
    m.columns = {{"First Name", "given"}, {"Last Name", "family"}};
    const auto r = read_file("linkedin_connections.csv", &m);
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[0].format == "csv");
    CHECK(r.cards[0].person.name.given == "Priya");
    CHECK(r.cards[0].person.urls.empty());
    CHECK(extra(r.cards[0].person, "URL") == "https://www.linkedin.com/in/priya-sharma-3b1a2c");
    CHECK(extra(r.cards[0].person, "Connected On") == "07 Feb 2026");
}

TEST_CASE("address columns of a caller mapping with the same label form one address", "[csv]") {
    crm::csv::column_mapping m;
    m.columns = {{"Name", "display_name"},
                 {"Office", "street:work"},
                 {"Office city", "locality:work"},
                 {"Home city", "locality:home"}};
    const auto r = read_text("Name,Office,Office city,Home city\nAda,1 Main St,Springfield,Shelbyville\n", &m);
    REQUIRE(r.cards.size() == 1);
    const auto& a = r.cards[0].person.addresses;
    REQUIRE(a.size() == 2);
    CHECK(a[0].kind == "work");
    CHECK(a[0].street == "1 Main St");
    CHECK(a[0].locality == "Springfield");
    CHECK(a[1].kind == "home");
    CHECK(a[1].locality == "Shelbyville");
}

TEST_CASE("a mapping with an unknown target throws before anything is read", "[csv]") {
    crm::csv::column_mapping m;
    m.columns = {{"Name", "nickname"}};
    int calls = 0;
    CHECK_THROWS_AS(crm::csv::read(
                        "Name\nAda\n", "t", [&](crm::card&&) { ++calls; }, &m),
                    crm::invalid_input);
    m.columns = {{"Name", "title:work"}};
    CHECK_THROWS_AS(crm::csv::read(
                        "Name\nAda\n", "t", [&](crm::card&&) { ++calls; }, &m),
                    crm::invalid_input);
    m.columns = {{"Name", "given"}, {"NAME", "family"}};
    CHECK_THROWS_AS(crm::csv::read(
                        "Name\nAda\n", "t", [&](crm::card&&) { ++calls; }, &m),
                    crm::invalid_input);
    CHECK(calls == 0);
}

TEST_CASE("a mapped column the header does not have is reported", "[csv]") {
    crm::csv::column_mapping m;
    m.columns = {{"Name", "display_name"}, {"Email", "email"}};
    const auto r = read_text("\nName,E-mail address\nAda,ada@example.com\n", &m);
    REQUIRE(r.cards.size() == 1);
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 2);
    CHECK(r.summary.problems[0].reason.find("'Email'") != std::string::npos);
    CHECK(extra(r.cards[0].person, "E-mail address") == "ada@example.com");
}

// ------------------------------------------------------------------------------------ streaming

TEST_CASE("a stream larger than the read buffer is read row by row with its line numbers", "[csv]") {
    std::stringstream in;
    in << "Name,Email,Notes\r\n";
    const std::string long_note(70000, 'n');  // longer than a 64 KiB read: rows cross buffer boundaries
    constexpr int rows = 3000;
    for (int i = 0; i < rows; ++i) {
        in << "Person " << i << ",p" << i << "@example.com,";
        if (i % 500 == 7)
            in << "\"" << long_note << "\r\nsecond line\"\r\n";
        else
            in << "note " << i << "\r\n";
    }
    int count = 0, multi_line_rows = 0;
    bool lines_right = true, notes_right = true;
    int expected_line = 2;
    const auto summary = crm::csv::read(in, "big.csv", [&](crm::card&& c) {
        lines_right = lines_right && c.line == expected_line;
        const bool multi = count % 500 == 7;
        expected_line += multi ? 2 : 1;
        multi_line_rows += multi ? 1 : 0;
        const std::string want = multi ? long_note + "\nsecond line" : "note " + std::to_string(count);
        notes_right = notes_right && c.person.notes.size() == 1 && c.person.notes[0].text == want &&
                      c.person.display_name == "Person " + std::to_string(count);
        ++count;
    });
    CHECK(summary.problems.empty());
    CHECK(count == rows);
    CHECK(summary.cards == std::size_t(rows));
    CHECK(multi_line_rows == 6);
    CHECK(lines_right);
    CHECK(notes_right);
}

TEST_CASE("a CR LF or a doubled quote split by the stream's 64 KiB read is read as one", "[csv]") {
    // Shift the same rows across the boundary byte by byte, so that every character of the interesting
    // row falls on it once: CR | LF, " | ", a quote closing a cell | the delimiter.
    const std::string row = "Ada,\"say \"\"hi\"\"\r\nthere\",ada@example.com\r\n";
    for (std::size_t shift = 0; shift < row.size() + 2; ++shift) {
        std::string text = "Name,Note,Email\r\nPad,";
        const std::string pad_end = ",pad@example.com\r\n";
        // The interesting row starts `shift` bytes before the end of the first 64 KiB read.
        text.append((std::size_t{64} << 10) - text.size() - pad_end.size() - shift, 'p');
        text += pad_end;
        REQUIRE(text.size() + shift == std::size_t{64} << 10);
        text += row;
        text += "Bob,,bob@example.com\r\n";
        std::istringstream in(text);
        std::vector<crm::card> cards;
        const auto summary = crm::csv::read(in, "t", [&](crm::card&& c) { cards.push_back(std::move(c)); });
        INFO("shift " << shift);
        CHECK(summary.problems.empty());
        REQUIRE(cards.size() == 3);
        CHECK(cards[1].person.notes.at(0).text == "say \"hi\"\nthere");
        CHECK(cards[1].person.emails == std::vector{lv("ada@example.com", "")});
        CHECK(cards[1].line == 3);
        CHECK(cards[2].line == 5);
    }
}

TEST_CASE("reading from a stream and from memory give the same cards", "[csv]") {
    for (const char* name : {"google_contacts_legacy.csv", "outlook_contacts.csv", "linkedin_connections.csv"}) {
        INFO(name);
        const auto from_stream = read_file(name);
        const auto from_memory = read_text(file_bytes(name));
        REQUIRE(from_stream.cards.size() == from_memory.cards.size());
        for (std::size_t i = 0; i < from_stream.cards.size(); ++i) {
            CHECK(from_stream.cards[i].person == from_memory.cards[i].person);
            CHECK(from_stream.cards[i].properties == from_memory.cards[i].properties);
            CHECK(from_stream.cards[i].line == from_memory.cards[i].line);
        }
    }
}

TEST_CASE("an exception thrown by the sink propagates", "[csv]") {
    CHECK_THROWS_AS(crm::csv::read("Name\nAda\n", "t", [](crm::card&&) { throw std::runtime_error("stop"); }),
                    std::runtime_error);
}

// ------------------------------------------------------------------------------------ sniffing

TEST_CASE("looks_like_csv recognises exports and rejects other text", "[csv]") {
    for (const char* name : {"linkedin_connections.csv", "google_contacts_legacy.csv", "outlook_contacts.csv",
                             "thunderbird.csv", "excel_semicolon.csv"}) {
        INFO(name);
        CHECK(crm::csv::looks_like_csv(file_bytes(name).substr(0, 4096)));
    }
    CHECK(crm::csv::looks_like_csv("sep=;\nName;Email\n"));
    CHECK(crm::csv::looks_like_csv("Name\tEmail\n"));
    CHECK_FALSE(crm::csv::looks_like_csv("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John\r\n"));
    CHECK_FALSE(crm::csv::looks_like_csv("MECARD:N:Doe,John;TEL:123;;"));
    CHECK_FALSE(crm::csv::looks_like_csv("just some words\n"));
    CHECK_FALSE(crm::csv::looks_like_csv("{\"name\": \"Ada\", \"email\": \"a@example.com\"}"));
    CHECK_FALSE(crm::csv::looks_like_csv(std::string("PK\x03\x04\x14\0,\0", 8)));
    CHECK_FALSE(crm::csv::looks_like_csv(""));
}
