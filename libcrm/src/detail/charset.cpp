#include "detail/charset.hpp"

#include "detail/text.hpp"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace crm::detail {

sniffed_encoding sniff_encoding(std::string_view head) noexcept {
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
    if (head.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return {byte_encoding::utf8, 3};
    if (head.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE) return {byte_encoding::utf16le, 2};
    if (head.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF) return {byte_encoding::utf16be, 2};
    // Without a BOM: a vCard starts with ASCII ("BEGIN:VCARD"), whose UTF-16 form has a zero in every
    // other byte. 8-bit text (UTF-8, Latin-1, Shift_JIS) has no NUL bytes at all.
    const std::size_t n = std::min<std::size_t>(head.size(), 512) & ~std::size_t{1};
    if (n < 4) return {};
    std::size_t even = 0, odd = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (b(i) == 0) ++(i % 2 ? odd : even);
    const std::size_t pairs = n / 2;
    if (odd * 2 >= pairs && even * 4 < odd) return {byte_encoding::utf16le, 0};
    if (even * 2 >= pairs && odd * 4 < even) return {byte_encoding::utf16be, 0};
    return {};
}

void append_utf8(char32_t cp, std::string& out) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

void utf16_decoder::put(char16_t u, std::string& out) {
    const bool high = u >= 0xD800 && u <= 0xDBFF;
    const bool low = u >= 0xDC00 && u <= 0xDFFF;
    if (high_) {
        if (low) {
            append_utf8(0x10000 + ((char32_t(high_) - 0xD800) << 10) + (char32_t(u) - 0xDC00), out);
            high_ = 0;
            return;
        }
        append_utf8(0xFFFD, out);
        high_ = 0;
    }
    if (high) {
        high_ = u;
        return;
    }
    append_utf8(low ? char32_t{0xFFFD} : char32_t{u}, out);
}

void utf16_decoder::decode(std::string_view bytes, std::string& out) {
    auto unit = [&](unsigned char first, unsigned char second) {
        return big_endian_ ? char16_t((first << 8) | second) : char16_t((second << 8) | first);
    };
    std::size_t i = 0;
    const std::size_t n = bytes.size();
    if (has_byte_ && n > 0) {
        put(unit(byte_, static_cast<unsigned char>(bytes[0])), out);
        has_byte_ = false;
        i = 1;
    }
    out.reserve(out.size() + n / 2);
    for (; i + 1 < n; i += 2)
        put(unit(static_cast<unsigned char>(bytes[i]), static_cast<unsigned char>(bytes[i + 1])), out);
    if (i < n) {
        byte_ = static_cast<unsigned char>(bytes[i]);
        has_byte_ = true;
    }
}

void utf16_decoder::finish(std::string& out) {
    if (high_ || has_byte_) append_utf8(0xFFFD, out);
    high_ = 0;
    has_byte_ = false;
}

bool is_ascii(std::string_view s) noexcept {
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        if (w & 0x8080808080808080ULL) return false;
        p += 8;
        n -= 8;
    }
    while (n--)
        if (static_cast<unsigned char>(*p++) & 0x80) return false;
    return true;
}

bool is_utf8(std::string_view s) noexcept {
    if (is_ascii(s)) return true;
    // invalid_utf8_at also stops at NUL: step over those and keep checking.
    while (!s.empty()) {
        const std::size_t at = invalid_utf8_at(s);
        if (at == std::string_view::npos) return true;
        if (s[at] != '\0') return false;
        s.remove_prefix(at + 1);
    }
    return true;
}

