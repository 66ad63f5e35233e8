// The store's contacts out to the user's other tools: vCard 4.0 or 3.0 (phones, mail programs),
// Google-compatible CSV (spreadsheets), or the whole store as JSON (see archive.hpp).
#pragma once

#include "crm/contact_store.hpp"
#include "crm/store.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace crm {

enum class export_format { vcard4, vcard3, csv, json };

// "vcard" (4.0), "vcard4", "vcard3", "csv" or "json"; throws invalid_input for anything else.
export_format parse_export_format(std::string_view name);

// Writes the contacts matching `filter` (every contact by default) in `format`, one at a time, so
// memory does not grow with the store. JSON is always the whole store and refuses a filter.
// Returns how many contacts were written.
std::size_t export_contacts(store& s, std::ostream& out, export_format format, const contact_filter& filter = {});

}  // namespace crm
