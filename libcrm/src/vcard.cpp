#include "crm/vcard.hpp"

#include "crm/error.hpp"
#include "crm/partial_date.hpp"
#include "detail/ascii.hpp"
#include "detail/charset.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// How the reader works, in three layers:
//   line_reader  bytes -> physical lines. Reads 64 KiB at a time (or views the caller's buffer), decodes
//                UTF-16 up front, and ends lines at LF, CR LF, CR CR LF or a lone CR.
//   reader       physical lines -> logical lines (unfolding, quoted-printable soft breaks, raw newlines,
//                2.1 AGENT cards) -> properties of the open card.
//   finish_card  once END:VCARD is read: charsets for unlabelled values (decided per card), escapes,
//                then the mapping into crm::contact; the card goes to the sink and is forgotten.
// Values are handled as bytes until the card is complete, so escapes are resolved on decoded text
// (Shift_JIS has 0x5C, the backslash, as a trail byte) and a fold may split a UTF-8 character.

namespace crm::vcard {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t chunk_size = std::size_t{64} << 10;
// Physical and logical lines are kept up to this size; anything longer is read through and cut, which
// only happens to values already over max_value_size (the name and parameters fit in the slack).
constexpr std::size_t max_line_size = max_value_size + (std::size_t{64} << 10);
// All the values of one card together; past this, the card's further properties are dropped.
constexpr std::size_t max_card_size = std::size_t{64} << 20;
// Problems listed in one summary; a file of garbage would otherwise grow the list without end.
constexpr std::size_t max_problems = 1000;
// What a property costs in the card budget besides its value (name, parameters, bookkeeping).
constexpr std::size_t property_overhead = 64;
// Pieces of one logical line whose line and column are remembered for problem reports.
constexpr std::size_t max_segments = 1 << 16;

// ------------------------------------------------------------------------------------------ ASCII

using detail::ascii::iends_with;
using detail::ascii::iequals;
using detail::ascii::is_space;
using detail::ascii::istarts_with;
using detail::ascii::lower_copy;
using detail::ascii::to_lower;
using detail::ascii::to_upper;
using detail::ascii::trim;
using detail::ascii::upper_copy;

constexpr bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t';
}
constexpr bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
// RFC 6350 allows letters, digits and '-' in names; '_' shows up in the wild.
constexpr bool is_name_char(char c) noexcept {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '_';
}

bool is_begin_vcard(std::string_view line) noexcept {
    return iequals(trim(line), "BEGIN:VCARD");
}
bool is_end_vcard(std::string_view line) noexcept {
    return iequals(trim(line), "END:VCARD");
}

// ------------------------------------------------------------------------------------ properties

// The properties the reader maps or treats specially; every other name is `other`.
enum class prop : std::uint8_t {
    other,
    adr,
    agent,
    bday,
    begin,
    categories,
    clientpidmap,
    email,
    end,
    fn,
    gender,
    impp,
    key,
    kind,
    label,
    logo,
    n,
    nickname,
    note,
    org,
    photo,
    role,
    sound,
    tel,
    title,
    uid,
    url,
    version,
    x_ablabel,
    x_addressbookserver_kind,
    x_android_custom,
    x_im,  // X-SKYPE, X-JABBER ...: an IM handle of the service the name says (see im_service)
    x_socialprofile
};

struct known_property {
    std::string_view name;
    prop id;
};

// Every property name of vCard 2.1, 3.0 and 4.0 (and RFC 6474/6715), plus the X- names that are mapped.
constexpr known_property known_properties[] = {
    {"ADR", prop::adr},
    {"AGENT", prop::agent},
    {"ANNIVERSARY", prop::other},
    {"BDAY", prop::bday},
    {"BEGIN", prop::begin},
    {"BIRTHPLACE", prop::other},
    {"CALADRURI", prop::other},
    {"CALURI", prop::other},
    {"CATEGORIES", prop::categories},
    {"CLASS", prop::other},
    {"CLIENTPIDMAP", prop::clientpidmap},
    {"CONTACT-URI", prop::other},
    {"DEATHDATE", prop::other},
    {"DEATHPLACE", prop::other},
    {"EMAIL", prop::email},
    {"END", prop::end},
    {"EXPERTISE", prop::other},
    {"FBURL", prop::other},
    {"FN", prop::fn},
    {"GENDER", prop::gender},
    {"GEO", prop::other},
    {"HOBBY", prop::other},
    {"IMPP", prop::impp},
    {"INTEREST", prop::other},
    {"KEY", prop::key},
    {"KIND", prop::kind},
    {"LABEL", prop::label},
    {"LANG", prop::other},
    {"LOGO", prop::logo},
    {"MAILER", prop::other},
    {"MEMBER", prop::other},
    {"N", prop::n},
    {"NAME", prop::other},
    {"NICKNAME", prop::nickname},
    {"NOTE", prop::note},
    {"ORG", prop::org},
    {"ORG-DIRECTORY", prop::other},
    {"PHOTO", prop::photo},
    {"PRODID", prop::other},
    {"PROFILE", prop::other},
    {"RELATED", prop::other},
    {"REV", prop::other},
    {"ROLE", prop::role},
    {"SORT-STRING", prop::other},
    {"SOUND", prop::sound},
    {"SOURCE", prop::other},
    {"TEL", prop::tel},
    {"TITLE", prop::title},
    {"TZ", prop::other},
    {"UID", prop::uid},
    {"URL", prop::url},
    {"VERSION", prop::version},
    {"X-ABLABEL", prop::x_ablabel},
    {"X-ADDRESSBOOKSERVER-KIND", prop::x_addressbookserver_kind},
    {"X-AIM", prop::x_im},
    {"X-ANDROID-CUSTOM", prop::x_android_custom},
    {"X-GADUGADU", prop::x_im},
    {"X-GOOGLE-TALK", prop::x_im},
    {"X-GTALK", prop::x_im},
    {"X-ICQ", prop::x_im},
    {"X-JABBER", prop::x_im},
    {"X-MSN", prop::x_im},
    {"X-QQ", prop::x_im},
    {"X-SKYPE", prop::x_im},
    {"X-SKYPE-USERNAME", prop::x_im},
    {"X-SOCIALPROFILE", prop::x_socialprofile},
    {"X-YAHOO", prop::x_im},
    {"XML", prop::other},
};
static_assert(std::is_sorted(std::begin(known_properties), std::end(known_properties),
                             [](const known_property& a, const known_property& b) { return a.name < b.name; }));

// Where each first letter's names start in known_properties ('A'..'Z'; index 26 is the end).
struct letter_index {
    std::uint8_t begin[27] = {};
};

constexpr letter_index make_letter_index() {
    letter_index index;
    std::size_t k = 0;
    for (int letter = 0; letter < 26; ++letter) {
        while (k < std::size(known_properties) && known_properties[k].name[0] < 'A' + letter) ++k;
        index.begin[letter] = static_cast<std::uint8_t>(k);
    }
    index.begin[26] = static_cast<std::uint8_t>(std::size(known_properties));
    return index;
}
constexpr letter_index known_by_letter = make_letter_index();

