// Import batches: matching, duplicate policies, reports, undo, and all-or-nothing writes.
#include <catch2/catch.hpp>

#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/importer.hpp"
#include "crm/reader.hpp"
#include "crm/store.hpp"
#include "detail/contact_rows.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/Database.h>

#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <stdexcept>

using namespace crm;

namespace {

std::string vcard(const std::string& fn, const std::string& email, const std::string& extra = "") {
    return "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + fn + "\r\nEMAIL;TYPE=work:" + email + "\r\n" + extra +
           "END:VCARD\r\n";
}

const std::string three = vcard("Ada Lovelace", "ada@example.com", "ORG:Engines\r\n") +
                          vcard("Grace Hopper", "grace@example.com", "TEL:+1 415 555 0100\r\n") +
                          vcard("Hélène Lefèvre", "helene@example.fr", "NOTE:likes jazz\r\nX-CUSTOM:kept\r\n");

struct fixture {
    crm::test::temp_dir dir;
    store s = store::open(dir.file("crm.db"));
    contact_store& contacts = s.contacts();
    import_log& imports = s.imports();
};

}  // namespace

TEST_CASE("importing a vCard file adds every card and records a batch", "[importer]") {
    fixture f;
    auto r = f.imports.import_text(three, "cards.vcf");
    CHECK(r.read == 3);
    CHECK(r.added == 3);
    CHECK(r.merged == 0);
    CHECK(r.rejected.empty());
    CHECK(r.format == "vcard");
    CHECK(f.contacts.count() == 3);
    auto batches = f.imports.batches();
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].id == r.batch);
    CHECK(batches[0].added == 3);
    CHECK(batches[0].source == "cards.vcf");
    auto helene = f.contacts.search("helene");
    REQUIRE(helene.size() == 1);
    CHECK(helene[0].notes.at(0).text == "likes jazz");
    CHECK(helene[0].source == "cards.vcf");
}

TEST_CASE("re-importing the same file merges instead of duplicating", "[importer]") {
    fixture f;
    f.imports.import_text(three, "cards.vcf");
    auto r = f.imports.import_text(three, "cards.vcf");
    CHECK(r.added == 0);
    CHECK(r.merged == 3);
    CHECK(f.contacts.count() == 3);
    auto ada = f.contacts.search("ada").at(0);
    CHECK(ada.emails.size() == 1);
}

TEST_CASE("the skip policy leaves known people out and create always adds, suggesting the pair", "[importer]") {
    fixture f;
    f.imports.import_text(three, "cards.vcf");
    import_options skip;
    skip.on_duplicate = duplicate_policy::skip;
    auto r = f.imports.import_text(three, "again.vcf", skip);
    CHECK(r.skipped == 3);
    CHECK(f.contacts.count() == 3);
    import_options create;
    create.on_duplicate = duplicate_policy::create;
    r = f.imports.import_text(three, "again.vcf", create);
    CHECK(r.added == 3);
    CHECK(r.suggested.size() == 3);
    CHECK(r.suggested.at(0).reason == "same email address");
    CHECK(f.contacts.count() == 6);
}

TEST_CASE("two cards of one person in a file become one contact with the facts of both", "[importer]") {
    fixture f;
    auto r = f.imports.import_text(vcard("Ada Lovelace", "ADA@Example.com", "TEL:+44 20 7946 0000\r\n") +
                                       vcard("A. Lovelace", "ADA@example.COM", "TITLE:Countess\r\n"),
                                   "dup.vcf");
    CHECK(r.added == 1);
    CHECK(r.merged == 1);
    auto all = f.contacts.list();
    REQUIRE(all.size() == 1);
    CHECK(all[0].title == "Countess");
    CHECK(all[0].phones.size() == 1);
}

TEST_CASE("phone numbers match in E.164 once the default region is set", "[importer]") {
    fixture f;
    f.s.set_default_region("FR");
    auto r = f.imports.import_text(vcard("Marc Dubois", "marc@a.example", "TEL:06 12 34 56 78\r\n") +
                                       vcard("M. Dubois", "marc@b.example", "TEL:+33 6 12 34 56 78\r\n"),
                                   "phones.vcf");
    CHECK(r.added == 1);
    CHECK(r.merged == 1);
}

TEST_CASE("the same folded name at the same organization is only suggested", "[importer]") {
    fixture f;
    auto r = f.imports.import_text(vcard("Zoë Martin", "zoe@a.example", "ORG:Lumen\r\n") +
                                       vcard("ZOE MARTIN", "zoe@b.example", "ORG:lumen\r\n"),
                                   "names.vcf");
    CHECK(r.added == 2);
    REQUIRE(r.suggested.size() == 1);
    CHECK(r.suggested[0].reason == "same name at the same organization");
    CHECK(r.suggested[0].line == 7);
}

