#include "crm/vcard_writer.hpp"

#include "detail/ascii.hpp"

#include <date/date.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace crm::vcard {
namespace {

constexpr std::size_t npos = std::string_view::npos;
// RFC 6350 3.2 and RFC 2426 2.6: content lines SHOULD be at most 75 octets, excluding the line break.
constexpr std::size_t fold_octets = 75;

using detail::ascii::iequals;
using detail::ascii::istarts_with;
using detail::ascii::lower_copy;
using detail::ascii::to_lower;
using detail::ascii::to_upper;
using detail::ascii::trim;
using detail::ascii::upper_copy;

constexpr bool is_utf8_continuation(char c) noexcept {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// ------------------------------------------------------------------------------------- escaping

// How a value's characters are written.
enum class value_form {
    text,       // RFC 2426 text-value / RFC 6350 text
    component,  // a field of a structured value (N, ADR, ORG) or an item of a list (CATEGORIES)
    uri,        // URL and other URI values: ',' escaped as RFC 6350 3.4 asks of every property value
                // (vobject and others split a bare one), ';' bare (it separates only components)
    verbatim,   // already escaped as the file had it
};

// Appends `s` in the given form. Line breaks are always written as \n: a raw one would end the line.
void append_value(std::string& out, std::string_view s, version v, value_form form) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            out += "\\n";
            continue;
        }
        switch (form) {
            case value_form::verbatim:
                break;
            case value_form::uri:
                // A backslash is not a URI character; escaping it keeps readers that unescape every
                // value (most do) from eating it.
                if (c == '\\' || c == ',') out += '\\';
                break;
            case value_form::text:
                // 3.0 text-value forbids a bare ';' or ','; 4.0 text forbids ',' only.
                if (c == '\\' || c == ',' || (c == ';' && v == version::v3_0)) out += '\\';
                break;
            case value_form::component:
                if (c == '\\' || c == ',' || c == ';') out += '\\';
                break;
        }
        out += c;
    }
}

// A parameter value: quoted when it holds ':', ';' or ',' (RFC 6350 5, RFC 2426 quoted-string) or
// blanks at its ends; '"' and line breaks as RFC 6868 caret escapes (the only way to write them).
void append_parameter_value(std::string& out, std::string_view s) {
    const bool quote = s.find_first_of(":;,") != npos ||
                       (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t'));
    if (quote) out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            out += "^'";
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            out += "^n";
        } else if (c == '^' && i + 1 < s.size() &&
                   (s[i + 1] == 'n' || s[i + 1] == 'N' || s[i + 1] == '\'' || s[i + 1] == '^')) {
            out += "^^";  // would otherwise be read as an escape
        } else {
            out += c;
        }
    }
    if (quote) out += '"';
}

// ------------------------------------------------------------------------------------- lines

// One content line being built: [group.]NAME;PARAM=v,v:value
class line {
public:
    line(std::string_view group, std::string_view name) {
        if (!group.empty()) {
            text_ += group;
            text_ += '.';
        }
        text_ += name;
    }

    line& param(std::string_view name, std::string_view value) {
        text_ += ';';
        text_ += name;
        text_ += '=';
        append_parameter_value(text_, value);
        return *this;
    }

    line& param(const card_parameter& p) {
        text_ += ';';
        text_ += p.name;
        text_ += '=';
        for (std::size_t i = 0; i < p.values.size(); ++i) {
            if (i) text_ += ',';
            append_parameter_value(text_, p.values[i]);
        }
        return *this;
    }

    // Ends the parameters; what follows is the value.
    std::string& value() {
        if (!in_value_) text_ += ':';
        in_value_ = true;
        return text_;
    }

    const std::string& text() const noexcept { return text_; }

private:
    std::string text_;
    bool in_value_ = false;
};