// Looks a name up in any letter case (a few compares, no allocation: it runs for every line).
// `known` tells whether the name is in the table at all.
prop lookup_property(std::string_view name, bool* known = nullptr) noexcept {
    if (known) *known = false;
    if (name.empty()) return prop::other;
    const char first = to_upper(name[0]);
    if (first < 'A' || first > 'Z') return prop::other;
    const int letter = first - 'A';
    for (std::size_t k = known_by_letter.begin[letter]; k < known_by_letter.begin[letter + 1]; ++k) {
        const std::string_view candidate = known_properties[k].name;
        if (candidate.size() != name.size()) continue;
        std::size_t i = 1;
        while (i < name.size() && to_upper(name[i]) == candidate[i]) ++i;
        if (i == name.size()) {
            if (known) *known = true;
            return known_properties[k].id;
        }
    }
    return prop::other;
}

// Inline binary data: base64 with or without an ENCODING parameter, or a data: URI.
constexpr bool is_binary_property(prop p) noexcept {
    return p == prop::photo || p == prop::logo || p == prop::sound || p == prop::key;
}

// Values made of components (';') or lists (','): card.properties keeps their escapes, so that a
// component holding "\;" can still be told from the separator.
constexpr bool keeps_escapes(prop p) noexcept {
    return p == prop::n || p == prop::adr || p == prop::org || p == prop::categories || p == prop::nickname ||
           p == prop::gender || p == prop::clientpidmap || p == prop::x_android_custom;
}

// Free text that some producers write with raw line breaks instead of "\n" or quoted-printable.
constexpr bool takes_raw_lines(prop p) noexcept {
    return p == prop::note || p == prop::adr || p == prop::label || p == prop::title || p == prop::role ||
           p == prop::org;
}

// A line that starts a property for sure: [group.]NAME followed by ';' or ':', where NAME is a known
// vCard name written in one letter case, or an X- name. Used only to decide whether a line after a
// NOTE-like value is a new property or more of that value's text ("Topic: hiring" is text).
bool looks_like_content_line(std::string_view s) noexcept {
    std::size_t i = 0;
    auto scan = [&] {
        const std::size_t b = i;
        while (i < s.size() && is_name_char(s[i])) ++i;
        return s.substr(b, i - b);
    };
    std::string_view name = scan();
    if (i < s.size() && s[i] == '.') {
        ++i;
        name = scan();
    }
    while (i < s.size() && is_blank(s[i])) ++i;
    if (name.empty() || i >= s.size() || (s[i] != ';' && s[i] != ':')) return false;
    if (istarts_with(name, "X-")) return true;
    const bool has_upper = std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    const bool has_lower = std::any_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (has_upper && has_lower) return false;
    bool known = false;
    lookup_property(name, &known);
    return known;
}

bool is_encoding_token(std::string_view token) noexcept {
    return iequals(token, "QUOTED-PRINTABLE") || iequals(token, "BASE64") || iequals(token, "8BIT") ||
           iequals(token, "7BIT");
}

// RFC 6868: ^n is a newline, ^^ a caret, ^' a double quote.
std::string decode_parameter_value(std::string_view v) {
    if (v.find('^') == npos) return std::string(v);
    std::string out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '^' && i + 1 < v.size()) {
            const char e = v[i + 1];
            if (e == 'n' || e == 'N' || e == '^' || e == '\'') {
                out.push_back(e == '^' ? '^' : e == '\'' ? '"' : '\n');
                ++i;
                continue;
            }
        }
        out.push_back(v[i]);
    }
    return out;
}

// Parses ";NAME=v1,v2;BARE;..." up to the ':' that starts the value. On entry s[i] is ';' or ':'; on
// success s[i] is that ':'. With `quotes`, a double-quoted value may hold ',', ';' and ':'; false
// when a quote is never closed (the caller then reads the line again without quotes).
bool parse_parameters(std::string_view s, std::size_t& i, std::vector<card_parameter>& out, bool quotes) {
    const std::size_t n = s.size();
    auto stop = [&](char c) { return c == ',' || c == ';' || c == ':'; };
    while (i < n && s[i] == ';') {
        ++i;
        const std::size_t begin = i;
        while (i < n && s[i] != '=' && s[i] != ';' && s[i] != ':') ++i;
        const std::string_view name = trim(s.substr(begin, i - begin));
        if (i < n && s[i] == '=') {
            ++i;
            card_parameter param;
            param.name = upper_copy(name);
            for (;;) {
                while (i < n && is_blank(s[i])) ++i;
                if (quotes && i < n && s[i] == '"') {
                    const std::size_t close = s.find('"', i + 1);
                    if (close == npos) return false;
                    param.values.push_back(decode_parameter_value(s.substr(i + 1, close - i - 1)));
                    i = close + 1;
                    while (i < n && !stop(s[i])) ++i;  // junk between the closing quote and the separator
                } else {
                    const std::size_t v = i;
                    while (i < n && !stop(s[i])) ++i;
                    param.values.push_back(decode_parameter_value(trim(s.substr(v, i - v))));
                }
                if (i < n && s[i] == ',') {
                    ++i;
                    continue;
                }
                break;
            }
            if (!name.empty()) out.push_back(std::move(param));
        } else if (!name.empty()) {
            // vCard 2.1 writes bare values: TEL;CELL;PREF, NOTE;QUOTED-PRINTABLE.
            out.push_back(card_parameter{is_encoding_token(name) ? "ENCODING" : "TYPE", {std::string(name)}});
        }
    }
    return i < n && s[i] == ':';
}

const card_parameter* find_parameter(const card_property& p, std::string_view name) noexcept {
    for (const auto& param : p.parameters)
        if (param.name == name) return &param;
    return nullptr;
}

// netcrm's writer keeps a note's time as X-NETCRM-NOTE-AT=20261008T174000Z; any other note is
// unstamped (the store stamps it when saved).
date::sys_seconds note_time(std::string_view v) noexcept {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (v.size() != 16 || v[8] != 'T' || v[15] != 'Z') return note::unstamped;
    for (std::size_t k = 0; k < 15; ++k)
        if (k != 8 && (v[k] < '0' || v[k] > '9')) return note::unstamped;
    auto num = [&](std::size_t at, std::size_t n) {
        int x = 0;
        for (std::size_t k = at; k < at + n; ++k) x = x * 10 + (v[k] - '0');
        return x;
    };
    y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(9, 2), mi = num(11, 2), sec = num(13, 2);
    date::year_month_day ymd{date::year{y}, date::month{unsigned(mo)}, date::day{unsigned(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return note::unstamped;
    return date::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{sec};
}

std::string_view first_value(const card_property& p, std::string_view name) noexcept {
    const card_parameter* param = find_parameter(p, name);
    return param && !param->values.empty() ? std::string_view(param->values.front()) : std::string_view();
}

// --------------------------------------------------------------------------------- value codecs

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

void decode_quoted_printable(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '=') {
            if (i + 2 < in.size()) {
                const int high = hex_value(in[i + 1]), low = hex_value(in[i + 2]);
                if (high >= 0 && low >= 0) {
                    out.push_back(static_cast<char>(high * 16 + low));
                    i += 2;
                    continue;
                }
            }
            // A soft break the unfolding could not take away: at the very end, or before a raw line break.
            std::size_t j = i + 1;
            while (j < in.size() && is_blank(in[j])) ++j;
            if (j == in.size()) break;
            if (in[j] == '\r' || in[j] == '\n') {
                i = (in[j] == '\r' && j + 1 < in.size() && in[j + 1] == '\n') ? j + 1 : j;
                continue;
            }
        }
        out.push_back(c);
    }
}

int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;  // '-' and '_': the URL-safe alphabet
    if (c == '/' || c == '_') return 63;
    return -1;
}

