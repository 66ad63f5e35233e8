// contact_store: add/get/update/remove, list and filters, search, merge, and hostile input.
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/importer.hpp"
#include "crm/store.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::contact;
using crm::contact_filter;
using crm::contact_id;
using crm::labeled_value;
using crm::note;
using crm::store;
using crm::test::at;

namespace {

const date::sys_seconds t0 = at(2024_y / 3 / 10, 8h, 15min);

// A store in a fresh temp file with a clock the test controls (starting at t0).
struct fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{t0};
    store s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    crm::contact_store& contacts = s.contacts();
};

contact named(std::string name) {
    contact c;
    c.display_name = std::move(name);
    return c;
}

// A contact with every field filled in, several values per list, and non-ASCII text.
contact full_contact() {
    contact c;
    c.display_name = "Dr. Hélène Lefèvre";
    c.name = {"Dr.", "Hélène", "Marie", "Lefèvre", "PhD"};
    c.organization = "Acme Labs";
    c.title = "Chief Technology Officer";
    c.emails = {{"helene@acme.example", "work"}, {"h.lefevre@mail.example", "home"}, {"hl@other.example", ""}};
    c.phones = {{"+33 6 12 34 56 78", "mobile"}, {"+33 1 23 45 67 89", "work"}};
    c.urls = {{"https://www.linkedin.com/in/hlefevre", "linkedin"}, {"https://helene.example", "home"}};
    crm::postal_address work;
    work.kind = "work";
    work.street = "12 rue de la Paix";
    work.extended = "Bâtiment B";
    work.locality = "Paris";
    work.region = "Île-de-France";
    work.postal_code = "75002";
    work.country = "France";
    crm::postal_address home;
    home.kind = "home";
    home.po_box = "BP 42";
    home.locality = "Lyon";
    home.country = "France";
    c.addresses = {work, home};
    c.tags = {"vip", "investor", "paris"};
    c.birthday = crm::partial_date(date::April, 15_d);
    c.notes = {{at(2023_y / 11 / 2, 18h, 30min), "Wants intros to robotics founders."},
               {at(2024_y / 1 / 20, 9h), "Moving to Lyon in the spring."}};
    c.how_met = "Web Summit 2023, at the Portugal stand";
    c.source = "manual";
    return c;
}

std::vector<contact_id> ids_of(const std::vector<contact>& cs) {
    std::vector<contact_id> out;
    for (const auto& c : cs) out.push_back(c.id);
    return out;
}

std::vector<std::string> names_of(const std::vector<contact>& cs) {
    std::vector<std::string> out;
    for (const auto& c : cs) out.push_back(c.display_name);
    return out;
}

}  // namespace

// ---- add / get / update / remove ------------------------------------------------------------

TEST_CASE("every field of a contact round-trips through add and get", "[contact_store]") {
    fixture f;
    const contact in = full_contact();
    const contact added = f.contacts.add(in);
    REQUIRE(added.id > 0);

    const contact got = f.contacts.get(added.id);
    CHECK(got == added);
    CHECK(got.display_name == in.display_name);
    CHECK(got.name == in.name);
    CHECK(got.organization == in.organization);
    CHECK(got.title == in.title);
    CHECK(got.emails == in.emails);
    CHECK(got.phones == in.phones);
    CHECK(got.urls == in.urls);
    CHECK(got.addresses == in.addresses);
    CHECK(got.tags == in.tags);
    CHECK(got.birthday == in.birthday);
    CHECK(got.notes == in.notes);
    CHECK(got.how_met == in.how_met);
    CHECK(got.source == in.source);
    CHECK(got.created_at == t0);
    CHECK(got.updated_at == t0);
}

TEST_CASE("a birthday without a year round-trips as --04-15", "[contact_store]") {
    fixture f;
    contact c = named("Ada");
    c.birthday = crm::partial_date::parse("--04-15");
    const auto id = f.contacts.add(c).id;
    const auto got = f.contacts.get(id);
    REQUIRE(got.birthday.has_value());
    CHECK_FALSE(got.birthday->has_year());
    CHECK(got.birthday->to_string() == "--04-15");
}

TEST_CASE("a birthday with a year round-trips with its year", "[contact_store]") {
    fixture f;
    contact c = named("Ada");
    c.birthday = crm::partial_date(1815_y, date::December, 10_d);
    const auto got = f.contacts.get(f.contacts.add(c).id);
    REQUIRE(got.birthday.has_value());
    CHECK(got.birthday->to_string() == "1815-12-10");
}

TEST_CASE("a contact without birthday or introducer reads back without them", "[contact_store]") {
    fixture f;
    const auto got = f.contacts.get(f.contacts.add(named("Ada")).id);
    CHECK_FALSE(got.birthday.has_value());
    CHECK_FALSE(got.introduced_by.has_value());
    CHECK(got.emails.empty());
    CHECK(got.notes.empty());
}

TEST_CASE("add ignores the id it is given and assigns a new one", "[contact_store]") {
    fixture f;
    contact c = named("Ada");
    c.id = 4242;
    const auto a = f.contacts.add(c);
    const auto b = f.contacts.add(c);
    CHECK(a.id != 4242);
    CHECK(b.id != a.id);
    CHECK(f.contacts.count() == 2);
    CHECK_FALSE(f.contacts.contains(4242));
}

TEST_CASE("add returns the normalized contact with its derived display name", "[contact_store]") {
    fixture f;
    contact c;
    c.name.given = "Ada";
    c.name.family = "Lovelace";
    c.tags = {" math ", "math"};
    const auto added = f.contacts.add(c);
    CHECK(added.display_name == "Ada Lovelace");
    CHECK(added.tags == std::vector<std::string>{"math"});
    CHECK(f.contacts.get(added.id).display_name == "Ada Lovelace");
}

TEST_CASE("notes without a time get the store's now and notes are kept oldest first", "[contact_store]") {
    fixture f;
    contact c = named("Ada");
    c.notes = {{at(2024_y / 2 / 1), "second"}, {note::unstamped, "now"}, {at(2023_y / 5 / 1), "first"}};
    const auto got = f.contacts.get(f.contacts.add(c).id);
    CHECK(got.notes == std::vector<note>{{at(2023_y / 5 / 1), "first"}, {at(2024_y / 2 / 1), "second"}, {t0, "now"}});
}

