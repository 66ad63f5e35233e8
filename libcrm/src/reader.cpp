#include "crm/reader.hpp"

#include "crm/csv.hpp"
#include "crm/error.hpp"
#include "crm/mecard.hpp"
#include "crm/vcard.hpp"

#include <array>
#include <iterator>

namespace crm {

std::string detect_format(std::string_view head) {
    // Most specific first: a vCard or MECARD line also has commas and semicolons.
    if (vcard::looks_like_vcard(head)) return "vcard";
    if (mecard::looks_like_mecard(head)) return "mecard";
    if (csv::looks_like_csv(head)) return "csv";
    return "";
}

read_summary read_cards(std::istream& in, const std::string& source, const std::string& format,
                        const card_sink& sink, const csv::column_mapping* columns) {
    std::string fmt = format;
    if (fmt.empty() && columns) fmt = "csv";
    if (fmt.empty()) {
        // Peek at the start without consuming it: the reader reads from the beginning.
        std::array<char, 4096> head{};
        auto start = in.tellg();
        in.read(head.data(), head.size());
        auto got = static_cast<std::size_t>(in.gcount());
        in.clear();
        in.seekg(start);
        if (!in || start < 0)
            throw invalid_input(source + ": cannot rewind the input to detect its format; pass the format");
        fmt = detect_format(std::string_view(head.data(), got));
        if (fmt.empty())
            throw invalid_input(source + ": not a format netcrm reads (expected a vCard file, a MECARD or a CSV "
                                         "export with a header row)");
    }
    read_summary summary;
    if (fmt == "vcard") {
        summary = vcard::read(in, source, sink);
    } else if (fmt == "mecard") {
        // QR payloads: small, and the reader decodes the whole text before resolving escapes. A QR
        // code holds under 3 KB: more than max_mecard_size is no payload, and is not read into memory.
        std::string text;
        std::array<char, 64 << 10> block{};
        while (in.read(block.data(), block.size()) || in.gcount() > 0) {
            text.append(block.data(), static_cast<std::size_t>(in.gcount()));
            if (text.size() > max_mecard_size)
                throw invalid_input(source + ": MECARD text longer than " + std::to_string(max_mecard_size >> 10) +
                                    " KiB; a MECARD is a QR code's payload, a few KB at most");
        }
        summary = mecard::read(text, source, sink);
    } else if (fmt == "csv") {
        summary = csv::read(in, source, sink, columns);
    } else {
        throw invalid_input("unknown card format '" + fmt + "': expected vcard, mecard or csv");
    }
    summary.format = fmt;
    return summary;
}

}  // namespace crm
