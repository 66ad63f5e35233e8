// vCard reader: bytes from real producers (iOS, Android, Google, Outlook, Thunderbird, Evolution,
// Nextcloud, scanner apps, Japanese phones) to crm::card records. Sample files live in
// tests/data/vcard/ and its README.md says where each one's shape comes from.
#include "crm/reader.hpp"
#include "crm/vcard.hpp"
#include "detail/charset.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

using namespace date::literals;
using crm::card;
using crm::labeled_value;
using crm::partial_date;
using crm::read_problem;
using crm::read_summary;

namespace {

std::string sample_path(const std::string& name) {
    return std::string(NETCRM_TEST_DATA_DIR) + "/vcard/" + name;
}

std::string sample(const std::string& name) {
    return crm::test::read_bytes(sample_path(name));
}

struct result {
    std::vector<card> cards;
    read_summary summary;
};

result read_text(std::string_view text, const std::string& source = "test.vcf") {
    result r;
    r.summary = crm::vcard::read(text, source, [&](card&& c) { r.cards.push_back(std::move(c)); });
    return r;
}

result read_stream(const std::string& text, const std::string& source = "test.vcf") {
    std::istringstream in(text);
    result r;
    r.summary = crm::vcard::read(in, source, [&](card&& c) { r.cards.push_back(std::move(c)); });
    return r;
}

result read_sample(const std::string& name) {
    return read_text(sample(name), name);
}

// The only card of an input that must read without problems.
card only_card(std::string_view text) {
    auto r = read_text(text);
    INFO((r.summary.problems.empty() ? "" : r.summary.problems.front().reason));
    REQUIRE(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    return std::move(r.cards.front());
}

std::string vcard(const std::string& body, const std::string& version = "3.0") {
    return "BEGIN:VCARD\r\nVERSION:" + version + "\r\n" + body + "END:VCARD\r\n";
}

const crm::card_property* property(const card& c, std::string_view name, std::size_t nth = 0) {
    for (const auto& p : c.properties)
        if (p.name == name && nth-- == 0) return &p;
    return nullptr;
}

std::vector<std::string> property_names(const card& c) {
    std::vector<std::string> names;
    for (const auto& p : c.properties) names.push_back(p.name);
    return names;
}

bool has_problem_containing(const read_summary& s, std::string_view text) {
    return std::any_of(s.problems.begin(), s.problems.end(),
                       [&](const read_problem& p) { return p.reason.find(text) != std::string::npos; });
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<read_problem> {
    static std::string convert(const read_problem& p) {
        return p.source + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + p.reason;
    }
};
}  // namespace Catch

// ------------------------------------------------------------------------------ producers' files

TEST_CASE("an iOS export maps name, organization, title, emails, phones, address and note", "[vcard]") {
    auto r = read_sample("ios-17.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 3);
    CHECK(r.summary.cards == 3);
    const auto& p = r.cards[0].person;
    CHECK(r.cards[0].format == "vcard-3.0");
    CHECK(p.display_name == "Dr. Hélène Marie Lefèvre");
    CHECK(p.name.family == "Lefèvre");
    CHECK(p.name.given == "Hélène");
    CHECK(p.name.additional == "Marie");
    CHECK(p.name.prefix == "Dr.");
    CHECK(p.name.suffix.empty());
    CHECK(p.organization == "Example Robotics");
    CHECK(p.title == "Head of Research");
    CHECK(p.emails ==
          std::vector<labeled_value>{{"helene.lefevre@example.com", "work"}, {"lena@example.org", "other"}});
    CHECK(p.phones == std::vector<labeled_value>{{"+33 6 12 34 56 78", "mobile"},
                                                 {"+33 1 23 45 67 89", "work,fax"},
                                                 {"+33 1 98 76 54 32", "Conference desk"}});
    REQUIRE(p.addresses.size() == 1);
    CHECK(p.addresses[0].kind == "home");
    CHECK(p.addresses[0].street == "12 Rue de l'Exemple");
    CHECK(p.addresses[0].locality == "Lyon");
    CHECK(p.addresses[0].postal_code == "69002");
    CHECK(p.addresses[0].country == "France");
    REQUIRE(p.notes.size() == 1);
    CHECK(p.notes[0].text == "Met at RoboConf 2023, Lyon.\nWants an intro to the Example Ventures team.");
    CHECK(p.notes[0].at == crm::note::unstamped);
}

TEST_CASE("Apple's _$!<...>!$_ label on a grouped property becomes its kind, wrapper stripped", "[vcard]") {
    auto r = read_sample("ios-17.vcf");
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[0].person.urls.front() == labeled_value{"https://helene.example.com", "homepage"});
    CHECK(r.cards[1].person.phones == std::vector<labeled_value>{{"+1 555 0100", "main"}, {"+1 555 0101", "work,fax"}});
}

TEST_CASE("a custom X-ABLabel is the kind as the user wrote it", "[vcard]") {
    const auto c = only_card(vcard("item1.EMAIL;type=INTERNET:a@example.com\r\nitem1.X-ABLabel:Board seat\r\n"));
    CHECK(c.person.emails == std::vector<labeled_value>{{"a@example.com", "Board seat"}});
}

TEST_CASE("X-ABLabel applies to its own group only, in any letter case", "[vcard]") {
    const auto c =
        only_card(vcard("ITEM1.EMAIL:a@example.com\r\nitem2.EMAIL;TYPE=WORK:b@example.com\r\n"
                        "item1.X-ABLabel:_$!<Home>!$_\r\n"));
    CHECK(c.person.emails == std::vector<labeled_value>{{"a@example.com", "home"}, {"b@example.com", "work"}});
}

TEST_CASE("X-SOCIALPROFILE becomes urls and IMPP ims, with the service as kind", "[vcard]") {
    auto r = read_sample("ios-17.vcf");
    REQUIRE(!r.cards.empty());
    const auto& urls = r.cards[0].person.urls;
    CHECK(urls == std::vector<labeled_value>{{"https://helene.example.com", "homepage"},
                                             {"http://www.linkedin.com/in/helene-example", "linkedin"}});
    CHECK(r.cards[0].person.ims == std::vector<labeled_value>{{"skype:helene.example", "skype"}});
}

TEST_CASE("IMPP without X-SERVICE-TYPE takes the URI scheme as kind", "[vcard]") {
    const auto c = only_card(vcard("IMPP;TYPE=work:xmpp:sam@example.org\r\n", "4.0"));
    CHECK(c.person.ims == std::vector<labeled_value>{{"xmpp:sam@example.org", "xmpp"}});
    CHECK(c.person.urls.empty());
}

TEST_CASE("X-SKYPE, X-JABBER, X-GOOGLE-TALK and the other X- IM properties become ims of their service", "[vcard]") {
    const auto c = only_card(vcard("X-SKYPE:ada.l\r\nX-JABBER;TYPE=HOME:ada@jabber.example\r\n"
                                   "X-GOOGLE-TALK:ada@gmail.example\r\nX-AIM:adaaim\r\nX-MSN:ada@msn.example\r\n"
                                   "X-YAHOO:ada_y\r\nX-ICQ:123456\r\nX-Skype-Username:ada.two\r\n"
                                   "X-TWITTER:@ada\r\n"));
    CHECK(c.person.ims == std::vector<labeled_value>{{"ada.l", "skype"},
                                                     {"ada@jabber.example", "jabber"},
                                                     {"ada@gmail.example", "googletalk"},
                                                     {"adaaim", "aim"},
                                                     {"ada@msn.example", "msn"},
                                                     {"ada_y", "yahoo"},
                                                     {"123456", "icq"},
                                                     {"ada.two", "skype"}});
    CHECK(c.person.urls.empty());
    REQUIRE(property(c, "X-TWITTER"));  // a social profile, not a chat handle: kept as it was
}

TEST_CASE("an IMPP that names no service stays among the card's properties", "[vcard]") {
    const auto c = only_card(vcard("IMPP:just-a-handle\r\n", "4.0"));
    CHECK(c.person.ims.empty());
    REQUIRE(property(c, "IMPP"));
}

TEST_CASE("BDAY with X-APPLE-OMIT-YEAR=1604 keeps an unknown year", "[vcard]") {
    auto r = read_sample("ios-17.vcf");
    REQUIRE(!r.cards.empty());
    REQUIRE(r.cards[0].person.birthday);
    CHECK(*r.cards[0].person.birthday == partial_date(date::April, 15_d));
}

TEST_CASE("BDAY with the bare year 1604 means the year is unknown", "[vcard]") {
    auto r = read_sample("ios-17.vcf");
    REQUIRE(r.cards.size() == 3);
    REQUIRE(r.cards[1].person.birthday);
    CHECK_FALSE(r.cards[1].person.birthday->has_year());
    CHECK(*r.cards[1].person.birthday == partial_date(date::December, 24_d));
}

TEST_CASE("an Apple group card has kind group and keeps its members as properties", "[vcard]") {
    auto r = read_sample("ios-17.vcf");
    REQUIRE(r.cards.size() == 3);
    const auto& group = r.cards[2];
    CHECK(group.kind == "group");
    CHECK(group.uid == "3c5d4e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f");
    REQUIRE(property(group, "X-ADDRESSBOOKSERVER-MEMBER", 1));
    CHECK(property(group, "X-ADDRESSBOOKSERVER-MEMBER", 1)->value == "urn:uuid:8a3e2b7c-2d2e-4c9f-8b46-1e1b9f1d6f22");
}

TEST_CASE("KIND of vCard 4 sets the card's kind, lower-cased", "[vcard]") {
    CHECK(only_card(vcard("KIND:Org\r\nFN:Example Org\r\n", "4.0")).kind == "org");
    CHECK(only_card(vcard("FN:Someone\r\n", "4.0")).kind.empty());
}

TEST_CASE("a folded base64 PHOTO is kept as a property without the folding white space", "[vcard]") {
    auto r = read_sample("ios-17.vcf");
    REQUIRE(!r.cards.empty());
    const auto* photo = property(r.cards[0], "PHOTO");
    REQUIRE(photo);
    CHECK(photo->value.starts_with("/9j/4AAQSkZJRg"));
    CHECK(photo->value.find(' ') == std::string::npos);
    CHECK(photo->value.size() % 4 == 0);
    CHECK(photo->parameters.front() == crm::card_parameter{"ENCODING", {"b"}});
}

TEST_CASE("Android 2.1 quoted-printable with soft line breaks and CHARSET=UTF-8 decodes", "[vcard]") {
    auto r = read_sample("android-2.1.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& p = r.cards[0].person;
    CHECK(r.cards[0].format == "vcard-2.1");
    // The soft break in FN falls between the two bytes of Á (=C3= / =81): joined before decoding.
    CHECK(p.display_name == "Nguyễn Thị Ánh");
    CHECK(p.name.family == "Nguyễn");
    CHECK(p.name.given == "Thị Ánh");
    REQUIRE(p.addresses.size() == 1);
    CHECK(p.addresses[0].street == "12 Lê Lợi");
    CHECK(p.addresses[0].locality == "Hồ Chí Minh");
    REQUIRE(p.notes.size() == 1);
    CHECK(p.notes[0].text == "Rencontrée au salon VivaTech — veut parler de financement.\nRelancer en septembre.");
    REQUIRE(property(r.cards[0], "FN"));
    CHECK(property(r.cards[0], "FN")->value == "Nguyễn Thị Ánh");
}

TEST_CASE("bare vCard 2.1 parameters are TYPE values and give the kind", "[vcard]") {
    auto r = read_sample("android-2.1.vcf");
    REQUIRE(r.cards.size() == 2);
    const auto* tel = property(r.cards[0], "TEL");
    REQUIRE(tel);
    CHECK(tel->parameters == std::vector<crm::card_parameter>{{"TYPE", {"CELL"}}, {"TYPE", {"PREF"}}});
    CHECK(r.cards[0].person.phones == std::vector<labeled_value>{{"+84 90 123 4567", "mobile"},
                                                                 {"+84 28 3822 0000", "home"},
                                                                 {"+84 28 3822 0001", "assistant"}});
    CHECK(r.cards[1].person.phones == std::vector<labeled_value>{{"+1 555 0142", "work"}, {"+1 555 0143", "fax,work"}});
    CHECK(r.cards[1].person.emails == std::vector<labeled_value>{{"jordan.smith@example.com", ""}});
}

TEST_CASE("a bare 2.1 QUOTED-PRINTABLE parameter is the encoding", "[vcard]") {
    const auto c = only_card(vcard("NOTE;QUOTED-PRINTABLE:caf=C3=A9\r\n", "2.1"));
    REQUIRE(c.person.notes.size() == 1);
    CHECK(c.person.notes[0].text == "café");
    CHECK(property(c, "NOTE")->parameters == std::vector<crm::card_parameter>{{"ENCODING", {"QUOTED-PRINTABLE"}}});
}

TEST_CASE("Android's 2.1 PHOTO with ENCODING=BASE64 ends at the blank line", "[vcard]") {
    auto r = read_sample("android-2.1.vcf");
    REQUIRE(!r.cards.empty());
    const auto* photo = property(r.cards[0], "PHOTO");
    REQUIRE(photo);
    CHECK(photo->value.starts_with("/9j/"));
    CHECK(photo->value.ends_with("/9k="));
    CHECK(r.cards[0].person.birthday == partial_date(1990_y, date::July, 4_d));
    CHECK(property_names(r.cards[0]).back() == "PHOTO");
}

TEST_CASE("X-ANDROID-CUSTOM keeps its structured value and escapes", "[vcard]") {
    auto r = read_sample("android-2.1.vcf");
    REQUIRE(!r.cards.empty());
    REQUIRE(property(r.cards[0], "X-ANDROID-CUSTOM"));
    CHECK(property(r.cards[0], "X-ANDROID-CUSTOM")->value == "vnd.android.cursor.item/nickname;Ánh;1;;;;;;;;;;;;;");
}

TEST_CASE("Google's non-standard \\: escape is read as a colon", "[vcard]") {
    auto r = read_sample("google.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto& p = r.cards[0].person;
    CHECK(p.urls == std::vector<labeled_value>{{"https://priya.example.com/", "Portfolio"}});
    REQUIRE(p.notes.size() == 1);
    CHECK(p.notes[0].text == "Intro by Chidi at PyCon India.\n\nFollow up: send the deck; she asked for Q3 numbers.");
    CHECK(property(r.cards[0], "URL")->value == "https://priya.example.com/");
}

TEST_CASE("Google's empty X-ABLabel leaves the kind from TYPE", "[vcard]") {
    auto r = read_sample("google.vcf");
    REQUIRE(r.cards.size() == 1);
    const auto& a = r.cards[0].person.addresses;
    REQUIRE(a.size() == 1);
    CHECK(a[0].kind == "home");
    CHECK(a[0].street == "42 MG Road");
    CHECK(a[0].region == "KA");
    CHECK(a[0].country == "India");
}

TEST_CASE("CATEGORIES become tags, split at commas", "[vcard]") {
    auto r = read_sample("google.vcf");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.tags == std::vector<std::string>{"myContacts", "PyCon 2023", "Investors"});
    const auto c = only_card(vcard("CATEGORIES:a\\,b,c\r\nCATEGORIES: d ,,e\r\n"));
    CHECK(c.person.tags == std::vector<std::string>{"a,b", "c", "d", "e"});
}

TEST_CASE("a ';' inside CATEGORIES belongs to its tag", "[vcard]") {
    // RFC 6350 lists CATEGORIES items with ',' only; ';' is plain text in vCard 4 and escaped in 3.0.
    CHECK(only_card(vcard("CATEGORIES:R&D; Paris,VIP\r\n", "4.0")).person.tags ==
          std::vector<std::string>{"R&D; Paris", "VIP"});
    CHECK(only_card(vcard("CATEGORIES:R&D\\; Paris,VIP\r\n")).person.tags ==
          std::vector<std::string>{"R&D; Paris", "VIP"});
}

TEST_CASE("Outlook's base64 folded with several spaces of indentation decodes", "[vcard]") {
    auto r = read_sample("outlook-2.1.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto* photo = property(r.cards[0], "PHOTO");
    REQUIRE(photo);
    CHECK(photo->value.starts_with("/9j/4AAQSkZJRgABAQAAAQABAAB"));
    CHECK(photo->value.find(' ') == std::string::npos);
    // The property after the blank line that ends the base64 block is still read.
    REQUIRE(property(r.cards[0], "X-MS-OL-DESIGN"));
    CHECK(property(r.cards[0], "X-MS-OL-DESIGN")->value.starts_with("<card xmlns=\"http://schemas.microsoft.com"));
}

TEST_CASE("CHARSET=Windows-1252 values are converted to UTF-8", "[vcard]") {
    auto r = read_sample("outlook-2.1.vcf");
    REQUIRE(r.cards.size() == 1);
    const auto& p = r.cards[0].person;
    CHECK(p.display_name == "Jürgen Müller");
    CHECK(p.name.family == "Müller");
    CHECK(p.title == "Geschäftsführer");
    REQUIRE(p.addresses.size() == 1);
    CHECK(p.addresses[0].street == "Beispielstraße 5");
    CHECK(p.addresses[0].locality == "München");
    CHECK(p.addresses[0].kind == "work");
    REQUIRE(p.notes.size() == 1);
    CHECK(p.notes[0].text == "Trifft sich gern zum Kaffee – nicht vor 10 Uhr.\nGrößere Projekte ab Q2.");
}

TEST_CASE("quoted-printable CRLF inside a value becomes LF", "[vcard]") {
    auto r = read_sample("outlook-2.1.vcf");
    REQUIRE(r.cards.size() == 1);
    REQUIRE(property(r.cards[0], "LABEL"));
    CHECK(property(r.cards[0], "LABEL")->value == "Beispielstraße 5\n80331 München");
}

TEST_CASE("ORG's first component is the organization, the rest stays in properties", "[vcard]") {
    auto r = read_sample("outlook-2.1.vcf");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.organization == "Example Maschinenbau GmbH");
    CHECK(property(r.cards[0], "ORG")->value == "Example Maschinenbau GmbH;Vertrieb");
}

TEST_CASE("a data: URI PHOTO with no ENCODING (Thunderbird) is kept as written", "[vcard]") {
    auto r = read_sample("thunderbird-4.0.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto* photo = property(r.cards[0], "PHOTO");
    REQUIRE(photo);
    CHECK(photo->value.starts_with("data:image/jpeg;base64,/9j/"));
    CHECK(photo->value.find(' ') == std::string::npos);
}

TEST_CASE("a Thunderbird vCard 4.0 maps its fields", "[vcard]") {
    auto r = read_sample("thunderbird-4.0.vcf");
    REQUIRE(r.cards.size() == 1);
    const auto& c = r.cards[0];
    CHECK(c.format == "vcard-4.0");
    CHECK(c.uid == "5c1a0f3e-6d7b-4e8a-9f2c-3b4d5e6f7a8b");
    CHECK(c.person.emails == std::vector<labeled_value>{{"sam.taylor@example.com", ""}, {"sam@example.org", "home"}});
    // VALUE=URI phone numbers lose their tel: scheme.
    CHECK(c.person.phones == std::vector<labeled_value>{{"+32 2 555 01 23", "work"}, {"+32-470-55-01-24", "mobile"}});
    CHECK(c.person.birthday == partial_date(1988_y, date::February, 29_d));
    CHECK(c.person.urls == std::vector<labeled_value>{{"https://sam.example.org", ""}});
}

TEST_CASE("a PHOTO by URI is kept as written", "[vcard]") {
    const auto c =
        only_card(vcard("PHOTO;VALUE=uri:https://lh3.example.com/a/photo.jpg\r\n"
                        "LOGO;VALUE=uri:https\\://example.com/logo.png\r\n"));
    CHECK(property(c, "PHOTO")->value == "https://lh3.example.com/a/photo.jpg");
    CHECK(property(c, "LOGO")->value == "https://example.com/logo.png");
}

TEST_CASE("raw base64 in a PHOTO with no ENCODING (ownCloud) is recognized", "[vcard]") {
    auto r = read_sample("nextcloud.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto* photo = property(r.cards[1], "PHOTO");
    REQUIRE(photo);
    CHECK(photo->value.starts_with("/9j/"));
    CHECK(photo->value.find(' ') == std::string::npos);
    CHECK(r.cards[1].person.display_name == "Kofi Mensah");
}

TEST_CASE("a quoted TYPE holding a comma gives one kind per word", "[vcard]") {
    auto r = read_sample("nextcloud.vcf");
    REQUIRE(!r.cards.empty());
    const auto* tel = property(r.cards[0], "TEL");
    REQUIRE(tel);
    CHECK(tel->parameters == std::vector<crm::card_parameter>{{"TYPE", {"HOME,VOICE"}}});
    CHECK(r.cards[0].person.phones == std::vector<labeled_value>{{"+221 33 800 00 00", "home"}});
    CHECK(r.cards[0].person.tags == std::vector<std::string>{"Friends", "Dakar meetup"});
}

TEST_CASE("an Evolution export with LF line ends maps its fields", "[vcard]") {
    auto r = read_sample("evolution.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto& c = r.cards[0];
    CHECK(c.uid == "pas-id-5F1A2B3C00000001");
    CHECK(c.person.display_name == "Anna Kowalski");
    CHECK(c.person.emails == std::vector<labeled_value>{{"anna.kowalski@example.pl", "work"}});
    CHECK(c.person.tags == std::vector<std::string>{"Business", "Kraków"});
    CHECK(c.person.birthday == partial_date(1979_y, date::November, 30_d));
    CHECK(property(c, "X-EVOLUTION-FILE-AS")->value == "Kowalski, Anna");
    CHECK(property(c, "LABEL")->value == "ul. Przykładowa 3\n30-001 Kraków\nPolska");
}

TEST_CASE("a quoted TYPE may hold ':' and ',' without ending the parameters", "[vcard]") {
    const auto c = only_card(vcard("X-SERVICE;TYPE=\"chat:main,backup\",home;X-N=1:value:with:colons\r\n"));
    const auto* p = property(c, "X-SERVICE");
    REQUIRE(p);
    CHECK(p->parameters == std::vector<crm::card_parameter>{{"TYPE", {"chat:main,backup", "home"}}, {"X-N", {"1"}}});
    CHECK(p->value == "value:with:colons");
}

TEST_CASE("an unclosed quote in a 2.1 parameter is read as plain text", "[vcard]") {
    const auto c = only_card(vcard("X-NICK;X-NOTE=5\" tall:Shorty\r\n", "2.1"));
    REQUIRE(property(c, "X-NICK"));
    CHECK(property(c, "X-NICK")->parameters == std::vector<crm::card_parameter>{{"X-NOTE", {"5\" tall"}}});
    CHECK(property(c, "X-NICK")->value == "Shorty");
}

TEST_CASE("a quoted parameter may hold ':' and RFC 6868 ^n", "[vcard]") {
    auto r = read_sample("scanner-4.0.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto* adr = property(r.cards[0], "ADR");
    REQUIRE(adr);
    REQUIRE(adr->parameters.size() == 2);
    CHECK(adr->parameters[1] == crm::card_parameter{"LABEL", {"Calle Ejemplo 12, 3º\nMadrid: 28001"}});
    REQUIRE(r.cards[0].person.addresses.size() == 1);
    CHECK(r.cards[0].person.addresses[0].street == "Calle Ejemplo 12, 3º");
    CHECK(r.cards[0].person.addresses[0].locality == "Madrid");
    CHECK(r.cards[0].person.phones.front() == labeled_value{"+34 91 555 01 00", "work"});
}

TEST_CASE("raw line breaks inside a NOTE are kept as part of the note", "[vcard]") {
    auto r = read_sample("scanner-4.0.vcf");
    REQUIRE(r.cards.size() == 1);
    const auto& p = r.cards[0].person;
    REQUIRE(p.notes.size() == 1);
    CHECK(p.notes[0].text ==
          "Scanned at Web Summit\nStand B-12\nTopic: hiring a CTO\n\nSecond paragraph of the card's back side.");
    CHECK(p.urls == std::vector<labeled_value>{{"https://www.example.es", ""}});
}

TEST_CASE("VERSION need not be the second line", "[vcard]") {
    auto r = read_sample("scanner-4.0.vcf");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].format == "vcard-4.0");
    CHECK(r.cards[0].person.display_name == "Lucía Fernández");
}

// ------------------------------------------------------------------------------ bytes and charsets

TEST_CASE("UTF-16 LE with a BOM is decoded", "[vcard]") {
    auto r = read_sample("utf16le-bom.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Søren Østergaard");
    CHECK(r.cards[0].person.notes.at(0).text == "Emoji survives: 🚀");
    CHECK(r.cards[0].line == 1);
}

TEST_CASE("UTF-16 BE without a BOM is recognized and decoded", "[vcard]") {
    auto r = read_sample("utf16be-nobom.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.name.family == "Østergaard");
    CHECK(r.cards[0].person.emails.at(0).value == "soren@example.dk");
}

TEST_CASE("UTF-16 BE with a BOM is decoded", "[vcard]") {
    const auto c = only_card("\xFE\xFF" + sample("utf16be-nobom.vcf"));
    CHECK(c.person.display_name == "Søren Østergaard");
    CHECK(c.person.notes.at(0).text == "Emoji survives: 🚀");
}

TEST_CASE("UTF-16 read from a stream in small pieces gives the same cards", "[vcard]") {
    const std::string bytes = sample("utf16le-bom.vcf");
    auto from_stream = read_stream(bytes);
    auto from_memory = read_text(bytes);
    REQUIRE(from_stream.cards.size() == 1);
    REQUIRE(from_memory.cards.size() == 1);
    CHECK(from_stream.cards[0].person == from_memory.cards[0].person);
    CHECK(from_stream.cards[0].properties == from_memory.cards[0].properties);
}

TEST_CASE("UTF-16 LE without a BOM is recognized", "[vcard]") {
    // U+00EB (ë) is the only code unit whose low byte is not ASCII.
    std::string le;
    for (char ch : std::string("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\xEB Ng\r\nEND:VCARD\r\n")) {
        le.push_back(ch);
        le.push_back('\0');
    }
    CHECK(only_card(le).person.display_name == "Zoë Ng");
}

TEST_CASE("a fold that splits a UTF-8 character is joined before decoding", "[vcard]") {
    auto r = read_sample("fold-split-utf8.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Zoé 日本");
    CHECK(property(r.cards[0], "FN")->value == "Zoé 日本");
}

TEST_CASE("a UTF-8 BOM before BEGIN:VCARD is skipped", "[vcard]") {
    auto r = read_sample("fold-split-utf8.vcf");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].line == 1);
    CHECK(r.cards[0].format == "vcard-4.0");
}

TEST_CASE("files joined with cat keep reading past the second file's BOM", "[vcard]") {
    const std::string one = "\xEF\xBB\xBF" + vcard("FN:One\r\n");
    auto r = read_text(one + one);
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[1].person.display_name == "One");
}

TEST_CASE("a Shift_JIS file without CHARSET is detected", "[vcard]") {
    auto r = read_sample("shift_jis.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    const auto& p = r.cards[0].person;
    CHECK(p.display_name == "山田 ソラ");
    CHECK(p.organization == "株式会社サンプル");
    CHECK(property(r.cards[0], "SOUND")->value == "ﾔﾏﾀﾞ;ｿﾗ;;;");
}

TEST_CASE("a Shift_JIS trail byte 0x5C is not taken for a backslash escape", "[vcard]") {
    // ソ is 0x83 0x5C and 表 is 0x95 0x5C: read as bytes, both would look like "\;" or "\n" escapes.
    auto r = read_sample("shift_jis.vcf");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.name.given == "ソラ");
    REQUIRE(r.cards[0].person.notes.size() == 1);
    CHECK(r.cards[0].person.notes[0].text == "展示会で名刺交換。表計算ソフトの話。");
}

TEST_CASE("CHARSET=SHIFT_JIS values are converted", "[vcard]") {
    auto r = read_sample("shift_jis.vcf");
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[1].person.display_name == "佐藤 花子");
    CHECK(r.cards[1].person.name.family == "佐藤");
}

TEST_CASE("a Latin-1 file without CHARSET is read as windows-1252", "[vcard]") {
    auto r = read_sample("latin1.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 1);
    const auto& p = r.cards[0].person;
    CHECK(p.display_name == "François Dubois");
    REQUIRE(p.addresses.size() == 1);
    CHECK(p.addresses[0].street == "5 Straße am See");
    CHECK(p.addresses[0].locality == "Zürich");
    CHECK(p.notes.at(0).text == "Aime le café. Don’t call before 9.");
}

TEST_CASE("a value that is valid UTF-8 is never re-decoded", "[vcard]") {
    // Valid UTF-8 wins even in a card whose other values need a guess.
    const auto c = only_card("BEGIN:VCARD\r\nFN:Zoë\r\nNOTE:caf\xE9\r\nEND:VCARD\r\n");
    CHECK(c.person.display_name == "Zoë");
    CHECK(c.person.notes.at(0).text == "café");
}

TEST_CASE("UTF-8 labelled ISO-8859-1 is taken as UTF-8", "[vcard]") {
    const auto c = only_card(vcard("FN;CHARSET=ISO-8859-1:Zoë\r\nN;CHARSET=ISO-8859-1:M\xFCller;;;;\r\n", "2.1"));
    CHECK(c.person.display_name == "Zoë");
    CHECK(c.person.name.family == "Müller");
}

TEST_CASE("an unlabelled value takes the CHARSET another value of its card names", "[vcard]") {
    // "\x83\x5C" alone proves nothing; the card's SHIFT_JIS label decides.
    const auto c = only_card(vcard("FN;CHARSET=SHIFT_JIS:\x83\x5C\x83\x89\r\nNOTE:\x83\x5C\r\n", "2.1"));
    CHECK(c.person.display_name == "ソラ");
    CHECK(c.person.notes.at(0).text == "ソ");
}

TEST_CASE("an unknown CHARSET is reported and the value's charset guessed", "[vcard]") {
    auto r = read_text(vcard("FN;CHARSET=X-MADE-UP:Fran\xE7ois\r\n", "2.1"));
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "François");
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(has_problem_containing(r.summary, "unknown CHARSET 'X-MADE-UP'"));
    CHECK(r.summary.problems[0].line == 3);
    CHECK(r.summary.problems[0].column == 22);
}

TEST_CASE("the legacy charset guess tells Shift_JIS from windows-1252", "[vcard]") {
    using crm::detail::guess_legacy_charset;
    using crm::detail::legacy_charset;
    CHECK(guess_legacy_charset("\x8E\x52\x93\x63\x20\x91\xBE\x98\x59") == legacy_charset::shift_jis);  // 山田 太郎
    CHECK(guess_legacy_charset("\x83\x65\x83\x58\x83\x67") == legacy_charset::shift_jis);              // テスト
    CHECK(guess_legacy_charset("H\xE9l\xE8ne") == legacy_charset::windows_1252);
    CHECK(guess_legacy_charset("M\xFCller") == legacy_charset::windows_1252);
    CHECK(guess_legacy_charset("O\x92\x42rien don\x92t") == legacy_charset::windows_1252);
    CHECK(guess_legacy_charset("\x91Quote\x92s") == legacy_charset::windows_1252);
    CHECK(guess_legacy_charset("j\xE4\xE4skel\xE4inen") == legacy_charset::windows_1252);
    CHECK(guess_legacy_charset("") == legacy_charset::windows_1252);
}

// ------------------------------------------------------------------------------ lines and folding

TEST_CASE("CRLF, LF, CR and CR CR LF line ends mix in one file", "[vcard]") {
    auto r = read_sample("line-endings.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].person.display_name == "Mixed Endings");
    CHECK(r.cards[0].person.name.family == "Endings");
    CHECK(r.cards[0].person.emails.at(0).value == "mixed@example.com");
    CHECK(r.cards[1].person.display_name == "Second Card");
    // CR CR LF is one line end, not two: the second card starts on line 11.
    CHECK(r.cards[1].line == 11);
}

TEST_CASE("a continuation line may start with a space or a tab", "[vcard]") {
    auto r = read_sample("line-endings.vcf");
    REQUIRE(!r.cards.empty());
    CHECK(r.cards[0].person.notes.at(0).text == "folded with a space andthen with a tab,still the note");
}

TEST_CASE("many cards in one file each reach the sink in order", "[vcard]") {
    std::string text;
    for (int i = 0; i < 500; ++i) text += vcard("FN:Person " + std::to_string(i) + "\r\n");
    auto r = read_text(text);
    CHECK(r.summary.problems.empty());
    CHECK(r.summary.cards == 500);
    REQUIRE(r.cards.size() == 500);
    CHECK(r.cards[0].person.display_name == "Person 0");
    CHECK(r.cards[499].person.display_name == "Person 499");
    CHECK(r.cards[499].line == 499 * 4 + 1);
}

TEST_CASE("blank lines between cards and between properties are ignored", "[vcard]") {
    auto r =
        read_text("\r\n\r\nBEGIN:VCARD\r\n\r\nFN:A\r\n\r\nEND:VCARD\r\n\r\n\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.cards[0].line == 3);
    CHECK(r.cards[1].line == 10);
}

TEST_CASE("card.line is the line of BEGIN and card.source the caller's label", "[vcard]") {
    auto r = read_text("\n\n" + vcard("FN:A\r\n"), "phone-export.vcf");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].line == 3);
    CHECK(r.cards[0].source == "phone-export.vcf");
    CHECK(r.cards[0].person.source.empty());
}

TEST_CASE("a missing VERSION is taken as vCard 3.0", "[vcard]") {
    CHECK(only_card("BEGIN:VCARD\r\nFN:No Version\r\nEND:VCARD\r\n").format == "vcard-3.0");
    CHECK(only_card(vcard("FN:A\r\n", "2.1")).format == "vcard-2.1");
    CHECK(only_card(vcard("FN:A\r\n", "4.0")).format == "vcard-4.0");
}

TEST_CASE("a raw line after an ADR continues its street", "[vcard]") {
    const auto c =
        only_card(vcard("ADR;TYPE=work:;;Unit 4\r\nExample Park;Leeds;;LS1 1AA;UK\r\nTEL:+44 113 496 0000\r\n"));
    REQUIRE(c.person.addresses.size() == 1);
    CHECK(c.person.addresses[0].street == "Unit 4\nExample Park");
    CHECK(c.person.addresses[0].locality == "Leeds");
    CHECK(c.person.phones.size() == 1);
}

TEST_CASE("a line without ':' after a TEL is reported, not glued to the number", "[vcard]") {
    auto r = read_text(vcard("TEL:+1 555 0100\r\nextension 12\r\nFN:A\r\n"));
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.phones == std::vector<labeled_value>{{"+1 555 0100", ""}});
    CHECK(r.cards[0].person.display_name == "A");
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 4);
    CHECK(r.summary.problems[0].column == 1);
}

