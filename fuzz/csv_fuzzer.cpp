// libFuzzer target for the CSV reader: the bytes as a contacts export, through both entry points
// (string_view and istream). Inputs whose first byte is odd are also read with a small column
// mapping (headers the seeds use), so the mapped path is fuzzed as well as dialect detection.
#include "crm/csv.hpp"

#include "sink.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

namespace {

const crm::csv::column_mapping& mapping() {
    static const crm::csv::column_mapping m{{
        {"Name", "display_name"},
        {"First Name", "given"},
        {"Last Name", "family"},
        {"E-mail", "email:work"},
        {"Email Address", "email"},
        {"Phone", "phone:mobile"},
        {"Company", "organization"},
        {"Street", "street:home"},
        {"City", "locality:home"},
        {"Birthday", "birthday"},
        {"Tags", "tags"},
        {"Notes", "note"},
        {"Address", "formatted_address"},
        {"Skip", "ignore"},
    }};
    return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const crm::csv::column_mapping* columns = (size > 0 && (data[0] & 1)) ? &mapping() : nullptr;
    crm::fuzz::toucher t;

    std::size_t cards_view = 0;
    const auto summary_view = crm::csv::read(
        bytes, "fuzz.csv",
        [&](crm::card&& c) {
            ++cards_view;
            crm::fuzz::touch(t, c);
        },
        columns);
    crm::fuzz::touch(t, summary_view);
    if (summary_view.cards != cards_view) std::abort();

    std::istringstream in{std::string(bytes)};
    std::size_t cards_stream = 0;
    const auto summary_stream = crm::csv::read(
        in, "fuzz.csv",
        [&](crm::card&& c) {
            ++cards_stream;
            crm::fuzz::touch(t, c);
        },
        columns);
    crm::fuzz::touch(t, summary_stream);
    if (summary_stream.cards != cards_stream) std::abort();
    // The two entry points share the line reader: the same bytes must give the same result.
    if (summary_stream.cards != summary_view.cards || summary_stream.problems != summary_view.problems) std::abort();

    t.h ^= crm::csv::looks_like_csv(bytes.substr(0, 512));
    crm::fuzz::sink_result = t.h;
    return 0;
}
