// contact: the rules normalize_and_validate enforces on every contact before it is stored.
#include "crm/contact.hpp"
#include "crm/error.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace date::literals;
using crm::contact;
using crm::normalize_and_validate;

namespace {

contact named(std::string display_name) {
    contact c;
    c.display_name = std::move(display_name);
    return c;
}

// Bytes that are not UTF-8, each for a different reason.
const std::vector<std::pair<const char*, std::string>> bad_utf8{
    {"a lone continuation byte", std::string("caf\x80")},
    {"a truncated sequence", std::string("\xE2\x82")},
    {"an overlong encoding of '/'", std::string("\xC0\xAF")},
    {"an overlong three-byte sequence", std::string("\xE0\x80\xAF")},
    {"a UTF-16 surrogate", std::string("\xED\xA0\x80")},
    {"a code point above U+10FFFF", std::string("\xF4\x90\x80\x80")},
    {"a Latin-1 byte", std::string("H\xE9l\xE8ne")},
    {"0xFF", std::string("\xFF")},
};

}  // namespace

TEST_CASE("the display name is derived from the structured name when empty", "[contact]") {
    contact c;
    c.name.prefix = "Dr.";
    c.name.given = "Hélène";
    c.name.family = "Lefèvre";
    c.name.suffix = "Jr.";
    normalize_and_validate(c);
    CHECK(c.display_name == "Dr. Hélène Lefèvre Jr.");
}

TEST_CASE("a formatted name joins parts by single spaces and skips empty or blank parts", "[contact]") {
    crm::structured_name n;
    n.given = "  Ada ";
    n.additional = "   ";
    n.family = "Lovelace";
    CHECK(n.formatted() == "Ada Lovelace");
    CHECK_FALSE(n.empty());
    CHECK(crm::structured_name{}.empty());
    CHECK(crm::structured_name{}.formatted().empty());
}

TEST_CASE("a display name that is only whitespace is replaced by the derived one", "[contact]") {
    contact c = named(" \t\n ");
    c.name.given = "Ada";
    c.name.family = "Lovelace";
    normalize_and_validate(c);
    CHECK(c.display_name == "Ada Lovelace");
}

TEST_CASE("a given display name is kept, trimmed, rather than derived", "[contact]") {
    contact c = named("  Ada  ");
    c.name.given = "Augusta";
    c.name.family = "King";
    normalize_and_validate(c);
    CHECK(c.display_name == "Ada");
}

TEST_CASE("without a name the display name falls back to organization, then email, then phone", "[contact]") {
    contact org;
    org.organization = " Acme Corp ";
    org.emails = {{"info@acme.example", "work"}};
    normalize_and_validate(org);
    CHECK(org.display_name == "Acme Corp");

    contact mail;
    mail.emails = {{" first@example.com ", "home"}, {"second@example.com", "work"}};
    mail.phones = {{"+33 6 12 34 56 78", "mobile"}};
    normalize_and_validate(mail);
    CHECK(mail.display_name == "first@example.com");

    contact phone;
    phone.phones = {{"+1 212 555 0100", "work"}};
    normalize_and_validate(phone);
    CHECK(phone.display_name == "+1 212 555 0100");
}

TEST_CASE("a contact with nothing to call it by is rejected, saying what would do", "[contact]") {
    contact c;
    c.title = "Engineer";
    c.how_met = "Conference";
    c.tags = {"friend"};
    c.birthday = crm::partial_date(date::April, 15_d);
    c.notes = {{{}, "met at the bar"}};
    c.extra = {{"", "X-CUSTOM", {}, "kept"}, {"", "PHOTO", {}, ""}, {"", "X-SKYPE", {}, "  "}};
    CHECK_THROWS_WITH(normalize_and_validate(c),
                      "a contact needs a name, an organization, an email address, a phone number, an IM handle, a "
                      "URL, an address or a photo");
    contact blank = named("   ");
    CHECK_THROWS_AS(normalize_and_validate(blank), crm::invalid_input);
}