TEST_CASE("an unindented 2.1 base64 block continues the PHOTO", "[vcard]") {
    const auto c =
        only_card(vcard("PHOTO;ENCODING=BASE64;TYPE=GIF:R0lGODdh\r\nfgA4AOYA\r\nAAAAAA==\r\n\r\nFN:A\r\n", "2.1"));
    CHECK(property(c, "PHOTO")->value == "R0lGODdhfgA4AOYAAAAAAA==");
    CHECK(c.person.display_name == "A");
}

TEST_CASE("a 2.1 AGENT's embedded card stays in the AGENT value and is not emitted", "[vcard]") {
    auto r = read_sample("agent-2.1.vcf");
    CHECK(r.summary.problems.empty());
    REQUIRE(r.cards.size() == 2);
    CHECK(r.summary.cards == 2);
    const auto& c = r.cards[0];
    CHECK(c.person.display_name == "Alex Rivera");
    CHECK(c.person.emails.at(0).value == "alex.rivera@example.com");
    const auto* agent = property(c, "AGENT");
    REQUIRE(agent);
    CHECK(agent->value ==
          "BEGIN:VCARD\nVERSION:2.1\nN:Friday;Fred;;;\nFN:Fred Friday\nTEL;WORK:+1 555 0191\nEND:VCARD");
    CHECK(c.person.phones.size() == 1);
    CHECK(r.cards[1].person.display_name == "Wei Chen");
    CHECK(r.cards[1].line == 15);
}

