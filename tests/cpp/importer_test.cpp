// Import batches: matching, duplicate policies, reports, undo, and all-or-nothing writes.
#include <catch2/catch.hpp>

#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/importer.hpp"
#include "crm/store.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/Database.h>

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
