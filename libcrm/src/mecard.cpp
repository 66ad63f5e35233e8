#include "crm/mecard.hpp"

#include "crm/error.hpp"
#include "crm/partial_date.hpp"
#include "detail/ascii.hpp"
#include "detail/charset.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The whole text is decoded to UTF-8 first (MECARD payloads are a few hundred bytes), then split into
// cards and fields. Escapes are resolved on decoded text: Shift_JIS, which Japanese phones write, has
// the backslash (0x5C) as a trail byte.

namespace crm::mecard {
namespace {

using detail::ascii::is_space;
using detail::ascii::istarts_with;
using detail::ascii::to_upper;
using detail::ascii::trim;

constexpr std::string_view tag = "MECARD:";

// A backslash stands for the character after it: the \; \: \, \\ of the format, and the \" and other
// escapes that Apple's and Google's writers add; a backslash at the very end is kept. A line break
// inside a value (a NOTE typed on several lines) becomes "\n", whichever way it was written.
std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
            continue;
        }
        if (s[i] == '\\' && i + 1 < s.size()) {
            const char next = s[i + 1];
            if (next != '\r' && next != '\n') {
                out.push_back(next);
                ++i;
                continue;
            }
            continue;  // an escaped line break is a line break
        }
        out.push_back(s[i]);
    }
    return out;
}

// The parts of a structured value (N, ADR) between unescaped commas, unescaped and trimmed.
std::vector<std::string> split_commas(std::string_view s) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
            continue;
        }
        if (s[i] == ',') {
            parts.push_back(std::string(trim(unescape(s.substr(start, i - start)))));
            start = i + 1;
        }
    }
    parts.push_back(std::string(trim(unescape(s.substr(std::min(start, s.size()))))));
    return parts;
}

struct position {
    int line = 1;
    int column = 1;
};

// Offsets to 1-based line and byte column, for offsets that only grow. CR LF, LF and CR end a line.
class locator {
public:
    explicit locator(std::string_view text) : text_(text) {}
    position at(std::size_t offset) {
        if (offset < at_) *this = locator(text_);
        for (; at_ < offset && at_ < text_.size(); ++at_) {
            const char c = text_[at_];
            const bool lone_cr = c == '\r' && (at_ + 1 == text_.size() || text_[at_ + 1] != '\n');
            if (c == '\n' || lone_cr) {
                ++line_;
                line_start_ = at_ + 1;
            }
        }
        return {line_, static_cast<int>(offset - line_start_) + 1};
    }

private:
    std::string_view text_;
    std::size_t at_ = 0;
    int line_ = 1;
    std::size_t line_start_ = 0;
};

struct raw_field {
    std::string name;        // upper-cased
    std::string_view value;  // trimmed, escapes as written
    position at;
};

class parser {
public:
    parser(std::string_view text, const std::string& source, const card_sink& sink)
        : text_(text), where_(text), source_(source), sink_(sink) {}

    read_summary run() {
        std::size_t i = 0;
        const std::size_t n = text_.size();
        for (;;) {
            while (i < n && is_space(text_[i])) ++i;
            if (i >= n) break;
            if (starts_card(i)) {
                i = read_card(i);
                continue;
            }
            const std::size_t next = find_card(i);
            problem(where_.at(i), "text that is not part of a MECARD was ignored: '" + excerpt(i) + "'");
            i = next;
        }
        return std::move(summary_);
    }

private:
    bool starts_card(std::size_t i) const noexcept { return istarts_with(text_.substr(i), tag); }

    std::size_t find_card(std::size_t i) const noexcept {
        for (; i < text_.size(); ++i)
            if (to_upper(text_[i]) == 'M' && starts_card(i)) return i;
        return text_.size();
    }

    std::string excerpt(std::size_t i) const {
        std::string_view s = text_.substr(i, 40);
        s = s.substr(0, s.find_first_of("\r\n"));
        return std::string(s) + (s.size() == 40 ? "..." : "");
    }