TEST_CASE("without name, organization, email or phone the display name comes from an IM handle, URL, address or photo",
          "[contact]") {
    auto derived = [](contact c) {
        normalize_and_validate(c);
        return c.display_name;
    };
    contact im;
    im.extra = {{"", "X-CUSTOM", {}, "not a handle"}, {"", "x-skype", {}, " jo.doe "}};
    im.urls = {{"https://example.com", ""}};
    CHECK(derived(im) == "jo.doe");
    contact impp;
    impp.extra = {{"", "IMPP", {}, "xmpp:jo@example.org"}};
    CHECK(derived(impp) == "jo@example.org");

    auto with_url = [](std::string url) {
        contact c;
        c.urls = {{std::move(url), ""}};
        c.addresses = {{"home", "", "", "1 Main St", "Springfield", "", "", ""}};
        return c;
    };
    CHECK(derived(with_url("https://www.linkedin.com/in/jdoe/?trk=card#top")) == "linkedin.com/in/jdoe");
    CHECK(derived(with_url("skype:jdoe?call")) == "jdoe");
    CHECK(derived(with_url("example.com:8080/x")) == "example.com:8080/x");
    CHECK(derived(with_url("https://")) == "https://");

    auto with_address = [](crm::postal_address a) {
        contact c;
        c.addresses = {std::move(a)};
        c.extra = {{"", "PHOTO", {}, "/9j/4AAQSkZJRgABAQ"}};
        return c;
    };
    CHECK(derived(with_address({"", "", "", "12 Rue de Rivoli\nBâtiment B", " Paris ", "", "", "France"})) ==
          "12 Rue de Rivoli, Paris");
    CHECK(derived(with_address({"", "", "", "12 Rue de Rivoli", "", "", "", "France"})) == "12 Rue de Rivoli");
    CHECK(derived(with_address({"", "", "", "", "Paris", "IDF", "", "France"})) == "Paris");
    CHECK(derived(with_address({"", "BP 12", "", "", "", "", "", "France"})) == "France");

    contact photo;
    photo.extra = {{"", "Photo", {}, "https://photos.example/sam.jpg"}};  // a CSV column keeps its header
    CHECK(derived(photo) == "Photo contact");
    CHECK(photo.extra.size() == 1);
}

TEST_CASE("white space at the ends of every text field goes when stored, inner text stays", "[contact]") {
    contact c;
    c.name = {" Dr. ", "\tAda ", " Augusta ", " King\n", " Jr. "};
    c.organization = "  Analytical Engines ";
    c.title = " Countess\t";
    c.how_met = " Babbage's salon ";
    c.source = " manual ";
    c.addresses = {{" home ", " BP 1 ", " Flat 2 ", " 12 St James's Sq\n  (rear) ", " London ", " ", " SW1 ", " UK "}};
    c.notes = {{crm::note::unstamped, "\n  Likes  engines.\n    Indented line.  \n"}};
    normalize_and_validate(c);
    CHECK(c.name == crm::structured_name{"Dr.", "Ada", "Augusta", "King", "Jr."});
    CHECK(c.display_name == "Dr. Ada Augusta King Jr.");
    CHECK(c.organization == "Analytical Engines");
    CHECK(c.title == "Countess");
    CHECK(c.how_met == "Babbage's salon");
    CHECK(c.source == "manual");
    CHECK(c.addresses.at(0) ==
          crm::postal_address{"home", "BP 1", "Flat 2", "12 St James's Sq\n  (rear)", "London", "", "SW1", "UK"});
    CHECK(c.notes.at(0).text == "Likes  engines.\n    Indented line.");
}

TEST_CASE("an address of blanks only is as empty as one with no parts", "[contact]") {
    contact c = named("Ada");
    c.addresses = {{"home", " ", "\t", "", "  ", "", "", "\n"}};
    CHECK_THROWS_WITH(normalize_and_validate(c), Catch::Contains("addresses[0] is empty"));
}