// Base64 without white space: the alphabet, at most two '=' at the end, and a length that can come
// from whole bytes (padding may be left out).
bool valid_base64(std::string_view s) noexcept {
    std::size_t pad = 0;
    for (char c : s) {
        if (c == '=') {
            ++pad;
            continue;
        }
        if (pad || base64_value(c) < 0) return false;
    }
    const std::size_t data = s.size() - pad;
    if (pad > 2 || data % 4 == 1) return false;
    return pad == 0 || s.size() % 4 == 0;
}

// Drops the white space folding left in (Outlook indents base64 by several spaces) and checks the rest.
bool normalize_base64(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (char c : in)
        if (!is_space(c)) out.push_back(c);
    return valid_base64(out);
}

bool decode_base64(std::string_view in, std::string& out) {
    std::string clean;
    if (!normalize_base64(in, clean)) return false;
    out.clear();
    out.reserve(clean.size() / 4 * 3 + 3);
    unsigned acc = 0;
    int bits = 0;
    for (char c : clean) {
        if (c == '=') break;
        acc = (acc << 6) | static_cast<unsigned>(base64_value(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return true;
}

// Thunderbird and ownCloud write PHOTO;TYPE=JPEG:/9j/4AAQ... with no ENCODING: a long run of the base64
// alphabet and no ':' (which every URI has).
bool looks_like_base64_blob(std::string_view s) noexcept {
    std::size_t count = 0;
    for (char c : s) {
        if (is_space(c)) continue;
        if (c != '=' && base64_value(c) < 0) return false;
        ++count;
    }
    return count >= 16;
}

bool is_base64_line(std::string_view s) noexcept {
    s = trim(s);
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c == '=' || base64_value(c) >= 0; });
}

// Text escapes of RFC 6350 and 2426 (\n \N \, \; \\). Any other backslash escapes the character after
// it, as Google's and Apple's \: and \" need (RFC 6350 has no other use for a backslash in text); a
// backslash at the very end is kept. Line breaks become LF.
bool has_escape_or_cr(std::string_view s) noexcept {
    return std::any_of(s.begin(), s.end(), [](char c) { return c == '\\' || c == '\r'; });
}

void unescape_text(std::string& s) {
    if (!has_escape_or_cr(s)) return;
    std::size_t w = 0;
    for (std::size_t r = 0; r < s.size(); ++r) {
        char c = s[r];
        if (c == '\\' && r + 1 < s.size()) {
            const char e = s[r + 1];
            if (e == 'n' || e == 'N') {
                s[w++] = '\n';
                ++r;
                continue;
            }
            if (e == ',' || e == ';' || e == '\\') {
                s[w++] = e;
                ++r;
                continue;
            }
            continue;  // the backslash goes; the character it escapes is read as usual (a CR too)
        } else if (c == '\r') {
            if (r + 1 < s.size() && s[r + 1] == '\n') continue;
            c = '\n';
        }
        s[w++] = c;
    }
    s.resize(w);
}

void normalize_newlines(std::string& s) {
    if (s.find('\r') == npos) return;
    std::size_t w = 0;
    for (std::size_t r = 0; r < s.size(); ++r) {
        if (s[r] == '\r') {
            if (r + 1 < s.size() && s[r + 1] == '\n') continue;
            s[w++] = '\n';
        } else {
            s[w++] = s[r];
        }
    }
    s.resize(w);
}

// Sets `to` to a component: unescaped, white space trimmed.
void assign_text(std::string& to, std::string_view raw) {
    raw = trim(raw);
    to.assign(raw);
    if (has_escape_or_cr(raw)) {
        unescape_text(to);
        to.assign(trim(to));
    }
}

// Calls f(raw component) for each part of a structured value, split at unescaped `a` or `b` separators.
template <class F>
void split_structured(std::string_view s, char a, char b, F&& f) {
    std::size_t start = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '\\') {
            i += 2;
            continue;
        }
        if (c == a || c == b) {
            f(s.substr(start, i - start));
            start = i + 1;
        }
        ++i;
    }
    f(s.substr(std::min(start, s.size())));
}

// ------------------------------------------------------------------------------------ mapping

// What contact.extra keeps of a property no field took. netcrm's writer carries a kept property whose
// name is no vCard name (a CSV column such as "Custom Field 1 - Label") as
// X-NETCRM-FIELD;X-NETCRM-NAME="Custom Field 1 - Label":value; the contact gets it back under that name,
// so a CSV -> vCard -> netcrm trip keeps it as it was. card.properties still has the line as written.
card_property kept_property(const card_property& p) {
    if (p.name != "X-NETCRM-FIELD") return p;
    const card_parameter* original = find_parameter(p, "X-NETCRM-NAME");
    if (!original || original->values.size() != 1 || original->values.front().empty()) return p;
    card_property out{p.group, original->values.front(), {}, p.value};
    for (const auto& param : p.parameters)
        if (&param != original) out.parameters.push_back(param);
    return out;
}

// TYPE words that say nothing about which number or address it is.
bool is_noise_type(std::string_view word) noexcept {
    for (std::string_view noise : {"pref", "internet", "x400", "voice", "dom", "intl", "postal", "parcel"})
        if (word == noise) return true;
    return false;
}

// Whether `word` is already one of the ','-joined words of `kind`.
bool has_word(std::string_view kind, std::string_view word) noexcept {
    while (!kind.empty()) {
        const std::size_t comma = kind.find(',');
        if (kind.substr(0, comma) == word) return true;
        if (comma == npos) break;
        kind.remove_prefix(comma + 1);
    }
    return false;
}

// "TYPE=WORK,VOICE;TYPE=pref" -> "work". Lower-cased, x- prefixes dropped, "cell" called "mobile",
// noise left out, each word once, joined with ','.
std::string type_kind(const card_property& p) {
    std::string kind;
    for (const auto& param : p.parameters) {
        if (param.name != "TYPE") continue;
        for (const auto& value : param.values) {
            split_structured(value, ',', ',', [&](std::string_view raw) {
                char buffer[32];
                raw = trim(raw);
                if (raw.empty() || raw.size() > sizeof buffer) return;
                for (std::size_t i = 0; i < raw.size(); ++i) buffer[i] = to_lower(raw[i]);
                std::string_view word(buffer, raw.size());
                if (word.starts_with("x-")) word.remove_prefix(2);
                if (word.empty() || is_noise_type(word)) return;
                if (word == "cell") word = "mobile";
                if (has_word(kind, word)) return;
                if (!kind.empty()) kind.push_back(',');
                kind += word;
            });
        }
    }
    return kind;
}