// Writes a content line folded at 75 octets: each continuation starts with one space, which counts.
// A cut that would fall inside a UTF-8 sequence moves back to the start of that character.
void put(std::ostream& out, std::string_view s) {
    std::size_t limit = fold_octets;
    while (s.size() > limit) {
        std::size_t cut = limit;
        while (cut > limit - 4 && is_utf8_continuation(s[cut])) --cut;
        if (is_utf8_continuation(s[cut])) cut = limit;  // not UTF-8 at all: any cut is as good
        out.write(s.data(), static_cast<std::streamsize>(cut));
        out << "\r\n ";
        s.remove_prefix(cut);
        limit = fold_octets - 1;
    }
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
    out << "\r\n";
}

// ------------------------------------------------------------------------------------- kinds

enum class field { email, tel, url, adr };

// The TYPE words each version defines for a property (RFC 2426 3.2.1, 3.3.1, 3.3.2; RFC 6350 6.4.1,
// 6.4.2, 5.6), plus HOME and WORK on 3.0 EMAIL and URL, which Apple and Google write and read.
bool standard_type(field f, version v, std::string_view word) {
    static constexpr std::string_view email3[] = {"home", "work", "internet", "x400", "pref"};
    static constexpr std::string_view tel3[] = {"home",  "msg",   "work", "pref",  "voice", "fax",  "cell",
                                                "video", "pager", "bbs",  "modem", "car",   "isdn", "pcs"};
    static constexpr std::string_view url3[] = {"home", "work", "pref"};
    static constexpr std::string_view adr3[] = {"home", "work", "pref", "dom", "intl", "postal", "parcel"};
    static constexpr std::string_view any4[] = {"home", "work", "pref"};
    static constexpr std::string_view tel4[] = {"home", "work", "pref",  "text",  "voice",
                                                "fax",  "cell", "video", "pager", "textphone"};
    auto in = [&](const auto& words) { return std::find(std::begin(words), std::end(words), word) != std::end(words); };
    if (v == version::v3_0) {
        switch (f) {
            case field::email:
                return in(email3);
            case field::tel:
                return in(tel3);
            case field::url:
                return in(url3);
            case field::adr:
                return in(adr3);
        }
    }
    return f == field::tel ? in(tel4) : in(any4);
}

// Standard TYPE words that netcrm's reader leaves out of a kind because they say nothing about which
// value it is (see type_kind in vcard.cpp); "pref" is not among them here: it is written as preference.
bool ignored_by_reader(std::string_view word) {
    for (std::string_view w : {"internet", "x400", "voice", "dom", "intl", "postal", "parcel"})
        if (word == w) return true;
    return false;
}

// The TYPE words for a kind, or nothing when the kind is not made only of standard words exactly as the
// reader gives them back: lower case, ',' without blanks, each word once, none the reader ignores, "mobile"
// for vCard's "cell". Anything else ("Work", "cell", "voice") is written as a label, which the reader
// returns as it was; as TYPE it would come back changed ("work", "mobile", nothing). "pref" is written as
// the version's preference, which the reader does not keep in the kind.
std::optional<std::vector<std::string>> type_words(std::string_view kind, field f, version v) {
    std::vector<std::string> words;
    if (kind.empty()) return words;
    std::size_t start = 0;
    while (start <= kind.size()) {
        std::size_t comma = kind.find(',', start);
        if (comma == npos) comma = kind.size();
        std::string word(kind.substr(start, comma - start));
        start = comma + 1;
        if (word.empty() || word != lower_copy(trim(word)) || ignored_by_reader(word)) return std::nullopt;
        if (f == field::tel && word == "cell") return std::nullopt;
        if (f == field::tel && word == "mobile") word = "cell";
        if (!standard_type(f, v, word)) return std::nullopt;
        if (std::find(words.begin(), words.end(), word) != words.end()) return std::nullopt;
        words.push_back(std::move(word));
    }
    return words;
}

// ------------------------------------------------------------------------------------- extra