TEST_CASE("tags are trimmed, blank tags dropped and duplicates removed keeping the first", "[contact]") {
    contact c = named("Ada");
    c.tags = {" vip ", "investor", "", "vip", "   ", "investor\t", "Paris"};
    normalize_and_validate(c);
    CHECK(c.tags == std::vector<std::string>{"vip", "investor", "Paris"});
}

TEST_CASE("tags differing only in case are both kept", "[contact]") {
    contact c = named("Ada");
    c.tags = {"VIP", "vip"};
    normalize_and_validate(c);
    CHECK(c.tags == std::vector<std::string>{"VIP", "vip"});
}

TEST_CASE("email, phone and URL values and kinds are trimmed", "[contact]") {
    contact c = named("Ada");
    c.emails = {{"  ada@example.com\n", " work "}};
    c.phones = {{"\t+44 20 7946 0000 ", "mobile "}};
    c.urls = {{" https://ada.example ", " home"}};
    normalize_and_validate(c);
    CHECK(c.emails.front() == crm::labeled_value{"ada@example.com", "work"});
    CHECK(c.phones.front() == crm::labeled_value{"+44 20 7946 0000", "mobile"});
    CHECK(c.urls.front() == crm::labeled_value{"https://ada.example", "home"});
}

TEST_CASE("an empty email, phone or URL value is rejected naming its position", "[contact]") {
    contact c = named("Ada");
    c.emails = {{"ada@example.com", "work"}, {"  ", "home"}};
    CHECK_THROWS_WITH(normalize_and_validate(c), Catch::Contains("emails[1]"));
    contact p = named("Ada");
    p.phones = {{"", "mobile"}};
    CHECK_THROWS_AS(normalize_and_validate(p), crm::invalid_input);
    contact u = named("Ada");
    u.urls = {{"", ""}};
    CHECK_THROWS_WITH(normalize_and_validate(u), Catch::Contains("urls[0]"));
}

TEST_CASE("an address with no part filled in is rejected, its kind alone is not enough", "[contact]") {
    contact c = named("Ada");
    c.addresses = {crm::postal_address{}};
    c.addresses.front().kind = "work";
    CHECK_THROWS_AS(normalize_and_validate(c), crm::invalid_input);
    CHECK_THROWS_WITH(normalize_and_validate(c), Catch::Contains("addresses[0]"));
}

TEST_CASE("invalid UTF-8 in any text field is rejected with invalid_input naming the field", "[contact]") {
    using setter = std::function<void(contact&, const std::string&)>;
    const std::vector<std::pair<std::string, setter>> fields{
        {"display_name", [](contact& c, const std::string& s) { c.display_name = s; }},
        {"name.prefix", [](contact& c, const std::string& s) { c.name.prefix = s; }},
        {"name.given", [](contact& c, const std::string& s) { c.name.given = s; }},
        {"name.additional", [](contact& c, const std::string& s) { c.name.additional = s; }},
        {"name.family", [](contact& c, const std::string& s) { c.name.family = s; }},
        {"name.suffix", [](contact& c, const std::string& s) { c.name.suffix = s; }},
        {"organization", [](contact& c, const std::string& s) { c.organization = s; }},
        {"title", [](contact& c, const std::string& s) { c.title = s; }},
        {"how_met", [](contact& c, const std::string& s) { c.how_met = s; }},
        {"source", [](contact& c, const std::string& s) { c.source = s; }},
        {"emails[1].value",
         [](contact& c, const std::string& s) { c.emails = {{"ok@example.com", ""}, {s, "work"}}; }},
        {"emails[0].kind", [](contact& c, const std::string& s) { c.emails = {{"ok@example.com", s}}; }},
        {"phones[0].value", [](contact& c, const std::string& s) { c.phones = {{s, "mobile"}}; }},
        {"urls[0].value", [](contact& c, const std::string& s) { c.urls = {{s, ""}}; }},
        {"addresses[0]",
         [](contact& c, const std::string& s) {
             c.addresses = {crm::postal_address{}};
             c.addresses[0].locality = s;
         }},
        {"tags[2]", [](contact& c, const std::string& s) { c.tags = {"a", "b", s}; }},
        {"notes[1].text", [](contact& c, const std::string& s) { c.notes = {{{}, "fine"}, {{}, s}}; }},
    };
    for (const auto& [field, set] : fields) {
        for (const auto& [why, bytes] : bad_utf8) {
            INFO(field << " holding " << why);
            contact c = named("Ada");
            set(c, bytes);
            CHECK_THROWS_AS(normalize_and_validate(c), crm::invalid_input);
            CHECK_THROWS_WITH(normalize_and_validate(c), Catch::Contains(field));
        }
    }
}