// Apple's X-ABLabel: "_$!<Work>!$_" for its own labels (lower-cased: "work", "HomeFAX" -> "home,fax"),
// anything else is a label the user typed and is kept as written.
std::string label_kind(std::string_view label) {
    label = trim(label);
    if (label.size() > 8 && label.starts_with("_$!<") && label.ends_with(">!$_")) {
        const std::string_view inner = label.substr(4, label.size() - 8);
        if (inner.size() > 3 && iends_with(inner, "FAX")) return lower_copy(inner.substr(0, inner.size() - 3)) + ",fax";
        return lower_copy(inner);
    }
    return std::string(label);
}

// IMPP;X-SERVICE-TYPE=Skype:skype:jdoe -> "skype"; without the parameter, the URI scheme.
std::string impp_kind(const card_property& p) {
    if (auto service = trim(first_value(p, "X-SERVICE-TYPE")); !service.empty()) return lower_copy(service);
    const std::string_view v = trim(p.value);
    const std::size_t colon = v.find(':');
    if (colon == npos || colon == 0) return {};
    const std::string_view scheme = v.substr(0, colon);
    const bool ok = std::all_of(scheme.begin(), scheme.end(),
                                [](char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; });
    return ok ? lower_copy(scheme) : std::string();
}

// X-SKYPE -> "skype", X-GOOGLE-TALK -> "googletalk": the service as Apple's X-SERVICE-TYPE names it,
// lower-cased, so a handle is the same whichever property brought it.
std::string im_service(std::string_view name) {
    std::string s = lower_copy(name.substr(2));  // past "X-"
    if (s == "google-talk" || s == "gtalk") return "googletalk";
    if (s == "skype-username") return "skype";
    return s;
}

// BDAY forms: 1985-04-15, 19850415, --04-15, --0415, with or without a time (T...). Apple writes a year
// it does not know as 1604, and names that placeholder in X-APPLE-OMIT-YEAR (empty: any year is one);
// iOS 12 writes 1604 without the parameter. 0000 means the same.
std::optional<partial_date> parse_birthday(std::string_view text, const card_parameter* omit_year) {
    text = trim(text);
    if (const std::size_t t = text.find_first_of("T "); t != npos) text = text.substr(0, t);
    try {
        partial_date d = partial_date::parse(text);
        if (!d.year) return d;
        const int year = int(*d.year);
        bool placeholder = year == 1604 || year == 0;
        if (omit_year) {
            const std::string_view named = omit_year->values.empty() ? "" : trim(omit_year->values.front());
            placeholder = placeholder || named.empty() || named == std::to_string(year);
        }
        if (placeholder) d.year.reset();
        return d;
    } catch (const invalid_input&) {
        return std::nullopt;
    }
}

// ---------------------------------------------------------------------------------- line reader

struct physical_line {
    std::string_view text;
    int number = 0;
    bool truncated = false;  // longer than max_line_size: the rest was read through and dropped
};

class line_reader {
public:
    // Reads `in` when it is given, else the caller's `bytes` (viewed in place unless they are UTF-16).
    line_reader(std::istream* in, std::string_view bytes) : in_(in), memory_(bytes) {
        std::string_view head = in_ ? read_raw() : bytes;
        const auto sniffed = detail::sniff_encoding(head);
        head.remove_prefix(sniffed.bom_size);
        if (sniffed.encoding != detail::byte_encoding::utf8)
            utf16_.emplace(sniffed.encoding == detail::byte_encoding::utf16be);
        if (!in_) {
            if (utf16_) {
                memory_ = head;
            } else {
                data_ = head;
                eof_ = true;
            }
            return;
        }
        if (utf16_)
            utf16_->decode(head, buf_);
        else
            buf_.append(head);
        data_ = buf_;
    }

    bool transcoded() const noexcept { return utf16_.has_value(); }
    bool input_failed() const noexcept { return in_ && in_->bad(); }

    bool next(physical_line& out) {
        std::size_t scan = pos_;
        for (;;) {
            const std::size_t i = find_terminator(scan);
            if (i != npos) {
                const std::size_t end = terminator_end(i);
                if (end != npos) {
                    out = {data_.substr(pos_, i - pos_), ++number_, false};
                    pos_ = end;
                    return true;
                }
                const std::size_t offset = i - pos_;  // a CR at the end of the buffer: is an LF next?
                fill();
                scan = pos_ + offset;
                continue;
            }
            if (eof_) {
                if (pos_ >= data_.size()) return false;
                out = {data_.substr(pos_), ++number_, false};
                pos_ = data_.size();
                return true;
            }
            if (data_.size() - pos_ >= max_line_size) return read_long_line(out);
            const std::size_t offset = data_.size() - pos_;
            fill();
            scan = pos_ + offset;
        }
    }

private:
    std::string_view read_raw() {
        if (!in_) {
            const std::string_view piece = memory_.substr(0, chunk_size);
            memory_.remove_prefix(piece.size());
            return piece;
        }
        raw_.resize(chunk_size);
        in_->read(raw_.data(), static_cast<std::streamsize>(chunk_size));
        raw_.resize(static_cast<std::size_t>(in_->gcount()));
        return raw_;
    }

    // Moves the unread bytes to the front of the buffer and appends the next piece of input.
    bool fill() {
        if (eof_) return false;
        if (pos_ > 0) {
            buf_.erase(0, pos_);
            pos_ = 0;
        }
        const std::size_t before = buf_.size();
        while (buf_.size() == before) {
            const std::string_view raw = read_raw();
            if (raw.empty()) {
                eof_ = true;
                if (utf16_) utf16_->finish(buf_);
                break;
            }
            if (utf16_)
                utf16_->decode(raw, buf_);
            else
                buf_.append(raw);
        }
        data_ = buf_;
        cached_ = false;
        return buf_.size() > before;
    }