TEST_CASE("a note dated at the Unix epoch keeps its date", "[contact_store]") {
    fixture f;
    contact c = named("Ada");
    c.notes = {{date::sys_seconds{}, "1970"}, note{.text = "unstamped by default"}};
    const auto got = f.contacts.get(f.contacts.add(c).id);
    CHECK(got.notes == std::vector<note>{{date::sys_seconds{}, "1970"}, {t0, "unstamped by default"}});
}

TEST_CASE("introduced_by round-trips to the introducing contact", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    contact b = named("Bob");
    b.introduced_by = a.id;
    const auto got = f.contacts.get(f.contacts.add(b).id);
    CHECK(got.introduced_by == std::optional<contact_id>(a.id));
}

TEST_CASE("get of a missing id throws not_found carrying the id", "[contact_store]") {
    fixture f;
    f.contacts.add(named("Ada"));
    try {
        f.contacts.get(987654);
        FAIL("get did not throw");
    } catch (const crm::not_found& e) {
        CHECK(e.id() == 987654);
        CHECK(e.kind() == "contact");
        CHECK_THAT(std::string(e.what()), Catch::Contains("987654"));
    }
    CHECK_FALSE(f.contacts.find(987654).has_value());
    CHECK_FALSE(f.contacts.contains(987654));
}

TEST_CASE("update replaces every field and keeps created_at", "[contact_store]") {
    fixture f;
    const auto added = f.contacts.add(full_contact());
    f.clock.set(at(2024_y / 4 / 1, 10h));

    contact changed = added;
    changed.display_name = "Hélène L.";
    changed.name = {"", "Hélène", "", "Lefèvre-Martin", ""};
    changed.organization = "Globex";
    changed.title = "CEO";
    changed.emails = {{"helene@globex.example", "work"}};  // fewer values than before
    changed.phones = {};
    changed.urls = {{"https://helene.example", "home"}, {"https://globex.example", "work"}};
    changed.addresses = {changed.addresses.back()};
    changed.tags = {"founder"};
    changed.birthday = crm::partial_date(1980_y, date::April, 15_d);
    changed.notes.push_back({at(2024_y / 3 / 30), "Left Acme."});
    changed.how_met = "Introduced at Web Summit";
    changed.source = "import:cards.vcf";
    changed.created_at = at(2000_y / 1 / 1);  // ignored: creation time is the store's to keep

    const auto updated = f.contacts.update(changed);
    CHECK(updated.created_at == t0);
    CHECK(updated.updated_at == at(2024_y / 4 / 1, 10h));

    const auto got = f.contacts.get(added.id);
    CHECK(got == updated);
    CHECK(got.display_name == "Hélène L.");
    CHECK(got.name.family == "Lefèvre-Martin");
    CHECK(got.organization == "Globex");
    CHECK(got.emails == std::vector<labeled_value>{{"helene@globex.example", "work"}});
    CHECK(got.phones.empty());
    CHECK(got.urls == changed.urls);
    CHECK(got.addresses == changed.addresses);
    CHECK(got.tags == std::vector<std::string>{"founder"});
    CHECK(got.birthday->to_string() == "1980-04-15");
    CHECK(got.notes.size() == 3);
    CHECK(got.notes.back() == note{at(2024_y / 3 / 30), "Left Acme."});
    CHECK(got.source == "import:cards.vcf");
}

TEST_CASE("update can clear the birthday and the introducer", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    contact b = named("Bob");
    b.birthday = crm::partial_date(date::May, 1_d);
    b.introduced_by = a.id;
    auto stored = f.contacts.add(b);
    stored.birthday.reset();
    stored.introduced_by.reset();
    f.contacts.update(stored);
    const auto got = f.contacts.get(stored.id);
    CHECK_FALSE(got.birthday.has_value());
    CHECK_FALSE(got.introduced_by.has_value());
}

TEST_CASE("update of a missing id throws not_found and stores nothing", "[contact_store]") {
    fixture f;
    f.contacts.add(named("Ada"));
    contact ghost = named("Ghost");
    ghost.id = 555;
    try {
        f.contacts.update(ghost);
        FAIL("update did not throw");
    } catch (const crm::not_found& e) {
        CHECK(e.id() == 555);
    }
    CHECK(f.contacts.count() == 1);
    CHECK(f.contacts.search("Ghost").empty());
}