// The values netcrm's reader keeps escaped as in the file (see keeps_escapes in vcard.cpp).
bool is_structured(std::string_view name) {
    for (std::string_view s :
         {"N", "ADR", "ORG", "CATEGORIES", "NICKNAME", "GENDER", "CLIENTPIDMAP", "X-ANDROID-CUSTOM"})
        if (iequals(name, s)) return true;
    return false;
}

bool is_binary_property(std::string_view name) {
    for (std::string_view s : {"PHOTO", "LOGO", "SOUND", "KEY"})
        if (iequals(name, s)) return true;
    return false;
}

// Properties whose value is a URI in both versions (or by default in 4.0).
bool is_uri_property(std::string_view name) {
    for (std::string_view s :
         {"URL", "SOURCE", "FBURL", "CALURI", "CALADRURI", "CAPURI", "CONTACT-URI", "MEMBER", "IMPP", "ORG-DIRECTORY"})
        if (iequals(name, s)) return true;
    return false;
}

const card_parameter* find_parameter(const card_property& p, std::string_view name) {
    for (const auto& param : p.parameters)
        if (iequals(param.name, name)) return &param;
    return nullptr;
}

std::string_view first_value(const card_parameter* p) {
    return p && !p->values.empty() ? std::string_view(p->values.front()) : std::string_view();
}

// The reader's test for base64 written without ENCODING (see looks_like_base64_blob in vcard.cpp): a
// run of the base64 alphabet with no ':', which every URI has.
bool looks_like_base64_blob(std::string_view s) {
    std::size_t count = 0;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                              c == '/' || c == '-' || c == '_' || c == '=';
        if (!alphabet) return false;
        ++count;
    }
    return count >= 16;
}

bool is_base64_encoding(std::string_view encoding) {
    return iequals(encoding, "b") || iequals(encoding, "base64");
}

// "JPEG" on a PHOTO -> "image/jpeg"; a TYPE that is a media type already is kept.
std::string media_type(std::string_view property, std::string_view type) {
    if (type.find('/') != npos) return lower_copy(type);
    if (type.empty()) return "application/octet-stream";
    if (iequals(property, "SOUND")) return "audio/" + lower_copy(type);
    if (iequals(property, "KEY")) {
        if (iequals(type, "PGP")) return "application/pgp-keys";
        if (iequals(type, "X509")) return "application/pkix-cert";
        return "application/" + lower_copy(type);
    }
    return "image/" + lower_copy(type);
}

// "image/jpeg" -> "JPEG", for the 3.0 TYPE of inline binary data.
std::string type_from_media_type(std::string_view media) {
    if (iequals(media, "application/pgp-keys")) return "PGP";
    if (iequals(media, "application/pkix-cert")) return "X509";
    const std::size_t slash = media.find('/');
    return upper_copy(slash == npos ? media : media.substr(slash + 1));
}