TEST_CASE("a vCard 3.0 AGENT with an escaped card is unescaped like text", "[vcard]") {
    const auto c = only_card(vcard("AGENT:BEGIN:VCARD\\nFN:Susan Thomas\\nEND:VCARD\r\nFN:Boss\r\n"));
    CHECK(property(c, "AGENT")->value == "BEGIN:VCARD\nFN:Susan Thomas\nEND:VCARD");
    CHECK(c.person.display_name == "Boss");
}

// ------------------------------------------------------------------------------ values and mapping

TEST_CASE("every property is kept in file order, BEGIN and END excepted", "[vcard]") {
    const auto c = only_card(vcard("X-FOO;X-BAR=1:baz\r\nFN:A\r\nMADE-UP-NAME:value\r\nitem1.X-ABLabel:L\r\n"));
    CHECK(property_names(c) == std::vector<std::string>{"VERSION", "X-FOO", "FN", "MADE-UP-NAME", "X-ABLABEL"});
    CHECK(property(c, "X-FOO")->parameters == std::vector<crm::card_parameter>{{"X-BAR", {"1"}}});
    CHECK(property(c, "X-ABLABEL")->group == "item1");
}

TEST_CASE("property and parameter names are upper-cased, values kept as written", "[vcard]") {
    const auto c = only_card(vcard("tel;type=Work,Voice;type=pref:+1 555 0100\r\n"));
    const auto* tel = property(c, "TEL");
    REQUIRE(tel);
    CHECK(tel->parameters == std::vector<crm::card_parameter>{{"TYPE", {"Work", "Voice"}}, {"TYPE", {"pref"}}});
    CHECK(c.person.phones == std::vector<labeled_value>{{"+1 555 0100", "work"}});
}