TEST_CASE("a NUL byte in a text field is rejected with invalid_input naming the field", "[contact]") {
    const std::string with_nul("Ada\0Lovelace", 12);
    contact c = named("Ada");
    c.name.family = with_nul;
    CHECK_THROWS_AS(normalize_and_validate(c), crm::invalid_input);
    CHECK_THROWS_WITH(normalize_and_validate(c), Catch::Contains("name.family") && Catch::Contains("NUL"));

    contact d = named(with_nul);
    CHECK_THROWS_WITH(normalize_and_validate(d), Catch::Contains("display_name"));

    contact t = named("Ada");
    t.tags = {std::string("\0", 1)};
    CHECK_THROWS_WITH(normalize_and_validate(t), Catch::Contains("tags[0]"));
}

TEST_CASE("valid multi-byte UTF-8 of every length is accepted unchanged", "[contact]") {
    contact c = named("Hélène Lefèvre");
    c.organization = "東京大学";                        // three-byte sequences
    c.title = "Ελληνικά";                                // two-byte sequences
    c.how_met = "At the 🎉 party, U+10FFFF: \xF4\x8F\xBF\xBF";  // four-byte sequences
    const contact before = c;
    normalize_and_validate(c);
    CHECK(c.display_name == before.display_name);
    CHECK(c.organization == before.organization);
    CHECK(c.title == before.title);
    CHECK(c.how_met == before.how_met);
}

TEST_CASE("an invalid birthday is rejected with invalid_input naming the birthday", "[contact]") {
    contact c = named("Ada");
    c.birthday = crm::partial_date(2023_y, date::February, 29_d);
    CHECK_THROWS_AS(normalize_and_validate(c), crm::invalid_input);
    CHECK_THROWS_WITH(normalize_and_validate(c), Catch::Contains("birthday"));

    contact d = named("Ada");
    d.birthday = crm::partial_date(date::month{13}, 1_d);
    CHECK_THROWS_AS(normalize_and_validate(d), crm::invalid_input);
}

TEST_CASE("a birthday on February 29 without a year is accepted", "[contact]") {
    contact c = named("Ada");
    c.birthday = crm::partial_date(date::February, 29_d);
    REQUIRE_NOTHROW(normalize_and_validate(c));
    CHECK(c.birthday->to_string() == "--02-29");
}

TEST_CASE("a stored contact introduced by itself is rejected", "[contact]") {
    contact c = named("Ada");
    c.id = 7;
    c.introduced_by = 7;
    CHECK_THROWS_AS(normalize_and_validate(c), crm::invalid_input);
    c.introduced_by = 8;
    CHECK_NOTHROW(normalize_and_validate(c));
}

TEST_CASE("normalizing twice changes nothing more", "[contact]") {
    contact c;
    c.name.given = " Ada ";
    c.name.family = "Lovelace";
    c.tags = {" math ", "math", "poetry "};
    c.emails = {{" ada@example.com ", " home "}};
    normalize_and_validate(c);
    const contact once = c;
    normalize_and_validate(c);
    CHECK(c == once);
}
