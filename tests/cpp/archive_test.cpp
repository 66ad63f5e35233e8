// The JSON archive: export the whole store, restore it into an empty one, lose nothing.
#include <catch2/catch.hpp>

#include "crm/archive.hpp"
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/importer.hpp"
#include "crm/store.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

using namespace crm;
using namespace date::literals;

namespace {

std::string without_export_time(std::string s) {
    auto j = nlohmann::json::parse(s);
    j.erase("exported_at");
    return j.dump();
}

// A store with a bit of everything: references, notes, kept properties, a merge and imports.
void fill(store& s) {
    s.set_default_region("FR");
    contact a;
    a.display_name = "Hélène Lefèvre";
    a.name = {"Dr.", "Hélène", "", "Lefèvre", ""};
    a.organization = "Atelier";
    a.emails = {{"helene@atelier.example", "work"}};
    a.phones = {{"06 12 34 56 78", "mobile"}};
    a.addresses = {{"work", "", "", "1 rue de Rivoli", "Paris", "", "75001", "France"}};
    a.tags = {"potential-client", "design"};
    a.birthday = partial_date(date::month{4}, date::day{15});
    a.notes = {{crm::test::at(2026_y / 10 / 8, std::chrono::hours{17}), "likes jazz"}};
    a.extra = {{"item1", "X-ABLABEL", {}, "studio"}, {"", "X-X", {{"TYPE", {"a", "b"}}}, "v;w"}};
    auto ada = s.contacts().add(a);
    contact b;
    b.display_name = "Zoë Martin";
    b.introduced_by = ada.id;
    s.contacts().add(b);
    contact dup;
    dup.display_name = "Z. Martin";
    dup.emails = {{"zoe@lumen.example", ""}};
    auto d = s.contacts().add(dup);
    s.contacts().merge(ada.id + 1, d.id);
    s.imports().import_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\nORG:Navy\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:GRACE HOPPER\r\nEMAIL:g2@example.com\r\nORG:navy\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nameless\r\nEND:VCARD\r\n",
        "cards.vcf");
    s.imports().import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEMAIL:helene@atelier.example\r\nEND:VCARD\r\n",
                            "merge.vcf");
}

std::string export_of(store& s) {
    std::ostringstream out;
    s.archive().write(out);
    return out.str();
}

}  // namespace

TEST_CASE("an export restored into an empty store gives the same store", "[archive]") {
    crm::test::temp_dir dir;
    auto original = store::open(dir.file("a.db"));
    fill(original);
    const std::string text = export_of(original);

    auto copy = store::open(dir.file("b.db"));
    std::istringstream in(text);
    auto summary = copy.archive().restore(in, "backup.json");
    CHECK(summary.contacts == original.contacts().count());
    CHECK(summary.merges == 1);
    CHECK(summary.batches == 2);

    CHECK(copy.contacts().list() == original.contacts().list());
    CHECK(copy.default_region() == "FR");
    for (const auto& c : original.contacts().list())
        CHECK(copy.contacts().merge_history(c.id) == original.contacts().merge_history(c.id));
    REQUIRE(copy.imports().batches().size() == 2);
    CHECK(copy.imports().report(1).suggested == original.imports().report(1).suggested);
    CHECK(copy.imports().report(1).rejected == original.imports().report(1).rejected);
    CHECK(without_export_time(export_of(copy)) == without_export_time(text));
    CHECK(copy.contacts().search("helene").size() == 1);
    CHECK(copy.integrity_check() == "ok");
}

TEST_CASE("an import batch restored from an export can still be undone", "[archive]") {
    crm::test::temp_dir dir;
    auto original = store::open(dir.file("a.db"));
    fill(original);
    auto copy = store::open(dir.file("b.db"));
    std::istringstream in(export_of(original));
    copy.archive().restore(in, "backup.json");
    const auto before = copy.contacts().count();
    copy.imports().undo(2);
    CHECK(copy.contacts().count() == before);  // batch 2 only merged
    CHECK(copy.contacts().search("helene").at(0).display_name == "Hélène Lefèvre");
}

TEST_CASE("restoring into a store that has contacts is refused and changes nothing", "[archive]") {
    auto a = store::open(":memory:");
    fill(a);
    auto b = store::open(":memory:");
    contact c;
    c.display_name = "Already here";
    b.contacts().add(c);
    std::istringstream in(export_of(a));
    CHECK_THROWS_WITH(b.archive().restore(in, "backup.json"), Catch::Contains("needs an empty database"));
    CHECK(b.contacts().count() == 1);
}

TEST_CASE("a document that is not JSON is refused naming the byte", "[archive]") {
    auto s = store::open(":memory:");
    std::istringstream in("{\"format\": \"netcrm\", oops}");
    CHECK_THROWS_WITH(s.archive().restore(in, "x.json"), Catch::Contains("x.json: not valid JSON at byte"));
}

TEST_CASE("JSON that is not a netcrm export is refused", "[archive]") {
    auto s = store::open(":memory:");
    std::istringstream in("{\"contacts\": []}");
    CHECK_THROWS_AS(s.archive().restore(in, "x.json"), crm::invalid_input);
}

TEST_CASE("an export from a newer schema is refused as incompatible", "[archive]") {
    auto s = store::open(":memory:");
    std::istringstream in("{\"format\": \"netcrm\", \"schema_version\": " + std::to_string(store::schema_version + 1) +
                          ", \"contacts\": []}");
    CHECK_THROWS_AS(s.archive().restore(in, "x.json"), crm::incompatible_database);
}

TEST_CASE("a restore with a bad record writes nothing", "[archive]") {
    auto a = store::open(":memory:");
    fill(a);
    auto j = nlohmann::json::parse(export_of(a));
    j["contacts"][1]["emails"][0]["value"] = "";  // an empty email breaks a rule
    auto b = store::open(":memory:");
    std::istringstream in(j.dump());
    CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains("x.json: contacts[1]"));
    CHECK(b.contacts().count() == 0);
    CHECK(b.imports().batches().empty());
    CHECK(b.default_region().empty());
}

TEST_CASE("a restore whose references point nowhere is refused", "[archive]") {
    auto a = store::open(":memory:");
    fill(a);
    auto j = nlohmann::json::parse(export_of(a));
    for (auto& c : j["contacts"])
        if (!c["introduced_by"].is_null()) c["introduced_by"] = 999;
    auto b = store::open(":memory:");
    std::istringstream in(j.dump());
    CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains("refers to a contact id"));
    CHECK(b.contacts().count() == 0);
}