namespace {

// Upper-cased letters and digits only: "Shift_JIS", "shift-jis" and "SHIFTJIS" compare equal.
std::string squeeze(std::string_view label) {
    std::string out;
    out.reserve(label.size());
    for (char c : label) {
        if (c >= 'a' && c <= 'z')
            out.push_back(static_cast<char>(c - 'a' + 'A'));
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out.push_back(c);
    }
    return out;
}

bool one_of(const std::string& s, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

}  // namespace

std::string canonical_charset(std::string_view label) {
    const std::string key = squeeze(label);
    if (one_of(key, {"SHIFTJIS", "SJIS", "XSJIS", "CP932", "MSKANJI", "WINDOWS31J", "CSSHIFTJIS", "CSWINDOWS31J"}))
        return "windows-31j";
    if (one_of(key, {"ISO88591", "ISO885911987", "LATIN1", "L1", "ISOLATIN1", "CP819", "IBM819", "USASCII", "ASCII",
                     "WINDOWS1252", "CP1252", "XCP1252", "ANSIX341968"}))
        return "windows-1252";
    if (one_of(key, {"UTF8"})) return "UTF-8";
    return std::string(label);
}

bool is_utf8_label(std::string_view label) {
    return squeeze(label) == "UTF8";
}

bool is_western_label(std::string_view label) {
    return canonical_charset(label) == "windows-1252" || one_of(squeeze(label), {"ISO885915", "LATIN9"});
}

const char* icu_name(legacy_charset c) noexcept {
    return c == legacy_charset::shift_jis ? "windows-31j" : "windows-1252";
}

legacy_charset guess_legacy_charset(std::string_view s) noexcept {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto is_lead = [](unsigned c) { return (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC); };
    const std::size_t n = s.size();
    bool evidence = false;
    bool previous_double = false;
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = byte(i);
        if (c < 0x80 || (c >= 0xA1 && c <= 0xDF)) {  // ASCII or half-width katakana
            previous_double = false;
            ++i;
            continue;
        }
        if (!is_lead(c) || i + 1 >= n) return legacy_charset::windows_1252;
        const unsigned t = byte(i + 1);
        if (!((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFC))) return legacy_charset::windows_1252;
        if (c <= 0x9F && (t >= 0x80 || previous_double || (i + 2 < n && is_lead(byte(i + 2))))) evidence = true;
        previous_double = true;
        i += 2;
    }
    return evidence ? legacy_charset::shift_jis : legacy_charset::windows_1252;
}

charset_converter::~charset_converter() {
    for (auto& entry : cache_)
        if (entry.second) ucnv_close(entry.second);
}

UConverter* charset_converter::converter(std::string_view label) {
    for (auto& entry : cache_)
        if (entry.first == label) return entry.second;
    const std::string name = canonical_charset(label);
    UErrorCode status = U_ZERO_ERROR;
    UConverter* conv = ucnv_open(name.c_str(), &status);
    if (U_FAILURE(status)) conv = nullptr;
    cache_.emplace_back(std::string(label), conv);
    return conv;
}

bool charset_converter::to_utf8(std::string_view label, std::string_view bytes, std::string& out) {
    UConverter* conv = converter(label);
    if (!conv) return false;
    if (bytes.empty()) return true;
    // A byte becomes at most two UTF-16 units in every charset ICU ships.
    units_.resize(bytes.size() * 2 + 1);
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length = ucnv_toUChars(conv, units_.data(), static_cast<int32_t>(units_.size()), bytes.data(),
                                         static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return false;
    // ICU substitutes unmapped single bytes with U+001A (SUB), a control character; text wants U+FFFD.
    for (int32_t i = 0; i < length; ++i)
        if (units_[i] == 0x1A) units_[i] = 0xFFFD;
    const std::size_t start = out.size();
    out.resize(start + static_cast<std::size_t>(length) * 3 + 1);
    int32_t written = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8WithSub(out.data() + start, static_cast<int32_t>(out.size() - start), &written, units_.data(), length,
                       0xFFFD, nullptr, &status);
    if (U_FAILURE(status)) {
        out.resize(start);
        return false;
    }
    out.resize(start + static_cast<std::size_t>(written));
    return true;
}

}  // namespace crm::detail
