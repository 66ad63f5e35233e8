// The store out to the user's other tools: contacts as vCard 4.0 or 3.0 (phones, mail programs) or
// Google-compatible CSV (spreadsheets), the whole store as JSON (see archive.hpp), or the open
// follow-ups as an iCalendar file (calendars, see ical.hpp).
#pragma once

#include "crm/contact_store.hpp"
#include "crm/store.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace crm {

enum class export_format { vcard4, vcard3, csv, json, ics };

// "vcard" (4.0), "vcard4", "vcard3", "csv", "json" or "ics"; throws invalid_input for anything else.
export_format parse_export_format(std::string_view name);

// Writes the contacts matching `filter` (every contact by default) in `format`, one at a time, so
// memory does not grow with the store. JSON is always the whole store and refuses a filter. ICS
// writes the open follow-ups (ical.hpp, default options) and refuses a filter too.
// Returns how many contacts (for ICS: follow-ups) were written.
std::size_t export_contacts(store& s, std::ostream& out, export_format format, const contact_filter& filter = {});

}  // namespace crm