TEST_CASE("kinds drop noise words, call cell mobile and keep each word once", "[vcard]") {
    const auto c =
        only_card(vcard("TEL;TYPE=CELL;TYPE=VOICE;TYPE=pref:1\r\nTEL;TYPE=WORK,FAX,work:2\r\n"
                        "EMAIL;TYPE=INTERNET,pref:a@example.com\r\nTEL;TYPE=x-Assistant:3\r\n"
                        "ADR;TYPE=dom,postal,parcel,home:;;1 Example St;;;;\r\n"));
    CHECK(c.person.phones == std::vector<labeled_value>{{"1", "mobile"}, {"2", "work,fax"}, {"3", "assistant"}});
    CHECK(c.person.emails == std::vector<labeled_value>{{"a@example.com", ""}});
    CHECK(c.person.addresses.at(0).kind == "home");
}

TEST_CASE("text values are unescaped in properties, structured ones keep their escapes", "[vcard]") {
    const auto c = only_card(vcard("N:O\\;Brien;Pat\\, Jr;;;\r\nNOTE:a\\,b\\;c\\\\d\\Ne\\:f\r\nFN:C:\\temp\r\n"));
    CHECK(property(c, "N")->value == "O\\;Brien;Pat\\, Jr;;;");
    CHECK(property(c, "NOTE")->value == "a,b;c\\d\ne:f");
    // A backslash before a character with no escape meaning stands for that character.
    CHECK(property(c, "FN")->value == "C:temp");
    CHECK(c.person.name.family == "O;Brien");
    CHECK(c.person.name.given == "Pat, Jr");
}

