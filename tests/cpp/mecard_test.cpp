// The MECARD reader: fields, escapes, several cards in one text, Shift_JIS from Japanese phones, and
// broken fields reported while the rest is read. Samples: tests/data/mecard (README.md there).
#include "crm/mecard.hpp"

#include <catch2/catch.hpp>

#include <date/date.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using namespace date::literals;

struct result {
    std::vector<crm::card> cards;
    crm::read_summary summary;
};

result read_text(std::string_view text) {
    result r;
    r.summary = crm::mecard::read(text, "scan.txt", [&](crm::card&& c) { r.cards.push_back(std::move(c)); });
    return r;
}

std::string sample(const std::string& name) {
    std::ifstream in(std::string(NETCRM_TEST_DATA_DIR) + "/mecard/" + name, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

crm::labeled_value lv(std::string value, std::string kind) {
    return {std::move(value), std::move(kind)};
}

std::string extra(const crm::contact& c, const std::string& name) {
    for (const auto& p : c.extra)
        if (p.name == name) return p.value;
    return "<none>";
}

}  // namespace

TEST_CASE("a MECARD maps N, TEL, EMAIL, URL, ADR, BDAY, NOTE and ORG", "[mecard]") {
    const auto r = read_text(sample("qr_scans.txt"));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 3);
    const auto& c = r.cards[0];
    CHECK(c.format == "mecard");
    CHECK(c.source == "scan.txt");
    CHECK(c.person.name.family == "Doe");
    CHECK(c.person.name.given == "John");
    CHECK(c.person.display_name.empty());
    CHECK(c.person.phones == std::vector{lv("+15551234567", ""), lv("+15559876543", "")});
    CHECK(c.person.emails == std::vector{lv("john.doe@example.com", "")});
    CHECK(c.person.urls == std::vector{lv("https://example.com/john", "")});
    CHECK(c.person.birthday == crm::partial_date{1985_y / date::April / 15});
    CHECK(c.person.organization == "Example Corp");
    REQUIRE(c.person.addresses.size() == 1);
    const auto& a = c.person.addresses[0];
    CHECK(a.po_box.empty());
    CHECK(a.street == "123 Main St.");
    CHECK(a.locality == "Springfield");
    CHECK(a.region == "IL");
    CHECK(a.postal_code == "62701");
    CHECK(a.country == "USA");
    REQUIRE(c.person.notes.size() == 1);
    CHECK(c.person.notes[0].at == crm::note::unstamped);
}

TEST_CASE("MECARD escapes stand for the character they escape", "[mecard]") {
    const auto r = read_text(sample("qr_scans.txt"));
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[0].person.notes.at(0).text == "Met at DevConf; wants an intro to Jane");
    CHECK(r.cards[1].person.notes.at(0).text == "Speaker: \"Scaling teams\" \\ Q&A");
    CHECK(r.cards[1].person.urls == std::vector{lv("https://example.org/jane", "")});
}

TEST_CASE("a backslash before any other character, \\\" included, stands for that character", "[mecard]") {
    const auto r = read_text("MECARD:N:Doe \\\"Sr\\\",John;ORG:\\\"Acme\\\";NOTE:said \\\"hi\\\" \\x;"
                             "ADR:\\\"Main\\\" St;URL:https\\://example.com/a\\_b;;");
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto& p = r.cards[0].person;
    CHECK(p.name.family == "Doe \"Sr\"");
    CHECK(p.name.given == "John");
    CHECK(p.organization == "\"Acme\"");
    CHECK(p.notes.at(0).text == "said \"hi\" x");
    REQUIRE(p.addresses.size() == 1);
    CHECK(p.addresses[0].street == "\"Main\" St");
    CHECK(p.urls == std::vector{lv("https://example.com/a_b", "")});
}

TEST_CASE("a backslash that ends a MECARD value is kept", "[mecard]") {
    const auto r = read_text("MECARD:N:Doe,John;NOTE:ends with \\");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.notes.at(0).text == "ends with \\");
}

