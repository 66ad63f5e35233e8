// vCard writer: contacts to vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) text, checked line by line against the
// RFCs and what Apple and Google read, then read back with crm::vcard::read to prove nothing is lost.
#include "crm/vcard_writer.hpp"
#include "crm/vcard.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using namespace date::literals;
using namespace std::string_literals;
using crm::card;
using crm::card_parameter;
using crm::card_property;
using crm::contact;
using crm::labeled_value;
using crm::note;
using crm::partial_date;
using crm::postal_address;
using crm::vcard::to_string;
using crm::vcard::version;

namespace {

// Physical lines, split at CRLF (the last, empty piece after the final CRLF dropped).
std::vector<std::string> physical_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find("\r\n", start);
        if (end == std::string::npos) {
            if (start < text.size()) out.push_back(text.substr(start));
            return out;
        }
        out.push_back(text.substr(start, end - start));
        start = end + 2;
    }
}

// Content lines after unfolding (RFC 6350 3.2: a CRLF followed by one space or tab is removed).
std::vector<std::string> logical_lines(const std::string& text) {
    std::string unfolded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\r\n ") == 0 || text.compare(i, 3, "\r\n\t") == 0) {
            i += 2;
            continue;
        }
        unfolded += text[i];
    }
    return physical_lines(unfolded);
}

bool has_line(const std::string& text, const std::string& line) {
    const auto lines = logical_lines(text);
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// The content lines whose name (after any group) is `name`.
std::vector<std::string> lines_named(const std::string& text, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& l : logical_lines(text)) {
        std::string_view s = l;
        const std::size_t end = s.find_first_of(";:");
        std::string_view head = s.substr(0, end);
        if (const std::size_t dot = head.find('.'); dot != std::string_view::npos) head.remove_prefix(dot + 1);
        if (head == name) out.push_back(l);
    }
    return out;
}

contact named(std::string given, std::string family) {
    contact c;
    c.name.given = std::move(given);
    c.name.family = std::move(family);
    c.display_name = c.name.formatted();
    return c;
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

std::vector<card> read_back(const std::string& text) {
    std::vector<card> cards;
    const auto summary = crm::vcard::read(text, "written.vcf", [&](card&& c) { cards.push_back(std::move(c)); });
    INFO((summary.problems.empty() ? std::string() : summary.problems.front().reason));
    CHECK(summary.problems.empty());
    return cards;
}

card read_one(const std::string& text) {
    auto cards = read_back(text);
    REQUIRE(cards.size() == 1);
    return std::move(cards.front());
}

std::string version_name(version v) {
    return v == version::v3_0 ? "3.0" : "4.0";
}

}  // namespace

// ------------------------------------------------------------------------------------ card shape

TEST_CASE("a card is BEGIN, VERSION, ..., END:VCARD with every line ending in CRLF", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.notes.push_back(note{note::unstamped, "first line\nsecond line\r\nthird"});
    const std::string text = to_string(c, v);
    INFO(text);
    const auto lines = physical_lines(text);
    REQUIRE(lines.size() >= 4);
    CHECK(lines[0] == "BEGIN:VCARD");
    CHECK(lines[1] == "VERSION:" + version_name(v));
    CHECK(lines.back() == "END:VCARD");
    CHECK(text.ends_with("END:VCARD\r\n"));
    // No line break other than CRLF: every LF is preceded by CR, and every CR followed by LF.
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') CHECK((i > 0 && text[i - 1] == '\r'));
        if (text[i] == '\r') CHECK((i + 1 < text.size() && text[i + 1] == '\n'));
    }
}

TEST_CASE("write to a stream gives the same bytes as to_string", "[vcard_writer]") {
    const contact c = named("Ada", "Lovelace");
    std::ostringstream out;
    crm::vcard::write(out, c, version::v4_0);
    CHECK(out.str() == to_string(c, version::v4_0));
}

TEST_CASE("N is written with its five components even when the name is empty", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c;
    c.organization = "Acme";
    CHECK(has_line(to_string(c, v), "N:;;;;"));
    c.name = {"Dr.", "Hélène", "Marie", "Lefèvre", "Jr."};
    CHECK(has_line(to_string(c, v), "N:Lefèvre;Hélène;Marie;Dr.;Jr."));
}

