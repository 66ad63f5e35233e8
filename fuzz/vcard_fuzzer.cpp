// libFuzzer target for the vCard reader: the bytes as a .vcf file, through both entry points
// (string_view and istream), which must agree on what they read.
#include "crm/vcard.hpp"

#include "sink.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    crm::fuzz::toucher t;
    std::size_t cards_view = 0;
    const auto summary_view = crm::vcard::read(bytes, "fuzz.vcf", [&](crm::card&& c) {
        ++cards_view;
        crm::fuzz::touch(t, c);
    });
    crm::fuzz::touch(t, summary_view);
    if (summary_view.cards != cards_view) std::abort();

    std::istringstream in{std::string(bytes)};
    std::size_t cards_stream = 0;
    const auto summary_stream = crm::vcard::read(in, "fuzz.vcf", [&](crm::card&& c) {
        ++cards_stream;
        crm::fuzz::touch(t, c);
    });
    crm::fuzz::touch(t, summary_stream);
    if (summary_stream.cards != cards_stream) std::abort();
    // The two entry points share the line reader: the same bytes must give the same result.
    if (summary_stream.cards != summary_view.cards || summary_stream.problems != summary_view.problems) std::abort();

    t.h ^= crm::vcard::looks_like_vcard(bytes.substr(0, 512));
    crm::fuzz::sink_result = t.h;
    return 0;
}
