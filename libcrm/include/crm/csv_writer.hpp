// The CSV writer: contacts as rows of a spreadsheet that Google Contacts imports as its own export
// (same column names, " ::: " for several values in one cell) and that Excel opens without mangling
// accents or running formulas. A pure function of contact values: it knows nothing of storage.
#pragma once

#include "crm/contact.hpp"

#include <cstddef>
#include <iosfwd>

namespace crm::csv {

struct writer_options {
    // UTF-8 byte order mark before the first line. On by default: Excel reads a CSV without one in the
    // Windows ANSI code page ("HÃ©lÃ¨ne"), and Excel's own "CSV UTF-8" format writes one, so importers
    // that take CSV from spreadsheets (Google Contacts, LibreOffice, Numbers, netcrm's reader) expect
    // it. Turn it off for a tool that takes the BOM as part of the first column's name.
    bool byte_order_mark = true;
};

// Writes RFC 4180 CSV: comma-separated, CRLF after each record, a field quoted (and its quotes doubled)
// when it holds a comma, a quote, CR or LF. Columns, in Google's export order:
//
//   First Name, Middle Name, Last Name, Name Prefix, Name Suffix, Organization Name, Organization Title,
//   Birthday, Notes, Labels, E-mail 1..4 - Label/Value, Phone 1..4 - Label/Value,
//   Address 1..2 - Label/Formatted/Street/City/PO Box/Region/Postal Code/Country/Extended Address,
//   Website 1..3 - Label/Value, Custom Field 1 - Label/Value
//
// - A contact without a structured name gets its display name as First Name (unless that name is just
//   the organization), so it does not arrive nameless.
// - Birthday as Google writes it: 1985-04-15, or --04-15 when the year is unknown.
// - Notes: the note texts, oldest first, separated by a blank line (the times are not written).
// - Labels: the tags joined with " ::: ". how_met goes to Custom Field 1, labelled "How we met".
// - Kinds become Google's labels ("work" -> Work, "mobile" -> Mobile, "work,fax" -> Work Fax ...); any
//   other kind is written as it is (a custom label). "pref" is Google's "* " mark: "home,pref" -> "* Home".
// - More values than slots: the last slot takes the rest, values joined with " ::: " as Google does; its
//   label is the common label, or the labels joined the same way when they differ. Address columns
//   join component by component.
// - Formula injection (OWASP "CSV Injection"): a cell a spreadsheet would evaluate gets a leading "'"
//   (detail/csv_formula.hpp, the one rule netcrm's CSV reader undoes): one starting with '=', '+', '-'
//   or '@' (also after leading spaces), or with tab or CR; the Birthday of an unknown year (--04-15)
//   among them, since spreadsheets compute it. Exempt: '+' followed only by digits, spaces and
//   ( ) - . with a digit among them, a phone number, which can call no function and stays readable to
//   Google Contacts, pandas and spreadsheets ("+33 6 12 34 56 78"). Quotes that start a text are its
//   own: "'=x" is written "''=x", and a phone number after quotes ("'+33 6 ...") is marked too, since
//   the reader takes a quote off before a phone number (earlier netcrm versions marked those).
//   Phones are written as they were written, not in their E.164 form.
class writer {
public:
    static constexpr std::size_t email_slots = 4;
    static constexpr std::size_t phone_slots = 4;
    static constexpr std::size_t address_slots = 2;
    static constexpr std::size_t url_slots = 3;

    explicit writer(std::ostream& out, writer_options options = {});

    // The header record (and the BOM, when it is the first thing written).
    void header();
    // One record for `c`, with exactly as many fields as the header.
    void row(const contact& c);

private:
    void start();

    std::ostream& out_;
    writer_options options_;
    bool started_ = false;
};

}  // namespace crm::csv