TEST_CASE("FN falls back to the name, then the organization, when display_name is empty", "[vcard_writer]") {
    contact c;
    c.name.given = "Ada";
    c.name.family = "Lovelace";
    c.organization = "Analytical Engines";
    CHECK(has_line(to_string(c, version::v4_0), "FN:Ada Lovelace"));
    c.name = {};
    CHECK(has_line(to_string(c, version::v4_0), "FN:Analytical Engines"));
    c.display_name = "Countess";
    CHECK(has_line(to_string(c, version::v4_0), "FN:Countess"));
}

TEST_CASE("empty organization and title are left out", "[vcard_writer]") {
    const std::string text = to_string(named("Ada", "Lovelace"), version::v4_0);
    CHECK(lines_named(text, "ORG").empty());
    CHECK(lines_named(text, "TITLE").empty());
}

// ------------------------------------------------------------------------------------ escaping

TEST_CASE("3.0 escapes backslash, semicolon, comma and line breaks in text", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.title = "C:\\dir; head, R&D\nsecond";
    CHECK(has_line(to_string(c, version::v3_0), "TITLE:C:\\\\dir\\; head\\, R&D\\nsecond"));
}

TEST_CASE("4.0 escapes backslash, comma and line breaks in text but not a semicolon", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.title = "C:\\dir; head, R&D\nsecond";
    CHECK(has_line(to_string(c, version::v4_0), "TITLE:C:\\\\dir; head\\, R&D\\nsecond"));
}

TEST_CASE("components of N, ORG and ADR escape semicolons and commas in both versions", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c;
    c.name.family = "Smith; Jones";
    c.name.given = "Anne, Marie";
    c.organization = "Acme, Inc.; Europe";
    c.addresses.push_back(
        postal_address{"", "", "Bât. B; 2nd floor", "1, rue de la Paix", "Paris", "", "75002", "France"});
    const std::string text = to_string(c, v);
    CHECK(has_line(text, "N:Smith\\; Jones;Anne\\, Marie;;;"));
    CHECK(has_line(text, "ORG:Acme\\, Inc.\\; Europe"));
    CHECK(has_line(text, "ADR:;Bât. B\\; 2nd floor;1\\, rue de la Paix;Paris;;75002;France"));
}

TEST_CASE("CR LF and a lone CR inside a value are written as \\n", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.notes.push_back(note{note::unstamped, "a\r\nb\rc\nd"});
    CHECK(has_line(to_string(c, version::v4_0), "NOTE:a\\nb\\nc\\nd"));
}

TEST_CASE("URL values escape their commas (RFC 6350 3.4) and keep semicolons bare", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.urls.push_back(labeled_value{"https://maps.example/?q=48.85,2.35;z=3", "work"});
    const auto urls = lines_named(to_string(c, v), "URL");
    REQUIRE(urls.size() == 1);
    CHECK(urls[0].ends_with(":https://maps.example/?q=48.85\\,2.35;z=3"));
}

// ------------------------------------------------------------------------------------ folding

TEST_CASE("lines longer than 75 octets are folded and unfold to the original line", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "word" + std::to_string(i) + " ";
    c.notes.push_back(note{note::unstamped, long_text});
    const std::string text = to_string(c, version::v4_0);
    const auto lines = physical_lines(text);
    bool folded = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CHECK(lines[i].size() <= 75);
        if (lines[i].starts_with(" ")) folded = true;
    }
    CHECK(folded);
    CHECK(has_line(text, "NOTE:" + long_text));
    // The first piece is filled to exactly 75 octets: folding happens at the limit, not before.
    const auto note_line =
        std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("NOTE:"); });
    REQUIRE(note_line != lines.end());
    CHECK(note_line->size() == 75);
}

TEST_CASE("a line of exactly 75 octets is not folded, one of 76 is", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.title = std::string(75 - 6, 'x');  // "TITLE:" is 6 octets
    auto lines = physical_lines(to_string(c, version::v4_0));
    CHECK(std::find(lines.begin(), lines.end(), "TITLE:" + c.title) != lines.end());
    c.title += 'y';
    lines = physical_lines(to_string(c, version::v4_0));
    const auto it = std::find(lines.begin(), lines.end(), "TITLE:" + std::string(69, 'x'));
    REQUIRE(it != lines.end());
    REQUIRE(it + 1 != lines.end());
    CHECK(*(it + 1) == " y");
}