TEST_CASE("remove deletes the contact and a second remove throws not_found", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(full_contact());
    const auto b = f.contacts.add(named("Bob"));
    f.contacts.remove(a.id);
    CHECK_FALSE(f.contacts.contains(a.id));
    CHECK_THROWS_AS(f.contacts.get(a.id), crm::not_found);
    CHECK(f.contacts.count() == 1);
    CHECK(f.contacts.get(b.id).display_name == "Bob");
    CHECK(f.contacts.tags().empty());
    CHECK(f.contacts.search("Lefèvre").empty());
    CHECK_THROWS_AS(f.contacts.remove(a.id), crm::not_found);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("removing an introducer keeps the contacts it introduced, without an introducer", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    contact b = named("Bob");
    b.introduced_by = a.id;
    const auto bid = f.contacts.add(b).id;
    f.contacts.remove(a.id);
    REQUIRE(f.contacts.contains(bid));
    CHECK_FALSE(f.contacts.get(bid).introduced_by.has_value());
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("add_note appends a note at the given time and moves updated_at", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    f.clock.set(at(2024_y / 3 / 11));
    const auto after = f.contacts.add_note(a.id, "Likes analytical engines.", at(2024_y / 3 / 9));
    CHECK(after.notes == std::vector<note>{{at(2024_y / 3 / 9), "Likes analytical engines."}});
    CHECK(after.updated_at == at(2024_y / 3 / 11));
    CHECK(after.created_at == t0);
    CHECK(f.contacts.get(a.id) == after);
}

TEST_CASE("add_note without a time uses the store's now", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    const auto after = f.contacts.add_note(a.id, "Call back next week");
    REQUIRE(after.notes.size() == 1);
    CHECK(after.notes.front().at == t0);
}

TEST_CASE("add_note to a missing contact throws not_found", "[contact_store]") {
    fixture f;
    CHECK_THROWS_AS(f.contacts.add_note(31337, "hello"), crm::not_found);
}

TEST_CASE("add_note rejects invalid UTF-8 and writes nothing", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    CHECK_THROWS_AS(f.contacts.add_note(a.id, std::string("bad \xC3\x28 byte")), crm::invalid_input);
    CHECK(f.contacts.get(a.id).notes.empty());
}

// ---- list, count, tags ----------------------------------------------------------------------

TEST_CASE("list orders by display name ignoring case, then by id", "[contact_store]") {
    fixture f;
    const auto bob1 = f.contacts.add(named("bob")).id;
    f.contacts.add(named("Carol"));
    f.contacts.add(named("alice"));
    const auto bob2 = f.contacts.add(named("Bob")).id;
    f.contacts.add(named("Dave"));
    const auto all = f.contacts.list();
    CHECK(names_of(all) == std::vector<std::string>{"alice", "bob", "Bob", "Carol", "Dave"});
    CHECK(all[1].id == bob1);
    CHECK(all[2].id == bob2);
}

TEST_CASE("list returns whole contacts with their channels, tags and notes", "[contact_store]") {
    fixture f;
    const auto a = f.contacts.add(full_contact());
    const auto all = f.contacts.list();
    REQUIRE(all.size() == 1);
    CHECK(all.front() == a);
}

TEST_CASE("list filters by tag ignoring case", "[contact_store]") {
    fixture f;
    contact a = named("Ada");
    a.tags = {"VIP", "math"};
    contact b = named("Bob");
    b.tags = {"vip"};
    contact c = named("Carol");
    c.tags = {"vipers"};  // a longer tag is not a match
    f.contacts.add(a);
    f.contacts.add(b);
    f.contacts.add(c);
    contact_filter filter;
    filter.tag = "Vip";
    CHECK(names_of(f.contacts.list(filter)) == std::vector<std::string>{"Ada", "Bob"});
    CHECK(f.contacts.count(filter) == 2);
    filter.tag = "nobody";
    CHECK(f.contacts.list(filter).empty());
    CHECK(f.contacts.count(filter) == 0);
}

TEST_CASE("list filters by organization ignoring case", "[contact_store]") {
    fixture f;
    contact a = named("Ada");
    a.organization = "Acme Labs";
    contact b = named("Bob");
    b.organization = "ACME LABS";
    contact c = named("Carol");
    c.organization = "Acme";
    f.contacts.add(a);
    f.contacts.add(b);
    f.contacts.add(c);
    contact_filter filter;
    filter.organization = "acme labs";
    CHECK(names_of(f.contacts.list(filter)) == std::vector<std::string>{"Ada", "Bob"});
    CHECK(f.contacts.count(filter) == 2);
}

TEST_CASE("list combines the tag and the organization filters", "[contact_store]") {
    fixture f;
    contact a = named("Ada");
    a.organization = "Acme";
    a.tags = {"vip"};
    contact b = named("Bob");
    b.organization = "Acme";
    contact c = named("Carol");
    c.organization = "Globex";
    c.tags = {"vip"};
    f.contacts.add(a);
    f.contacts.add(b);
    f.contacts.add(c);
    contact_filter filter;
    filter.tag = "VIP";
    filter.organization = "ACME";
    CHECK(names_of(f.contacts.list(filter)) == std::vector<std::string>{"Ada"});
    CHECK(f.contacts.count(filter) == 1);
}

TEST_CASE("list pages with limit and offset in display-name order", "[contact_store]") {
    fixture f;
    for (const char* n : {"Eve", "Bob", "Dave", "Ada", "Carol", "Frank"}) f.contacts.add(named(n));
    contact_filter page;
    page.limit = 2;
    CHECK(names_of(f.contacts.list(page)) == std::vector<std::string>{"Ada", "Bob"});
    page.offset = 2;
    CHECK(names_of(f.contacts.list(page)) == std::vector<std::string>{"Carol", "Dave"});
    page.offset = 5;
    CHECK(names_of(f.contacts.list(page)) == std::vector<std::string>{"Frank"});
    page.offset = 6;
    CHECK(f.contacts.list(page).empty());
    contact_filter rest;
    rest.offset = 4;  // offset without a limit: everything from there on
    CHECK(names_of(f.contacts.list(rest)) == std::vector<std::string>{"Eve", "Frank"});
}

TEST_CASE("count counts all contacts and follows adds and removes", "[contact_store]") {
    fixture f;
    CHECK(f.contacts.count() == 0);
    const auto a = f.contacts.add(named("Ada"));
    f.contacts.add(named("Bob"));
    CHECK(f.contacts.count() == 2);
    f.contacts.remove(a.id);
    CHECK(f.contacts.count() == 1);
}

TEST_CASE("tags lists every tag with the number of contacts carrying it", "[contact_store]") {
    fixture f;
    contact a = named("Ada");
    a.tags = {"vip", "math", "Paris"};
    contact b = named("Bob");
    b.tags = {"vip", "investor"};
    contact c = named("Carol");
    c.tags = {"vip"};
    f.contacts.add(a);
    f.contacts.add(b);
    f.contacts.add(c);
    CHECK(f.contacts.tags() ==
          std::vector<crm::tag_count>{{"investor", 1}, {"math", 1}, {"Paris", 1}, {"vip", 3}});
}

// ---- search ---------------------------------------------------------------------------------

namespace {

// Three people to search among.
struct search_fixture : fixture {
    contact_id helene, sean, ada;
    search_fixture() {
        // Hélène's name appears only with its accents, so an accent-blind match cannot come from
        // an ASCII spelling in her email address or URLs.
        contact h = full_contact();
        h.emails = {{"hl@acme.example", "work"}};
        h.urls = {{"https://acme.example/team/42", "work"}};
        helene = contacts.add(h).id;
        contact s;
        s.name = {"", "Seán", "", "O'Brien", ""};
        s.organization = "Globex Corporation";
        s.title = "Head of Partnerships";
        s.emails = {{"sean.obrien@globex.example", "work"}};
        s.tags = {"partner", "dublin"};
        s.notes = {{at(2024_y / 2 / 2), "Interested in quantum sensors."}};
        sean = contacts.add(s).id;
        contact a;
        a.name = {"", "Ada", "", "Lovelace", ""};
        a.organization = "Analytical Engines Ltd";
        a.emails = {{"ada@engines.example", "work"}};
        a.tags = {"math"};
        ada = contacts.add(a).id;
    }
};

}  // namespace

TEST_CASE("search finds a contact by name", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("Lovelace")) == std::vector<contact_id>{f.ada});
    CHECK(ids_of(f.contacts.search("ada lovelace")) == std::vector<contact_id>{f.ada});
}