// RFC 6350 3.3 names and groups are 1*(ALPHA / DIGIT / "-"); '_' is accepted as readers accept it.
bool is_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// Writes one property of c.extra: parameters that described the file's bytes are dropped, inline binary
// data is put in the version's form, and the value is escaped unless it is stored escaped or is a URI.
void write_extra(std::ostream& out, const card_property& p, version v) {
    if (!is_name(p.name) || !(p.group.empty() || is_name(p.group))) {
        // Not a vCard name: a CSV column ("Custom Field 1 - Label") kept by the CSV reader. Written as
        // a private property naming it, since "Custom Field 1 - Label:..." would not be a content line;
        // netcrm's reader gives the contact the property back under its own name. A group that is a
        // vCard name stays the line's group, so that it comes back as it was.
        const bool keep_group = is_name(p.group);
        line l(keep_group ? std::string_view(p.group) : std::string_view(), "X-NETCRM-FIELD");
        l.param("X-NETCRM-NAME", p.group.empty() || keep_group ? p.name : p.group + "." + p.name);
        for (const auto& param : p.parameters) l.param(param);
        append_value(l.value(), p.value, v, value_form::text);
        put(out, l.text());
        return;
    }
    const card_parameter* encoding = find_parameter(p, "ENCODING");
    const bool binary = is_binary_property(p.name);
    // Inline base64: labelled so, or the bare base64 that Thunderbird and ownCloud write without
    // ENCODING (PHOTO;TYPE=JPEG:/9j/...), which the reader takes as inline data too. Either way it must
    // leave as inline data that each version can read: ENCODING=b in 3.0 (RFC 2426 2.4.1), a data: URI
    // in 4.0 (RFC 6350 6.2.4), never as bare base64 that neither defines.
    const std::string_view value_type = first_value(find_parameter(p, "VALUE"));
    const bool base64 =
        binary &&
        (is_base64_encoding(first_value(encoding)) ||
         (!encoding && !iequals(value_type, "uri") && !iequals(value_type, "url") && looks_like_base64_blob(p.value)));
    const bool data_uri = binary && istarts_with(trim(p.value), "data:");

    line l(p.group, p.name);
    // Copies the parameters in order. ENCODING stays (as 3.0's "b") only where the value is still
    // base64 and the version has ENCODING; CHARSET never does. `converted`: the inline data changes
    // form, so TYPE (the 3.0 format name, or folded into the data: URI) and VALUE (uri for a data: URI,
    // binary for ENCODING=b) no longer describe it and are dropped.
    auto copy_parameters = [&](bool converted, bool keep_base64) {
        if (keep_base64 && !encoding) l.param("ENCODING", "b");
        for (const auto& param : p.parameters) {
            if (iequals(param.name, "CHARSET")) continue;
            if (iequals(param.name, "ENCODING")) {
                if (keep_base64) l.param("ENCODING", "b");
                continue;
            }
            if (converted && (iequals(param.name, "TYPE") || iequals(param.name, "VALUE"))) continue;
            l.param(param);
        }
    };

    if (base64 && v == version::v4_0) {
        // RFC 6350 has no ENCODING: inline data is a data: URI, its media type taken from the 3.0 TYPE.
        const card_parameter* type = find_parameter(p, "TYPE");
        copy_parameters(true, false);
        std::string& value = l.value();
        value += "data:" + media_type(p.name, first_value(type)) + ";base64,";
        append_value(value, trim(p.value), v, value_form::verbatim);
        put(out, l.text());
        return;
    }
    if (data_uri && v == version::v3_0) {
        const std::string_view uri = trim(p.value);
        const std::size_t comma = uri.find(',');
        const std::string_view head = comma == npos ? uri : uri.substr(0, comma);
        if (comma != npos && head.size() >= 7 && iequals(head.substr(head.size() - 7), ";base64")) {
            // RFC 2426 inline binary, as 3.0 producers write it: ENCODING=b with the format as TYPE.
            const std::string_view media = head.substr(5, head.size() - 5 - 7);
            copy_parameters(true, false);
            l.param("ENCODING", "b");
            if (!media.empty()) l.param("TYPE", type_from_media_type(media));
            append_value(l.value(), uri.substr(comma + 1), v, value_form::verbatim);
            put(out, l.text());
            return;
        }
    }

    copy_parameters(false, base64);
    value_form form = value_form::text;
    if (is_structured(p.name) || base64 || data_uri)
        form = value_form::verbatim;
    else if (is_uri_property(p.name) || iequals(value_type, "uri") || iequals(value_type, "url"))
        form = value_form::uri;
    append_value(l.value(), p.value, v, form);
    put(out, l.text());
}

// ------------------------------------------------------------------------------------- the card

std::string basic_timestamp(date::sys_seconds t) {
    return date::format("%Y%m%dT%H%M%SZ", t);
}