TEST_CASE("folding never splits a UTF-8 character", "[vcard_writer]") {
    // Two-, three- and four-octet characters, shifted by one to four ASCII octets so that every
    // position of a character meets the 75-octet limit somewhere.
    const version v = GENERATE(version::v3_0, version::v4_0);
    const std::string pieces[] = {"é", "日本", "😀", "é日😀"};
    for (const auto& piece : pieces) {
        for (int shift = 0; shift < 4; ++shift) {
            contact c = named("Ada", "Lovelace");
            std::string text_value(static_cast<std::size_t>(shift), 'a');
            while (text_value.size() < 400) text_value += piece;
            c.notes.push_back(note{note::unstamped, text_value});
            const std::string text = to_string(c, v);
            for (const auto& line : physical_lines(text)) {
                INFO(piece << " shift " << shift << ": " << line);
                CHECK(line.size() <= 75);
                CHECK(valid_utf8(line));
            }
            CHECK(has_line(text, "NOTE:" + text_value));
        }
    }
}

// ------------------------------------------------------------------------------------ kinds

TEST_CASE("standard kinds are TYPE parameters: repeated upper case in 3.0, a lower-case list in 4.0",
          "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.phones.push_back(labeled_value{"+44 20 7946 0018", "work,fax"});
    c.addresses.push_back(postal_address{"home", "", "", "12 St James's Square", "London", "", "SW1Y 4JH", "UK"});
    const std::string v3 = to_string(c, version::v3_0);
    const std::string v4 = to_string(c, version::v4_0);
    CHECK(has_line(v3, "TEL;TYPE=WORK;TYPE=FAX:+44 20 7946 0018"));
    CHECK(has_line(v4, "TEL;TYPE=work,fax:+44 20 7946 0018"));
    CHECK(has_line(v3, "ADR;TYPE=HOME:;;12 St James's Square;London;;SW1Y 4JH;UK"));
    CHECK(has_line(v4, "ADR;TYPE=home:;;12 St James's Square;London;;SW1Y 4JH;UK"));
}

TEST_CASE("3.0 emails carry TYPE=INTERNET as Apple and Google write them, 4.0 emails do not", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.emails.push_back(labeled_value{"ada@example.org", "home"});
    c.emails.push_back(labeled_value{"ada@work.example", ""});
    const std::string v3 = to_string(c, version::v3_0);
    CHECK(has_line(v3, "EMAIL;TYPE=INTERNET;TYPE=HOME:ada@example.org"));
    CHECK(has_line(v3, "EMAIL;TYPE=INTERNET:ada@work.example"));
    const std::string v4 = to_string(c, version::v4_0);
    CHECK(has_line(v4, "EMAIL;TYPE=home:ada@example.org"));
    CHECK(has_line(v4, "EMAIL:ada@work.example"));
}

TEST_CASE("the mobile kind is written as vCard's cell type", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.phones.push_back(labeled_value{"+33 6 12 34 56 78", "mobile"});
    CHECK(has_line(to_string(c, version::v3_0), "TEL;TYPE=CELL:+33 6 12 34 56 78"));
    CHECK(has_line(to_string(c, version::v4_0), "TEL;TYPE=cell:+33 6 12 34 56 78"));
}

TEST_CASE("pref is TYPE=PREF in 3.0 and PREF=1 in 4.0", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.emails.push_back(labeled_value{"ada@example.org", "work,pref"});
    CHECK(has_line(to_string(c, version::v3_0), "EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=PREF:ada@example.org"));
    CHECK(has_line(to_string(c, version::v4_0), "EMAIL;TYPE=work;PREF=1:ada@example.org"));
}

