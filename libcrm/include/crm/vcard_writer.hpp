// The vCard writer: a contact as one vCard 3.0 (RFC 2426) or 4.0 (RFC 6350) card, for address books
// (Apple Contacts, Google Contacts, Outlook, CardDAV servers) and for netcrm's own reader to take back.
// A pure function of the contact value: it knows nothing of storage.
#pragma once

#include "crm/contact.hpp"

#include <iosfwd>
#include <string>

namespace crm::vcard {

enum class version { v3_0, v4_0 };

// Writes `c` as BEGIN:VCARD ... END:VCARD, UTF-8, CRLF line ends, lines folded at 75 octets (never inside
// a UTF-8 character). What goes where, and why:
//
//   FN        display_name; when empty, the name, organization, first email or phone (as
//             normalize_and_validate derives it), because FN is required in both versions.
//   N         always, with all five components even when empty (required by 3.0, and importers that
//             build names from N alone then still find it in 4.0).
//   ORG TITLE when not empty.
//   EMAIL TEL URL ADR
//             a kind made only of the version's standard TYPE words, spelt as netcrm's reader gives them
//             back ("work", "home", "mobile" as cell, "work,fax" ...: lower case, no blanks, each once,
//             none of the words the reader ignores such as voice or internet), is written as TYPE: 3.0
//             `TYPE=WORK;TYPE=CELL` (repeated, upper case, as Apple and Google write it; every 3.0 EMAIL
//             also gets TYPE=INTERNET as both do), 4.0 `TYPE=work,cell`; "pref" becomes 3.0 TYPE=PREF,
//             4.0 PREF=1 (a preference, which the reader does not keep in the kind). Any other kind
//             ("linkedin", "Assistant", "work,linkedin", "Work", "voice") is kept exactly as an Apple
//             label: `itemN.URL:...` plus `itemN.X-ABLabel:linkedin` (Apple's convention, also in
//             Google's exports), which netcrm's reader reads back as the kind, unchanged.
//             Group numbers avoid groups already used by c.extra. TEL is written as text (the 3.0
//             form, still the 4.0 default), as it was written, not as a tel: URI of its E.164 form:
//             the number reads back unchanged (readers derive E.164 again). URL values escape ','
//             (RFC 6350 3.4: vobject and others split at a bare one).
//   IMPP      one per IM handle, in both versions (RFC 4770, RFC 6350 6.4.3): im_uri(handle), e.g.
//             `IMPP:skype:ada.l`, with `X-SERVICE-TYPE=<kind>` (Apple's parameter) when the scheme does
//             not name the service (`IMPP;X-SERVICE-TYPE=jabber:xmpp:ada@jabber.example`).
//   CATEGORIES the tags, one property, comma-separated.
//   BDAY      4.0 `19850415` or `--0415`; 3.0 `1985-04-15`, or for an unknown year Apple's
//             `BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15` (3.0 has no year-less form; 1604 is a leap year
//             so --02-29 survives).
//   NOTE      one per note. vCard has no time for a note, so a stamped note carries it in a private
//             parameter: `NOTE;X-NETCRM-NOTE-AT=20261008T174000Z:text` (UTC, basic format: no ':' so
//             the parameter needs no quotes). Both RFCs allow x-parameters on NOTE, and RFC 6350 tells
//             readers to ignore the ones they do not know; an unstamped note has no parameter.
//   X-NETCRM-HOW-MET, X-NETCRM-SOURCE  how_met and source, when not empty.
//   extra     every property of c.extra, in order, with its group, name and parameters. Values the
//             reader keeps escaped (structured values: N, ADR, ORG, CATEGORIES, NICKNAME, GENDER,
//             CLIENTPIDMAP, X-ANDROID-CUSTOM) and URI or base64 values are written as stored; every other
//             value is plain text and is escaped for the version. A raw line break is written as \n in
//             any case (it would end the content line). Parameters that described the original file's
//             bytes (CHARSET, ENCODING=QUOTED-PRINTABLE/8BIT/7BIT) are dropped: the value is UTF-8 text
//             now. Inline binary (PHOTO, LOGO, SOUND, KEY) is converted between the 3.0 form
//             (ENCODING=b;TYPE=JPEG) and the 4.0 data: URI, without the VALUE of the other form; base64
//             stored without ENCODING (Thunderbird's and ownCloud's PHOTO;TYPE=JPEG:/9j/...) counts as
//             inline binary too, so 3.0 gets its ENCODING=b. Left out because they would break the card
//             or duplicate what the writer wrote: BEGIN, END, VERSION, N, a second UID, and REV, BDAY,
//             X-NETCRM-HOW-MET and X-NETCRM-SOURCE when the contact's own field was written. A name or
//             group that is not a vCard name (a CSV column such as "Custom Field 1 - Label", kept by the
//             CSV reader) is written as `X-NETCRM-FIELD;X-NETCRM-NAME="Custom Field 1 - Label":value`
//             (with the group on the line when the group is a vCard name); netcrm's reader gives the
//             contact the property back under its own name.
//   REV       updated_at in UTC, `20261008T174000Z`; left out for a contact never stored (updated_at at
//             its default, the epoch).
//   UID       never invented here: written when c.extra holds one (the first one). The store gives every
//             contact one, so every export of stored contacts has it.
//
// Text escaping: 3.0 escapes \ ; , and line breaks in every text value (RFC 2426 text-value); 4.0 escapes
// \ , and line breaks in text, and ; too inside structured values (RFC 6350 "text" and "component").
void write(std::ostream& out, const contact& c, version v);

std::string to_string(const contact& c, version v);

}  // namespace crm::vcard