class card_writer {
public:
    card_writer(std::ostream& out, const contact& c, version v) : out_(out), c_(c), v_(v) {
        for (const auto& p : c.extra)
            if (!p.group.empty()) used_groups_.push_back(lower_copy(p.group));
    }

    void run() {
        put(out_, "BEGIN:VCARD");
        put(out_, v_ == version::v3_0 ? "VERSION:3.0" : "VERSION:4.0");
        simple("FN", formatted_name(), value_form::text);
        {
            line l({}, "N");
            std::string& value = l.value();
            const std::string* parts[] = {&c_.name.family, &c_.name.given, &c_.name.additional, &c_.name.prefix,
                                          &c_.name.suffix};
            for (std::size_t i = 0; i < std::size(parts); ++i) {
                if (i) value += ';';
                append_value(value, *parts[i], v_, value_form::component);
            }
            put(out_, l.text());
        }
        if (!c_.organization.empty()) simple("ORG", c_.organization, value_form::component);
        if (!c_.title.empty()) simple("TITLE", c_.title, value_form::text);
        for (const auto& e : c_.emails) labeled("EMAIL", field::email, e.kind, e.value, value_form::text);
        for (const auto& t : c_.phones) labeled("TEL", field::tel, t.kind, t.value, value_form::text);
        for (const auto& u : c_.urls) labeled("URL", field::url, u.kind, u.value, value_form::uri);
        for (const auto& im : c_.ims) {
            // RFC 4770 / RFC 6350 6.4.3: a URI of the service's scheme; the service by name (Apple's
            // X-SERVICE-TYPE) when the scheme does not say it ("jabber" is xmpp:, "icq" aim:).
            line l({}, "IMPP");
            if (!im.kind.empty() && im_scheme(im.kind) != im.kind) l.param("X-SERVICE-TYPE", im.kind);
            append_value(l.value(), im_uri(im), v_, value_form::uri);
            put(out_, l.text());
        }
        for (const auto& a : c_.addresses) address(a);
        if (!c_.tags.empty()) {
            line l({}, "CATEGORIES");
            std::string& value = l.value();
            for (std::size_t i = 0; i < c_.tags.size(); ++i) {
                if (i) value += ',';
                append_value(value, c_.tags[i], v_, value_form::text);
            }
            put(out_, l.text());
        }
        if (c_.birthday) birthday(*c_.birthday);
        for (const auto& n : c_.notes) {
            line l({}, "NOTE");
            if (n.at != note::unstamped) l.param("X-NETCRM-NOTE-AT", basic_timestamp(n.at));
            append_value(l.value(), n.text, v_, value_form::text);
            put(out_, l.text());
        }
        if (!c_.how_met.empty()) simple("X-NETCRM-HOW-MET", c_.how_met, value_form::text);
        if (!c_.source.empty()) simple("X-NETCRM-SOURCE", c_.source, value_form::text);
        const bool rev = c_.updated_at != date::sys_seconds{};
        bool uid_written = false;
        for (const auto& p : c_.extra) {
            const std::string_view name = p.name;
            if (iequals(name, "BEGIN") || iequals(name, "END") || iequals(name, "VERSION") || iequals(name, "N"))
                continue;
            if ((rev && iequals(name, "REV")) || (c_.birthday && iequals(name, "BDAY")) ||
                (!c_.how_met.empty() && iequals(name, "X-NETCRM-HOW-MET")) ||
                (!c_.source.empty() && iequals(name, "X-NETCRM-SOURCE")))
                continue;
            if (iequals(name, "UID")) {
                if (uid_written) continue;
                uid_written = true;
            }
            write_extra(out_, p, v_);
        }
        if (rev) simple("REV", basic_timestamp(c_.updated_at), value_form::verbatim);
        put(out_, "END:VCARD");
    }

private:
    // FN is required: fall back as normalize_and_validate derives a display name.
    std::string formatted_name() const {
        if (auto d = trim(c_.display_name); !d.empty()) return std::string(d);
        if (auto n = c_.name.formatted(); !n.empty()) return n;
        if (auto o = trim(c_.organization); !o.empty()) return std::string(o);
        if (!c_.emails.empty()) return c_.emails.front().value;
        if (!c_.phones.empty()) return c_.phones.front().value;
        return {};
    }