TEST_CASE("Apple's and Gmail's \\\" and other unknown escapes read as the character in every text value",
          "[vcard]") {
    const auto c = only_card(vcard("FN:Jo \\\"JJ\\\" Doe\r\n"
                                   "N:Doe \\\"Sr\\\";Jo \\\"JJ\\\";\\Q;;\r\n"
                                   "ORG:\\\"Acme\\\" \\& Co\r\n"
                                   "TITLE:\\\"Chief\\\"\r\n"
                                   "ADR;TYPE=work:;;1 \\\"Main\\\" St;Spring\\field;;;\r\n"
                                   "NOTE:said \\\"hi\\\"\\tthere\r\n"
                                   "CATEGORIES:\\\"VIP\\\",b\\\\c\r\n"
                                   "X-PHONETIC-LAST-NAME:\\\"Do\\\"\r\n"));
    CHECK(c.person.display_name == "Jo \"JJ\" Doe");
    CHECK(c.person.name.family == "Doe \"Sr\"");
    CHECK(c.person.name.given == "Jo \"JJ\"");
    CHECK(c.person.name.additional == "Q");
    CHECK(c.person.organization == "\"Acme\" & Co");
    CHECK(c.person.title == "\"Chief\"");
    REQUIRE(c.person.addresses.size() == 1);
    CHECK(c.person.addresses[0].street == "1 \"Main\" St");
    CHECK(c.person.addresses[0].locality == "Springfield");
    REQUIRE(c.person.notes.size() == 1);
    CHECK(c.person.notes[0].text == "said \"hi\"tthere");
    CHECK(c.person.tags == std::vector<std::string>{"\"VIP\"", "b\\c"});
    REQUIRE(c.person.extra.size() == 1);
    CHECK(c.person.extra[0].value == "\"Do\"");
    // Structured values keep their escapes among the card's properties, as before.
    CHECK(property(c, "N")->value == "Doe \\\"Sr\\\";Jo \\\"JJ\\\";\\Q;;");
}

