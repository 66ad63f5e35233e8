// Inputs the fuzzers in fuzz/ found crashing a reader, kept byte for byte under tests/data/fuzz/<reader>/
// (README.md there says what each one triggered and what was fixed). Each must now read to its end,
// with what is wrong reported as problems. The crashes were out-of-bounds reads that only the fuzz
// build's checks (ASan, _GLIBCXX_ASSERTIONS) stop on; the sanitizer build of .ci/run has both.
#include "crm/csv.hpp"
#include "crm/mecard.hpp"
#include "crm/partial_date.hpp"
#include "crm/error.hpp"
#include "crm/vcard.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct result {
    std::vector<crm::card> cards;
    crm::read_summary summary;
};

std::string fuzz_input(const std::string& reader, const std::string& name) {
    std::ifstream in(std::string(NETCRM_TEST_DATA_DIR) + "/fuzz/" + reader + "/" + name, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool has_problem(const crm::read_summary& s, const std::string& words) {
    for (const auto& p : s.problems)
        if (p.reason.find(words) != std::string::npos) return true;
    return false;
}

result read_mecard(const std::string& bytes) {
    result r;
    r.summary = crm::mecard::read(bytes, "fuzz", [&](crm::card&& c) { r.cards.push_back(std::move(c)); });
    return r;
}

// The vCard and CSV readers have two entry points over one line reader; both must get through.
template <class Read>
result read_both(const std::string& bytes, Read read) {
    result from_view;
    from_view.summary = read(std::string_view(bytes), [&](crm::card&& c) { from_view.cards.push_back(std::move(c)); });
    std::istringstream in(bytes);
    result from_stream;
    from_stream.summary = read(in, [&](crm::card&& c) { from_stream.cards.push_back(std::move(c)); });
    CHECK(from_stream.summary.cards == from_view.summary.cards);
    CHECK(from_stream.summary.problems == from_view.summary.problems);
    return from_view;
}

result read_vcard(const std::string& bytes) {
    return read_both(bytes, [](auto&& input, const crm::card_sink& sink) { return crm::vcard::read(input, "fuzz", sink); });
}

result read_csv(const std::string& bytes, const crm::csv::column_mapping* mapping = nullptr) {
    return read_both(bytes, [mapping](auto&& input, const crm::card_sink& sink) {
        return crm::csv::read(input, "fuzz", sink, mapping);
    });
}

}  // namespace

TEST_CASE("a date shorter than a year is rejected without reading past its end", "[fuzz]") {
    CHECK_THROWS_AS(crm::partial_date::parse("1"), crm::invalid_input);
    CHECK_THROWS_AS(crm::partial_date::parse("198"), crm::invalid_input);
}

TEST_CASE("a MECARD BDAY of one digit is reported and not read past (mecard/bday-one-digit.txt)", "[fuzz]") {
    const auto r = read_mecard(fuzz_input("mecard", "bday-one-digit.txt"));
    REQUIRE(r.cards.size() == 1);
    CHECK_FALSE(r.cards[0].person.birthday);
    CHECK(has_problem(r.summary, "BDAY '1' is not a date"));
}

TEST_CASE("a vCard BDAY of one digit is reported and not read past (vcard/bday-one-digit.vcf)", "[fuzz]") {
    const auto r = read_vcard(fuzz_input("vcard", "bday-one-digit.vcf"));
    REQUIRE(r.cards.size() == 1);
    CHECK(r.cards[0].person.display_name == "Ann");
    CHECK_FALSE(r.cards[0].person.birthday);
    CHECK(has_problem(r.summary, "BDAY '1'"));
}

TEST_CASE("a CSV birthday of one digit is reported and not read past (csv/birthday-one-digit.csv)", "[fuzz]") {
    const auto bytes = fuzz_input("csv", "birthday-one-digit.csv");
    const crm::csv::column_mapping mapping{{{"Name", "display_name"}, {"Birthday", "birthday"}}};
    for (const auto* columns : {static_cast<const crm::csv::column_mapping*>(nullptr), &mapping}) {
        const auto r = read_csv(bytes, columns);
        REQUIRE(r.cards.size() == 1);
        CHECK(r.cards[0].person.display_name == "Ann");
        CHECK_FALSE(r.cards[0].person.birthday);
        CHECK(has_problem(r.summary, "birthday '1' is not a date"));
    }
}