TEST_CASE("tags and where-we-met given to an import mark every contact it creates", "[importer]") {
    fixture f;
    import_options o;
    o.tags = {"potential-client", "meetup"};
    o.how_met = "Paris Design Meetup";
    f.imports.import_text(three, "cards.vcf", o);
    for (const auto& c : f.contacts.list()) {
        CHECK(c.how_met == "Paris Design Meetup");
        CHECK(std::find(c.tags.begin(), c.tags.end(), "potential-client") != c.tags.end());
    }
    CHECK(f.imports.batch(1).tags == std::vector<std::string>{"potential-client", "meetup"});
}

TEST_CASE("unknown properties of an imported card are kept on the contact", "[importer]") {
    fixture f;
    f.imports.import_text(three, "cards.vcf");
    auto helene = f.contacts.search("helene").at(0);
    bool kept = false;
    for (const auto& p : helene.extra) kept = kept || (p.name == "X-CUSTOM" && p.value == "kept");
    CHECK(kept);
}

TEST_CASE("undo deletes what a batch added and restores what it merged into", "[importer]") {
    fixture f;
    auto first = f.imports.import_text(vcard("Ada Lovelace", "ada@example.com"), "one.vcf");
    auto before = f.contacts.list().at(0);
    auto second = f.imports.import_text(vcard("Ada L.", "ada@example.com", "TITLE:Countess\r\n") +
                                            vcard("Grace Hopper", "grace@example.com"),
                                        "two.vcf");
    REQUIRE(second.merged == 1);
    REQUIRE(second.added == 1);
    CHECK(f.imports.changes(second.batch).size() == 2);
    f.imports.undo(second.batch);
    auto all = f.contacts.list();
    REQUIRE(all.size() == 1);
    CHECK(all[0] == before);
    CHECK(f.imports.batch(second.batch).undone_at.has_value());
    CHECK_THROWS_AS(f.imports.undo(second.batch), crm::error);
    CHECK(first.added == 1);
}

TEST_CASE("undo refuses when an imported contact changed afterwards, unless forced", "[importer]") {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{crm::test::at(date::year{2026} / 11 / 1)};
    auto s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    auto r = s.imports().import_text(vcard("Ada Lovelace", "ada@example.com"), "one.vcf");
    clock.set(crm::test::at(date::year{2026} / 11 / 1, std::chrono::hours{1}));
    auto ada = s.contacts().list().at(0);
    ada.title = "Countess";
    s.contacts().update(ada);
    CHECK_THROWS_WITH(s.imports().undo(r.batch), Catch::Contains("changed after"));
    CHECK(s.contacts().count() == 1);
    s.imports().undo(r.batch, true);
    CHECK(s.contacts().count() == 0);
}

TEST_CASE("a broken record is reported with its line and the rest is imported", "[importer]") {
    fixture f;
    std::string text = vcard("Ada Lovelace", "ada@example.com") +
                       "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nthis line has no colon\r\nEND:VCARD\r\n" +
                       vcard("Grace Hopper", "grace@example.com");
    auto r = f.imports.import_text(text, "broken.vcf");
    CHECK(r.added >= 2);
    REQUIRE_FALSE(r.rejected.empty());
    CHECK(r.rejected[0].source == "broken.vcf");
    CHECK(r.rejected[0].line == 9);
    auto again = f.imports.report(r.batch);
    CHECK(again.rejected == r.rejected);
}

TEST_CASE("a card with nothing to store is rejected with its line and the reason", "[importer]") {
    fixture f;
    auto r = f.imports.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:just a note\r\nEND:VCARD\r\n" +
                                       vcard("Ada Lovelace", "ada@example.com"),
                                   "empty.vcf");
    CHECK(r.added == 1);
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].line == 1);
    CHECK_THAT(r.rejected[0].reason, Catch::Contains("needs a name"));
}

TEST_CASE("a vCard file with an ENCODING:UTF-8 line before its first card imports every card", "[importer]") {
    fixture f;
    auto r = f.imports.import_text("ENCODING:UTF-8\r\n" + three, "phone.vcf");
    CHECK(r.format == "vcard");
    CHECK(r.added == 3);
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].line == 1);
    CHECK_THAT(r.rejected[0].reason, Catch::Contains("outside BEGIN:VCARD"));
}

