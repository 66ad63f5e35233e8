// Any card file in, cards out: detects the format from the content (never the file name) and
// hands the bytes to the matching reader. Readers know nothing of storage.
#pragma once

#include "crm/card.hpp"
#include "crm/csv.hpp"

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace crm {

// "vcard", "mecard" or "csv" from the first bytes of the input; "" when none fits.
std::string detect_format(std::string_view head);

// The most MECARD text read_cards reads (a QR code holds under 3 KB); beyond it, invalid_input.
inline constexpr std::size_t max_mecard_size = std::size_t{1} << 20;

// Reads every card of `in` in `format` ("" to detect it; "vcard", "mecard", "csv"), handing each to
// `sink`. A CSV column mapping implies "csv". Throws invalid_input for an unknown format or content
// no reader recognises.
read_summary read_cards(std::istream& in, const std::string& source, const std::string& format,
                        const card_sink& sink, const csv::column_mapping* columns = nullptr);

}  // namespace crm