    std::size_t find_byte(char c, std::size_t from) const noexcept {
        if (from >= data_.size()) return npos;
        const void* hit = std::memchr(data_.data() + from, c, data_.size() - from);
        return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - data_.data()) : npos;
    }

    // The next CR or LF at or after `from`. Each byte's next position is remembered until it is passed,
    // so an LF-only file does not rescan its buffer for a CR on every line.
    std::size_t find_terminator(std::size_t from) noexcept {
        if (!cached_ || (cr_ != npos && cr_ < from)) cr_ = find_byte('\r', from);
        if (!cached_ || (lf_ != npos && lf_ < from)) lf_ = find_byte('\n', from);
        cached_ = true;
        return std::min(cr_, lf_);
    }

    // Index past the line end starting at data_[i]: LF, CR LF, CR CR LF (what a CRLF file becomes after
    // one more LF -> CRLF conversion) or a lone CR. npos when the buffer ends in CRs and more input may
    // still bring the LF.
    std::size_t terminator_end(std::size_t i) const noexcept {
        if (data_[i] == '\n') return i + 1;
        std::size_t j = i + 1;
        while (j < data_.size() && data_[j] == '\r') ++j;
        if (j < data_.size()) return data_[j] == '\n' ? j + 1 : i + 1;
        if (!eof_ && data_.size() - pos_ < max_line_size) return npos;
        return i + 1;
    }

    // A line longer than max_line_size: keep its start, read through the rest without storing it.
    bool read_long_line(physical_line& out) {
        long_line_.assign(data_.substr(pos_, max_line_size));
        std::size_t scan = pos_ + max_line_size;
        for (;;) {
            const std::size_t i = find_terminator(scan);
            if (i != npos) {
                pos_ = i;
                const std::size_t end = terminator_end(i);
                if (end != npos) {
                    pos_ = end;
                    break;
                }
                fill();
                scan = pos_;
                continue;
            }
            pos_ = data_.size();
            if (!fill()) break;
            scan = pos_;
        }
        out = {long_line_, ++number_, true};
        return true;
    }

    std::istream* in_;
    std::string_view memory_;  // unread input when reading the caller's UTF-16 bytes
    std::string raw_;
    std::string buf_;
    std::string_view data_;  // buf_, or the caller's bytes
    std::size_t pos_ = 0;
    bool eof_ = false;
    int number_ = 0;
    bool cached_ = false;  // cr_ and lf_ are valid for the current buffer
    std::size_t cr_ = npos;
    std::size_t lf_ = npos;
    std::string long_line_;
    std::optional<detail::utf16_decoder> utf16_;
};

// -------------------------------------------------------------------------------------- reader

struct position {
    int line = 0;
    int column = 0;
};

struct property_meta {
    prop id = prop::other;
    position at;                 // where the value starts
    bool binary = false;         // base64, a data: URI, or a dropped value: no charset or escape work
    bool verbatim = false;       // text kept as written (a 2.1 AGENT's embedded card): no unescaping
    bool needs_charset = false;  // not UTF-8 and no usable CHARSET: decided when the card is complete
};

class reader {
public:
    reader(const std::string& source, const card_sink& sink) : source_(source), sink_(sink) {}

    read_summary run(line_reader& lines) {
        utf16_input_ = lines.transcoded();
        physical_line line;
        int last = 0;
        while (lines.next(line)) {
            last = line.number;
            on_line(line.text, line.number, line.truncated);
        }
        if (has_logical_) {
            if (agent_depth_ > 0)
                problem(position_of(0), "the vCard embedded in AGENT has no END:VCARD; it was kept as read");
            agent_depth_ = 0;
            finish_logical();
        }
        if (in_card_) {
            problem({card_line_, 1},
                    "BEGIN:VCARD has no END:VCARD before the end of the input; the card was kept as read so far");
            finish_card();
        }
        // Half a file is not an import: the caller's batch rolls back rather than keep what came first.
        if (lines.input_failed())
            throw file_error(source_ + ": line " + std::to_string(last + 1) +
                                 ": the input could not be read to the end (a read error); nothing was imported",
                             source_, 10 /* SQLITE_IOERR */);
        return std::move(summary_);
    }

private:
    struct segment {
        std::size_t offset;  // in logical_
        int line;
        int column;
    };

    // ---- physical lines -> logical lines

    void on_line(std::string_view text, int number, bool truncated) {
        int column = 1;
        if (text.starts_with("\xEF\xBB\xBF")) {  // files joined with cat keep each one's BOM
            text.remove_prefix(3);
            column = 4;
        }
        if (agent_depth_ > 0) {  // inside a vCard 2.1 AGENT: every line belongs to the embedded card
            if (is_begin_vcard(text))
                ++agent_depth_;
            else if (is_end_vcard(text))
                --agent_depth_;
            append(text, number, column, truncated, 1);
            return;
        }
        if (has_logical_ && soft_break_ && !is_end_vcard(text)) {
            strip_soft_break();
            append(text, number, column, truncated, 0);
            soft_break_ = qp_ && ends_with_soft_break(text);
            return;
        }
        if (text.empty()) {
            if (has_logical_ && blank_lines_ < 1000) ++blank_lines_;
            return;
        }
        if (is_blank(text.front())) {
            if (has_logical_) {
                append(text.substr(1), number, column + 1, truncated, 0);
                blank_lines_ = 0;
                soft_break_ = qp_ && ends_with_soft_break(text);
                return;
            }
            while (!text.empty() && is_blank(text.front())) {
                text.remove_prefix(1);
                ++column;
            }
            if (text.empty()) return;
        }
        if (has_logical_) {
            if (agent_waits_for_card() && is_begin_vcard(text)) {
                append(text, number, column, truncated, 0);
                agent_depth_ = 1;
                verbatim_ = true;
                return;
            }
            const bool may_continue = takes_raw_lines(pending_) || base64_ || is_binary_property(pending_);
            if (header_known_ && may_continue && !looks_like_content_line(text)) {
                if ((base64_ || is_binary_property(pending_)) && is_base64_line(text)) {
                    append(text, number, column, truncated, 0);  // a 2.1 base64 block that is not indented
                    blank_lines_ = 0;
                    return;
                }
                if (takes_raw_lines(pending_)) {  // a raw line break inside a NOTE-like value
                    append(text, number, column, truncated, 1 + blank_lines_);
                    blank_lines_ = 0;
                    soft_break_ = qp_ && ends_with_soft_break(text);
                    return;
                }
            }
            finish_logical();
        }
        start_logical(text, number, column, truncated);
    }

    static bool ends_with_soft_break(std::string_view text) noexcept {
        while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
        return !text.empty() && text.back() == '=';
    }

    void strip_soft_break() {
        if (oversize_) return;
        while (!logical_.empty() && is_blank(logical_.back())) logical_.pop_back();
        if (!logical_.empty() && logical_.back() == '=') logical_.pop_back();
    }

    void start_logical(std::string_view text, int number, int column, bool truncated) {
        has_logical_ = true;
        oversize_ = truncated;
        verbatim_ = false;
        blank_lines_ = 0;
        if (text.size() > max_line_size) {
            text = text.substr(0, max_line_size);
            oversize_ = true;
        }
        logical_.assign(text);
        segments_.clear();
        segments_.push_back({0, number, column});
        scan_header();
        soft_break_ = qp_ && ends_with_soft_break(text);
        if (header_known_ && pending_ == prop::agent &&
            iequals(trim(std::string_view(logical_).substr(value_at_)), "BEGIN:VCARD")) {
            agent_depth_ = 1;
            verbatim_ = true;
        }
    }

    // Adds a physical line's text to the logical line, after `newlines` line feeds (raw line breaks).
    void append(std::string_view text, int number, int column, bool truncated, int newlines) {
        if (truncated) oversize_ = true;
        if (oversize_ || logical_.size() + text.size() + static_cast<std::size_t>(newlines) > max_line_size) {
            oversize_ = true;
            return;
        }
        logical_.append(static_cast<std::size_t>(newlines), '\n');
        // Positions are recorded for a bounded number of pieces: a run of empty folds adds nothing.
        if (!text.empty() && segments_.size() < max_segments) segments_.push_back({logical_.size(), number, column});
        logical_.append(text);
        if (!header_known_ && logical_.size() < 8192) scan_header();
    }