TEST_CASE("search finds a contact by email address", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("sean.obrien@globex.example")) == std::vector<contact_id>{f.sean});
    CHECK(ids_of(f.contacts.search("ada@engines.example")) == std::vector<contact_id>{f.ada});
}

TEST_CASE("search finds a contact by organization and by title", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("Analytical Engines")) == std::vector<contact_id>{f.ada});
    CHECK(ids_of(f.contacts.search("partnerships")) == std::vector<contact_id>{f.sean});
}

TEST_CASE("search finds a contact by tag", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("dublin")) == std::vector<contact_id>{f.sean});
    CHECK(ids_of(f.contacts.search("investor")) == std::vector<contact_id>{f.helene});
}

TEST_CASE("search finds a contact by the text of a note and of how_met", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("quantum sensors")) == std::vector<contact_id>{f.sean});
    CHECK(ids_of(f.contacts.search("robotics")) == std::vector<contact_id>{f.helene});
    CHECK(ids_of(f.contacts.search("Portugal")) == std::vector<contact_id>{f.helene});
}

TEST_CASE("search ignores accents: Helene finds Hélène and lefevre finds Lefèvre", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("Helene")) == std::vector<contact_id>{f.helene});
    CHECK(ids_of(f.contacts.search("lefevre")) == std::vector<contact_id>{f.helene});
    CHECK(ids_of(f.contacts.search("Sean")) == std::vector<contact_id>{f.sean});
}

TEST_CASE("search ignores accents in the query too", "[contact_store][search]") {
    search_fixture f;
    contact plain = named("Rene Dupont");
    const auto rene = f.contacts.add(plain).id;
    CHECK(ids_of(f.contacts.search("René")) == std::vector<contact_id>{rene});
    CHECK(ids_of(f.contacts.search("LEFÈVRE")) == std::vector<contact_id>{f.helene});
}

TEST_CASE("search ignores case", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("LOVELACE")) == std::vector<contact_id>{f.ada});
    CHECK(ids_of(f.contacts.search("gLoBeX")) == std::vector<contact_id>{f.sean});
}

TEST_CASE("search matches words by prefix", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("Love")) == std::vector<contact_id>{f.ada});
    CHECK(ids_of(f.contacts.search("hel lef")) == std::vector<contact_id>{f.helene});
    CHECK(ids_of(f.contacts.search("glo")) == std::vector<contact_id>{f.sean});
}

TEST_CASE("search requires every word to match", "[contact_store][search]") {
    search_fixture f;
    CHECK(f.contacts.search("Lovelace Globex").empty());
    CHECK(ids_of(f.contacts.search("Lovelace math")) == std::vector<contact_id>{f.ada});
}

TEST_CASE("search does not match a word in the middle of another", "[contact_store][search]") {
    search_fixture f;
    CHECK(f.contacts.search("lace").empty());
}

TEST_CASE("search for an empty or blank query returns nothing and does not throw", "[contact_store][search]") {
    search_fixture f;
    CHECK(f.contacts.search("").empty());
    CHECK(f.contacts.search("   \t ").empty());
}

TEST_CASE("search honours its limit", "[contact_store][search]") {
    fixture f;
    for (int i = 0; i < 5; ++i) f.contacts.add(named("Ada " + std::to_string(i)));
    CHECK(f.contacts.search("ada", 3).size() == 3);
    CHECK(f.contacts.search("ada").size() == 5);
}

TEST_CASE("search with quotes in the query does not fail and still finds O'Brien", "[contact_store][search]") {
    search_fixture f;
    CHECK(ids_of(f.contacts.search("O'Brien")) == std::vector<contact_id>{f.sean});
    CHECK(ids_of(f.contacts.search("\"O'Brien\"")) == std::vector<contact_id>{f.sean});
    CHECK_NOTHROW(f.contacts.search("\""));
    CHECK_NOTHROW(f.contacts.search("\"\"\" ''' \"a"));
    CHECK(f.contacts.search("\"").empty());
}

