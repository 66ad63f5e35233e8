// A property as a card carried it (vCard content line, MECARD field, CSV cell): name, group,
// parameters and text value. Contacts keep the ones netcrm has no field for (X- properties, UID,
// PHOTO ...) so that nothing an imported card said is lost and exports can write them back.
#pragma once

#include <string>
#include <vector>

namespace crm {

struct card_parameter {
    std::string name;                 // upper-cased: "TYPE", "PREF", "X-ABLABEL"; a bare 2.1 "CELL" is TYPE=CELL
    std::vector<std::string> values;  // unquoted, split on unquoted commas
    friend bool operator==(const card_parameter&, const card_parameter&) = default;
};

// One content line (or CSV cell), after unfolding and decoding to UTF-8 text.
struct card_property {
    std::string group;  // "item1" of "item1.EMAIL"; empty when none
    std::string name;   // upper-cased: "EMAIL", "X-SOCIALPROFILE"; for CSV the column header as written
    std::vector<card_parameter> parameters;
    std::string value;  // the value as text: escapes kept as in the file for structured values
    friend bool operator==(const card_property&, const card_property&) = default;
};

}  // namespace crm
