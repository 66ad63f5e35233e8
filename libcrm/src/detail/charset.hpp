// Character sets for the readers of old exchange formats: what a file's first bytes say about its
// encoding (BOM, UTF-16), a UTF-16 decoder that works chunk by chunk, conversion of labelled 8-bit
// text through ICU, and the guess made when a value is not UTF-8 and carries no label.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct UConverter;  // ICU; kept out of every header that is not this one

namespace crm::detail {

enum class byte_encoding { utf8, utf16le, utf16be };

struct sniffed_encoding {
    byte_encoding encoding = byte_encoding::utf8;
    std::size_t bom_size = 0;  // bytes to skip before the text
};

// Reads a BOM (UTF-8, UTF-16 LE or BE) or, when there is none, the pattern of NUL bytes that mostly
// ASCII text has in UTF-16 (every other byte is zero). Anything else is taken as 8-bit/UTF-8 text.
sniffed_encoding sniff_encoding(std::string_view head) noexcept;

// UTF-16 to UTF-8, fed in pieces of any size: a code unit or surrogate pair cut by a piece boundary is
// completed by the next piece. Unpaired surrogates and a dangling odd byte become U+FFFD.
class utf16_decoder {
public:
    explicit utf16_decoder(bool big_endian) noexcept : big_endian_(big_endian) {}
    void decode(std::string_view bytes, std::string& out);  // appends to out
    void finish(std::string& out);                          // end of input
private:
    void put(char16_t unit, std::string& out);
    bool big_endian_;
    bool has_byte_ = false;
    unsigned char byte_ = 0;
    char16_t high_ = 0;
};

bool is_ascii(std::string_view s) noexcept;
// Well-formed UTF-8 (NUL bytes allowed: they are a different problem from the encoding).
bool is_utf8(std::string_view s) noexcept;
// Appends the UTF-8 form of a code point (U+FFFD for surrogates and values past U+10FFFF).
void append_utf8(char32_t cp, std::string& out);

// The ICU name a CHARSET label stands for. Shift_JIS labels mean Microsoft's cp932 (windows-31j), which
// is what Japanese phones and Windows write; ISO-8859-1 and US-ASCII labels mean windows-1252, as in
// browsers (the C1 range is never meant as control characters). Other labels pass through unchanged.
std::string canonical_charset(std::string_view label);
bool is_utf8_label(std::string_view label);
// windows-1252, ISO-8859-1, ISO-8859-15 and US-ASCII: single-byte western charsets that producers
// also write on values that are really UTF-8.
bool is_western_label(std::string_view label);

enum class legacy_charset { shift_jis, windows_1252 };
const char* icu_name(legacy_charset c) noexcept;

// For bytes that are not UTF-8 and carry no label: Shift_JIS when every byte fits Shift_JIS's
// lead/trail structure and some double-byte character from the common range (lead 0x81-0x9F:
// punctuation, kana, level-1 kanji) either has a trail byte >= 0x80 or stands next to another
// double-byte character; otherwise windows-1252. Latin text almost never qualifies: its non-ASCII
// bytes stand alone between ASCII letters, and ISO-8859-1 never uses 0x81-0x9F.
legacy_charset guess_legacy_charset(std::string_view bytes) noexcept;

// Converts text from a named charset to UTF-8 through ICU, keeping each converter it opens for the
// next value. Bytes with no mapping become U+FFFD. Not thread-safe: one per reader.
class charset_converter {
public:
    charset_converter() = default;
    charset_converter(const charset_converter&) = delete;
    charset_converter& operator=(const charset_converter&) = delete;
    ~charset_converter();

    // Appends `bytes` decoded from `label` to `out`. False, with `out` unchanged, when ICU has no such
    // charset.
    bool to_utf8(std::string_view label, std::string_view bytes, std::string& out);

private:
    UConverter* converter(std::string_view label);
    std::vector<std::pair<std::string, UConverter*>> cache_;  // label as given -> converter (or null)
    std::u16string units_;
};

}  // namespace crm::detail