TEST_CASE("a backslash that ends a text value is kept", "[vcard]") {
    const auto c = only_card(vcard("FN:Jo\r\nNOTE:ends with \\\r\nN:Doe\\;Jo;;;\r\n"));
    CHECK(c.person.notes.at(0).text == "ends with \\");
    CHECK(c.person.name.family == "Doe;Jo");
}

TEST_CASE("N has family, given, additional, prefix and suffix in that order", "[vcard]") {
    const auto c = only_card(vcard("N:Stevenson;John;Philip,Paul;Dr.;Jr.,M.D.,A.C.P.\r\n"));
    CHECK(c.person.name.family == "Stevenson");
    CHECK(c.person.name.given == "John");
    CHECK(c.person.name.additional == "Philip,Paul");
    CHECK(c.person.name.prefix == "Dr.");
    CHECK(c.person.name.suffix == "Jr.,M.D.,A.C.P.");
}

TEST_CASE("a card with neither N nor FN keeps an empty display name", "[vcard]") {
    const auto c = only_card(vcard("EMAIL:someone@example.com\r\n"));
    CHECK(c.person.display_name.empty());
    CHECK(c.person.name.empty());
    const auto n_only = only_card(vcard("N:Doe;Jane;;;\r\n"));
    CHECK(n_only.person.display_name.empty());
    CHECK(n_only.person.name.given == "Jane");
}

TEST_CASE("each NOTE property is one note left unstamped for the store to stamp", "[vcard]") {
    const auto c = only_card(vcard("NOTE:first\r\nNOTE:\r\nNOTE:second\r\n"));
    REQUIRE(c.person.notes.size() == 2);
    CHECK(c.person.notes[0] == crm::note{crm::note::unstamped, "first"});
    CHECK(c.person.notes[1] == crm::note{crm::note::unstamped, "second"});
}

TEST_CASE("UID sets the card's uid", "[vcard]") {
    CHECK(only_card(vcard("UID:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\r\n")).uid ==
          "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
}

TEST_CASE("quoted-printable keeps an '=' that starts no escape", "[vcard]") {
    const auto c = only_card(vcard("NOTE;ENCODING=QUOTED-PRINTABLE:1+1=3D2 and x=y=e9\r\n", "2.1"));
    CHECK(c.person.notes.at(0).text == "1+1=2 and x=yé");
}

TEST_CASE("base64 text values are decoded before their charset", "[vcard]") {
    const auto c = only_card(vcard("FN;ENCODING=b;CHARSET=UTF-8:Wm/DqyBOZw==\r\n"));
    CHECK(c.person.display_name == "Zoë Ng");
}

// ------------------------------------------------------------------------------ birthdays

TEST_CASE("BDAY:--0415 keeps an unknown year", "[vcard]") {
    CHECK(only_card(vcard("BDAY:--0415\r\n", "4.0")).person.birthday == partial_date(date::April, 15_d));
}

TEST_CASE("BDAY:--04-15 keeps an unknown year", "[vcard]") {
    auto r = read_sample("google.vcf");
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.birthday == partial_date(date::April, 15_d));
}

TEST_CASE("BDAY:1985-04-15 and BDAY:19850415 are full dates", "[vcard]") {
    const partial_date expected(1985_y, date::April, 15_d);
    CHECK(only_card(vcard("BDAY:1985-04-15\r\n")).person.birthday == expected);
    CHECK(only_card(vcard("BDAY:19850415\r\n")).person.birthday == expected);
}

TEST_CASE("BDAY with a time keeps the date part", "[vcard]") {
    const partial_date expected(1985_y, date::April, 15_d);
    CHECK(only_card(vcard("BDAY:1985-04-15T00:00:00Z\r\n")).person.birthday == expected);
    CHECK(only_card(vcard("BDAY:19850415T000000\r\n")).person.birthday == expected);
}

TEST_CASE("X-APPLE-OMIT-YEAR names the placeholder year to drop", "[vcard]") {
    CHECK(only_card(vcard("BDAY;X-APPLE-OMIT-YEAR=1900:1900-04-15\r\n")).person.birthday ==
          partial_date(date::April, 15_d));
    // A year other than the placeholder is a real one.
    CHECK(only_card(vcard("BDAY;X-APPLE-OMIT-YEAR=1900:1985-04-15\r\n")).person.birthday ==
          partial_date(1985_y, date::April, 15_d));
}

TEST_CASE("BDAY in Apple's compact form with X-APPLE-OMIT-YEAR has no year", "[vcard]") {
    CHECK(only_card(vcard("BDAY;X-APPLE-OMIT-YEAR=1604;VALUE=DATE:16040105\r\n")).person.birthday ==
          partial_date(date::January, 5_d));
}

TEST_CASE("a BDAY that is not a date is reported and kept as a property", "[vcard]") {
    auto r = read_text(vcard("BDAY:next spring\r\n"));
    REQUIRE(r.cards.size() == 1);
    CHECK_FALSE(r.cards[0].person.birthday);
    CHECK(property(r.cards[0], "BDAY")->value == "next spring");
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 3);
    CHECK(r.summary.problems[0].column == 6);
    // vCard 4 says outright when a BDAY is text: nothing to report.
    CHECK(only_card(vcard("BDAY;VALUE=text:circa 1800\r\n", "4.0")).person.birthday == std::nullopt);
}

// ------------------------------------------------------------------------------ broken records

TEST_CASE("a BEGIN:VCARD without END before the next BEGIN is reported and its card kept", "[vcard]") {
    auto r = read_sample("broken.vcf");
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[0].person.display_name == "No End One");
    CHECK(r.cards[0].person.emails.at(0).value == "one@example.com");
    CHECK(r.cards[0].line == 1);
    CHECK(r.cards[1].line == 5);
    CHECK(std::count(r.summary.problems.begin(), r.summary.problems.end(),
                     read_problem{"broken.vcf", 1, 1,
                                  "BEGIN:VCARD has no END:VCARD before the next BEGIN:VCARD at line 5; the card was "
                                  "kept as read so far"}) == 1);
}

