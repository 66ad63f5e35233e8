// The MECARD reader: the one-line contact format NTT Docomo defined for QR codes
// ("MECARD:N:Doe,John;TEL:+15551234;;"), turned into crm::card records. Like the vCard reader it
// decodes and unescapes only; it knows nothing of storage, and a broken field never stops the rest.
#pragma once

#include "crm/card.hpp"

#include <string>
#include <string_view>

namespace crm::mecard {

// Reads every MECARD in `text` (QR payloads pasted one after another, one per line or not) and hands
// each card to `sink` as soon as it ends. Fields are NAME:value pairs ended by ';', a card ends with
// ";;", at the next "MECARD:" or at the end of the text (a missing ";;" is tolerated).
//
//   N         "family,given" (without a comma the whole value is the display name)
//   TEL       phone, kind ""             TEL-AV  phone, kind "video"
//   EMAIL     email                      URL     url
//   ADR       "po box,room,house number,city,prefecture,zip,country" when it has exactly those seven
//             parts; otherwise the whole value is the street, so a free-text address is not cut apart
//   BDAY      YYYYMMDD (also YYYY-MM-DD and --MMDD)
//   NOTE      a note (not stamped)       ORG     organization
//   SOUND, NICKNAME and every unknown field go to card.person.extra as card_property{NAME, value}.
//
// A backslash stands for the character after it: the format's \; \: \, \\ and the \" that Apple and
// Google write alike; only a backslash that ends the value is kept. Every field
// is also in card.properties (N and ADR with their escapes kept, as the vCard reader does for
// structured values). Text that is not UTF-8 is decoded with the charset guess shared with the vCard
// reader (Shift_JIS from Japanese phones, else windows-1252); UTF-16 and a BOM are recognised.
// Problems (a field without ':', a BDAY that is not a date, text outside any MECARD, an empty card)
// carry the 1-based line and byte column; exceptions thrown by `sink` propagate.
read_summary read(std::string_view text, const std::string& source, const card_sink& sink);

// Content sniffing: true when the text starts, after a BOM and blank space, with "MECARD:" (any case).
bool looks_like_mecard(std::string_view head);

}  // namespace crm::mecard
