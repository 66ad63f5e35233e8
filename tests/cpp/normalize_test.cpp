#include <catch2/catch.hpp>

#include "crm/error.hpp"
#include "crm/normalize.hpp"

#include <thread>
#include <vector>

using crm::folded;
using crm::normalized_email;
using crm::phone_normalizer;

TEST_CASE("an email keeps its local part and folds its domain", "[normalize]") {
    CHECK(normalized_email("  Ada.L@Example.COM ") == "Ada.L@example.com");
    CHECK(normalized_email("mailto:bob@EXAMPLE.org") == "bob@example.org");
}

TEST_CASE("text without an address on both sides of @ is no email", "[normalize]") {
    CHECK(normalized_email("bob").empty());
    CHECK(normalized_email("@example.com").empty());
    CHECK(normalized_email("bob@").empty());
}

TEST_CASE("folding ignores case and accents: Zoë = Zoe, Lefèvre = LEFEVRE", "[normalize]") {
    CHECK(folded("Zoë") == folded("Zoe"));
    CHECK(folded("Lefèvre") == folded("LEFEVRE"));
    CHECK(folded("Hélène Lefèvre") == "helene lefevre");
    CHECK(folded("Ångström") == "angstrom");
}

TEST_CASE("folding collapses whitespace and punctuation runs", "[normalize]") {
    CHECK(folded("  Zoë  LEFÈVRE-Martin ") == "zoe lefevre martin");
    CHECK(folded("ACME, Inc.") == "acme inc");
    CHECK(folded("") == "");
}

TEST_CASE("folding uses Unicode case folding beyond ASCII", "[normalize]") {
    CHECK(folded("STRASSE") == folded("Straße"));
    CHECK(folded("ΣΟΦΙΑ") == folded("σοφια"));
    CHECK(folded("Łukasz") == "łukasz");  // no decomposition: the letter keeps its shape
}

TEST_CASE("phone numbers become E.164 in the default region", "[normalize]") {
    phone_normalizer fr("FR");
    CHECK(fr.e164("06 12 34 56 78") == "+33612345678");
    CHECK(fr.e164("+33 6 12 34 56 78") == "+33612345678");
    CHECK(fr.e164("0033 6 12 34 56 78") == "+33612345678");
    CHECK(fr.e164("tel:+33-6-12-34-56-78") == "+33612345678");
    phone_normalizer us("us");
    CHECK(us.e164("(415) 555-0100") == "+14155550100");
    CHECK(us.e164("+91 98765 43210") == "+919876543210");
}

TEST_CASE("a canonical E.164 number is taken as it is", "[normalize]") {
    CHECK(phone_normalizer("FR").e164("+14155550100") == "+14155550100");
}

TEST_CASE("text that is not a phone number gives no E.164 form", "[normalize]") {
    phone_normalizer fr("FR");
    CHECK_FALSE(fr.e164("not a phone").has_value());
    CHECK_FALSE(fr.e164("").has_value());
    CHECK_FALSE(fr.e164("12").has_value());
}

TEST_CASE("an unknown default region is refused with invalid_input", "[normalize]") {
    CHECK_THROWS_AS(phone_normalizer("XX"), crm::invalid_input);
}

TEST_CASE("phone normalization is safe from several threads", "[normalize]") {
    phone_normalizer fr("FR");
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) ok[t] += fr.e164("06 12 34 56 78") == std::optional<std::string>("+33612345678");
        });
    for (auto& th : threads) th.join();
    CHECK(ok == std::vector<int>{500, 500, 500, 500});
}

TEST_CASE("a social profile URL reduces to network and handle", "[normalize]") {
    CHECK(crm::profile_key("https://www.LinkedIn.com/in/ada-l/") == "linkedin.com/in/ada-l");
    CHECK(crm::profile_key("http://linkedin.com/in/ada-l?trk=x") == "linkedin.com/in/ada-l");
    CHECK(crm::profile_key("https://github.com/adal") == "github.com/adal");
    CHECK(crm::profile_key("https://x.com/adal") == "x.com/adal");
}

TEST_CASE("a URL that is no personal profile gives no profile key", "[normalize]") {
    CHECK(crm::profile_key("https://atelier.example").empty());
    CHECK(crm::profile_key("https://www.linkedin.com/company/acme").empty());
    CHECK(crm::profile_key("https://github.com/adal/repo").empty());
    CHECK(crm::profile_key("https://linkedin.com/in/").empty());
}