TEST_CASE("a NOTE written on several lines keeps its line breaks as LF", "[mecard]") {
    const auto r = read_text("MECARD:N:Doe,John;NOTE:first line\r\nsecond line;;\r\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.notes.at(0).text == "first line\nsecond line");
}

TEST_CASE("an escaped comma in N stays in the name part and the property keeps the escape", "[mecard]") {
    const auto r = read_text("MECARD:N:Smith\\, Jr.,Will;;");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.name.family == "Smith, Jr.");
    CHECK(r.cards[0].person.name.given == "Will");
    CHECK(r.cards[0].properties == std::vector{crm::card_property{{}, "N", {}, "Smith\\, Jr.,Will"}});
}

TEST_CASE("N without a comma is the display name", "[mecard]") {
    const auto r = read_text("MECARD:N:Anonymous Aardvark;TEL:+1111111111;;");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Anonymous Aardvark");
    CHECK(r.cards[0].person.name.empty());
}

TEST_CASE("several MECARDs in one text give one card each with its line", "[mecard]") {
    const auto r = read_text(sample("qr_scans.txt"));
    REQUIRE(r.cards.size() == 3);
    REQUIRE(r.summary.cards == 3);
    CHECK(r.cards[0].line == 1);
    CHECK(r.cards[1].line == 2);
    CHECK(r.cards[2].line == 3);
    CHECK(r.cards[1].person.name.family == "Roe");
    CHECK(r.cards[2].person.name.family == "Tanaka");
}

TEST_CASE("SOUND, NICKNAME and unknown fields go to extra", "[mecard]") {
    const auto r = read_text(sample("qr_scans.txt"));
    REQUIRE(r.cards.size() == 3);
    CHECK(extra(r.cards[0].person, "NICKNAME") == "JD");
    const auto& h = r.cards[2].person;
    CHECK(extra(h, "SOUND") == "たなか,はなこ");
    CHECK(extra(h, "X-TWITTER") == "@hanako_example");
    CHECK(h.extra.size() == 2);
    CHECK(h.phones == std::vector{lv("090-1234-5678", ""), lv("090-8765-4321", "video")});
}

TEST_CASE("an ADR without the seven parts is kept whole as the street", "[mecard]") {
    const auto r = read_text(sample("qr_scans.txt"));
    REQUIRE(r.cards.size() == 3);
    const auto& a = r.cards[2].person.addresses;
    REQUIRE(a.size() == 1);
    CHECK(a[0].street == "2-1-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo");
    CHECK(a[0].locality.empty());
}

TEST_CASE("every MECARD field is also a card property, in order", "[mecard]") {
    const auto r = read_text(sample("qr_scans.txt"));
    REQUIRE(r.cards.size() == 3);
    std::vector<std::string> names;
    for (const auto& p : r.cards[0].properties) names.push_back(p.name);
    CHECK(names ==
          std::vector<std::string>{"N", "TEL", "TEL", "EMAIL", "URL", "ADR", "BDAY", "NOTE", "ORG", "NICKNAME"});
    CHECK(r.cards[0].properties[7].value == "Met at DevConf; wants an intro to Jane");
    CHECK(r.cards[0].properties[5].value == ",,123 Main St.,Springfield,IL,62701,USA");
}

TEST_CASE("fields on separate lines with CR LF are read", "[mecard]") {
    const auto r = read_text(sample("docomo_multiline.txt"));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto& m = r.cards[0].person;
    CHECK(m.name.family == "Garcia");
    CHECK(m.name.given == "Maria");
    CHECK(m.phones == std::vector{lv("+34600111222", "")});
    CHECK(m.emails == std::vector{lv("maria.garcia@example.es", "")});
    CHECK(m.urls == std::vector{lv("https://example.es", "")});
}

