// The iCalendar export of follow-ups (RFC 5545): content lines, escaping, folding, stable UIDs and
// growing SEQUENCE, alarms, and what is written for done and cancelled follow-ups.
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/exporter.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/ical.hpp"
#include "crm/store.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::due_time;
using crm::store;
using crm::test::at;

namespace {

struct fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{at(2026_y / 11 / 27, 10h)};
    store s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    fixture() { s.set_time_zone("Europe/Paris"); }
    crm::contact_id person(const std::string& name) {
        crm::contact c;
        c.display_name = name;
        return s.contacts().add(c).id;
    }
    std::string ics(const crm::ical_options& o = {}) {
        std::ostringstream out;
        crm::export_follow_ups_ics(s, out, o);
        return out.str();
    }
};

std::vector<std::string> physical_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i; (i = text.find("\r\n", start)) != std::string::npos; start = i + 2)
        out.push_back(text.substr(start, i - start));
    REQUIRE(start == text.size());  // every line ends with CRLF, the last one too
    return out;
}

// Unfolds (RFC 5545 3.1): a line starting with a space continues the previous one.
std::vector<std::string> content_lines(const std::string& text) {
    std::vector<std::string> out;
    for (auto& l : physical_lines(text)) {
        if (!l.empty() && l[0] == ' ')
            out.back() += l.substr(1);
        else
            out.push_back(l);
    }
    return out;
}

std::string value_of(const std::vector<std::string>& lines, const std::string& name, int nth = 0) {
    for (const auto& l : lines)
        if (l.rfind(name + ":", 0) == 0 && nth-- == 0) return l.substr(name.size() + 1);
    return "<missing " + name + ">";
}

int count_of(const std::vector<std::string>& lines, const std::string& line) {
    int n = 0;
    for (const auto& l : lines) n += l == line;
    return n;
}

}  // namespace

TEST_CASE("an open follow-up becomes a VEVENT in UTC with an alarm", "[ical]") {
    fixture f;
    auto ada = f.person("Ada Lovelace");
    f.s.follow_ups().schedule(ada, "Send the deck", due_time::on(2026_y / 12 / 1));  // 09:00 Paris = 08:00Z
    auto lines = content_lines(f.ics());
    CHECK(lines.front() == "BEGIN:VCALENDAR");
    CHECK(lines.back() == "END:VCALENDAR");
    CHECK(value_of(lines, "VERSION") == "2.0");
    CHECK(value_of(lines, "PRODID").find("netcrm") != std::string::npos);
    CHECK(count_of(lines, "BEGIN:VEVENT") == 1);
    CHECK(value_of(lines, "DTSTART") == "20261201T080000Z");
    CHECK(value_of(lines, "DTEND") == "20261201T081500Z");
    CHECK(value_of(lines, "SUMMARY") == "Send the deck (Ada Lovelace)");
    CHECK(value_of(lines, "DTSTAMP") == "20261127T100000Z");
    CHECK(value_of(lines, "STATUS") == "CONFIRMED");
    CHECK(count_of(lines, "BEGIN:VALARM") == 1);
    CHECK(value_of(lines, "TRIGGER") == "PT0M");
    CHECK(value_of(lines, "ACTION") == "DISPLAY");
}

TEST_CASE("UIDs stay the same across exports while SEQUENCE grows with each change", "[ical]") {
    fixture f;
    auto ada = f.person("Ada");
    auto fu = f.s.follow_ups().schedule(ada, "Call", due_time::on(2026_y / 12 / 1));
    auto first = content_lines(f.ics());
    f.s.follow_ups().snooze(fu.id, 48h);
    auto second = content_lines(f.ics());
    CHECK(value_of(first, "UID") == value_of(second, "UID"));
    CHECK(value_of(first, "UID") == "follow-up-" + std::to_string(fu.id) + "-" + f.s.id() + "@netcrm");
    CHECK(std::stoi(value_of(second, "SEQUENCE")) > std::stoi(value_of(first, "SEQUENCE")));
    CHECK(value_of(second, "DTSTART") == "20261203T080000Z");

    // Another database's follow-up #1 gets another UID.
    fixture other;
    other.s.follow_ups().schedule(other.person("Ada"), "Call", due_time::on(2026_y / 12 / 1));
    CHECK(value_of(content_lines(other.ics()), "UID") != value_of(first, "UID"));
}

TEST_CASE("text is escaped and long lines are folded at 75 octets without splitting a character", "[ical]") {
    fixture f;
    auto who = f.person("Zoë Lefèvre");
    std::string reason = "Thank her; send notes, links\\slides";
    for (int i = 0; i < 12; ++i) reason += " — café crème";
    f.s.follow_ups().schedule(who, reason, due_time::on(2026_y / 12 / 1));
    const std::string text = f.ics();
    for (const auto& l : physical_lines(text)) {
        CHECK(l.size() <= 75);
        // A physical line never starts inside a UTF-8 sequence (after the folding space).
        if (l.size() > 1 && l[0] == ' ') CHECK((static_cast<unsigned char>(l[1]) & 0xC0) != 0x80);
    }
    auto lines = content_lines(text);
    std::string summary = value_of(lines, "SUMMARY");
    CHECK(summary.rfind("Thank her\\; send notes\\, links\\\\slides — café crème", 0) == 0);
    CHECK(summary.find("(Zoë Lefèvre)") != std::string::npos);
    CHECK(value_of(lines, "DESCRIPTION").find("\\nContact: Zoë Lefèvre") != std::string::npos);
}

TEST_CASE("done and cancelled follow-ups are left out unless asked, then marked", "[ical]") {
    fixture f;
    auto ada = f.person("Ada");
    auto a = f.s.follow_ups().schedule(ada, "A", due_time::on(2026_y / 12 / 1));
    auto b = f.s.follow_ups().schedule(ada, "B", due_time::on(2026_y / 12 / 2));
    f.s.follow_ups().schedule(ada, "C", due_time::on(2026_y / 12 / 3));
    f.s.follow_ups().complete(a.id);
    f.s.follow_ups().cancel(b.id);
    CHECK(count_of(content_lines(f.ics()), "BEGIN:VEVENT") == 1);

    crm::ical_options all;
    all.include_done = true;
    all.alarm_before = 30min;
    auto lines = content_lines(f.ics(all));
    CHECK(count_of(lines, "BEGIN:VEVENT") == 3);
    CHECK(value_of(lines, "SUMMARY", 0) == "Done: A (Ada)");
    CHECK(value_of(lines, "STATUS", 1) == "CANCELLED");
    CHECK(count_of(lines, "BEGIN:VALARM") == 1);  // only the open one rings
    CHECK(value_of(lines, "TRIGGER") == "-PT30M");

    crm::ical_options bad;
    bad.duration = 0min;
    CHECK_THROWS_AS(f.ics(bad), crm::invalid_input);
}

TEST_CASE("the exporter writes the calendar as format ics and refuses a contact filter", "[ical]") {
    fixture f;
    f.s.follow_ups().schedule(f.person("Ada"), "Call", due_time::on(2026_y / 12 / 1));
    CHECK(crm::parse_export_format("ics") == crm::export_format::ics);
    std::ostringstream out;
    CHECK(crm::export_contacts(f.s, out, crm::export_format::ics) == 1);
    CHECK(out.str().rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
    crm::contact_filter tagged;
    tagged.tag = "vip";
    std::ostringstream ignored;
    CHECK_THROWS_AS(crm::export_contacts(f.s, ignored, crm::export_format::ics, tagged), crm::invalid_input);
}
