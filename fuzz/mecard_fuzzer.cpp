// libFuzzer target for the MECARD reader (it has only the string_view entry point: QR payloads are
// small).
#include "crm/mecard.hpp"

#include "sink.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    crm::fuzz::toucher t;
    std::size_t cards = 0;
    const auto summary = crm::mecard::read(bytes, "fuzz.txt", [&](crm::card&& c) {
        ++cards;
        crm::fuzz::touch(t, c);
    });
    crm::fuzz::touch(t, summary);
    if (summary.cards != cards) std::abort();
    t.h ^= crm::mecard::looks_like_mecard(bytes.substr(0, 512));
    crm::fuzz::sink_result = t.h;
    return 0;
}