TEST_CASE("a content line with no colon is reported with line and column and the rest is read", "[vcard]") {
    auto r = read_sample("broken.vcf");
    REQUIRE(r.cards.size() == 3);
    const auto& c = r.cards[1];
    CHECK(c.person.display_name == "Has Bad Lines");
    CHECK(c.person.phones.size() == 1);
    CHECK(c.person.emails.at(0).value == "bad-lines@example.com");
    auto it = std::find_if(r.summary.problems.begin(), r.summary.problems.end(),
                           [](const read_problem& p) { return p.line == 9; });
    REQUIRE(it != r.summary.problems.end());
    CHECK(it->source == "broken.vcf");
    CHECK(it->column == 1);
    CHECK(it->reason.find("no ':'") != std::string::npos);
}

TEST_CASE("undecodable base64 is reported and its property dropped", "[vcard]") {
    auto r = read_sample("broken.vcf");
    REQUIRE(r.cards.size() == 3);
    CHECK(property(r.cards[1], "PHOTO") == nullptr);
    auto it = std::find_if(r.summary.problems.begin(), r.summary.problems.end(),
                           [](const read_problem& p) { return p.line == 10; });
    REQUIRE(it != r.summary.problems.end());
    CHECK(it->column == 28);
    CHECK(it->reason.find("base64") != std::string::npos);
}

TEST_CASE("END:VCARD without BEGIN is reported", "[vcard]") {
    auto r = read_sample("broken.vcf");
    CHECK(std::count(r.summary.problems.begin(), r.summary.problems.end(),
                     read_problem{"broken.vcf", 13, 1, "END:VCARD without a BEGIN:VCARD before it"}) == 1);
}

TEST_CASE("a card cut off by the end of the input is reported and kept", "[vcard]") {
    auto r = read_sample("broken.vcf");
    REQUIRE(r.cards.size() == 3);
    CHECK(r.cards[2].person.display_name == "Cut Off");
    CHECK(r.cards[2].person.notes.at(0).text == "the file ends here");
    CHECK(r.cards[2].line == 14);
    CHECK(r.summary.problems.size() == 5);
    CHECK(r.summary.problems.back() ==
          read_problem{"broken.vcf", 14, 1,
                       "BEGIN:VCARD has no END:VCARD before the end of the input; the card was kept as read so far"});
}

TEST_CASE("text outside any card is reported once per stretch", "[vcard]") {
    auto r = read_text("hello\r\nworld\r\n" + vcard("FN:A\r\n") + "trailing: junk\r\n");
    REQUIRE(r.cards.size() == 1);
    REQUIRE(r.summary.problems.size() == 2);
    CHECK(r.summary.problems[0].line == 1);
    CHECK(r.summary.problems[1].line == 7);
}

TEST_CASE("an ENCODING:UTF-8 line before the first card and between cards is skipped with its line", "[vcard]") {
    auto r = read_sample("quirks.vcf");
    REQUIRE(r.cards.size() == 6);
    CHECK(r.cards[0].line == 2);
    CHECK(r.cards[2].line == 21);
    const std::string outside = "text outside BEGIN:VCARD ... END:VCARD was ignored";
    CHECK(std::vector<read_problem>(r.summary.problems.begin(), r.summary.problems.end()) ==
          std::vector<read_problem>{{"quirks.vcf", 1, 1, outside}, {"quirks.vcf", 20, 1, outside}});
}

TEST_CASE("the quirks sample reads Apple's \\\" and the cards that carry only a URL, address, photo or handle",
          "[vcard]") {
    auto r = read_sample("quirks.vcf");
    REQUIRE(r.cards.size() == 6);
    const auto& ada = r.cards[0].person;
    CHECK(ada.display_name == "Dr. Adaeze \"Ngozi\" Okafor");
    CHECK(ada.name.family == "Okafor \"Ngozi\"");
    CHECK(ada.organization == "\"Bright Path\" Consulting");
    REQUIRE(ada.addresses.size() == 1);
    CHECK(ada.addresses[0].street == "12 \"Marina\" Road");
    REQUIRE(ada.notes.size() == 1);
    CHECK(ada.notes[0].text == "Said \"call me Ngozi\" at the Lagos fintech meetup.\n  Wants an intro to a designer.");
    CHECK(r.cards[1].person.urls == std::vector<labeled_value>{{"https://www.studio-lumen.example/team/mika/", ""}});
    CHECK(r.cards[2].person.addresses.at(0).locality == "Lyon");
    REQUIRE(r.cards[3].person.extra.size() == 1);
    CHECK(r.cards[3].person.extra[0].name == "PHOTO");
    CHECK(r.cards[4].person.extra == std::vector<crm::card_property>{{"", "X-SKYPE", {}, "tomas.novak"}});
}

TEST_CASE("an invalid character in a property name is reported at its column", "[vcard]") {
    auto r = read_text(vcard("FULL NAME:A B\r\nFN:A B\r\n"));
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "A B");
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 3);
    CHECK(r.summary.problems[0].column == 5);
}

TEST_CASE("problems in a folded line point at the physical line that holds them", "[vcard]") {
    auto r = read_text(vcard("PHOTO;ENCODING=b;\r\n TYPE=JPEG:AAAA\r\n  !!!!\r\n"));
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 4);
    CHECK(r.summary.problems[0].column == 12);
}

// ------------------------------------------------------------------------------ size and streaming

TEST_CASE("a PHOTO over 1 MiB is dropped with a problem and the card still read", "[vcard]") {
    const std::string big(crm::vcard::max_value_size + 10, 'A');
    std::string folded;
    for (std::size_t i = 0; i < big.size(); i += 74) folded += " " + big.substr(i, 74) + "\r\n";
    const std::string text =
        vcard("FN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:\r\n" + folded + "EMAIL:big@example.com\r\n");
    for (const auto& r : {read_text(text), read_stream(text)}) {
        REQUIRE(r.cards.size() == 1);
        const auto* photo = property(r.cards[0], "PHOTO");
        REQUIRE(photo);
        CHECK(photo->value.empty());
        CHECK(photo->parameters.size() == 2);
        CHECK(r.cards[0].person.emails.at(0).value == "big@example.com");
        REQUIRE(r.summary.problems.size() == 1);
        // Problems point at the value's first byte: here the first folded line after "PHOTO...:".
        CHECK(r.summary.problems[0].line == 5);
        CHECK(r.summary.problems[0].column == 2);
        CHECK(has_problem_containing(r.summary, "larger than 1 MiB"));
    }
}

TEST_CASE("a single 3 MiB line read from a stream is read through, not kept", "[vcard]") {
    const std::string text =
        vcard("PHOTO:data:image/png;base64," + std::string(3u << 20, 'A') + "\r\nFN:After\r\n", "4.0");
    auto r = read_stream(text);
    REQUIRE(r.cards.size() == 1);
    CHECK(property(r.cards[0], "PHOTO")->value.empty());
    CHECK(r.cards[0].person.display_name == "After");
    REQUIRE(r.summary.problems.size() == 1);
    CHECK(r.summary.problems[0].line == 3);
}

namespace {

// A stream of `count` generated cards that remembers how many bytes had been handed out when asked.
class generated_cards : public std::streambuf {
public:
    explicit generated_cards(int count) : count_(count) {}
    std::size_t produced() const noexcept { return produced_; }

protected:
    int_type underflow() override {
        if (next_ >= count_) return traits_type::eof();
        chunk_ = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Generated " + std::to_string(next_++) +
                 "\r\nNOTE:" + std::string(200, 'x') + "\r\nEND:VCARD\r\n";
        produced_ += chunk_.size();
        setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
        return traits_type::to_int_type(chunk_[0]);
    }

private:
    int count_;
    int next_ = 0;
    std::size_t produced_ = 0;
    std::string chunk_;
};

}  // namespace

TEST_CASE("each card reaches the sink as soon as it is complete, before the stream is read", "[vcard]") {
    generated_cards source(20000);  // about 5 MB
    std::istream in(&source);
    std::size_t produced_at_first = 0;
    std::size_t count = 0;
    auto summary = crm::vcard::read(in, "generated", [&](card&& c) {
        if (count++ == 0) produced_at_first = source.produced();
        CHECK(c.person.display_name.starts_with("Generated "));
    });
    CHECK(summary.cards == 20000);
    CHECK(count == 20000);
    CHECK(summary.problems.empty());
    CHECK(produced_at_first < 200000);
}

