// A card as a reader found it: the contact it describes, plus every property exactly as the file
// carried it, so nothing a card said is lost even when netcrm has no field for it. Readers (vCard,
// MECARD, CSV) produce cards and know nothing of storage; the importer normalizes and stores them.
#pragma once

#include "crm/contact.hpp"
#include "crm/property.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace crm {

struct card {
    contact person;     // the fields netcrm understands, as written (not yet normalized)
    std::string uid;    // vCard UID, when present
    std::string kind;   // vCard KIND / X-ADDRESSBOOKSERVER-KIND: "individual", "group", "org" ...
    std::string format; // "vcard-2.1", "vcard-3.0", "vcard-4.0", "mecard", "csv-linkedin" ...
    std::vector<card_property> properties;  // everything, in file order, including what was mapped
    std::string source;  // file name or caller's label
    int line = 0;        // 1-based line where the record starts
};

// A record a reader could not use; the rest of the input is still read.
struct read_problem {
    std::string source;
    int line = 0;
    int column = 0;
    std::string reason;
    friend bool operator==(const read_problem&, const read_problem&) = default;
};

// Readers hand each card to a sink as soon as it is complete, so memory does not grow with the file.
using card_sink = std::function<void(card&&)>;

struct read_summary {
    std::string format;  // what was read: "vcard", "mecard", "csv" (set by read_cards)
    std::size_t cards = 0;
    std::vector<read_problem> problems;
};

}  // namespace crm