    void simple(std::string_view name, std::string_view value, value_form form) {
        line l({}, name);
        append_value(l.value(), value, v_, form);
        put(out_, l.text());
    }

    // The next "itemN" no property of c.extra uses.
    std::string next_group() {
        for (;;) {
            std::string g = "item" + std::to_string(++group_number_);
            if (std::find(used_groups_.begin(), used_groups_.end(), g) == used_groups_.end()) return g;
        }
    }

    void labeled(std::string_view name, field f, std::string_view kind, std::string_view value, value_form form) {
        auto words = type_words(kind, f, v_);
        std::string group;
        if (!words) group = next_group();
        line l(group, name);
        write_types(l, f, words ? *words : std::vector<std::string>{});
        append_value(l.value(), value, v_, form);
        put(out_, l.text());
        if (!group.empty()) label(group, kind);
    }

    void write_types(line& l, field f, const std::vector<std::string>& words) {
        const bool pref = std::find(words.begin(), words.end(), "pref") != words.end();
        if (v_ == version::v3_0) {
            if (f == field::email && std::find(words.begin(), words.end(), "internet") == words.end())
                l.param("TYPE", "INTERNET");
            for (const auto& w : words) l.param("TYPE", upper_copy(w));
            return;
        }
        std::vector<std::string> types;
        for (const auto& w : words)
            if (w != "pref") types.push_back(w);
        if (!types.empty()) l.param(card_parameter{"TYPE", types});
        if (pref) l.param("PREF", "1");
    }

    void label(const std::string& group, std::string_view kind) {
        line l(group, "X-ABLabel");
        append_value(l.value(), trim(kind), v_, value_form::text);
        put(out_, l.text());
    }

    void address(const postal_address& a) {
        auto words = type_words(a.kind, field::adr, v_);
        std::string group;
        if (!words) group = next_group();
        line l(group, "ADR");
        write_types(l, field::adr, words ? *words : std::vector<std::string>{});
        std::string& value = l.value();
        const std::string* parts[] = {&a.po_box, &a.extended,    &a.street, &a.locality,
                                      &a.region, &a.postal_code, &a.country};
        for (std::size_t i = 0; i < std::size(parts); ++i) {
            if (i) value += ';';
            append_value(value, *parts[i], v_, value_form::component);
        }
        put(out_, l.text());
        if (!group.empty()) label(group, a.kind);
    }

    void birthday(const partial_date& d) {
        char buf[32];
        const unsigned m = unsigned(d.month), day = unsigned(d.day);
        line l({}, "BDAY");
        if (v_ == version::v4_0) {
            if (d.year)
                std::snprintf(buf, sizeof buf, "%04d%02u%02u", int(*d.year), m, day);
            else
                std::snprintf(buf, sizeof buf, "--%02u%02u", m, day);
        } else if (d.year) {
            std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(*d.year), m, day);
        } else {
            l.param("X-APPLE-OMIT-YEAR", "1604");
            std::snprintf(buf, sizeof buf, "1604-%02u-%02u", m, day);
        }
        l.value() += buf;
        put(out_, l.text());
    }

    std::ostream& out_;
    const contact& c_;
    version v_;
    std::vector<std::string> used_groups_;  // lower-cased
    unsigned group_number_ = 0;
};

}  // namespace

void write(std::ostream& out, const contact& c, version v) {
    card_writer(out, c, v).run();
}

std::string to_string(const contact& c, version v) {
    std::ostringstream out;
    write(out, c, v);
    return out.str();
}

}  // namespace crm::vcard