    // Where a value ends: at an unescaped ';', at the end of the text, or at a line break after which
    // the next MECARD starts (a card without its closing ";;", pasted one per line).
    std::size_t value_end(std::size_t i) const noexcept {
        const std::size_t n = text_.size();
        while (i < n) {
            const char c = text_[i];
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == ';') return i;
            if (c == '\r' || c == '\n') {
                std::size_t k = i;
                while (k < n && is_space(text_[k])) ++k;
                if (k < n && starts_card(k)) return i;
            }
            ++i;
        }
        return n;
    }

    std::size_t read_card(std::size_t start) {
        const position card_at = where_.at(start);
        fields_.clear();
        const std::size_t n = text_.size();
        std::size_t i = start + tag.size();
        for (;;) {
            while (i < n && is_space(text_[i])) ++i;
            if (i >= n) break;      // no ";;": tolerated
            if (text_[i] == ';') {  // the second ';' of ";;" (more of them say nothing: "MECARD:;;")
                while (i < n && text_[i] == ';') ++i;
                break;
            }
            if (starts_card(i)) break;  // the next card; this one had no ";;"
            const std::size_t field_start = i;
            std::size_t j = i;
            while (j < n && text_[j] != ':' && text_[j] != ';' && text_[j] != '\r' && text_[j] != '\n') ++j;
            if (j >= n || text_[j] != ':') {  // up to the ';' or the end of the line
                const std::string_view what =
                    trim(text_.substr(field_start, std::min<std::size_t>(j - field_start, 40)));
                problem(where_.at(field_start),
                        "the field '" + std::string(what) + "' has no ':' between name and value; it was skipped");
                i = j < n && text_[j] == ';' ? j + 1 : j;
                continue;
            }
            raw_field f;
            for (char c : trim(text_.substr(i, j - i))) f.name.push_back(to_upper(c));
            const std::size_t end = value_end(j + 1);
            f.value = trim(text_.substr(j + 1, end - j - 1));
            f.at = where_.at(field_start);
            fields_.push_back(std::move(f));
            i = end < n && text_[end] == ';' ? end + 1 : end;
        }
        if (fields_.empty())
            problem(card_at, "a MECARD without fields was skipped");
        else
            emit(card_at);
        return i;
    }

    void emit(position card_at) {
        card c;
        c.format = "mecard";
        c.source = source_;
        c.line = card_at.line;
        contact& person = c.person;
        bool have_name = false;
        for (const raw_field& f : fields_) {
            const bool structured = f.name == "N" || f.name == "ADR";
            card_property property{{}, f.name, {}, structured ? std::string(f.value) : unescape(f.value)};
            const std::string& text = property.value;
            auto add = [&](std::vector<labeled_value>& to, std::string kind) {
                if (!text.empty()) to.push_back(labeled_value{text, std::move(kind)});
            };
            if (f.name == "N") {
                if (!have_name) {
                    have_name = true;
                    std::vector<std::string> parts = split_commas(f.value);
                    if (parts.size() == 1) {
                        person.display_name = std::move(parts[0]);
                    } else {
                        person.name.family = std::move(parts[0]);
                        person.name.given = std::move(parts[1]);
                        for (std::size_t k = 2; k < parts.size(); ++k) {
                            if (parts[k].empty()) continue;
                            if (!person.name.additional.empty()) person.name.additional += ' ';
                            person.name.additional += parts[k];
                        }
                    }
                }
            } else if (f.name == "TEL") {
                add(person.phones, {});
            } else if (f.name == "TEL-AV") {
                add(person.phones, "video");
            } else if (f.name == "EMAIL") {
                add(person.emails, {});
            } else if (f.name == "URL") {
                add(person.urls, {});
            } else if (f.name == "NOTE") {
                if (!text.empty()) person.notes.push_back(note{note::unstamped, text});
            } else if (f.name == "ORG") {
                if (person.organization.empty()) person.organization = text;
            } else if (f.name == "BDAY") {
                try {
                    const partial_date d = partial_date::parse(text);
                    if (!person.birthday) person.birthday = d;
                } catch (const invalid_input&) {
                    problem(f.at, "BDAY '" + text +
                                      "' is not a date (YYYYMMDD); it is kept only among the card's properties");
                }
            } else if (f.name == "ADR") {
                std::vector<std::string> parts = split_commas(f.value);
                postal_address a;
                if (parts.size() == 7) {
                    std::string* slots[] = {&a.po_box, &a.extended,    &a.street, &a.locality,
                                            &a.region, &a.postal_code, &a.country};
                    for (std::size_t k = 0; k < 7; ++k) *slots[k] = std::move(parts[k]);
                } else {
                    a.street = std::string(trim(unescape(f.value)));
                }
                if (!a.empty()) person.addresses.push_back(std::move(a));
            } else {  // SOUND (the reading of the name), NICKNAME and fields netcrm has no place for
                person.extra.push_back(property);
            }
            c.properties.push_back(std::move(property));
        }
        ++summary_.cards;
        sink_(std::move(c));
    }

    void problem(position at, std::string reason) {
        summary_.problems.push_back(read_problem{source_, at.line, at.column, std::move(reason)});
    }

    std::string_view text_;
    locator where_;
    const std::string& source_;
    const card_sink& sink_;
    read_summary summary_;
    std::vector<raw_field> fields_;
};

}  // namespace

read_summary read(std::string_view text, const std::string& source, const card_sink& sink) {
    std::string decoded;
    const auto sniffed = detail::sniff_encoding(text);
    text.remove_prefix(sniffed.bom_size);
    if (sniffed.encoding != detail::byte_encoding::utf8) {
        detail::utf16_decoder decoder(sniffed.encoding == detail::byte_encoding::utf16be);
        decoder.decode(text, decoded);
        decoder.finish(decoded);
        text = decoded;
    } else if (!detail::is_utf8(text)) {
        detail::charset_converter converter;
        std::string out;
        if (!converter.to_utf8(detail::icu_name(detail::guess_legacy_charset(text)), text, out))
            converter.to_utf8("windows-1252", text, out);
        decoded = std::move(out);
        text = decoded;
    }
    parser p(text, source, sink);
    return p.run();
}

bool looks_like_mecard(std::string_view head) {
    const auto sniffed = detail::sniff_encoding(head);
    head.remove_prefix(sniffed.bom_size);
    std::string decoded;
    if (sniffed.encoding != detail::byte_encoding::utf8) {
        detail::utf16_decoder decoder(sniffed.encoding == detail::byte_encoding::utf16be);
        decoder.decode(head.substr(0, 4096), decoded);
        head = decoded;
    }
    while (!head.empty() && is_space(head.front())) head.remove_prefix(1);
    return istarts_with(head, tag);
}

}  // namespace crm::mecard
