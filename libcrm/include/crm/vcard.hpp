// The vCard reader: .vcf bytes as phones, mail programs and address books export them (vCard 2.1,
// 3.0, 4.0) turned into crm::card records one at a time. It decodes, unfolds and unescapes; it knows
// nothing of storage, and a broken record becomes a read_problem, never an exception.
#pragma once

#include "crm/card.hpp"

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace crm::vcard {

// A property value longer than this as the file holds it (a PHOTO, SOUND or KEY in practice) is not
// read into memory: the property is kept with an empty value and a read_problem says so.
inline constexpr std::size_t max_value_size = std::size_t{1} << 20;

// Reads every card in `in`, handing each to `sink` as soon as its END:VCARD is read, so memory does
// not grow with the input. Problems are collected in the summary with source, line and column (bytes,
// 1-based, of the physical line), the first 1000 of them and then one saying there were more; the rest
// of the input is still read. Exceptions from `sink` propagate.
//
// What the reader decides, so callers need not:
// - Text: a UTF-16 file (BOM, or NUL bytes in every other position) is decoded first. A value with a
//   CHARSET is converted from it, except that valid UTF-8 labelled ISO-8859-1/windows-1252 is kept as
//   UTF-8. A value without one is UTF-8 when it is valid UTF-8; otherwise the card's own legacy CHARSET
//   if another value has one, else one guess per card between Shift_JIS and windows-1252 (see
//   detail::guess_legacy_charset). The same bytes always give the same text.
// - Kinds of emails, phones, urls and addresses: an X-ABLabel in the property's group wins (Apple's
//   "_$!<Work>!$_" becomes "work", a label the user typed is kept as typed); otherwise the TYPE words,
//   lower-cased, without "x-" and the noise words pref, voice, internet, x400, dom, intl, postal and
//   parcel, with cell called "mobile", joined by ','. IMPP: X-SERVICE-TYPE or the URI scheme.
// - Nothing is derived: no display name from N, no kind when the card names none, note times left at
//   the epoch for the store to stamp. Every property except BEGIN/END is in card.properties, values
//   decoded; N, ADR, ORG, CATEGORIES, NICKNAME, GENDER, CLIENTPIDMAP and X-ANDROID-CUSTOM keep their
//   backslash escapes there, other text is unescaped; base64 stays base64 without white space.
//   Unescaping: \n and \N are a line break, and any other backslash stands for the character after it
//   (\, \; \\ of the RFCs, and the \: and \" Google and Apple write); one that ends the value is kept.
//   Properties no field takes go to contact.extra as read, except netcrm's own
//   X-NETCRM-FIELD;X-NETCRM-NAME="Custom Field 1 - Label" (vcard_writer.hpp), which goes there under the
//   name it carries: card.properties keeps it as the file wrote it.
// - Text before the first BEGIN:VCARD or between cards (an "ENCODING:UTF-8" line some exporters write
//   first) is skipped, with one problem naming the line where each such stretch starts.
// - Broken records lose as little as possible: a card without END:VCARD is still handed over, with a
//   problem; a line that is not a property is skipped (or, after a NOTE-like value, taken as a raw line
//   break of that value); undecodable base64 drops that one property.
read_summary read(std::istream& in, const std::string& source, const card_sink& sink);
read_summary read(std::string_view bytes, const std::string& source, const card_sink& sink);

// Content sniffing for format detection: true when the first bytes of a file (after a BOM, decoded
// from UTF-16 when they are UTF-16) start, after blank space, with BEGIN:VCARD, or reach a
// BEGIN:VCARD line after at most 8 other lines (the "ENCODING:UTF-8" some exporters write first)
// that hold no '"' and are no MECARD.
bool looks_like_vcard(std::string_view head);

}  // namespace crm::vcard