TEST_CASE("search with SQL in the query returns no error and the table survives", "[contact_store][search]") {
    search_fixture f;
    std::vector<crm::contact> found;
    REQUIRE_NOTHROW(found = f.contacts.search("'; DROP TABLE contacts; --"));
    CHECK(found.empty());
    REQUIRE_NOTHROW(f.contacts.search("\" OR 1=1 --"));
    REQUIRE_NOTHROW(f.contacts.search("x') UNION SELECT * FROM contacts --"));
    CHECK(f.contacts.count() == 3);
    CHECK(f.contacts.get(f.ada).display_name == "Ada Lovelace");
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("search with FTS5 operators in the query treats them as text", "[contact_store][search]") {
    search_fixture f;
    for (const char* q : {"NOT", "ada OR sean", "NEAR(ada lovelace)", "names:ada", "ada*", "^ada", "(", ")", "*",
                          "-ada", "+", "ada AND"}) {
        INFO(q);
        CHECK_NOTHROW(f.contacts.search(q));
    }
    CHECK(f.contacts.search("ada OR sean").empty());  // OR is a word to match, not an operator
}

TEST_CASE("search rejects a query with invalid UTF-8 or NUL as invalid_input", "[contact_store][search]") {
    search_fixture f;
    CHECK_THROWS_AS(f.contacts.search(std::string("ada\xFF")), crm::invalid_input);
    CHECK_THROWS_AS(f.contacts.search(std::string("ada\0x", 5)), crm::invalid_input);
}

TEST_CASE("search follows updates and removals", "[contact_store][search]") {
    search_fixture f;
    auto ada = f.contacts.get(f.ada);
    ada.name.family = "King";
    ada.display_name = "Ada King";
    f.contacts.update(ada);
    CHECK(f.contacts.search("Lovelace").empty());
    CHECK(ids_of(f.contacts.search("King")) == std::vector<contact_id>{f.ada});
    f.contacts.remove(f.ada);
    CHECK(f.contacts.search("King").empty());
}

TEST_CASE("search finds a note added with add_note", "[contact_store][search]") {
    search_fixture f;
    f.contacts.add_note(f.ada, "Collaborates with Babbage");
    CHECK(ids_of(f.contacts.search("babbage")) == std::vector<contact_id>{f.ada});
}

// ---- merge ----------------------------------------------------------------------------------

namespace {

const date::sys_seconds other_added = at(2024_y / 3 / 12, 17h);
const date::sys_seconds merge_time = at(2024_y / 4 / 1, 12h);

struct merge_fixture : fixture {
    contact keep, other, third;
    merge_fixture() {
        contact k;
        k.display_name = "Hélène Lefèvre";
        k.name = {"", "Hélène", "", "Lefèvre", ""};
        k.organization = "Acme Labs";
        k.title = "CTO";
        k.emails = {{"helene@acme.example", "work"}};
        k.phones = {{"+33 6 12 34 56 78", "mobile"}};
        k.urls = {{"https://www.linkedin.com/in/hlefevre", "linkedin"}};
        crm::postal_address paris;
        paris.kind = "work";
        paris.street = "12 rue de la Paix";
        paris.locality = "Paris";
        paris.country = "France";
        k.addresses = {paris};
        k.tags = {"vip", "paris"};
        k.notes = {{at(2023_y / 10 / 1), "Met at the Acme booth."}};
        k.source = "manual";
        keep = contacts.add(k);

        clock.set(other_added);
        contact o;
        o.display_name = "Helene Lefevre";
        o.organization = "Globex";
        o.title = "VP Engineering";
        o.emails = {{"Helene@ACME.example", "home"}, {"h.lefevre@mail.example", "home"}};
        o.phones = {{"+33612345678", "cell"}, {"+1 (212) 555-0100", "work"}};
        o.urls = {{"https://www.linkedin.com/in/hlefevre", "linkedin"}, {"https://helene.example", "home"}};
        crm::postal_address lyon;
        lyon.kind = "home";
        lyon.locality = "Lyon";
        lyon.country = "France";
        o.addresses = {paris, lyon};
        o.tags = {"paris", "investor"};
        o.notes = {{at(2023_y / 12 / 24), "Sent a holiday card."}};
        o.birthday = crm::partial_date(date::April, 15_d);
        o.how_met = "Web Summit 2023";
        o.source = "import:phone.vcf";
        other = contacts.add(o);

        contact t = named("Third Person");
        t.introduced_by = other.id;
        third = contacts.add(t);
        clock.set(merge_time);
    }
};

bool has_note_containing(const contact& c, const std::string& text) {
    return std::any_of(c.notes.begin(), c.notes.end(),
                       [&](const note& n) { return n.text.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("merge unites emails without duplicates, comparing emails case-insensitively", "[contact_store][merge]") {
    merge_fixture f;
    const auto merged = f.contacts.merge(f.keep.id, f.other.id);
    CHECK(merged.emails == std::vector<labeled_value>{{"helene@acme.example", "work"},
                                                      {"h.lefevre@mail.example", "home"}});
    CHECK(f.contacts.get(f.keep.id).emails == merged.emails);
}

TEST_CASE("merge unites phones without duplicates, comparing phones by their digits", "[contact_store][merge]") {
    merge_fixture f;
    const auto merged = f.contacts.merge(f.keep.id, f.other.id);
    CHECK(merged.phones ==
          std::vector<labeled_value>{{"+33 6 12 34 56 78", "mobile"}, {"+1 (212) 555-0100", "work"}});
}

TEST_CASE("merge unites URLs, addresses and tags without duplicates", "[contact_store][merge]") {
    merge_fixture f;
    f.contacts.merge(f.keep.id, f.other.id);
    const auto got = f.contacts.get(f.keep.id);
    CHECK(got.urls == std::vector<labeled_value>{{"https://www.linkedin.com/in/hlefevre", "linkedin"},
                                                 {"https://helene.example", "home"}});
    REQUIRE(got.addresses.size() == 2);
    CHECK(got.addresses[0].locality == "Paris");
    CHECK(got.addresses[1].locality == "Lyon");
    CHECK(got.tags == std::vector<std::string>{"vip", "paris", "investor"});
}

TEST_CASE("merge keeps the notes of both contacts in time order", "[contact_store][merge]") {
    merge_fixture f;
    const auto got = f.contacts.merge(f.keep.id, f.other.id);
    REQUIRE(got.notes.size() >= 2);
    CHECK(got.notes[0] == note{at(2023_y / 10 / 1), "Met at the Acme booth."});
    CHECK(got.notes[1] == note{at(2023_y / 12 / 24), "Sent a holiday card."});
    CHECK(std::is_sorted(got.notes.begin(), got.notes.end(),
                         [](const note& a, const note& b) { return a.at < b.at; }));
    CHECK(f.contacts.get(f.keep.id).notes == got.notes);
}

TEST_CASE("merge keeps conflicting organization, title and name in a Merged from note", "[contact_store][merge]") {
    merge_fixture f;
    const auto got = f.contacts.merge(f.keep.id, f.other.id);
    CHECK(got.organization == "Acme Labs");
    CHECK(got.title == "CTO");
    CHECK(got.display_name == "Hélène Lefèvre");
    CHECK(got.source == "manual");
    const auto it = std::find_if(got.notes.begin(), got.notes.end(),
                                 [](const note& n) { return n.text.rfind("Merged from", 0) == 0; });
    REQUIRE(it != got.notes.end());
    CHECK(it->at == merge_time);
    CHECK_THAT(it->text, Catch::Contains("Helene Lefevre"));
    CHECK_THAT(it->text, Catch::Contains("organization: Globex"));
    CHECK_THAT(it->text, Catch::Contains("title: VP Engineering"));
    // Where a record came from is not a fact about the person: no note, but the merge history keeps it.
    CHECK_THAT(it->text, !Catch::Contains("import:phone.vcf"));
    REQUIRE(f.contacts.merge_history(f.keep.id).size() == 1);
    CHECK_THAT(f.contacts.merge_history(f.keep.id)[0], Catch::Contains("import:phone.vcf"));
}

TEST_CASE("merge fills the survivor's empty fields from the merged contact", "[contact_store][merge]") {
    merge_fixture f;
    const auto got = f.contacts.merge(f.keep.id, f.other.id);
    REQUIRE(got.birthday.has_value());
    CHECK(got.birthday->to_string() == "--04-15");
    CHECK(got.how_met == "Web Summit 2023");
    CHECK_FALSE(has_note_containing(got, "how met"));
}

TEST_CASE("merge fills an empty survivor title and organization instead of noting them", "[contact_store][merge]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    contact b = named("Ada");
    b.organization = "Analytical Engines";
    b.title = "Mathematician";
    const auto bid = f.contacts.add(b).id;
    const auto got = f.contacts.merge(a.id, bid);
    CHECK(got.organization == "Analytical Engines");
    CHECK(got.title == "Mathematician");
    CHECK_FALSE(has_note_containing(got, "Merged from"));
}

TEST_CASE("merge repoints references to the merged contact at the survivor", "[contact_store][merge]") {
    merge_fixture f;
    f.contacts.merge(f.keep.id, f.other.id);
    CHECK(f.contacts.get(f.third.id).introduced_by == std::optional<contact_id>(f.keep.id));
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("merge deletes the merged contact", "[contact_store][merge]") {
    merge_fixture f;
    f.contacts.merge(f.keep.id, f.other.id);
    CHECK_FALSE(f.contacts.contains(f.other.id));
    try {
        f.contacts.get(f.other.id);
        FAIL("the merged contact is still there");
    } catch (const crm::not_found& e) {
        CHECK(e.id() == f.other.id);
    }
    CHECK(f.contacts.count() == 2);
    // Its words now lead to the survivor only.
    CHECK(ids_of(f.contacts.search("h.lefevre@mail.example")) == std::vector<contact_id>{f.keep.id});
}

TEST_CASE("merge keeps the earliest created_at and sets updated_at to now", "[contact_store][merge]") {
    merge_fixture f;
    const auto got = f.contacts.merge(f.keep.id, f.other.id);
    CHECK(got.created_at == t0);
    CHECK(got.updated_at == merge_time);
    CHECK(f.contacts.get(f.keep.id).updated_at == merge_time);
}

TEST_CASE("merge keeps the merged contact's created_at when it is the older one", "[contact_store][merge]") {
    fixture f;
    const auto newer = f.contacts.add(named("Ada"));
    f.clock.set(at(2024_y / 5 / 1));
    const auto survivor = f.contacts.add(named("Ada L."));
    const auto got = f.contacts.merge(survivor.id, newer.id);
    CHECK(got.created_at == t0);
    CHECK(f.contacts.get(survivor.id).created_at == t0);
}

TEST_CASE("merge_history holds a JSON snapshot of the merged contact", "[contact_store][merge]") {
    merge_fixture f;
    CHECK(f.contacts.merge_history(f.keep.id).empty());
    f.contacts.merge(f.keep.id, f.other.id);
    const auto history = f.contacts.merge_history(f.keep.id);
    REQUIRE(history.size() == 1);
    const auto j = nlohmann::json::parse(history.front());
    CHECK(j.at("display_name").get<std::string>() == "Helene Lefevre");
    CHECK(j.at("id").get<contact_id>() == f.other.id);
    CHECK(j.at("organization").get<std::string>() == "Globex");
    CHECK(j.at("birthday").get<std::string>() == "--04-15");
    CHECK(j.at("emails").size() == 2);
    CHECK(j.at("notes").at(0).at("text").get<std::string>() == "Sent a holiday card.");
}

TEST_CASE("merge_history follows a survivor that is itself merged away", "[contact_store][merge]") {
    merge_fixture f;
    f.contacts.merge(f.keep.id, f.other.id);
    const auto last = f.contacts.add(named("Hélène L."));
    f.contacts.merge(last.id, f.keep.id);
    const auto history = f.contacts.merge_history(last.id);
    REQUIRE(history.size() == 2);
    CHECK(nlohmann::json::parse(history[0]).at("display_name").get<std::string>() == "Helene Lefevre");
    CHECK(nlohmann::json::parse(history[1]).at("display_name").get<std::string>() == "Hélène Lefèvre");
}

TEST_CASE("merging a contact with itself throws invalid_input and changes nothing", "[contact_store][merge]") {
    merge_fixture f;
    CHECK_THROWS_AS(f.contacts.merge(f.keep.id, f.keep.id), crm::invalid_input);
    CHECK(f.contacts.get(f.keep.id) == f.keep);
    CHECK(f.contacts.merge_history(f.keep.id).empty());
}

TEST_CASE("merging with a missing contact throws not_found and changes nothing", "[contact_store][merge]") {
    merge_fixture f;
    CHECK_THROWS_AS(f.contacts.merge(f.keep.id, 999999), crm::not_found);
    CHECK_THROWS_AS(f.contacts.merge(999999, f.keep.id), crm::not_found);
    CHECK(f.contacts.get(f.keep.id) == f.keep);
    CHECK(f.contacts.count() == 3);
}

TEST_CASE("merging the contact who introduced the survivor leaves no self-introduction", "[contact_store][merge]") {
    fixture f;
    const auto introducer = f.contacts.add(named("Ada (old card)"));
    contact s = named("Ada");
    s.introduced_by = introducer.id;
    const auto survivor = f.contacts.add(s);
    contact_id id = 0;
    REQUIRE_NOTHROW(id = f.contacts.merge(survivor.id, introducer.id).id);
    const auto got = f.contacts.get(id);
    CHECK_FALSE(got.introduced_by.has_value());
    CHECK_FALSE(f.contacts.contains(introducer.id));
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("merging a contact introduced by the survivor leaves no self-introduction", "[contact_store][merge]") {
    fixture f;
    const auto survivor = f.contacts.add(named("Ada"));
    contact o = named("Ada (duplicate)");
    o.introduced_by = survivor.id;
    const auto other = f.contacts.add(o);
    const auto got = f.contacts.merge(survivor.id, other.id);
    CHECK_FALSE(got.introduced_by.has_value());
    CHECK_FALSE(f.contacts.get(survivor.id).introduced_by.has_value());
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("merge takes the merged contact's introducer when the survivor has none", "[contact_store][merge]") {
    fixture f;
    const auto introducer = f.contacts.add(named("Bob"));
    const auto survivor = f.contacts.add(named("Ada"));
    contact o = named("Ada L.");
    o.introduced_by = introducer.id;
    const auto other = f.contacts.add(o);
    const auto got = f.contacts.merge(survivor.id, other.id);
    CHECK(got.introduced_by == std::optional<contact_id>(introducer.id));
}

TEST_CASE("a note both merged contacts share appears once on the survivor", "[contact_store][merge]") {
    // Two imports of the same card carry the same dated note; merging them must not double it.
    fixture f;
    contact a = named("Ada");
    a.notes = {{at(2023_y / 6 / 1), "Met at PyCon."}};
    contact b = a;
    const auto first = f.contacts.add(a);
    const auto second = f.contacts.add(b);
    const auto got = f.contacts.merge(first.id, second.id);
    CHECK(got.notes == std::vector<note>{{at(2023_y / 6 / 1), "Met at PyCon."}});
}

// ---- hostile input --------------------------------------------------------------------------

TEST_CASE("names with quotes and SQL fragments are stored exactly", "[contact_store][hostile]") {
    fixture f;
    contact c;
    c.display_name = "Robert'); DROP TABLE contacts;--";
    c.name = {"\"Dr.\"", "O'Brien", "' OR '1'='1", "\"; DELETE FROM contact_tags; --", "\\'\\\""};
    c.organization = "Acme' UNION SELECT * FROM sqlite_master --";
    c.title = "%_%";
    c.emails = {{"a'b\"c@example.com", "w'o\"rk"}};
    c.tags = {"%", "_", "'", "\"", "); --"};
    c.notes = {{at(2024_y / 1 / 1), "/* comment */ ' \" ` ; -- \\"}};
    const auto added = f.contacts.add(c);
    const auto got = f.contacts.get(added.id);
    CHECK(got.display_name == c.display_name);
    CHECK(got.name == c.name);
    CHECK(got.organization == c.organization);
    CHECK(got.title == c.title);
    CHECK(got.emails == c.emails);
    CHECK(got.tags == c.tags);
    CHECK(got.notes == c.notes);
    CHECK(f.contacts.count() == 1);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("filters holding SQL wildcards or quotes match only literally", "[contact_store][hostile]") {
    fixture f;
    contact a = named("Ada");
    a.tags = {"%"};
    a.organization = "O'Reilly";
    contact b = named("Bob");
    b.tags = {"vip"};
    b.organization = "Acme";
    f.contacts.add(a);
    f.contacts.add(b);
    contact_filter filter;
    filter.tag = "%";
    CHECK(names_of(f.contacts.list(filter)) == std::vector<std::string>{"Ada"});
    filter.tag = "' OR 1=1 --";
    CHECK(f.contacts.list(filter).empty());
    contact_filter org;
    org.organization = "o'reilly";
    CHECK(names_of(f.contacts.list(org)) == std::vector<std::string>{"Ada"});
    org.organization = "%";
    CHECK(f.contacts.count(org) == 0);
}

TEST_CASE("a 1 MB note is stored exactly", "[contact_store][hostile]") {
    fixture f;
    std::string big;
    big.reserve(1 << 20);
    const std::string pieces[] = {"abc ", "é", "東京", "🎉", "'\"; --\n", "\t"};
    for (std::size_t i = 0; big.size() < (1u << 20); ++i) big += pieces[i % 6];
    contact c = named("Ada");
    c.notes = {{at(2024_y / 1 / 1), big}};
    const auto id = f.contacts.add(c).id;
    const auto got = f.contacts.get(id);
    REQUIRE(got.notes.size() == 1);
    CHECK(got.notes.front().text.size() == big.size());
    CHECK(got.notes.front().text == big);
}

TEST_CASE("10,000 tags are stored exactly and in order", "[contact_store][hostile]") {
    fixture f;
    contact c = named("Ada");
    for (int i = 9999; i >= 0; --i) c.tags.push_back("tag-" + std::to_string(i) + (i % 7 == 0 ? "-é" : ""));
    const auto id = f.contacts.add(c).id;
    const auto got = f.contacts.get(id);
    CHECK(got.tags.size() == 10000);
    CHECK(got.tags == c.tags);
    CHECK(f.contacts.tags().size() == 10000);
}

TEST_CASE("invalid UTF-8 is rejected with invalid_input and nothing is written", "[contact_store][hostile]") {
    fixture f;
    f.contacts.add(named("Ada"));
    contact bad = full_contact();
    bad.notes.push_back({at(2024_y / 1 / 1), std::string("ok then \xC3\x28 broken")});
    CHECK_THROWS_AS(f.contacts.add(bad), crm::invalid_input);
    contact nul = named(std::string("Bo\0b", 4));
    CHECK_THROWS_AS(f.contacts.add(nul), crm::invalid_input);
    CHECK(f.contacts.count() == 1);
    CHECK(f.contacts.tags().empty());
    CHECK(f.contacts.search("Lefèvre").empty());
}

TEST_CASE("an update with invalid UTF-8 is rejected and the stored contact is unchanged",
          "[contact_store][hostile]") {
    fixture f;
    const auto stored = f.contacts.add(full_contact());
    contact bad = stored;
    bad.organization = "Globex";
    bad.tags.push_back(std::string("\xED\xA0\x80"));
    CHECK_THROWS_AS(f.contacts.update(bad), crm::invalid_input);
    CHECK(f.contacts.get(stored.id) == stored);
}

TEST_CASE("introduced_by pointing at a missing contact is rejected with invalid_input", "[contact_store][hostile]") {
    fixture f;
    const auto a = f.contacts.add(named("Ada"));
    contact b = named("Bob");
    b.introduced_by = 424242;
    CHECK_THROWS_AS(f.contacts.add(b), crm::invalid_input);
    CHECK_THROWS_WITH(f.contacts.add(b), Catch::Contains("introduced_by"));
    CHECK(f.contacts.count() == 1);
    CHECK(f.contacts.search("Bob").empty());

    contact changed = a;
    changed.introduced_by = 424242;
    changed.title = "Countess";
    CHECK_THROWS_AS(f.contacts.update(changed), crm::invalid_input);
    CHECK(f.contacts.get(a.id) == a);
}

TEST_CASE("a contact cannot be updated to introduce itself", "[contact_store][hostile]") {
    fixture f;
    auto a = f.contacts.add(named("Ada"));
    const auto before = a;
    a.introduced_by = a.id;
    CHECK_THROWS_AS(f.contacts.update(a), crm::invalid_input);
    CHECK(f.contacts.get(a.id) == before);
}

// ------------------------------------------------------------------------ ims, E.164, UIDs

namespace {

const crm::card_property* uid_of(const contact& c) {
    for (const auto& p : c.extra)
        if (p.name == "UID") return &p;
    return nullptr;
}

std::size_t count_named(const contact& c, const std::string& name) {
    return static_cast<std::size_t>(
        std::count_if(c.extra.begin(), c.extra.end(), [&](const crm::card_property& p) { return p.name == name; }));
}

}  // namespace

TEST_CASE("IM handles are stored as their own channel, in order, and found by search", "[contact_store]") {
    fixture f;
    contact c = named("Ada Lovelace");
    c.urls = {{"https://ada.example", "homepage"}};
    c.ims = {{"ada.l", "Skype"}, {"xmpp:ada@jabber.example", ""}};
    const auto saved = f.contacts.add(c);
    const std::vector<labeled_value> want{{"ada.l", "skype"}, {"ada@jabber.example", "xmpp"}};
    CHECK(saved.ims == want);
    const auto got = f.contacts.get(saved.id);
    CHECK(got.ims == want);
    CHECK(got.urls == c.urls);
    REQUIRE(f.contacts.search("ada.l").size() == 1);
}

TEST_CASE("a handle that names no service is refused and nothing is written", "[contact_store]") {
    fixture f;
    contact c = named("Ada Lovelace");
    c.ims = {{"ada.l", ""}};
    CHECK_THROWS_AS(f.contacts.add(c), crm::invalid_input);
    CHECK(f.contacts.count() == 0);
}

TEST_CASE("each phone keeps what was written and exposes its E.164 form", "[contact_store]") {
    fixture f;
    contact c = named("Ada Lovelace");
    c.phones = {{"+33 6 12 34 56 78", "mobile"}, {"06 12 34 56 78", "home"}, {"ext. 12", "work"}};
    auto saved = f.contacts.add(c);
    REQUIRE(saved.phones.size() == 3);
    CHECK(saved.phones[0].value == "+33 6 12 34 56 78");
    CHECK(saved.phones[0].e164 == "+33612345678");
    CHECK(saved.phones[1].e164.empty());  // no country code and no default region
    CHECK(saved.phones[2].e164.empty());
    CHECK(f.contacts.get(saved.id).phones[0].e164 == "+33612345678");

    f.s.set_default_region("FR");  // places the national number of every stored contact
    auto got = f.contacts.get(saved.id);
    CHECK(got.phones[1].value == "06 12 34 56 78");
    CHECK(got.phones[1].e164 == "+33612345678");
    CHECK(got.phones[2].e164.empty());
}

TEST_CASE("a phone without a country code is read with the country of the contact's address", "[contact_store]") {
    fixture f;
    f.s.set_default_region("US");
    contact c = named("Ada Lovelace");
    c.phones = {{"020 7946 0000", "work"}};
    crm::postal_address a;
    a.locality = "London";
    a.country = "gb";
    c.addresses = {a};
    auto saved = f.contacts.add(c);
    CHECK(saved.phones[0].e164 == "+442079460000");
    saved.addresses.clear();  // no country left: the default region (US) cannot place it
    CHECK(f.contacts.update(saved).phones[0].e164.empty());
}

TEST_CASE("an E.164 form handed in is not trusted: the store derives it from the value", "[contact_store]") {
    fixture f;
    contact c = named("Ada Lovelace");
    c.phones = {labeled_value{"+44 20 7946 0000", "work", "+10000000000"}};
    CHECK(f.contacts.add(c).phones[0].e164 == "+442079460000");
}

TEST_CASE("a contact created in netcrm gets a urn:uuid UID once, kept by updates", "[contact_store]") {
    fixture f;
    const auto saved = f.contacts.add(named("Ada Lovelace"));
    const auto* uid = uid_of(saved);
    REQUIRE(uid);
    CHECK(uid->value.starts_with("urn:uuid:"));
    CHECK(uid->value.size() == 9 + 36);
    CHECK(uid->value[9 + 14] == '4');  // version 4
    CHECK(f.contacts.add(named("Grace Hopper")).extra != saved.extra);
    auto changed = f.contacts.get(saved.id);
    changed.title = "Countess";
    CHECK(uid_of(f.contacts.update(changed))->value == uid->value);
    changed.extra.clear();  // handed back without it: the stored UID stays
    const auto updated = f.contacts.update(changed);
    REQUIRE(uid_of(updated));
    CHECK(uid_of(updated)->value == uid->value);
    CHECK(count_named(f.contacts.get(saved.id), "UID") == 1);
}

TEST_CASE("a contact's own UID is kept as it is", "[contact_store]") {
    fixture f;
    contact c = named("Ada Lovelace");
    c.extra = {{"", "UID", {}, "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"}};
    const auto saved = f.contacts.add(c);
    CHECK(saved.extra == c.extra);
}

TEST_CASE("a merge keeps the survivor's UID; the other's stays as a match key", "[contact_store]") {
    fixture f;
    contact a = named("Ada Lovelace");
    a.extra = {{"", "UID", {}, "uid-a"}};
    contact b = named("Ada King");
    b.extra = {{"", "UID", {}, "uid-b"}};
    b.ims = {{"ada.l", "skype"}};
    const auto ka = f.contacts.add(a);
    const auto kb = f.contacts.add(b);
    const auto merged = f.contacts.merge(ka.id, kb.id);
    CHECK(count_named(merged, "UID") == 1);
    CHECK(uid_of(merged)->value == "uid-a");
    CHECK(count_named(merged, "X-NETCRM-MERGED-UID") == 1);
    CHECK(merged.ims == b.ims);
    // A card of the merged-away contact finds the survivor by its old UID.
    const auto report = f.s.imports().import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada K.\r\nUID:uid-b\r\n"
                                                  "EMAIL:ada@example.com\r\nEND:VCARD\r\n",
                                                  "again.vcf");
    CHECK(report.merged == 1);
    CHECK(f.contacts.count() == 1);
}