TEST_CASE("a kind that is not a standard type is an itemN group with an X-ABLabel", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.urls.push_back(labeled_value{"https://www.linkedin.com/in/ada", "linkedin"});
    c.phones.push_back(labeled_value{"+44 20 7946 0000", "Assistant"});
    c.emails.push_back(labeled_value{"ada@example.org", "work,newsletter"});
    c.addresses.push_back(postal_address{"Summer house", "", "", "1 Beach Road", "Brighton", "", "", ""});
    const std::string text = to_string(c, v);
    INFO(text);
    const std::string email_types = v == version::v3_0 ? ";TYPE=INTERNET" : "";
    CHECK(has_line(text, "item1.EMAIL" + email_types + ":ada@example.org"));
    CHECK(has_line(text, "item1.X-ABLabel:work\\,newsletter"));
    CHECK(has_line(text, "item2.TEL:+44 20 7946 0000"));
    CHECK(has_line(text, "item2.X-ABLabel:Assistant"));
    CHECK(has_line(text, "item3.URL:https://www.linkedin.com/in/ada"));
    CHECK(has_line(text, "item3.X-ABLabel:linkedin"));
    CHECK(has_line(text, "item4.ADR:;;1 Beach Road;Brighton;;;"));
    CHECK(has_line(text, "item4.X-ABLabel:Summer house"));
}

TEST_CASE("a type that is standard in one version only is a label in the other", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.phones.push_back(labeled_value{"+1 555 0100", "car"});        // 3.0 only
    c.phones.push_back(labeled_value{"+1 555 0101", "textphone"});  // 4.0 only
    const std::string v3 = to_string(c, version::v3_0);
    const std::string v4 = to_string(c, version::v4_0);
    CHECK(has_line(v3, "TEL;TYPE=CAR:+1 555 0100"));
    CHECK(has_line(v3, "item1.TEL:+1 555 0101"));
    CHECK(has_line(v4, "item1.TEL:+1 555 0100"));
    CHECK(has_line(v4, "TEL;TYPE=textphone:+1 555 0101"));
}

TEST_CASE("label group numbers skip the groups extra properties already use", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.extra.push_back(card_property{"item1", "X-ABRELATEDNAMES", {}, "Charles Babbage"});
    c.extra.push_back(card_property{"ITEM2", "X-ABLABEL", {}, "_$!<Friend>!$_"});
    c.urls.push_back(labeled_value{"https://github.com/ada", "github"});
    const std::string text = to_string(c, version::v4_0);
    CHECK(has_line(text, "item3.URL:https://github.com/ada"));
    CHECK(has_line(text, "item3.X-ABLabel:github"));
    CHECK(has_line(text, "item1.X-ABRELATEDNAMES:Charles Babbage"));
}

TEST_CASE("an empty kind writes neither TYPE nor a group", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.phones.push_back(labeled_value{"+44 20 7946 0018", ""});
    c.urls.push_back(labeled_value{"https://ada.example", ""});
    const std::string text = to_string(c, version::v4_0);
    CHECK(has_line(text, "TEL:+44 20 7946 0018"));
    CHECK(has_line(text, "URL:https://ada.example"));
    CHECK(lines_named(text, "X-ABLabel").empty());
}

// ------------------------------------------------------------------------------------ other fields

TEST_CASE("tags are one CATEGORIES property, a comma inside a tag escaped", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.tags = {"VIP", "investors, seed", "paris"};
    CHECK(has_line(to_string(c, version::v4_0), "CATEGORIES:VIP,investors\\, seed,paris"));
    CHECK(has_line(to_string(c, version::v3_0), "CATEGORIES:VIP,investors\\, seed,paris"));
    c.tags.clear();
    CHECK(lines_named(to_string(c, version::v4_0), "CATEGORIES").empty());
}

TEST_CASE("4.0 BDAY is 19850415, or --0415 when the year is unknown", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.birthday = partial_date(1985_y, date::April, 15_d);
    CHECK(has_line(to_string(c, version::v4_0), "BDAY:19850415"));
    c.birthday = partial_date(date::April, 15_d);
    CHECK(has_line(to_string(c, version::v4_0), "BDAY:--0415"));
}

TEST_CASE("3.0 BDAY is 1985-04-15, or Apple's X-APPLE-OMIT-YEAR=1604 form when the year is unknown", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.birthday = partial_date(1985_y, date::April, 15_d);
    CHECK(has_line(to_string(c, version::v3_0), "BDAY:1985-04-15"));
    c.birthday = partial_date(date::February, 29_d);
    CHECK(has_line(to_string(c, version::v3_0), "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29"));
    c.birthday.reset();
    CHECK(lines_named(to_string(c, version::v3_0), "BDAY").empty());
}