    // A first look at name and parameters, enough to know how the next physical lines continue it.
    void scan_header() {
        const std::string_view s = logical_;
        std::size_t colon = npos;
        bool quoted = false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '"')
                quoted = !quoted;
            else if (s[i] == ':' && !quoted) {
                colon = i;
                break;
            }
        }
        if (colon == npos) return;
        header_known_ = true;
        value_at_ = colon + 1;
        const std::string_view header = s.substr(0, colon);
        const std::size_t semicolon = header.find(';');
        std::string_view name = header.substr(0, semicolon);
        if (const std::size_t dot = name.find('.'); dot != npos) name.remove_prefix(dot + 1);
        pending_ = lookup_property(trim(name));
        qp_ = base64_ = false;
        if (semicolon == npos) return;
        std::string_view rest = header.substr(semicolon + 1);
        while (!rest.empty()) {
            const std::size_t end = rest.find(';');
            std::string_view token = trim(rest.substr(0, end));
            rest = end == npos ? std::string_view() : rest.substr(end + 1);
            bool explicit_encoding = false;
            if (istarts_with(token, "ENCODING")) {
                const std::size_t eq = token.find('=');
                if (eq == npos) continue;
                token = trim(token.substr(eq + 1));
                explicit_encoding = true;
            }
            if (iequals(token, "QUOTED-PRINTABLE"))
                qp_ = true;
            else if (iequals(token, "BASE64") || (explicit_encoding && iequals(token, "B")))
                base64_ = true;
        }
    }

    bool agent_waits_for_card() const {
        return header_known_ && pending_ == prop::agent && trim(std::string_view(logical_).substr(value_at_)).empty();
    }

    position position_of(std::size_t offset) const {
        const segment* at = &segments_.front();
        for (const auto& s : segments_) {
            if (s.offset > offset) break;
            at = &s;
        }
        return {at->line, at->column + static_cast<int>(offset - at->offset)};
    }

    void finish_logical() {
        has_logical_ = false;
        soft_break_ = false;
        handle_logical();
        header_known_ = false;
        pending_ = prop::other;
        qp_ = base64_ = false;
    }

    // ---- logical lines -> cards and properties

    void handle_logical() {
        const std::string_view s = logical_;
        std::size_t i = 0;
        auto scan_name = [&] {
            const std::size_t begin = i;
            while (i < s.size() && is_name_char(s[i])) ++i;
            return s.substr(begin, i - begin);
        };
        std::string_view group;
        std::string_view name = scan_name();
        if (i < s.size() && s[i] == '.') {
            group = name;
            ++i;
            name = scan_name();
        }
        const std::size_t after_name = i;
        while (i < s.size() && is_blank(s[i])) ++i;
        if (name.empty() || i >= s.size() || (s[i] != ';' && s[i] != ':')) {
            if (!in_card_) return stray(position_of(0));
            if (s.find(':') == npos)
                problem(position_of(0),
                        "a line in the card is neither a property (it has no ':') nor a continuation; "
                        "it was skipped");
            else if (name.empty())
                problem(position_of(after_name), "a property must start with a name; the line was skipped");
            else
                problem(position_of(after_name),
                        std::string("'") + s[after_name] + "' cannot appear in a property name; the line was skipped");
            return;
        }
        if (group.empty() && (iequals(name, "BEGIN") || iequals(name, "END"))) {
            const std::size_t colon = s.find(':', i);
            if (colon != npos && iequals(trim(s.substr(colon + 1)), "VCARD")) {
                if (iequals(name, "BEGIN"))
                    begin_card(segments_.front().line);
                else
                    end_card(position_of(0));
                return;
            }
        }
        if (!in_card_) return stray(position_of(0));
        add_property(group, name, i);
    }

    void stray(position at) {
        if (stray_reported_) return;
        stray_reported_ = true;
        problem(at, "text outside BEGIN:VCARD ... END:VCARD was ignored");
    }

    void begin_card(int line) {
        if (in_card_) {
            problem({card_line_, 1}, "BEGIN:VCARD has no END:VCARD before the next BEGIN:VCARD at line " +
                                         std::to_string(line) + "; the card was kept as read so far");
            finish_card();
        }
        in_card_ = true;
        card_line_ = line;
        stray_reported_ = false;
    }

    void end_card(position at) {
        if (!in_card_) {
            problem(at, "END:VCARD without a BEGIN:VCARD before it");
            return;
        }
        finish_card();
        stray_reported_ = false;
    }

    void add_property(std::string_view group, std::string_view name, std::size_t i) {
        const std::string_view s = logical_;
        card_property p;
        p.group.assign(group);
        p.name = upper_copy(name);
        const std::size_t parameters_at = i;
        if (!parse_parameters(s, i, p.parameters, true)) {
            // An unclosed quote: vCard 2.1 has no quoting, so read the parameters as plain text.
            p.parameters.clear();
            i = parameters_at;
            if (!parse_parameters(s, i, p.parameters, false)) {
                problem(position_of(i), p.name + " has no ':' before its value; the line was skipped");
                return;
            }
        }
        property_meta meta;
        meta.id = header_known_ ? pending_ : lookup_property(p.name);  // scan_header looked it up already
        meta.at = position_of(i + 1);
        meta.verbatim = verbatim_;
        if (!decode_value(p, meta, s.substr(i + 1))) return;
        const std::size_t cost = p.value.size() + property_overhead;
        if (card_bytes_ + cost > max_card_size) {
            if (!card_full_reported_)
                problem(meta.at, "the card holds more than 64 MiB of values; its further properties were dropped");
            card_full_reported_ = true;
            return;
        }
        card_bytes_ += cost;
        card_.properties.push_back(std::move(p));
        meta_.push_back(meta);
    }

    // Undoes the transfer encoding (quoted-printable, base64) and converts labelled charsets. False when
    // the property must be dropped (a problem was reported).
    bool decode_value(card_property& p, property_meta& meta, std::string_view raw) {
        // The size as the file holds it (after unfolding, before decoding).
        if (oversize_ || raw.size() > max_value_size) {
            problem(meta.at, p.name + " value is larger than 1 MiB; the property was kept without its value");
            meta.binary = true;
            return true;
        }
        const std::string_view encoding = first_value(p, "ENCODING");
        const std::string_view value_type = first_value(p, "VALUE");
        const bool qp = iequals(encoding, "QUOTED-PRINTABLE");
        const bool base64 = iequals(encoding, "B") || iequals(encoding, "BASE64");
        const bool binary = is_binary_property(meta.id);
        auto undecodable = [&] {
            problem(meta.at, p.name + " holds base64 data that cannot be decoded; the property was dropped");
            return false;
        };
        if (base64 && binary) {
            if (!normalize_base64(raw, p.value)) return undecodable();
            meta.binary = true;
            return true;
        }
        if (base64) {
            if (!decode_base64(raw, p.value)) return undecodable();
        } else if (qp) {
            decode_quoted_printable(raw, p.value);
        } else if (binary && istarts_with(trim(raw), "data:")) {
            // RFC 6350 inline data. Some writers escape its ';' and ',', and folding may leave spaces.
            p.value.assign(trim(raw));
            unescape_text(p.value);
            std::erase_if(p.value, is_space);
            meta.binary = true;
            const std::size_t comma = p.value.find(',');
            if (comma != npos && iends_with(std::string_view(p.value).substr(0, comma), ";base64") &&
                !valid_base64(std::string_view(p.value).substr(comma + 1)))
                return undecodable();
            return true;
        } else if (binary && !iequals(value_type, "uri") && !iequals(value_type, "url") &&
                   looks_like_base64_blob(raw)) {
            if (!normalize_base64(raw, p.value)) return undecodable();
            meta.binary = true;
            return true;
        } else {
            p.value.assign(raw);
            if (utf16_input_) return true;  // decoded from UTF-16 as a whole already
        }
        if (detail::is_ascii(p.value)) return true;
        const std::string_view charset = trim(first_value(p, "CHARSET"));
        if (!charset.empty()) {
            if (detail::is_utf8_label(charset)) {
                meta.needs_charset = !detail::is_utf8(p.value);
                return true;
            }
            // Producers label UTF-8 as ISO-8859-1 now and then; Latin-1 text is practically never valid
            // multi-byte UTF-8, so such a value is taken as UTF-8.
            if (detail::is_western_label(charset) && detail::is_utf8(p.value)) return true;
            scratch_.clear();
            if (charsets_.to_utf8(charset, p.value, scratch_)) {
                p.value.swap(scratch_);
                if (card_charset_.empty()) card_charset_.assign(charset);
                return true;
            }
            problem(meta.at,
                    "unknown CHARSET '" + std::string(charset) + "' on " + p.name + "; the charset was guessed");
        } else if (detail::is_utf8(p.value)) {
            return true;
        }
        meta.needs_charset = true;
        return true;
    }

    // ---- complete card -> contact -> sink

    void finish_card() {
        in_card_ = false;
        if (std::any_of(meta_.begin(), meta_.end(), [](const property_meta& m) { return m.needs_charset; }))
            resolve_charsets();
        for (std::size_t i = 0; i < meta_.size(); ++i) {
            const property_meta& m = meta_[i];
            if (m.binary) continue;
            std::string& value = card_.properties[i].value;
            if (m.verbatim || keeps_escapes(m.id))
                normalize_newlines(value);
            else
                unescape_text(value);
        }
        map_contact();
        card_.source = source_;
        card_.line = card_line_;
        ++summary_.cards;
        sink_(std::move(card_));
        const std::size_t last_size = meta_.size();
        card_ = card{};
        card_.properties.reserve(last_size);
        meta_.clear();
        card_bytes_ = 0;
        card_full_reported_ = false;
        card_charset_.clear();
    }

    // Values that are not UTF-8 and have no usable CHARSET: the card's own legacy CHARSET when some other
    // value has one, else one guess over all of them together (more text, surer guess).
    void resolve_charsets() {
        std::string charset = card_charset_;
        if (charset.empty()) {
            scratch_.clear();
            for (std::size_t i = 0; i < meta_.size(); ++i) {
                if (!meta_[i].needs_charset) continue;
                scratch_ += card_.properties[i].value;
                scratch_ += '\n';
            }
            charset = detail::icu_name(detail::guess_legacy_charset(scratch_));
        }
        for (std::size_t i = 0; i < meta_.size(); ++i) {
            if (!meta_[i].needs_charset) continue;
            std::string& value = card_.properties[i].value;
            scratch_.clear();
            if (!charsets_.to_utf8(charset, value, scratch_)) charsets_.to_utf8("windows-1252", value, scratch_);
            value.swap(scratch_);
        }
    }

    void map_contact() {
        contact& c = card_.person;
        const auto& props = card_.properties;
        // Apple and Google put a label on a grouped property: item1.EMAIL + item1.X-ABLabel.
        std::vector<std::pair<std::string_view, std::string>> labels;
        for (std::size_t i = 0; i < props.size(); ++i) {
            if (meta_[i].id != prop::x_ablabel || props[i].group.empty()) continue;
            if (std::string kind = label_kind(props[i].value); !kind.empty())
                labels.emplace_back(props[i].group, std::move(kind));
        }
        auto kind_of = [&](const card_property& p) {
            if (!p.group.empty())
                for (const auto& [group, kind] : labels)
                    if (iequals(group, p.group)) return kind;
            return type_kind(p);
        };
        auto add = [](std::vector<labeled_value>& to, std::string_view value, std::string kind) {
            value = trim(value);
            if (!value.empty()) to.push_back(labeled_value{std::string(value), std::move(kind)});
        };
        bool have_n = false, have_org = false;
        std::string_view version;
        // What a field took over; everything else goes to contact.extra, so nothing is lost.
        std::vector<char> used(props.size(), 0);
        for (std::size_t i = 0; i < props.size(); ++i) {
            const card_property& p = props[i];
            const property_meta& m = meta_[i];
            if (m.binary) continue;
            char& took = used[i];
            took = true;  // each case below says otherwise when it leaves the property alone
            switch (m.id) {
                case prop::version:
                    if (version.empty()) version = trim(p.value);
                    break;
                case prop::fn:
                    if (c.display_name.empty())
                        c.display_name = trim(p.value);
                    else
                        took = false;  // another language's variant: kept
                    break;
                case prop::n:
                    if (have_n) {
                        took = false;
                        break;
                    }
                    have_n = true;
                    {
                        std::string* parts[] = {&c.name.family, &c.name.given, &c.name.additional, &c.name.prefix,
                                                &c.name.suffix};
                        std::size_t k = 0;
                        split_structured(p.value, ';', ';', [&](std::string_view part) {
                            if (k < std::size(parts)) assign_text(*parts[k], part);
                            ++k;
                        });
                    }
                    break;
                case prop::org:
                    if (have_org) {
                        took = false;
                        break;
                    }
                    have_org = true;
                    {
                        std::size_t parts = 0;
                        split_structured(p.value, ';', ';', [&](std::string_view part) {
                            if (parts++ == 0) assign_text(c.organization, part);
                        });
                        took = parts <= 1;  // departments have no field: the whole ORG is kept
                    }
                    break;
                case prop::title:
                    if (c.title.empty())
                        c.title = trim(p.value);
                    else
                        took = false;
                    break;
                case prop::email:
                    add(c.emails, p.value, kind_of(p));
                    break;
                case prop::tel: {
                    std::string_view number = trim(p.value);
                    if (istarts_with(number, "tel:")) number.remove_prefix(4);  // vCard 4 VALUE=uri
                    add(c.phones, number, kind_of(p));
                    break;
                }
                case prop::url:
                case prop::x_socialprofile:
                    add(c.urls, p.value, kind_of(p));
                    break;
                case prop::impp: {
                    // The service is the kind (normalize_and_validate drops its scheme from the value);
                    // a value that names no service (no X-SERVICE-TYPE, not a URI) stays a property.
                    std::string kind = impp_kind(p);
                    if (kind.empty())
                        took = false;
                    else
                        add(c.ims, p.value, std::move(kind));
                    break;
                }
                case prop::x_im:
                    add(c.ims, p.value, im_service(p.name));
                    break;
                case prop::adr: {
                    postal_address a;
                    std::string* parts[] = {&a.po_box, &a.extended,    &a.street, &a.locality,
                                            &a.region, &a.postal_code, &a.country};
                    std::size_t k = 0;
                    split_structured(p.value, ';', ';', [&](std::string_view part) {
                        if (k < std::size(parts)) assign_text(*parts[k], part);
                        ++k;
                    });
                    if (a.empty()) break;
                    a.kind = kind_of(p);
                    c.addresses.push_back(std::move(a));
                    break;
                }
                case prop::categories:
                    // A text-list: items end at unescaped ',' only (in vCard 4 a ';' is plain text).
                    split_structured(p.value, ',', ',', [&](std::string_view part) {
                        std::string tag;
                        assign_text(tag, part);
                        if (!tag.empty()) c.tags.push_back(std::move(tag));
                    });
                    break;
                case prop::note:
                    if (auto text = trim(p.value); !text.empty())
                        c.notes.push_back(note{note_time(first_value(p, "X-NETCRM-NOTE-AT")), std::string(text)});
                    break;
                case prop::bday: {
                    took = false;
                    if (c.birthday) break;
                    if (auto d = parse_birthday(p.value, find_parameter(p, "X-APPLE-OMIT-YEAR"))) {
                        c.birthday = *d;
                        took = true;
                    } else if (!iequals(first_value(p, "VALUE"), "text") && !trim(p.value).empty()) {
                        problem(
                            m.at,
                            "BDAY '" + std::string(trim(p.value)) +
                                "' is not a date with a month and a day; it is kept only among the card's properties");
                    }
                    break;
                }
                case prop::uid:
                    if (card_.uid.empty()) card_.uid = trim(p.value);
                    took = false;  // the contact keeps it: it is how the same card is known again
                    break;
                case prop::kind:
                case prop::x_addressbookserver_kind:
                    if (card_.kind.empty()) card_.kind = lower_copy(trim(p.value));
                    took = false;
                    break;
                case prop::x_ablabel:
                    took = false;  // decided below, with the property it labels
                    break;
                default:
                    // netcrm's own fields, as its vCard writer puts them; REV and PRODID describe
                    // the file, not the person.
                    if (p.name == "X-NETCRM-HOW-MET" && c.how_met.empty())
                        c.how_met = trim(p.value);
                    else if (p.name == "X-NETCRM-SOURCE" && c.source.empty())
                        c.source = trim(p.value);
                    else
                        took = p.name == "REV" || p.name == "PRODID";
                    break;
            }
        }
        // A label goes with what it labels: used when that was mapped, kept when that was kept.
        for (std::size_t i = 0; i < props.size(); ++i) {
            if (meta_[i].id != prop::x_ablabel || props[i].group.empty()) continue;
            for (std::size_t j = 0; j < props.size(); ++j)
                if (j != i && used[j] && meta_[j].id != prop::x_ablabel && iequals(props[j].group, props[i].group))
                    used[i] = true;
        }
        for (std::size_t i = 0; i < props.size(); ++i)
            if (!used[i]) c.extra.push_back(kept_property(props[i]));
        if (version.starts_with('2'))
            card_.format = "vcard-2.1";
        else if (version.starts_with('4'))
            card_.format = "vcard-4.0";
        else
            card_.format = "vcard-3.0";  // 3.0 itself, and the guess when VERSION is missing
    }

    void problem(position at, std::string reason) {
        if (summary_.problems.size() > max_problems) return;
        if (summary_.problems.size() == max_problems)
            reason = "more than " + std::to_string(max_problems) + " problems; the rest were not listed";
        summary_.problems.push_back(read_problem{source_, at.line, at.column, std::move(reason)});
    }

    const std::string& source_;
    const card_sink& sink_;
    read_summary summary_;
    detail::charset_converter charsets_;
    bool utf16_input_ = false;
    std::string scratch_;

    // The logical line being assembled.
    std::string logical_;
    std::vector<segment> segments_;  // where each piece of logical_ came from, for problem positions
    bool has_logical_ = false;
    bool oversize_ = false;
    bool header_known_ = false;  // the ':' after name and parameters has been seen
    std::size_t value_at_ = 0;
    prop pending_ = prop::other;
    bool qp_ = false;
    bool base64_ = false;
    bool soft_break_ = false;  // the last quoted-printable line ended with '='
    bool verbatim_ = false;    // a 2.1 AGENT holding an embedded card
    int blank_lines_ = 0;
    int agent_depth_ = 0;

    // The card being read.
    bool in_card_ = false;
    int card_line_ = 0;
    card card_;
    std::vector<property_meta> meta_;  // one per card_.properties entry
    std::size_t card_bytes_ = 0;
    bool card_full_reported_ = false;
    std::string card_charset_;  // first legacy CHARSET of the card, used for its unlabelled values
    bool stray_reported_ = false;
};

}  // namespace