TEST_CASE("cards whose only data is an IM handle, a URL, an address or a photo are kept with a derived name",
          "[importer]") {
    fixture f;
    auto r = f.imports.import_file(std::string(NETCRM_TEST_DATA_DIR) + "/vcard/quirks.vcf");
    CHECK(r.added == 5);
    auto names = [&] {
        std::vector<std::string> out;
        for (const auto& c : f.contacts.list()) out.push_back(c.display_name);
        return out;
    };
    CHECK(names() == std::vector<std::string>{"24 Rue des Lilas, Lyon", "Dr. Adaeze \"Ngozi\" Okafor", "Photo contact",
                                              "studio-lumen.example/team/mika", "tomas.novak"});
    // The junk lines, then the card with only a note: rejected with its file and line.
    REQUIRE(r.rejected.size() == 3);
    CHECK(r.rejected[2].source.ends_with("quirks.vcf"));
    CHECK(r.rejected[2].line == 34);
    CHECK_THAT(r.rejected[2].reason, Catch::Contains("needs a name") && Catch::Contains("a URL, an address or a photo"));
    // The handle is an IM handle of its service, not a kept X- property.
    const auto tomas = f.contacts.list().back();
    CHECK(tomas.ims == std::vector<labeled_value>{{"tomas.novak", "skype"}});
    CHECK(std::none_of(tomas.extra.begin(), tomas.extra.end(), [](const card_property& p) { return p.name == "X-SKYPE"; }));

    fixture g;
    auto impp = g.imports.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nIMPP;X-SERVICE-TYPE=Skype:skype:jo.doe\r\n"
                                      "END:VCARD\r\n", "impp.vcf");
    CHECK(impp.added == 1);
    CHECK(g.contacts.list().at(0).display_name == "jo.doe");
}

TEST_CASE("a MECARD or a CSV row with only a URL or an address is kept, one with nothing is rejected", "[importer]") {
    fixture f;
    auto qr = f.imports.import_text("MECARD:URL:https://www.example.org/jo/;;\r\n"
                                    "MECARD:ADR:,,5 Quai Voltaire,Paris,,75007,France;;\r\n"
                                    "MECARD:NOTE:nothing else;;\r\n",
                                    "qr.txt");
    CHECK(qr.format == "mecard");
    CHECK(qr.added == 2);
    REQUIRE(qr.rejected.size() == 1);
    CHECK(qr.rejected[0].source == "qr.txt");
    CHECK(qr.rejected[0].line == 3);

    fixture g;
    auto csv = g.imports.import_text("Name,Website,City,Photo,Notes\r\n"
                                     ",https://sam.example.net/,,,\r\n"
                                     ",,Lyon,,\r\n"
                                     ",,,https://photos.example/sam.jpg,\r\n"
                                     ",,,,only a note\r\n",
                                     "people.csv");
    CHECK(csv.added == 3);
    REQUIRE(csv.rejected.size() == 1);
    CHECK(csv.rejected[0].source == "people.csv");
    CHECK(csv.rejected[0].line == 5);
    std::vector<std::string> names;
    for (const auto& c : g.contacts.list()) names.push_back(c.display_name);
    CHECK(names == std::vector<std::string>{"Lyon", "Photo contact", "sam.example.net"});
    std::vector<std::string> qr_names;
    for (const auto& c : f.contacts.list()) qr_names.push_back(c.display_name);
    CHECK(qr_names == std::vector<std::string>{"5 Quai Voltaire, Paris", "example.org/jo"});
}

TEST_CASE("a NUL byte in a CSV row is refused with the row's line, as a NUL in a vCard is", "[importer]") {
    fixture f;
    const std::string nul(1, '\0');
    auto v = f.imports.import_text(vcard("Ada Lovelace", "ada@example.com") + vcard("Gr" + nul + "ace Hopper", "grace@example.com"),
                                   "nul.vcf");
    auto c = f.imports.import_text("Name,Email\r\nAda Lovelace,ada@example.com\r\n\"Gr" + nul +
                                       "ace\r\nHopper\",grace@example.com\r\nAlan Turing,alan@example.com\r\n",
                                   "nul.csv");
    REQUIRE(v.rejected.size() == 1);
    CHECK(v.rejected[0].line == 6);
    REQUIRE(c.rejected.size() == 1);
    CHECK(c.rejected[0].source == "nul.csv");
    CHECK(c.rejected[0].line == 3);
    CHECK(c.rejected[0].reason == v.rejected[0].reason);
    CHECK_THAT(c.rejected[0].reason, Catch::Contains("display_name") && Catch::Contains("NUL"));
    CHECK(c.added == 1);  // Alan; Ada was merged
    CHECK(f.contacts.count() == 2);
}