TEST_CASE("reading a string and reading a stream give the same cards", "[vcard]") {
    for (const char* name : {"ios-17.vcf", "android-2.1.vcf", "outlook-2.1.vcf", "shift_jis.vcf", "line-endings.vcf",
                             "broken.vcf", "agent-2.1.vcf", "utf16be-nobom.vcf"}) {
        INFO(name);
        const std::string bytes = sample(name);
        auto a = read_text(bytes, name);
        auto b = read_stream(bytes, name);
        REQUIRE(a.cards.size() == b.cards.size());
        for (std::size_t i = 0; i < a.cards.size(); ++i) {
            CHECK(a.cards[i].person == b.cards[i].person);
            CHECK(a.cards[i].properties == b.cards[i].properties);
            CHECK(a.cards[i].line == b.cards[i].line);
        }
        CHECK(a.summary.problems == b.summary.problems);
    }
}

TEST_CASE("the problem list stops growing after a thousand problems", "[vcard]") {
    std::string text = "BEGIN:VCARD\r\n";
    for (int i = 0; i < 5000; ++i) text += "not a property\r\n";
    text += "FN:Still Read\r\nEND:VCARD\r\n";
    auto r = read_text(text);
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Still Read");
    REQUIRE(r.summary.problems.size() == crm::max_listed_problems);
    CHECK(r.summary.problems[999].line == 1001);
    CHECK(r.summary.problems.more() == 4000);  // counted, not listed
}

TEST_CASE("a card of endless empty properties is cut at the card budget", "[vcard]") {
    std::string text = "BEGIN:VCARD\r\nFN:Huge\r\n";
    text.reserve(12u << 20);
    for (int i = 0; i < 1200000; ++i) text += "X-A:\r\n";
    text += "END:VCARD\r\n";
    auto r = read_text(text);
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Huge");
    CHECK(r.cards[0].properties.size() < 1100000);
    CHECK(has_problem_containing(r.summary, "more than 64 MiB"));
}

TEST_CASE("an empty input gives no cards and no problems", "[vcard]") {
    for (std::string_view text : {"", "\r\n\r\n", "\xEF\xBB\xBF", "\xFF\xFE"}) {
        auto r = read_text(text);
        CHECK(r.cards.empty());
        CHECK(r.summary.cards == 0);
        CHECK(r.summary.problems.empty());
    }
}

TEST_CASE("an exception thrown by the sink reaches the caller", "[vcard]") {
    CHECK_THROWS_AS(crm::vcard::read(vcard("FN:A\r\n"), "x", [](card&&) { throw std::runtime_error("full"); }),
                    std::runtime_error);
}

// ------------------------------------------------------------------------------ sniffing

TEST_CASE("looks_like_vcard recognizes BEGIN:VCARD after a BOM, blank lines or in UTF-16", "[vcard]") {
    using crm::vcard::looks_like_vcard;
    CHECK(looks_like_vcard("BEGIN:VCARD\r\nVERSION:3.0\r\n"));
    CHECK(looks_like_vcard("begin:vcard\n"));
    CHECK(looks_like_vcard("\xEF\xBB\xBF\r\n\r\n  BEGIN:VCARD\r\n"));
    CHECK(looks_like_vcard(sample("utf16le-bom.vcf").substr(0, 64)));
    CHECK(looks_like_vcard(sample("utf16be-nobom.vcf").substr(0, 64)));
    CHECK(looks_like_vcard(sample("outlook-2.1.vcf").substr(0, 40)));
    CHECK_FALSE(looks_like_vcard("BEGIN:VCALENDAR\r\n"));
    CHECK_FALSE(looks_like_vcard("MECARD:N:Doe,Jane;;"));
    CHECK_FALSE(looks_like_vcard("First Name,Last Name,E-mail Address\r\n"));
    CHECK_FALSE(looks_like_vcard("BEGIN:VCARDS\r\n"));
    CHECK_FALSE(looks_like_vcard(""));
}

TEST_CASE("looks_like_vcard looks past a few lines before BEGIN:VCARD, but not past quoted text", "[vcard]") {
    using crm::vcard::looks_like_vcard;
    CHECK(looks_like_vcard("ENCODING:UTF-8\r\nBEGIN:VCARD\r\nVERSION:3.0\r\n"));
    CHECK(looks_like_vcard("\xEF\xBB\xBF" "ENCODING:UTF-8\n\n  begin : vcard\n"));
    CHECK(looks_like_vcard(sample("quirks.vcf").substr(0, 40)));
    CHECK(crm::detect_format(sample("quirks.vcf")) == "vcard");
    std::string eight_lines;
    for (int i = 0; i < 8; ++i) eight_lines += "X-JUNK:" + std::to_string(i) + "\r\n";
    CHECK(looks_like_vcard(eight_lines + "BEGIN:VCARD\r\n"));
    CHECK_FALSE(looks_like_vcard("X-JUNK:9\r\n" + eight_lines + "BEGIN:VCARD\r\n"));
    // A CSV cell may hold a vCard; a MECARD stays a MECARD; text without BEGIN:VCARD is none.
    CHECK_FALSE(looks_like_vcard("Name,Card\r\n\"Ada\",\"\r\nBEGIN:VCARD\r\nEND:VCARD\"\r\n"));
    CHECK_FALSE(looks_like_vcard("MECARD:N:Doe,Jane;;\r\nBEGIN:VCARD\r\n"));
    CHECK_FALSE(looks_like_vcard("ENCODING:UTF-8\r\nBEGIN:VCALENDAR\r\n"));
    CHECK_FALSE(looks_like_vcard("ENCODING:UTF-8"));
}

TEST_CASE("a note time written by netcrm as X-NETCRM-NOTE-AT is read back", "[vcard]") {
    std::vector<crm::card> cards;
    crm::vcard::read(std::string_view("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\n"
                                      "NOTE;X-NETCRM-NOTE-AT=20261008T174000Z:likes jazz\r\n"
                                      "NOTE;X-NETCRM-NOTE-AT=garbage:no time\r\nEND:VCARD\r\n"),
                     "t.vcf", [&](crm::card&& c) { cards.push_back(std::move(c)); });
    REQUIRE(cards.size() == 1);
    REQUIRE(cards[0].person.notes.size() == 2);
    CHECK(cards[0].person.notes[0].at == date::sys_days{date::year{2026} / 10 / 8} + std::chrono::hours{17} +
                                             std::chrono::minutes{40});
    CHECK(cards[0].person.notes[1].at == crm::note::unstamped);
}

TEST_CASE("properties no field holds go to the contact's extra, labels with what they label", "[vcard]") {
    std::vector<crm::card> cards;
    crm::vcard::read(std::string_view("BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iOS 17//EN\r\n"
                                      "N:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nORG:Engines;Research\r\n"
                                      "item1.EMAIL:ada@example.com\r\nitem1.X-ABLabel:_$!<Work>!$_\r\n"
                                      "item2.X-CUSTOM:kept\r\nitem2.X-ABLabel:mine\r\nUID:abc-1\r\n"
                                      "X-NETCRM-HOW-MET:Paris meetup\r\nREV:2026-01-01T00:00:00Z\r\nEND:VCARD\r\n"),
                     "t.vcf", [&](crm::card&& c) { cards.push_back(std::move(c)); });
    REQUIRE(cards.size() == 1);
    const auto& c = cards[0].person;
    std::vector<std::string> names;
    for (const auto& p : c.extra) names.push_back(p.group + "." + p.name);
    CHECK(names == std::vector<std::string>{".ORG", "item2.X-CUSTOM", "item2.X-ABLABEL", ".UID"});
    CHECK(c.organization == "Engines");
    CHECK(c.how_met == "Paris meetup");
    CHECK(c.emails == std::vector<crm::labeled_value>{{"ada@example.com", "work"}});
}
