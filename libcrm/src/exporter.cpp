#include "crm/exporter.hpp"

#include "crm/archive.hpp"
#include "crm/csv_writer.hpp"
#include "crm/error.hpp"
#include "crm/ical.hpp"
#include "crm/vcard_writer.hpp"

namespace crm {

export_format parse_export_format(std::string_view name) {
    if (name == "vcard" || name == "vcard4" || name == "vcf") return export_format::vcard4;
    if (name == "vcard3") return export_format::vcard3;
    if (name == "csv") return export_format::csv;
    if (name == "json") return export_format::json;
    if (name == "ics" || name == "ical" || name == "icalendar") return export_format::ics;
    throw invalid_input("unknown export format '" + std::string(name) +
                        "': expected vcard, vcard3, csv, json or ics");
}

std::size_t export_contacts(store& s, std::ostream& out, export_format format, const contact_filter& filter) {
    if (format == export_format::json) {
        if (filter.tag || filter.organization || filter.limit || filter.offset)
            throw invalid_input("the JSON export is the whole database; filter with vcard or csv");
        s.archive().write(out);
        return s.contacts().count();
    }
    if (format == export_format::ics) {
        if (filter.tag || filter.organization || filter.limit || filter.offset)
            throw invalid_input("the calendar export holds the open follow-ups; it takes no contact filter");
        return export_follow_ups_ics(s, out);
    }
    std::optional<csv::writer> table;
    if (format == export_format::csv) {
        table.emplace(out);
        table->header();
    }
    constexpr std::size_t page = 500;
    std::size_t written = 0;
    for (std::size_t offset = filter.offset;; offset += page) {
        contact_filter f = filter;
        f.offset = offset;
        f.limit = filter.limit ? std::min(page, filter.limit - written) : page;
        if (f.limit == 0) break;
        auto batch = s.contacts().list(f);
        for (const auto& c : batch) {
            if (table)
                table->row(c);
            else
                vcard::write(out, c, format == export_format::vcard3 ? vcard::version::v3_0 : vcard::version::v4_0);
        }
        written += batch.size();
        if (batch.size() < f.limit) break;
    }
    if (!out) throw error("could not write the export (disk full?)");
    return written;
}

}  // namespace crm