TEST_CASE("an import interrupted midway leaves nothing behind", "[importer]") {
    fixture f;
    f.imports.import_text(vcard("Existing Person", "existing@example.com"), "first.vcf");
    std::string many;
    for (int i = 0; i < 3000; ++i) many += vcard("Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com");
    import_options o;
    o.progress = [](std::uint64_t, std::uint64_t, std::size_t done) {
        if (done >= 1024) throw std::runtime_error("stop");
    };
    CHECK_THROWS_WITH(f.imports.import_text(many, "many.vcf", o), "stop");
    CHECK(f.contacts.count() == 1);
    CHECK(f.imports.batches().size() == 1);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("progress reports bytes and cards as the import goes", "[importer]") {
    fixture f;
    std::string many;
    for (int i = 0; i < 3000; ++i) many += vcard("Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com");
    std::vector<std::pair<std::uint64_t, std::size_t>> calls;
    std::uint64_t total_seen = 0;
    import_options o;
    o.progress = [&](std::uint64_t done, std::uint64_t total, std::size_t cards) {
        calls.emplace_back(done, cards);
        total_seen = total;
    };
    f.imports.import_text(many, "many.vcf", o);
    REQUIRE(calls.size() >= 2);
    CHECK(total_seen == many.size());
    CHECK(calls.back() == std::pair<std::uint64_t, std::size_t>{many.size(), 3000});
    for (std::size_t i = 1; i < calls.size(); ++i) CHECK(calls[i].second >= calls[i - 1].second);
}

TEST_CASE("Apple group cards are not imported as people", "[importer]") {
    fixture f;
    auto r = f.imports.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Friends\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n"
                                   "END:VCARD\r\n" + vcard("Ada Lovelace", "ada@example.com"),
                                   "groups.vcf");
    CHECK(r.added == 1);
    CHECK(r.skipped == 1);
}

TEST_CASE("content that is no card format is refused before anything is written", "[importer]") {
    fixture f;
    CHECK_THROWS_AS(f.imports.import_text("just some words\n", "words.txt"), crm::invalid_input);
    CHECK(f.imports.batches().empty());
}

TEST_CASE("a missing file gives a file_error naming it", "[importer]") {
    fixture f;
    try {
        f.imports.import_file(f.dir.file("nope.vcf"));
        FAIL("no error");
    } catch (const crm::file_error& e) {
        CHECK(e.path() == f.dir.file("nope.vcf"));
    }
}

TEST_CASE("re-importing a card does not repeat its notes or the notes about differences", "[importer]") {
    fixture f;
    import_options o;
    o.how_met = "Paris meetup";
    const std::string card = vcard("Ada Lovelace", "ada@example.com", "NOTE:wants an intro\r\n");
    f.imports.import_text(card, "one.vcf", o);
    o.how_met = "Lyon meetup";
    for (int i = 0; i < 3; ++i) f.imports.import_text(card, "one.vcf", o);
    auto ada = f.contacts.list().at(0);
    REQUIRE(ada.notes.size() == 2);  // the card's note, and one note that she was also met in Lyon
    CHECK(ada.notes[0].text == "wants an intro");
    CHECK_THAT(ada.notes[1].text, Catch::Contains("how met: Lyon meetup"));
}

TEST_CASE("a LinkedIn profile URL identifies a person across imports", "[importer]") {
    fixture f;
    const std::string csv = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
                            "Grace,Okafor,https://www.linkedin.com/in/grace-okafor-example,,Northwind,Partner,"
                            "16 Oct 2026\r\n";
    f.imports.import_text(csv, "Connections.csv");
    auto r = f.imports.import_text(
        vcard("Grace O.", "grace@northwind.example",
              "X-SOCIALPROFILE;type=linkedin:http://linkedin.com/in/grace-okafor-example/\r\n"),
        "card.vcf");
    CHECK(r.merged == 1);
    CHECK(f.contacts.count() == 1);
}

TEST_CASE("after an import that merged, the store sees and survives another process's writes", "[import]") {
    // A duplicate lookup used to leave its cached statement on a row: the connection kept its read
    // snapshot, missed later writes of other connections and then failed its own as "locked".
    crm::test::temp_dir dir;
    auto s = crm::store::open(dir.file("a.db"));
    s.imports().import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n", "a.vcf");
    auto merged = s.imports().import_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada L.\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n", "b.vcf");
    REQUIRE(merged.merged == 1);
    {
        SQLite::Database other(dir.file("a.db"), SQLite::OPEN_READWRITE);
        other.exec("INSERT INTO settings(key, value) VALUES ('written_elsewhere', 'yes')");
    }
    CHECK_NOTHROW(s.set_default_region("FR"));
    crm::contact c;
    c.display_name = "Grace";
    CHECK_NOTHROW(s.contacts().add(c));
}