TEST_CASE("each note is a NOTE; a stamped one carries its time as X-NETCRM-NOTE-AT in UTC", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.notes.push_back(note{crm::test::at(2026_y / date::October / 8, std::chrono::hours{17}, std::chrono::minutes{40}),
                           "Wants intros to investors"});
    c.notes.push_back(note{note::unstamped, "Call back in spring"});
    const std::string text = to_string(c, v);
    const auto notes = lines_named(text, "NOTE");
    REQUIRE(notes.size() == 2);
    CHECK(notes[0] == "NOTE;X-NETCRM-NOTE-AT=20261008T174000Z:Wants intros to investors");
    CHECK(notes[1] == "NOTE:Call back in spring");
}

TEST_CASE("how_met and source are X-NETCRM-HOW-MET and X-NETCRM-SOURCE", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.how_met = "Web Summit, Lisbon";
    c.source = "import:cards.vcf";
    const std::string text = to_string(c, version::v3_0);
    CHECK(has_line(text, "X-NETCRM-HOW-MET:Web Summit\\, Lisbon"));
    CHECK(has_line(text, "X-NETCRM-SOURCE:import:cards.vcf"));
    CHECK(lines_named(to_string(named("A", "B"), version::v3_0), "X-NETCRM-HOW-MET").empty());
}

TEST_CASE("REV is updated_at in UTC basic format; a contact never stored has none", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    CHECK(lines_named(to_string(c, version::v4_0), "REV").empty());
    c.updated_at = crm::test::at(2026_y / date::October / 8, std::chrono::hours{17}, std::chrono::minutes{40});
    CHECK(has_line(to_string(c, version::v4_0), "REV:20261008T174000Z"));
    CHECK(has_line(to_string(c, version::v3_0), "REV:20261008T174000Z"));
}

