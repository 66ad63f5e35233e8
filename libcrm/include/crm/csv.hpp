// The CSV reader: contact exports from LinkedIn, Google Contacts, Outlook and Thunderbird, and any
// spreadsheet with a header row, turned into crm::card records one row at a time. It decodes and maps
// columns; it knows nothing of storage, and a broken row becomes a read_problem, never an exception.
#pragma once

#include "crm/card.hpp"

#include <array>
#include <cstddef>
#include <istream>
#include <map>
#include <string>
#include <string_view>

namespace crm::csv {

// What a column can be mapped to. Several columns may share a target: emails, phones, urls, notes and
// tags add up; streets join with a line break ("Street", "Street 2"); any other text field joins its
// cells with a space. "tags" splits a cell on ',', ';' and " ::: " (Google's "* myContacts" system
// group is dropped, the '*' of other system groups stripped). "birthday" takes the forms listed at
// read(). "formatted_address" is a whole address in one cell, kept as the street when the address has
// no parts. "ignore" drops the column from the contact (the cell stays in card.properties).
//
// email, phone, url and the address parts take an optional label after a colon: "phone:mobile",
// "email:work", "street:home". Address parts with the same label form one address.
inline constexpr std::array<std::string_view, 24> targets{
    "display_name", "given",  "family",   "additional", "prefix",      "suffix",   "organization", "title",
    "email",        "phone",  "url",      "tags",       "note",        "birthday", "how_met",      "po_box",
    "extended",     "street", "locality", "region",     "postal_code", "country",  "ignore",       "formatted_address"};

// A caller's mapping from column header to target. Headers are matched ignoring ASCII letter case
// and surrounding blanks. Columns the mapping does not name are kept in contact.extra. A mapping
// replaces dialect detection: the cards then say format "csv".
struct column_mapping {
    std::map<std::string, std::string> columns;  // header as written -> target, e.g. {"E-mail", "email:work"}
};

// A row (all its cells together, quotes resolved) longer than this is not read: a read_problem says
// so and reading goes on with the next line. It bounds memory when a stray quote would otherwise
// swallow the rest of the file.
inline constexpr std::size_t max_row_size = std::size_t{4} << 20;

// Reads the header row, then hands one card per data row to `sink` as soon as the row is read, so
// memory does not grow with the input (only with the longest row).
//
// Bytes: RFC 4180 (quoted fields with embedded line breaks, doubled quotes, CR LF, LF or CR), UTF-8
// with or without BOM, UTF-16 with BOM or recognisable without, and 8-bit text: a cell that is not
// valid UTF-8 is decoded with a charset chosen once per file (Shift_JIS or windows-1252, guessed from
// the first such row); a NUL byte is kept, for the importer to refuse the row as it refuses a vCard
// holding one. The delimiter is ',' unless the header line has more ';' or tabs outside quotes,
// or the file starts with Excel's "sep=;" line. LinkedIn's "Notes:" paragraph above the header is
// skipped; so are blank rows and rows whose cells are all blank.
//
// Columns, without a mapping: the header decides the dialect, which the cards' `format` names:
//   csv-linkedin     First Name, Last Name, [URL,] Email Address, Company, Position, Connected On.
//                    URL becomes a url of kind "linkedin"; Connected On a note "Connected on LinkedIn
//                    on 2018-01-08" stamped at 00:00 UTC that day (the export has no time of day,
//                    or a local one without a zone, so the day is the fact worth keeping).
//   csv-google       legacy (Given Name, E-mail 1 - Type/Value, Group Membership) and current
//                    (First Name, E-mail 1 - Label/Value, Labels); " ::: " separates several values in
//                    one cell, each taking the block's label ("* Work" -> "work", "Work Fax" ->
//                    "work,fax", a label the user typed as written); when the label cell holds as many
//                    " ::: "-separated labels as there are values (netcrm's writer joins different
//                    labels that way), each value takes its own. An address block's columns are split
//                    the same way, piece k of each column making address k. Labels and groups are
//                    split at " ::: " only: a Google label may hold a comma. A Custom Field labelled
//                    "How we met" (netcrm's writer puts how_met there) is how_met; other custom
//                    fields are kept in contact.extra.
//   csv-outlook      English and German headers; the default values Outlook writes in every row
//                    ("0/0/00" birthdays, "Normal" priority, "SMTP" e-mail type ...) count as empty.
//   csv-thunderbird  Primary Email, Display Name, Birth Year/Month/Day ...
//   csv              anything else: headers are guessed from common names ("Name", "Email",
//                    "E-mail", "Phone", "Mobile", "Company", "Title", "Notes", "Birthday", "Tags" ...).
// Birthdays: 1985-04-15, 19850415, --04-15, 1985/04/15, 15.04.1985, 4/15/1985 (month first unless the
// first number is over 12), 15 Apr 1985, April 15, 1985; 1604 and 0000 mean no year (as Apple writes).
// Every non-empty cell is also a card_property{name = header, value = cell} in card.properties, in
// column order; a cell no column mapping uses goes to card.person.extra the same way, so nothing is
// lost. A blank header is named "column N".
//
// A cell starting with "'" followed by = + - @ tab or CR loses the "'": writers put it there so that
// spreadsheets do not run the cell as a formula (OWASP "CSV Injection"), netcrm's csv::writer included.
// Quotes before such a character lose one the same way ("''=x" is "'=x": the writer marked text of its own
// that started with "'=").
// A row with fewer cells than the header (Outlook writes them) has the rest empty. A quote inside an
// unquoted cell is text, and `"Doe" Jr.` on one line reads as `Doe Jr.`, as spreadsheets do.
//
// Problems, with source, 1-based physical line and byte column (of the UTF-8 text, for UTF-16 input):
// a quoted field never closed, or one that spans lines and is closed by a quote followed by other text
// (a stray opening quote: the row is skipped and reading resumes on the row's second line); a row with
// more non-empty cells than the header (skipped); a row over max_row_size (skipped); a birthday or
// LinkedIn date that is not a date (the card is still read); a mapped header the file does not have.
// card.line is the physical line where the row starts, counting any preamble. The first non-blank
// row is the header: a file without one gives no cards.
//
// Throws invalid_input before reading when the mapping names an unknown target or two of its headers
// differ only in letter case. Exceptions thrown by `sink` propagate.
read_summary read(std::istream& in, const std::string& source, const card_sink& sink,
                  const column_mapping* mapping = nullptr);
read_summary read(std::string_view bytes, const std::string& source, const card_sink& sink,
                  const column_mapping* mapping = nullptr);

// Content sniffing, meant to be asked after the vCard and MECARD sniffers: true when the first line
// (after a BOM, decoded from UTF-16, past LinkedIn's "Notes:" preamble) is text with at least one ',',
// ';' or tab outside quotes, or is Excel's "sep=" line. A one-column file is not recognised.
bool looks_like_csv(std::string_view head);

}  // namespace crm::csv