// The bulk way of writing an import (indexes set aside and built again, match keys held in memory and
// written in key order) must give the store the row-by-row way gives, and fail as cleanly.
namespace {

// Cards that exercise matching: people met again by email (domain in capitals), by a phone written
// another way, by UID, by LinkedIn profile; a later card matching a key an earlier merge brought;
// suggested duplicates; notes, tags, extra properties, a group card and a broken one.
std::string matching_cards(int people, const std::string& salt) {
    std::string out;
    auto person = [&](int i, const std::string& domain, const std::string& phone, const std::string& extra) {
        const std::string n = std::to_string(i);
        out += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person " + n + " " + salt + "\r\nN:" + salt + ";Person " + n +
               ";;;\r\nEMAIL;TYPE=work:p" + n + "@" + domain + "\r\nTEL;TYPE=cell:" + phone + "\r\n" + extra +
               "END:VCARD\r\n";
    };
    auto us_phone = [](int i) {
        const std::string d = std::to_string(1000 + i % 9000);
        return std::pair("+1 415-555-" + d, "(415) 555-" + d);
    };
    for (int i = 0; i < people; ++i) {
        const auto [intl, national] = us_phone(i);
        std::string extra = "ORG:Org " + std::to_string(i % 7) + "\r\nCATEGORIES:met-" + std::to_string(i % 3) + "\r\n";
        if (i % 4 == 0) extra += "UID:uid-" + std::to_string(i) + "\r\n";
        if (i % 5 == 0) extra += "NOTE:note about " + std::to_string(i) + "\r\nX-CUSTOM;X-A=b:kept " + std::to_string(i) + "\r\n";
        if (i % 6 == 0) extra += "URL:https://www.linkedin.com/in/person-" + std::to_string(i) + "/\r\n";
        person(i, "example.com", i % 2 ? intl : national, extra);
        if (i % 3 == 0 && i > 0) {  // someone from earlier, again
            const int j = i / 2;
            const auto [jintl, jnational] = us_phone(j);
            switch (i % 4) {
                case 0: person(j, "EXAMPLE.COM", "+1 212-555-" + std::to_string(1000 + i), "TITLE:Boss\r\n"); break;
                case 1: person(50000 + i, "example.org", jintl, "NOTE:same phone\r\n"); break;
                case 2: person(60000 + i, "example.net", jnational, "UID:uid-" + std::to_string(j - j % 4) + "\r\n"); break;
                default: person(70000 + i, "example.edu", "+44 20 7946 " + std::to_string(1000 + i), "");
            }
        }
        if (i % 9 == 0 && i > 0)  // the phone an earlier merge brought (case 0 above) finds that person again
            person(80000 + i, "example.io", "(212) 555-" + std::to_string(1000 + i - i % 12), "");
        if (i % 11 == 0)  // same name at the same organization: only suggested
            out += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person " + std::to_string(i) + " " + salt +
                   "\r\nORG:Org " + std::to_string(i % 7) + "\r\nEMAIL:other" + std::to_string(i) +
                   "@example.com\r\nEND:VCARD\r\n";
    }
    out += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Friends\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nEND:VCARD\r\n";
    out += "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:\r\nEND:VCARD\r\n";
    return out;
}

// Every row of every table (the full-text index through its content), and the schema: what two
// stores must share to be the same store.
std::string dump(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    std::string out;
    std::vector<std::string> tables;
    {
        SQLite::Statement q(db, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name");
        while (q.executeStep()) {
            const std::string type = q.getColumn(0).getString(), name = q.getColumn(1).getString();
            out += type + " " + name + " " + q.getColumn(2).getString() + ": " + q.getColumn(3).getString() + "\n";
            if (type == "table" && name.rfind("contact_search_", 0) != 0 && name.rfind("sqlite_", 0) != 0)
                tables.push_back(name);
        }
    }
    for (const auto& t : tables) {
        out += "== " + t + "\n";
        // A note's row id says when it was written, which differs when the bulk way writes kept
        // contacts early to write their keys (see the test below); nothing reads it.
        const std::string columns = t == "contact_notes" ? "contact_id, at, text" : "*";
        std::string order;
        for (int i = 1, n = SQLite::Statement(db, "SELECT " + columns + " FROM " + t).getColumnCount(); i <= n; ++i)
            order += (i > 1 ? ", " : "") + std::to_string(i);
        // Every store gets its own random id.
        const std::string where = t == "settings" ? " WHERE key != 'store_id'" : "";
        SQLite::Statement q(db, "SELECT " + columns + " FROM " + t + where + " ORDER BY " + order);
        // The UIDs the store makes for cards without one are random: compared as "a UID was made",
        // and the rows sorted again without them.
        static const std::regex made_uid("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        std::vector<std::string> rows;
        while (q.executeStep()) {
            std::string row;
            for (int i = 0; i < q.getColumnCount(); ++i) row += (i ? "|" : "") + q.getColumn(i).getString();
            rows.push_back(std::regex_replace(row, made_uid, "urn:uuid:(made)"));
        }
        std::sort(rows.begin(), rows.end());
        for (const auto& r : rows) out += r + "\n";
    }
    return out;
}

// "" when the dumps are equal, else the first line where they part.
std::string first_difference(const std::string& a, const std::string& b) {
    std::istringstream x(a), y(b);
    std::string l, m;
    for (int n = 1;; ++n) {
        const bool more_x = static_cast<bool>(std::getline(x, l)), more_y = static_cast<bool>(std::getline(y, m));
        if (!more_x && !more_y) return "";
        if (more_x != more_y || l != m) return "line " + std::to_string(n) + ": " + l + "\n  vs: " + m;
    }
}

std::vector<contact_id> ids_of(const std::vector<contact>& cs) {
    std::vector<contact_id> out;
    for (const auto& c : cs) out.push_back(c.id);
    return out;
}

struct twin_stores {
    crm::test::temp_dir dir;
    std::string row_path = dir.file("row.db"), bulk_path = dir.file("bulk.db");
    store row = store::open(row_path, crm::test::options_with_clock(crm::test::fixed_clock(crm::test::at(date::year{2026} / 3 / 14))));
    store bulk = store::open(bulk_path, crm::test::options_with_clock(crm::test::fixed_clock(crm::test::at(date::year{2026} / 3 / 14))));
    twin_stores() {
        row.set_default_region("US");
        bulk.set_default_region("US");
    }
    std::pair<import_report, import_report> import(const std::string& text, const std::string& source,
                                                   import_options o = {}) {
        o.bulk = false;
        auto a = row.imports().import_text(text, source, o);
        o.bulk = true;
        auto b = bulk.imports().import_text(text, source, o);
        return {a, b};
    }
    void check_same() {
        CHECK(first_difference(dump(row_path), dump(bulk_path)) == "");
        for (const char* q : {"person", "org 3", "example", "415", "note about", "boss", "kept", "met"})
            CHECK(ids_of(row.contacts().search(q, 0)) == ids_of(bulk.contacts().search(q, 0)));
        CHECK(row.integrity_check() == "ok");
        CHECK(bulk.integrity_check() == "ok");
    }
};

void check_same_reports(const import_report& a, const import_report& b) {
    CHECK(a.read == b.read);
    CHECK(a.added == b.added);
    CHECK(a.merged == b.merged);
    CHECK(a.skipped == b.skipped);
    CHECK(a.rejected.size() == b.rejected.size());
    CHECK(a.suggested == b.suggested);
}

// Restores the capacity of the bulk way's key buffer when the test ends.
struct key_capacity {
    std::size_t saved = crm::detail::bulk_import_key_capacity;
    explicit key_capacity(std::size_t n) { crm::detail::bulk_import_key_capacity = n; }
    ~key_capacity() { crm::detail::bulk_import_key_capacity = saved; }
};

}  // namespace

TEST_CASE("a bulk import gives the same store as a row-by-row one, and undoes the same", "[importer][bulk]") {
    // Held keys written once at the end, or many times along the way (a few cards' worth each).
    const std::size_t capacity = GENERATE(std::size_t{1} << 20, std::size_t{7});
    key_capacity cap(capacity);
    twin_stores t;
    auto [a1, b1] = t.import(matching_cards(300, "A"), "first.vcf");
    CHECK(a1.merged > 20);
    CHECK(!a1.suggested.empty());
    CHECK(a1.rejected.size() == 1);
    check_same_reports(a1, b1);
    t.check_same();
    // Into a store that has people already: merges into contacts from before and from this import.
    auto [a2, b2] = t.import(matching_cards(400, "A") + matching_cards(50, "B"), "second.vcf");
    CHECK(a2.merged > 300);
    check_same_reports(a2, b2);
    t.check_same();
    import_options create;
    create.on_duplicate = duplicate_policy::create;
    create.tags = {"again"};
    auto [a3, b3] = t.import(matching_cards(60, "A"), "third.vcf", create);
    CHECK(a3.suggested.size() >= 60);
    check_same_reports(a3, b3);
    t.check_same();
    // Undo, newest first, restores the same stores.
    t.row.imports().undo(a3.batch);
    t.bulk.imports().undo(b3.batch);
    t.check_same();
    t.row.imports().undo(a2.batch);
    t.bulk.imports().undo(b2.batch);
    t.check_same();
    CHECK(t.bulk.contacts().count() == a1.added);
    t.row.imports().undo(a1.batch);
    t.bulk.imports().undo(b1.batch);
    t.check_same();
    CHECK(t.bulk.contacts().count() == 0);
}

TEST_CASE("a bulk import that fails midway leaves the store as it was, every index in place", "[importer][bulk]") {
    const std::size_t capacity = GENERATE(std::size_t{1} << 20, std::size_t{50});
    key_capacity cap(capacity);
    crm::test::temp_dir dir;
    const std::string path = dir.file("crm.db");
    store s = store::open(path);
    s.set_default_region("US");
    s.imports().import_text(matching_cards(40, "A"), "first.vcf");
    const std::string before = dump(path);
    const std::string cards = matching_cards(3000, "B") + matching_cards(100, "A");
    import_options o;
    o.bulk = true;
    // Midway, or at the very end: after the indexes were built again, before the commit.
    const bool at_end = GENERATE(false, true);
    o.progress = [&](std::uint64_t done, std::uint64_t total, std::size_t cards_done) {
        if (at_end ? done == total : cards_done >= 2048) throw std::runtime_error("stop");
    };
    CHECK_THROWS_WITH(s.imports().import_text(cards, "many.vcf", o), "stop");
    CHECK(first_difference(dump(path), before) == "");
    CHECK(s.integrity_check() == "ok");
    CHECK(s.imports().batches().size() == 1);
    // And the store goes on as before: the same import without the interruption goes through.
    o.progress = nullptr;
    auto r = s.imports().import_text(cards, "many.vcf", o);
    CHECK(r.added > 3000);
    CHECK(s.integrity_check() == "ok");
    CHECK(s.contacts().search("p2999").size() == 1);
}

// ---- imports that stay bounded and stoppable (issue 11)

TEST_CASE("a progress callback that uses the store is refused at once and the import rolled back", "[importer]") {
    fixture f;
    f.imports.import_text(vcard("Existing Person", "existing@example.com"), "first.vcf");
    std::string many;
    for (int i = 0; i < 3000; ++i) many += vcard("Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com");
    import_options o;
    o.progress = [&](std::uint64_t, std::uint64_t, std::size_t) { (void)f.contacts.count(); };
    // On a separate thread, so that a deadlock fails the test instead of hanging it.
    auto running = std::async(std::launch::async, [&] { return f.imports.import_text(many, "many.vcf", o); });
    REQUIRE(running.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    CHECK_THROWS_WITH(running.get(), Catch::Contains("callback") && Catch::Contains("use the database after"));
    CHECK(f.contacts.count() == 1);
    CHECK(f.imports.batches().size() == 1);
}

TEST_CASE("an import stops when asked, throws cancelled and leaves nothing behind", "[importer]") {
    fixture f;
    f.imports.import_text(vcard("Existing Person", "existing@example.com"), "first.vcf");
    std::string many;
    for (int i = 0; i < 3000; ++i) many += vcard("Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com");
    import_options o;
    int asked = 0;
    o.stop_requested = [&] { return ++asked > 3; };  // no progress callback: stopping needs none
    CHECK_THROWS_AS(f.imports.import_text(many, "many.vcf", o), crm::cancelled);
    CHECK(asked == 4);
    CHECK(f.contacts.count() == 1);
    CHECK(f.imports.batches().size() == 1);
}

TEST_CASE("an import of a FIFO that nobody writes to stops when asked", "[importer]") {
    fixture f;
    const std::string fifo = f.dir.file("cards.fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::atomic<bool> stop{false};
    import_options o;
    o.format = "vcard";
    o.stop_requested = [&] { return stop.load(); };
    auto running = std::async(std::launch::async, [&] { return f.imports.import_file(fifo, o); });
    CHECK(running.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);  // waiting for a writer
    stop = true;
    const bool stopped = running.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    if (!stopped) {  // give the import its writer, so the test ends either way
        const int w = ::open(fifo.c_str(), O_WRONLY);
        if (w >= 0) ::close(w);
    }
    REQUIRE(stopped);
    CHECK_THROWS_AS(running.get(), crm::cancelled);
    CHECK(f.imports.batches().empty());
}

TEST_CASE("a FIFO's cards are imported once its writer sends them", "[importer]") {
    fixture f;
    const std::string fifo = f.dir.file("cards.fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    import_options o;
    o.format = "vcard";
    auto running = std::async(std::launch::async, [&] { return f.imports.import_file(fifo, o); });
    {
        std::ofstream out(fifo, std::ios::binary);
        out << three;
    }
    REQUIRE(running.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    CHECK(running.get().added == 3);
}

TEST_CASE("rejections after the first max_listed_problems are counted, not listed nor stored", "[importer]") {
    fixture f;
    std::string cards;
    const std::size_t empty = max_listed_problems + 500;
    for (std::size_t i = 0; i < empty; ++i) cards += "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n";
    cards += vcard("Ada Lovelace", "ada@example.com");
    auto r = f.imports.import_text(cards, "empty.vcf");
    CHECK(r.added == 1);
    CHECK(r.read == empty + 1);
    REQUIRE(r.rejected.size() == max_listed_problems);
    CHECK(r.rejected.front().line == 1);
    CHECK(r.rejected.back().line == static_cast<int>(3 * max_listed_problems - 2));  // the first ones, by line
    CHECK(r.more_rejected == 500);
    CHECK(f.imports.batch(r.batch).rejected == empty);
    auto again = f.imports.report(r.batch);
    CHECK(again.rejected == r.rejected);
    CHECK(again.more_rejected == 500);
    CHECK(again.read == r.read);
    SQLite::Database db(f.dir.file("crm.db"));
    CHECK(db.execAndGet("SELECT count(*) FROM import_problems").getInt() == static_cast<int>(max_listed_problems));
}

TEST_CASE("a reader lists its first max_listed_problems problems and counts the rest", "[importer]") {
    fixture f;
    std::string csv = "Name,Email\r\nAda Lovelace,ada@example.com\r\n";
    const std::size_t broken = max_listed_problems + 20;
    // A quote opened at the start of a cell runs into the next row: each of these rows is broken.
    for (std::size_t i = 0; i < broken; ++i) csv += "\"Grace Hopper,grace" + std::to_string(i) + "@example.com\r\n";
    import_options o;
    o.columns = {{"Name", "display_name"}, {"Email", "email"}};
    auto r = f.imports.import_text(csv, "broken.csv", o);
    CHECK(r.added == 1);
    REQUIRE(r.rejected.size() == max_listed_problems);
    CHECK(r.rejected.front().line == 3);
    CHECK(r.more_rejected == 20);
    CHECK(f.imports.batch(r.batch).rejected == broken);
}

TEST_CASE("a file whose name is not UTF-8 imports, named with \\xNN in the report", "[importer]") {
    fixture f;
    const std::string path = f.dir.file("caf\xe9.vcf");
    {
        std::ofstream out(path, std::ios::binary);
        out << three;
    }
    auto r = f.imports.import_file(path);
    CHECK(r.added == 3);
    CHECK(r.source == f.dir.file("caf\\xe9.vcf"));
    CHECK(f.imports.batches().at(0).source == r.source);
}

TEST_CASE("a MECARD text longer than a QR code can hold is refused before it fills memory", "[importer]") {
    fixture f;
    import_options o;
    o.format = "mecard";
    const std::string huge = "MECARD:N:Doe,John;NOTE:" + std::string(max_mecard_size, 'a') + ";;";
    CHECK_THROWS_WITH(f.imports.import_text(huge, "qr.txt", o),
                      Catch::StartsWith("qr.txt: MECARD text longer than 1024 KiB"));
    CHECK(f.imports.batches().empty());
}

namespace {

// Hands out `good` bytes of `text`, then fails as a disk or a network file system does mid-file.
class failing_buffer : public std::streambuf {
public:
    failing_buffer(std::string text, std::size_t good) : text_(std::move(text)), good_(good) {}

protected:
    int_type underflow() override {
        if (gptr() && gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (served_) throw std::runtime_error("EIO");
        served_ = true;
        setg(text_.data(), text_.data(), text_.data() + good_);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string text_;
    std::size_t good_;
    bool served_ = false;
};

}  // namespace

TEST_CASE("a read error in the middle of a file rolls the whole import back", "[importer]") {
    fixture f;
    f.imports.import_text(vcard("Ada Lovelace", "ada@example.com"), "before.vcf");
    const auto before = f.imports.batches();
    SECTION("vCard") {
        std::string text = three + three;
        failing_buffer buf(text, text.size() / 2 + 7);
        std::istream in(&buf);
        import_options options;
        options.format = "vcard";  // a failing stream cannot be rewound for detection
        CHECK_THROWS_AS(f.imports.import_stream(in, "cards.vcf", options), file_error);
    }
    SECTION("CSV") {
        std::string text = "First Name,Last Name,E-mail Address\n";
        for (int i = 0; i < 200; ++i) text += "P" + std::to_string(i) + ",X,p" + std::to_string(i) + "@example.com\n";
        failing_buffer buf(text, text.size() / 2);
        std::istream in(&buf);
        import_options options;
        options.format = "csv";
        CHECK_THROWS_AS(f.imports.import_stream(in, "people.csv", options), file_error);
    }
    CHECK(f.contacts.count() == 1);
    CHECK(f.imports.batches().size() == before.size());
}