TEST_CASE("no UID is invented; one from extra is written once", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    CHECK(lines_named(to_string(c, version::v4_0), "UID").empty());
    c.extra.push_back(card_property{"", "UID", {}, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"});
    c.extra.push_back(card_property{"", "UID", {}, "second-uid"});
    const auto uids = lines_named(to_string(c, version::v4_0), "UID");
    REQUIRE(uids.size() == 1);
    CHECK(uids[0] == "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
}

// ------------------------------------------------------------------------------------ extra

TEST_CASE("extra properties are written back with their group, name and parameters", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.extra.push_back(
        card_property{"", "X-SOCIALPROFILE", {{"TYPE", {"twitter"}}, {"X-USER", {"ada"}}}, "https://twitter.com/ada"});
    c.extra.push_back(card_property{"item7", "X-ABDATE", {{"TYPE", {"pref"}}}, "1835-07-08"});
    c.extra.push_back(card_property{"", "X-PHONETIC-LAST-NAME", {}, "LUV-lace"});
    const std::string text = to_string(c, v);
    CHECK(has_line(text, "X-SOCIALPROFILE;TYPE=twitter;X-USER=ada:https://twitter.com/ada"));
    CHECK(has_line(text, "item7.X-ABDATE;TYPE=pref:1835-07-08"));
    CHECK(has_line(text, "X-PHONETIC-LAST-NAME:LUV-lace"));
}

TEST_CASE("structured extra values are written as stored, text values are escaped", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    // As the reader keeps them: structured values with their escapes, others unescaped.
    c.extra.push_back(card_property{"", "NICKNAME", {}, "Ada\\, Countess,Enchantress of Numbers"});
    c.extra.push_back(
        card_property{"", "X-ANDROID-CUSTOM", {}, "vnd.android.cursor.item/nickname;Ada\\;L;1;;;;;;;;;;;;"});
    c.extra.push_back(card_property{"", "X-ASSISTANT", {}, "Babbage, Charles\nFridays only"});
    CHECK(has_line(to_string(c, version::v3_0), "NICKNAME:Ada\\, Countess,Enchantress of Numbers"));
    CHECK(has_line(to_string(c, version::v3_0),
                   "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Ada\\;L;1;;;;;;;;;;;;"));
    CHECK(has_line(to_string(c, version::v3_0), "X-ASSISTANT:Babbage\\, Charles\\nFridays only"));
}

TEST_CASE("extra parameter values are quoted when they hold : ; or , and caret-encode quotes", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.extra.push_back(
        card_property{"", "X-THING", {{"X-WHERE", {"Paris: 8e; rive droite"}}, {"X-SAID", {"\"hi\""}}}, "x"});
    CHECK(has_line(to_string(c, version::v4_0), "X-THING;X-WHERE=\"Paris: 8e; rive droite\";X-SAID=^'hi^':x"));
}

TEST_CASE("an extra property whose name is a CSV column is written as X-NETCRM-FIELD naming it", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.extra.push_back(card_property{"", "Custom Field 1 - Label", {}, "Met at, Lisbon"});
    const std::string text = to_string(c, v);
    CHECK(has_line(text, "X-NETCRM-FIELD;X-NETCRM-NAME=Custom Field 1 - Label:Met at\\, Lisbon"));
    const card k = read_one(text);
    const card_property want{"", "X-NETCRM-FIELD", {{"X-NETCRM-NAME", {"Custom Field 1 - Label"}}}, "Met at, Lisbon"};
    CHECK(std::find(k.properties.begin(), k.properties.end(), want) != k.properties.end());
}

TEST_CASE("CHARSET and transfer ENCODING of extra properties are dropped: the value is UTF-8 text now",
          "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.extra.push_back(card_property{
        "", "X-SPOUSE", {{"CHARSET", {"ISO-8859-1"}}, {"ENCODING", {"QUOTED-PRINTABLE"}}, {"X-A", {"1"}}}, "Hélène=A"});
    CHECK(has_line(to_string(c, version::v3_0), "X-SPOUSE;X-A=1:Hélène=A"));
}

TEST_CASE("an inline base64 PHOTO is a data: URI in 4.0 and ENCODING=b with TYPE in 3.0", "[vcard_writer]") {
    const std::string base64 = "/9j/4AAQSkZJRgABAQAAAQABAAD";
    SECTION("stored in the 3.0 form") {
        contact c = named("Ada", "Lovelace");
        c.extra.push_back(card_property{"", "PHOTO", {{"ENCODING", {"b"}}, {"TYPE", {"JPEG"}}}, base64});
        CHECK(has_line(to_string(c, version::v3_0), "PHOTO;ENCODING=b;TYPE=JPEG:" + base64));
        CHECK(has_line(to_string(c, version::v4_0), "PHOTO:data:image/jpeg;base64," + base64));
    }
    SECTION("stored as a data: URI") {
        contact c = named("Ada", "Lovelace");
        c.extra.push_back(card_property{"", "PHOTO", {}, "data:image/png;base64," + base64});
        CHECK(has_line(to_string(c, version::v4_0), "PHOTO:data:image/png;base64," + base64));
        CHECK(has_line(to_string(c, version::v3_0), "PHOTO;ENCODING=b;TYPE=PNG:" + base64));
    }
}

TEST_CASE("extra BEGIN, END, VERSION and N are never written; REV and BDAY only when the contact has none",
          "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    for (const char* name : {"BEGIN", "END", "VERSION", "N", "REV", "BDAY"})
        c.extra.push_back(card_property{"", name, {}, name == "BDAY"s ? "circa 1815" : "x"});
    std::string text = to_string(c, version::v4_0);
    CHECK(lines_named(text, "BEGIN").size() == 1);
    CHECK(lines_named(text, "END").size() == 1);
    CHECK(lines_named(text, "VERSION").size() == 1);
    CHECK(lines_named(text, "N").size() == 1);
    CHECK(has_line(text, "REV:x"));  // the contact has no REV of its own: kept
    CHECK(has_line(text, "BDAY:circa 1815"));
    c.updated_at = crm::test::at(2026_y / date::October / 8);
    c.birthday = partial_date(1815_y, date::December, 10_d);
    text = to_string(c, version::v4_0);
    CHECK(lines_named(text, "REV") == std::vector<std::string>{"REV:20261008T000000Z"});
    CHECK(lines_named(text, "BDAY") == std::vector<std::string>{"BDAY:18151210"});
}

// ------------------------------------------------------------------------------------ round trips

namespace {

contact full_contact() {
    contact c;
    c.display_name = "Dr. Hélène Lefèvre-Dupont";
    c.name = {"Dr.", "Hélène", "Marie", "Lefèvre-Dupont", "PhD"};
    c.organization = "Acme, Inc.";
    c.title = "CTO; co-founder";
    c.emails = {{"helene@acme.example", "work"}, {"h.lefevre@home.example", "home"}, {"hl@list.example", "newsletter"}};
    c.phones = {{"+33 6 12 34 56 78", "mobile"}, {"+33 1 23 45 67 89", "work,fax"}, {"+33 1 00 00 00 00", "Assistant"}};
    c.urls = {{"https://www.linkedin.com/in/helene", "linkedin"}, {"https://acme.example", "work"}};
    c.addresses = {postal_address{"work", "BP 12", "Bât. B, 2e étage", "1 rue de la Paix", "Paris", "Île-de-France",
                                  "75002", "France"},
                   postal_address{"Maison de campagne", "", "", "3 chemin des Vignes", "Beaune", "", "21200", ""}};
    c.tags = {"VIP", "investors, seed", "paris"};
    c.birthday = partial_date(date::February, 29_d);
    c.notes = {note{crm::test::at(2026_y / date::October / 8, std::chrono::hours{17}, std::chrono::minutes{40}),
                    "Wants intros to VCs, soon.\nFollow up: send deck; mention C:\\slides"},
               note{note::unstamped, "Allergic to 🥜 — book accordingly, Japanese place 日本料理 is fine"}};
    c.how_met = "Web Summit, Lisbon";
    c.source = "manual";
    c.extra = {card_property{"", "UID", {}, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"},
               card_property{"", "NICKNAME", {}, "Léna\\, la cheffe,HL"},
               card_property{"", "X-ASSISTANT", {{"X-SINCE", {"2024"}}}, "Paul, Jr.\nMon–Wed"},
               card_property{"item9", "X-ABRELATEDNAMES", {}, "Marc"},
               card_property{"item9", "X-ABLABEL", {}, "_$!<Spouse>!$_"}};
    c.updated_at = crm::test::at(2026_y / date::October / 9, std::chrono::hours{8});
    return c;
}

const card_property* find_property(const card& k, const card_property& want) {
    for (const auto& p : k.properties)
        if (p == want) return &p;
    return nullptr;
}

}  // namespace

TEST_CASE("a written card reads back with the same fields", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    const contact c = full_contact();
    const std::string text = to_string(c, v);
    INFO(text);
    const card k = read_one(text);
    const contact& r = k.person;
    CHECK(k.format == (v == version::v3_0 ? "vcard-3.0" : "vcard-4.0"));
    CHECK(r.display_name == c.display_name);
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
    CHECK_FALSE(r.birthday->has_year());
    REQUIRE(r.notes.size() == c.notes.size());
    for (std::size_t i = 0; i < c.notes.size(); ++i) CHECK(r.notes[i].text == c.notes[i].text);
    CHECK(k.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
}

TEST_CASE("extra properties, how_met, source and note times read back among the card's properties", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    const contact c = full_contact();
    const std::string text = to_string(c, v);
    INFO(text);
    const card k = read_one(text);
    for (const auto& p : c.extra) {
        INFO(p.group << "." << p.name << ":" << p.value);
        CHECK(find_property(k, p) != nullptr);
    }
    CHECK(find_property(k, card_property{"", "X-NETCRM-HOW-MET", {}, c.how_met}) != nullptr);
    CHECK(find_property(k, card_property{"", "X-NETCRM-SOURCE", {}, c.source}) != nullptr);
    CHECK(find_property(k, card_property{"", "NOTE", {{"X-NETCRM-NOTE-AT", {"20261008T174000Z"}}}, c.notes[0].text}) !=
          nullptr);
}

TEST_CASE("a known birthday year and an inline photo survive a round trip in both versions", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.birthday = partial_date(1815_y, date::December, 10_d);
    c.extra.push_back(
        card_property{"", "PHOTO", {{"ENCODING", {"b"}}, {"TYPE", {"JPEG"}}}, "/9j/4AAQSkZJRgABAQAAAQABAAD"});
    const card k = read_one(to_string(c, v));
    REQUIRE(k.person.birthday);
    CHECK(*k.person.birthday == *c.birthday);
    const auto photo = std::find_if(k.properties.begin(), k.properties.end(),
                                    [](const card_property& p) { return p.name == "PHOTO"; });
    REQUIRE(photo != k.properties.end());
    CHECK(photo->value.ends_with("/9j/4AAQSkZJRgABAQAAAQABAAD"));
}

TEST_CASE("long multi-byte text read back after folding is unchanged", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    std::string text_value = "start";
    for (int i = 0; i < 30; ++i) text_value += " é日😀, ;\\";
    c.notes.push_back(note{note::unstamped, text_value});
    c.title = text_value;
    const card k = read_one(to_string(c, v));
    REQUIRE(k.person.notes.size() == 1);
    CHECK(k.person.notes[0].text == text_value);
    CHECK(k.person.title == text_value);
}

// RFC 6350 CATEGORIES is a text-list: items end at ',' only, and a ';' in 4.0 text is written bare
// (TEXT-CHAR), while RFC 2426 escapes it. Both must come back as the one tag they were.
TEST_CASE("tags holding a semicolon or a comma read back as one tag each", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.tags = {"R&D; Paris", "investors, seed", "VIP"};
    CHECK(read_one(to_string(c, v)).person.tags == c.tags);
}

// ------------------------------------------------------------------------------------ ims and URLs

TEST_CASE("IM handles are written as IMPP URIs of their service in both versions", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.ims = {{"ada.l", "skype"}, {"ada@jabber.example", "jabber"}, {"ada@xmpp.example", "xmpp"},
             {"live:ada", "skype"}, {"sips:ada@voip.example", "work chat"}};
    const std::string text = to_string(c, v);
    INFO(text);
    CHECK(lines_named(text, "IMPP") == std::vector<std::string>{"IMPP:skype:ada.l",
                                                                "IMPP;X-SERVICE-TYPE=jabber:xmpp:ada@jabber.example",
                                                                "IMPP:xmpp:ada@xmpp.example", "IMPP:skype:live:ada",
                                                                "IMPP;X-SERVICE-TYPE=work chat:sips:ada@voip.example"});
    CHECK(lines_named(text, "URL").empty());
}

TEST_CASE("IM handles read back as the same handles after normalization", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.ims = {{"ada.l", "skype"}, {"ada@jabber.example", "jabber"}, {"12345", "icq"}, {"live:ada", "skype"}};
    crm::normalize_and_validate(c);
    contact back = read_one(to_string(c, v)).person;
    crm::normalize_and_validate(back);
    CHECK(back.ims == c.ims);
}

TEST_CASE("a handle without a service must be a URI, whose scheme becomes its kind", "[vcard_writer]") {
    contact c = named("Ada", "Lovelace");
    c.ims = {{"xmpp:ada@xmpp.example", ""}, {"Skype:ada.l", ""}};
    crm::normalize_and_validate(c);
    CHECK(c.ims == std::vector<labeled_value>{{"ada@xmpp.example", "xmpp"}, {"ada.l", "skype"}});
    c.ims = {{"ada.l", ""}};
    CHECK_THROWS_WITH(crm::normalize_and_validate(c), Catch::Contains("ims[0] 'ada.l' names no service"));
}

TEST_CASE("commas in URL values are escaped (RFC 6350 3.4) and read back whole", "[vcard_writer]") {
    const version v = GENERATE(version::v3_0, version::v4_0);
    contact c = named("Ada", "Lovelace");
    c.urls = {{"https://maps.example/?q=48.85,2.35", "work"}, {"https://example.com/a,b;c\\d", "blog"}};
    const std::string text = to_string(c, v);
    INFO(text);
    CHECK(has_line(text, "URL;TYPE=" + std::string(v == version::v3_0 ? "WORK" : "work") +
                             ":https://maps.example/?q=48.85\\,2.35"));
    CHECK(read_one(text).person.urls == c.urls);
}
