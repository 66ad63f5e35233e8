// iCalendar (RFC 5545) export of follow-ups.
//
// Choices made for the three calendars users import into (Google Calendar, Apple Calendar,
// Thunderbird):
// - Times are written in UTC ("20261201T080000Z"). A TZID would need a VTIMEZONE component for
//   each zone (RFC 5545 3.2.19), which the importers handle unevenly; a UTC instant is exact, and
//   every calendar shows it on the user's own wall clock.
// - VEVENT, not VTODO: Google Calendar does not import tasks.
// - UID = "follow-up-<id>-<database id>@netcrm": stable across exports of one database and unique
//   between databases; SEQUENCE and LAST-MODIFIED grow with every change, so a calendar that
//   imports a newer file updates the event instead of adding a second one.
#include "crm/ical.hpp"

#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/follow_up_store.hpp"

#include <date/date.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crm {

namespace {

std::string utc_stamp(date::sys_seconds t) { return date::format("%Y%m%dT%H%M%SZ", t); }

// TEXT values (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \n.
std::string escape_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        switch (c) {
        case '\\': out += "\\\\"; break;
        case ';': out += "\\;"; break;
        case ',': out += "\\,"; break;
        case '\r':
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
            out += "\\n";
            break;
        case '\n': out += "\\n"; break;
        default:
            // Other control characters are not allowed in TEXT; a tab is.
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
            out += c;
        }
    }
    return out;
}

// Content lines are folded at 75 octets (3.1), never inside a UTF-8 sequence: a continuation byte
// (10xxxxxx) always stays with the byte before it.
void write_line(std::ostream& out, std::string_view line) {
    std::size_t limit = 75;
    while (line.size() > limit) {
        std::size_t cut = limit;
        while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        out << line.substr(0, cut) << "\r\n ";
        line.remove_prefix(cut);
        limit = 74;  // the leading space counts
    }
    out << line << "\r\n";
}

std::string duration(std::chrono::minutes m) {
    auto v = m.count();
    return (v < 0 ? "-PT" : "PT") + std::to_string(v < 0 ? -v : v) + "M";
}

}  // namespace

std::size_t export_follow_ups_ics(store& s, std::ostream& out, const ical_options& options) {
    if (options.duration.count() <= 0) throw invalid_input("ical_options.duration: expected a positive duration");
    if (options.alarm_before.count() < 0)
        throw invalid_input("ical_options.alarm_before: expected zero or a positive duration");

    follow_up_filter filter;
    if (!options.include_done) filter.status = follow_up_status::open;
    const std::vector<follow_up> items = s.follow_ups().list(filter);
    const std::string store_id = s.id();
    const date::sys_seconds now = s.now();

    std::map<contact_id, std::string> names;
    std::map<event_id, std::string> events;
    auto name_of = [&](contact_id id) -> const std::string& {
        auto it = names.find(id);
        if (it == names.end()) {
            auto c = s.contacts().find(id);
            it = names.emplace(id, c ? c->display_name : std::string("contact #") + std::to_string(id)).first;
        }
        return it->second;
    };
    auto event_name = [&](event_id id) -> const std::string& {
        auto it = events.find(id);
        if (it == events.end()) {
            auto e = s.events().find(id);
            it = events.emplace(id, e ? e->name : std::string()).first;
        }
        return it->second;
    };

    write_line(out, "BEGIN:VCALENDAR");
    write_line(out, "VERSION:2.0");
    write_line(out, "PRODID:-//netcrm//netcrm follow-ups//EN");
    write_line(out, "CALSCALE:GREGORIAN");
    write_line(out, "METHOD:PUBLISH");
    write_line(out, "X-WR-CALNAME:" + escape_text(options.calendar_name));
    for (const follow_up& f : items) {
        const std::string& who = name_of(f.contact);
        std::string summary = (f.status == follow_up_status::done ? "Done: " : "") + f.reason + " (" + who + ")";
        std::string description = f.reason + "\nContact: " + who;
        if (f.event) {
            const std::string& e = event_name(*f.event);
            if (!e.empty()) description += "\nEvent: " + e;
        }
        description += "\nDue in " + f.time_zone + ".\nnetcrm follow-up #" + std::to_string(f.id);

        write_line(out, "BEGIN:VEVENT");
        write_line(out, "UID:follow-up-" + std::to_string(f.id) + "-" + store_id + "@netcrm");
        write_line(out, "DTSTAMP:" + utc_stamp(now));
        write_line(out, "CREATED:" + utc_stamp(f.created_at));
        write_line(out, "LAST-MODIFIED:" + utc_stamp(f.updated_at));
        write_line(out, "SEQUENCE:" + std::to_string(f.sequence));
        write_line(out, "DTSTART:" + utc_stamp(f.due_at));
        write_line(out, "DTEND:" + utc_stamp(f.due_at + options.duration));
        write_line(out, "SUMMARY:" + escape_text(summary));
        write_line(out, "DESCRIPTION:" + escape_text(description));
        write_line(out, "CATEGORIES:netcrm");
        write_line(out, "TRANSP:TRANSPARENT");  // a reminder, not a busy slot
        write_line(out, std::string("STATUS:") + (f.status == follow_up_status::cancelled ? "CANCELLED" : "CONFIRMED"));
        if (options.alarm && f.status == follow_up_status::open) {
            write_line(out, "BEGIN:VALARM");
            write_line(out, "ACTION:DISPLAY");
            write_line(out, "DESCRIPTION:" + escape_text(summary));
            write_line(out, "TRIGGER:" + duration(-options.alarm_before));
            write_line(out, "END:VALARM");
        }
        write_line(out, "END:VEVENT");
    }
    write_line(out, "END:VCALENDAR");
    return items.size();
}

}  // namespace crm