read_summary read(std::istream& in, const std::string& source, const card_sink& sink) {
    line_reader lines(&in, {});
    reader r(source, sink);
    return r.run(lines);
}

read_summary read(std::string_view bytes, const std::string& source, const card_sink& sink) {
    line_reader lines(nullptr, bytes);
    reader r(source, sink);
    return r.run(lines);
}

namespace {

// Exporters now and then write a line or two before the first card (some an "ENCODING:UTF-8" line);
// the reader skips them with a problem, and the sniffer looks past this many of them.
constexpr int max_lines_before_card = 8;

// BEGIN:VCARD, in any letter case and with blanks around the ':', as the first thing of `line`.
bool starts_with_begin_vcard(std::string_view line) noexcept {
    if (!istarts_with(line, "BEGIN")) return false;
    line.remove_prefix(5);
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    if (line.empty() || line.front() != ':') return false;
    line.remove_prefix(1);
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    if (!istarts_with(line, "VCARD")) return false;
    line.remove_prefix(5);
    return line.empty() || is_space(line.front());
}

}  // namespace

bool looks_like_vcard(std::string_view head) {
    const auto sniffed = detail::sniff_encoding(head);
    head.remove_prefix(sniffed.bom_size);
    std::string decoded;
    if (sniffed.encoding != detail::byte_encoding::utf8) {
        detail::utf16_decoder decoder(sniffed.encoding == detail::byte_encoding::utf16be);
        decoder.decode(head.substr(0, 4096), decoded);
        head = decoded;
    }
    for (int lines = 0; lines <= max_lines_before_card; ++lines) {
        for (;;) {  // blank lines, and the BOM of each file when files were joined with cat
            while (!head.empty() && is_space(head.front())) head.remove_prefix(1);
            if (!head.starts_with("\xEF\xBB\xBF")) break;
            head.remove_prefix(3);
        }
        const std::size_t end = head.find_first_of("\r\n");
        const std::string_view line = head.substr(0, end);
        if (starts_with_begin_vcard(line)) return true;
        // A quote is a CSV cell's, which may hold a "BEGIN:VCARD" line; a MECARD is a MECARD.
        if (line.find('"') != npos || istarts_with(line, "MECARD:") || end == npos) return false;
        head.remove_prefix(end);
    }
    return false;
}

}  // namespace crm::vcard