TEST_CASE("a Shift_JIS MECARD is decoded before its escapes are resolved", "[mecard]") {
    // 表 is 0x95 0x5C in Shift_JIS: read as bytes, its trail byte would escape the comma after it.
    const auto r = read_text(sample("shift_jis.txt"));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto& t = r.cards[0].person;
    CHECK(t.name.family == "表");
    CHECK(t.name.given == "太郎");
    CHECK(t.notes.at(0).text == "ソフト開発部");
    CHECK(extra(t, "SOUND") == "ｵﾓﾃ,ﾀﾛｳ");
}

TEST_CASE("a UTF-16 MECARD with a BOM is decoded", "[mecard]") {
    const std::string text = "MECARD:N:Doe,John;;";
    std::string bytes = "\xFF\xFE";
    for (char c : text) {
        bytes.push_back(c);
        bytes.push_back('\0');
    }
    const auto r = read_text(bytes);
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.name.given == "John");
}

TEST_CASE("a field without ':' is reported with line and column and the rest is read", "[mecard]") {
    const auto r = read_text(sample("broken.txt"));
    REQUIRE(r.cards.size() == 3);
    REQUIRE(r.summary.problems.size() == 2);
    const auto& p = r.summary.problems[0];
    CHECK(p.source == "scan.txt");
    CHECK(p.line == 1);
    CHECK(p.column == 21);
    CHECK(p.reason.find("TELEPHONE 555") != std::string::npos);
    CHECK(r.cards[0].person.name.family == "Broken");
    CHECK(r.cards[0].person.emails == std::vector{lv("bob@example.com", "")});
    CHECK(r.cards[0].person.phones.empty());
}

TEST_CASE("a card without ;; ends at the line break before the next card", "[mecard]") {
    const auto r = read_text(sample("broken.txt"));
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[1].line == 2);
    CHECK(r.cards[1].person.emails == std::vector{lv("lucy@example.com", "")});
    CHECK(r.cards[2].line == 3);
    CHECK(r.cards[2].person.name.family == "Next");
}

TEST_CASE("a card without ;; at the end of the text is read", "[mecard]") {
    const auto r = read_text("MECARD:N:Doe,John;TEL:13035551212");
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.phones == std::vector{lv("13035551212", "")});
}

TEST_CASE("a BDAY that is not a date is reported and the card is still read", "[mecard]") {
    const auto r = read_text(sample("broken.txt"));
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[1].line == 3);
    CHECK(r.summary.problems[1].column == 19);
    CHECK_FALSE(r.cards[2].person.birthday);
    CHECK(r.cards[2].properties.at(1) == crm::card_property{{}, "BDAY", {}, "1985-13-45"});
}

TEST_CASE("text outside a MECARD is reported and skipped", "[mecard]") {
    const auto r = read_text("https://example.com/not-a-card\nMECARD:N:Doe,John;;  trailing words\n");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].line == 2);
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[0].line == 1);
    CHECK(r.summary.problems[0].column == 1);
    CHECK(r.summary.problems[1].line == 2);
    CHECK(r.summary.problems[1].column == 22);
}

TEST_CASE("a MECARD without fields is reported and gives no card", "[mecard]") {
    const auto r = read_text("MECARD:;;\nmecard:n:Doe,John;;");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.name.given == "John");
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 1);
}

TEST_CASE("looks_like_mecard recognises MECARD text only", "[mecard]") {
    CHECK(crm::mecard::looks_like_mecard("MECARD:N:Doe,John;;"));
    CHECK(crm::mecard::looks_like_mecard("\xEF\xBB\xBF \r\nmecard:N:Doe,John;;"));
    CHECK(crm::mecard::looks_like_mecard(sample("qr_scans.txt")));
    CHECK_FALSE(crm::mecard::looks_like_mecard("BEGIN:VCARD\r\nVERSION:3.0\r\n"));
    CHECK_FALSE(crm::mecard::looks_like_mecard("First Name,Last Name\n"));
    CHECK_FALSE(crm::mecard::looks_like_mecard("MECARD"));
}
