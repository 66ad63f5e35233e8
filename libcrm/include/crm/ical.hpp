// Follow-ups out to the user's calendar: an iCalendar (RFC 5545) file that Google Calendar, Apple
// Calendar and Thunderbird import. Each follow-up is a VEVENT with an alarm and a UID that stays the
// same across exports, so importing a newer file updates events instead of duplicating them.
#pragma once

#include "crm/follow_up.hpp"
#include "crm/store.hpp"

#include <chrono>
#include <ostream>
#include <string>

namespace crm {

struct ical_options {
    bool include_done = false;                  // also done and cancelled ones (cancelled as STATUS:CANCELLED)
    std::chrono::minutes duration{15};          // how long each event lasts
    std::chrono::minutes alarm_before{0};       // a display alarm this long before (0: at the due time)
    bool alarm = true;
    std::string calendar_name = "netcrm follow-ups";
};

// Writes the calendar of the store's follow-ups; returns how many events were written.
std::size_t export_follow_ups_ics(store& s, std::ostream& out, const ical_options& options = {});

}  // namespace crm
