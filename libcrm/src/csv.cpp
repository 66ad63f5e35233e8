#include "crm/csv.hpp"

#include "crm/error.hpp"
#include "detail/charset.hpp"
#include "detail/csv_dialects.hpp"
#include "detail/csv_formula.hpp"
#include "detail/csv_records.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// How the reader works, in three layers:
//   record_reader  bytes -> RFC 4180 records, undecoded (detail/csv_records): quotes, line breaks,
//                  broken records stepped over. UTF-16 is turned into UTF-8 before it.
//   reader         finds the header (past Excel's "sep=" line and LinkedIn's preamble), picks the
//                  delimiter from the header line, decodes cells, and plans what each column means
//                  (detail/csv_dialects, or the caller's mapping).
//   map_row        one record -> one card, handed to the sink and forgotten. Buffers are reused, so
//                  memory follows the longest row, not the file.

namespace crm::csv {
namespace {

using detail::csv::field;
using detail::csv::iequals;

// ------------------------------------------------------------------------------------ mapping

struct wanted_column {
    std::string header;  // as the caller wrote it
    std::string folded;  // trimmed, ASCII lower-cased
    field target = field::extra;
    std::string kind;
    bool found = false;
};

std::string fold(std::string_view s) {
    s = detail::ascii::trim(s);
    std::string out(s);
    for (char& c : out) c = detail::ascii::to_lower(c);
    return out;
}

std::optional<field> target_field(std::string_view name) {
    static constexpr std::pair<std::string_view, field> names[] = {{"display_name", field::display_name},
                                                                   {"given", field::given},
                                                                   {"family", field::family},
                                                                   {"additional", field::additional},
                                                                   {"prefix", field::prefix},
                                                                   {"suffix", field::suffix},
                                                                   {"organization", field::organization},
                                                                   {"title", field::title},
                                                                   {"email", field::email},
                                                                   {"phone", field::phone},
                                                                   {"url", field::url},
                                                                   {"tags", field::tags},
                                                                   {"note", field::note},
                                                                   {"birthday", field::birthday},
                                                                   {"how_met", field::how_met},
                                                                   {"po_box", field::po_box},
                                                                   {"extended", field::extended},
                                                                   {"street", field::street},
                                                                   {"locality", field::locality},
                                                                   {"region", field::region},
                                                                   {"postal_code", field::postal_code},
                                                                   {"country", field::country},
                                                                   {"ignore", field::ignore},
                                                                   {"formatted_address", field::formatted_address}};
    static_assert(std::size(names) == targets.size());
    for (const auto& [n, f] : names)
        if (iequals(name, n)) return f;
    return std::nullopt;
}

std::vector<wanted_column> compile(const column_mapping& mapping) {
    std::vector<wanted_column> out;
    for (const auto& [header, target] : mapping.columns) {
        wanted_column w;
        w.header = header;
        w.folded = fold(header);
        const std::string_view t = detail::ascii::trim(target);
        const std::size_t colon = t.find(':');
        const auto f = target_field(detail::ascii::trim(t.substr(0, colon)));
        if (!f) {
            std::string known;
            for (std::string_view name : targets) known += (known.empty() ? "" : ", ") + std::string(name);
            throw invalid_input("column mapping: '" + target + "' (for column '" + header +
                                "') is not a target; expected one of " + known);
        }
        w.target = *f;
        if (colon != std::string_view::npos) {
            if (!detail::csv::takes_kind(*f))
                throw invalid_input("column mapping: '" + target +
                                    "' has a label, which only email, phone, url and address parts take");
            w.kind = std::string(detail::ascii::trim(t.substr(colon + 1)));
        }
        for (const wanted_column& other : out)
            if (other.folded == w.folded)
                throw invalid_input("column mapping: '" + other.header + "' and '" + header + "' name the same column");
        out.push_back(std::move(w));
    }
    return out;
}

detail::csv::plan plan_from_mapping(const std::vector<std::string>& headers, std::vector<wanted_column>& wanted) {
    detail::csv::plan p;
    p.format = "csv";
    std::vector<std::string> address_keys;
    for (const std::string& h : headers) {
        detail::csv::column_plan c;
        const std::string folded = fold(h);
        for (wanted_column& w : wanted) {
            if (w.folded != folded) continue;
            w.found = true;
            c.target = w.target;
            if (detail::csv::is_address_part(w.target))
                c.address = detail::csv::address_slot_for(p, address_keys, w.kind, w.kind);
            else
                c.kind = w.kind;
            break;
        }
        p.columns.push_back(std::move(c));
    }
    return p;
}

// ------------------------------------------------------------------------------------ cells

// Cells to UTF-8. A cell that is valid UTF-8 is taken as it is; one that is not is decoded with the
// charset guessed from the first row that had such cells, and that guess holds for the whole file
// (exports are written in one charset; one row says more than one cell).
// A NUL byte stays: the importer refuses the row naming the field and the row's line, as it refuses
// a vCard holding one (the reader only decodes; what may be stored is decided in one place).
class cell_decoder {
public:
    void decode(const detail::csv::record& r, std::vector<std::string>& out) {
        const std::size_t n = r.cells.size();
        out.resize(n);
        marked_.assign(n, false);
        valid_.assign(n, true);
        bool any_invalid = false;
        for (std::size_t i = 0; i < n; ++i) {
            valid_[i] = detail::is_utf8(r.cell(i));
            any_invalid = any_invalid || !valid_[i];
        }
        if (any_invalid && charset_.empty()) {
            std::string sample;
            for (std::size_t i = 0; i < n; ++i)
                if (!valid_[i]) (sample += r.cell(i)) += '\n';
            charset_ = detail::icu_name(detail::guess_legacy_charset(sample));
        }
        for (std::size_t i = 0; i < n; ++i) {
            std::string& s = out[i];
            s.clear();
            if (valid_[i])
                s.assign(r.cell(i));
            else if (!converter_.to_utf8(charset_, r.cell(i), s))
                converter_.to_utf8("windows-1252", r.cell(i), s);
            // The mark that writers (netcrm's among them) put before a cell a spreadsheet would take for a
            // formula (OWASP "CSV Injection"): part of the encoding, like the quotes around a field. The
            // writer's own rule (detail/csv_formula.hpp) says when a quote is that mark.
            if (detail::csv::without_formula_mark(s).size() != s.size()) {
                s.erase(0, 1);
                marked_[i] = true;
            }
        }
    }

    // Whether cell `i` of the last record carried the mark: its text is exactly what was written, blanks,
    // tab or CR at its start included, so it is not trimmed like other cells.
    bool marked(std::size_t i) const noexcept { return i < marked_.size() && marked_[i]; }

private:
    detail::charset_converter converter_;
    std::string charset_;
    std::vector<bool> valid_;
    std::vector<bool> marked_;
};

// ------------------------------------------------------------------------------------ rows

void join(std::string& to, std::string_view value, char separator) {
    if (!to.empty()) to.push_back(separator);
    to.append(value);
}

// Calls f(piece) for each trimmed, non-empty piece between the separators: ',' ';' and ":::" for tags,
// ":::" alone for Google's multi-valued cells.
template <class F>
void split_values(std::string_view s, bool commas, F&& f) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size();) {
        std::size_t width = 0;
        if (i == s.size())
            width = 1;
        else if (commas && (s[i] == ',' || s[i] == ';'))
            width = 1;
        else if (s.compare(i, 3, ":::") == 0)
            width = 3;
        if (width == 0) {
            ++i;
            continue;
        }
        const std::string_view piece = detail::ascii::trim(s.substr(start, i - start));
        if (!piece.empty()) f(piece);
        i += width;
        start = i;
    }
}

int small_number(std::string_view s) {
    s = detail::ascii::trim(s);
    if (s.empty() || s.size() > 4) return -1;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

class reader {
public:
    reader(const std::string& source, const card_sink& sink, const column_mapping* mapping)
        : source_(source), sink_(sink) {
        if (mapping) wanted_ = compile(*mapping);  // throws before anything is read
        has_mapping_ = mapping != nullptr;
    }

    read_summary run(detail::csv::record_reader& records) {
        if (!find_header(records)) return finish(records);
        while (records.next(record_, lexer_problems_)) {
            take_lexer_problems();
            if (blank(record_)) continue;
            if (too_many_cells()) continue;
            decoder_.decode(record_, cells_);
            card c;
            c.format = plan_.format;
            c.source = source_;
            c.line = record_.line;
            map_row(c);
            ++summary_.cards;
            sink_(std::move(c));
        }
        take_lexer_problems();
        return finish(records);
    }

private:
    read_summary finish(detail::csv::record_reader& records) {
        take_lexer_problems();
        // Half a file is not an import: the caller's batch rolls back rather than keep what came first.
        if (records.input_failed())
            throw file_error(source_ + ": the input could not be read to the end (a read error); nothing was imported",
                             source_, 10 /* SQLITE_IOERR */);
        return std::move(summary_);
    }

    static bool blank(const detail::csv::record& r) {
        for (std::size_t i = 0; i < r.cells.size(); ++i)
            if (!detail::ascii::trim(r.cell(i)).empty()) return false;
        return true;
    }

    static std::size_t filled_cells(const detail::csv::record& r) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < r.cells.size(); ++i) n += detail::ascii::trim(r.cell(i)).empty() ? 0 : 1;
        return n;
    }

    // Excel's "sep=;" first line, LinkedIn's "Notes:" paragraph and blank lines come before the header.
    // The delimiter is chosen anew for each line until the header is found.
    bool find_header(detail::csv::record_reader& records) {
        bool first_line = true, first_record = true, preamble = false, delimiter_given = false;
        for (;;) {
            const std::string_view line = records.peek_line();
            if (first_line && line.size() == 5 && (line.starts_with("sep=") || line.starts_with("SEP="))) {
                records.set_delimiter(line[4]);
                delimiter_given = true;
                records.next(record_, lexer_problems_);
                first_line = false;
                continue;
            }
            first_line = false;
            if (!delimiter_given) records.set_delimiter(detail::csv::detect_delimiter(line));
            if (!records.next(record_, lexer_problems_)) return false;
            take_lexer_problems();
            if (blank(record_)) continue;
            const std::size_t filled = filled_cells(record_);
            if (first_record && filled == 1 && record_.cells.size() <= 2) {
                const std::string_view only = detail::ascii::trim(record_.cell(0));
                if (only.size() > 1 && only.back() == ':') {
                    preamble = true;
                    first_record = false;
                    continue;
                }
            }
            first_record = false;
            if (preamble && filled <= 1) continue;
            break;
        }
        header_line_ = record_.line;
        decoder_.decode(record_, cells_);
        for (std::size_t i = 0; i < cells_.size(); ++i) {
            std::string name(detail::ascii::trim(cells_[i]));
            if (name.empty()) name = "column " + std::to_string(i + 1);
            headers_.push_back(std::move(name));
        }
        if (has_mapping_) {
            plan_ = plan_from_mapping(headers_, wanted_);
            for (const wanted_column& w : wanted_)
                if (!w.found)
                    problem(header_line_, 1,
                            "the column mapping names '" + w.header + "', which the header row does not have");
        } else {
            plan_ = detail::csv::plan_for_header(headers_);
        }
        return true;
    }

    // A row with more non-empty cells than the header has columns cannot be mapped with confidence
    // (an unquoted "Acme, Inc." shifts every cell after it). Trailing empty cells are harmless.
    bool too_many_cells() {
        for (std::size_t i = headers_.size(); i < record_.cells.size(); ++i) {
            if (detail::ascii::trim(record_.cell(i)).empty()) continue;
            const auto& at = record_.cells[i];
            problem(at.line, at.column,
                    "the row starting on line " + std::to_string(record_.line) + " has " +
                        std::to_string(record_.cells.size()) + " cells but the header has " +
                        std::to_string(headers_.size()) + "; the row was skipped");
            return true;
        }
        return false;
    }

    // The label cell of `column` as the kinds of `n` values that share it. Google gives a block one
    // label; netcrm's writer, when the values it joins into its last slot have different labels, joins
    // the labels the same way ("Work ::: Home"): then, piece for piece, each value gets its own.
    std::vector<std::string> kinds_for(int column, std::size_t n) const {
        const std::string_view cell =
            column < 0 || std::size_t(column) >= cells_.size() ? std::string_view() : cells_[std::size_t(column)];
        const auto pieces = detail::csv::split_pieces(cell);
        std::vector<std::string> out;
        if (n > 1 && pieces.size() == n)
            for (std::string_view piece : pieces) out.push_back(detail::csv::kind_from_label(piece));
        else
            out.assign(n, detail::csv::kind_from_label(cell));
        return out;
    }

    bool is_how_met_label(int column) const {
        return column >= 0 && std::size_t(column) < cells_.size() &&
               iequals(detail::ascii::trim(cells_[std::size_t(column)]), detail::csv::how_met_label);
    }

    void map_row(card& c) {
        contact& person = c.person;
        addresses_.assign(plan_.addresses.size(), {});
        formatted_.assign(plan_.addresses.size(), {});
        int birth[3] = {-1, -1, -1};  // Thunderbird's year, month, day
        int birth_at = -1;
        auto add = [](std::vector<labeled_value>& to, std::string_view value, const std::string& kind) {
            to.push_back(labeled_value{std::string(value), kind});
        };
        for (std::size_t i = 0; i < plan_.columns.size(); ++i) {
            if (i >= cells_.size()) break;  // a short row: the rest is empty
            const std::string& raw = cells_[i];
            const std::string_view value = decoder_.marked(i) ? std::string_view(raw) : detail::ascii::trim(raw);
            if (value.empty()) continue;
            const detail::csv::column_plan& col = plan_.columns[i];
            if (col.outlook_defaults && detail::csv::is_outlook_default(value)) continue;
            c.properties.push_back(card_property{{}, headers_[i], {}, raw});
            const auto& cell = record_.cells[i];
            switch (col.target) {
                case field::extra:
                    person.extra.push_back(c.properties.back());
                    break;
                case field::custom_label:
                    if (!iequals(value, detail::csv::how_met_label)) person.extra.push_back(c.properties.back());
                    break;
                case field::custom:
                    if (is_how_met_label(col.label_column))
                        join(person.how_met, value, ' ');
                    else
                        person.extra.push_back(c.properties.back());
                    break;
                case field::ignore:
                case field::label:
                    break;
                case field::display_name:
                    join(person.display_name, value, ' ');
                    break;
                case field::given:
                    join(person.name.given, value, ' ');
                    break;
                case field::family:
                    join(person.name.family, value, ' ');
                    break;
                case field::additional:
                    join(person.name.additional, value, ' ');
                    break;
                case field::prefix:
                    join(person.name.prefix, value, ' ');
                    break;
                case field::suffix:
                    join(person.name.suffix, value, ' ');
                    break;
                case field::organization:
                    join(person.organization, value, ' ');
                    break;
                case field::title:
                    join(person.title, value, ' ');
                    break;
                case field::how_met:
                    join(person.how_met, value, ' ');
                    break;
                case field::email:
                case field::phone:
                case field::url: {
                    auto& to = col.target == field::email   ? person.emails
                               : col.target == field::phone ? person.phones
                                                            : person.urls;
                    if (col.multi) {
                        values_.clear();
                        split_values(value, false, [&](std::string_view v) { values_.push_back(v); });
                        const auto kinds = col.label_column >= 0 ? kinds_for(col.label_column, values_.size())
                                                                 : std::vector<std::string>(values_.size(), col.kind);
                        for (std::size_t k = 0; k < values_.size(); ++k) add(to, values_[k], kinds[k]);
                    } else {
                        add(to, value, col.label_column >= 0 ? kinds_for(col.label_column, 1).front() : col.kind);
                    }
                    break;
                }
                case field::tags:
                    // Google separates labels with " ::: " alone, so one of its labels may hold a comma.
                    split_values(value, !col.multi, [&](std::string_view tag) {
                        // Google marks its system groups with '*': "* myContacts" (legacy "* My
                        // Contacts") is every contact, so it says nothing.
                        const bool starred = tag.front() == '*';
                        if (starred) tag = detail::ascii::trim(tag.substr(1));
                        if (tag.empty() || (starred && detail::csv::squeeze_header(tag) == "mycontacts") ||
                            iequals(tag, "System Group: My Contacts"))
                            return;
                        person.tags.emplace_back(tag);
                    });
                    break;
                case field::note:
                    person.notes.push_back(note{note::unstamped, std::string(value)});
                    break;
                case field::birthday:
                    if (auto d = detail::csv::parse_birthday(value)) {
                        if (!person.birthday) person.birthday = *d;
                    } else {
                        problem(cell.line, cell.column,
                                "birthday '" + std::string(value) +
                                    "' is not a date; it is kept only among the card's properties");
                    }
                    break;
                case field::connected_on:
                    if (auto d = detail::csv::parse_connected_on(value)) {
                        person.notes.push_back(note{
                            date::sys_days{*d}, "Connected on LinkedIn on " + date::format("%F", date::sys_days{*d})});
                    } else {
                        problem(cell.line, cell.column,
                                "Connected On '" + std::string(value) +
                                    "' is not a date; it is kept only among the card's properties");
                    }
                    break;
                case field::birth_year:
                case field::birth_month:
                case field::birth_day: {
                    const int k = col.target == field::birth_year ? 0 : col.target == field::birth_month ? 1 : 2;
                    birth[k] = small_number(value);
                    if (birth[k] < 0) birth[k] = -2;  // present but not a number
                    if (birth_at < 0) birth_at = int(i);
                    break;
                }
                case field::po_box:
                case field::extended:
                case field::street:
                case field::locality:
                case field::region:
                case field::postal_code:
                case field::country:
                case field::formatted_address: {
                    if (col.address < 0) break;
                    // Google joins the addresses of one block component by component: piece k of
                    // every column is address k.
                    values_.clear();
                    if (col.multi)
                        values_ = detail::csv::split_pieces(value);
                    else
                        values_.push_back(value);
                    auto& slot = addresses_[std::size_t(col.address)];
                    auto& formatted = formatted_[std::size_t(col.address)];
                    for (std::size_t k = 0; k < values_.size(); ++k) {
                        const std::string_view piece = values_[k];
                        if (piece.empty()) continue;
                        if (slot.size() <= k) slot.resize(k + 1);
                        if (formatted.size() <= k) formatted.resize(k + 1);
                        map_address_part(col.target, slot[k], formatted[k], piece);
                    }
                    break;
                }
            }
        }
        for (std::size_t s = 0; s < addresses_.size(); ++s) {
            auto& slot = addresses_[s];
            const auto& address_plan = plan_.addresses[s];
            const auto kinds = address_plan.label_column >= 0
                                   ? kinds_for(address_plan.label_column, slot.size())
                                   : std::vector<std::string>(slot.size(), address_plan.kind);
            for (std::size_t k = 0; k < slot.size(); ++k) {
                postal_address& a = slot[k];
                // The formatted address says the same as the parts; alone, it is the best there is.
                if (a.empty() && k < formatted_[s].size()) a.street = std::move(formatted_[s][k]);
                if (a.empty()) continue;
                a.kind = kinds[k];
                person.addresses.push_back(std::move(a));
            }
        }
        if (birth_at >= 0) thunderbird_birthday(person, birth, birth_at);
    }

    static void map_address_part(field target, postal_address& a, std::string& formatted, std::string_view value) {
        switch (target) {
            case field::po_box:
                join(a.po_box, value, ' ');
                break;
            case field::extended:
                join(a.extended, value, ' ');
                break;
            case field::street:
                join(a.street, value, '\n');
                break;
            case field::locality:
                join(a.locality, value, ' ');
                break;
            case field::region:
                join(a.region, value, ' ');
                break;
            case field::postal_code:
                join(a.postal_code, value, ' ');
                break;
            case field::country:
                join(a.country, value, ' ');
                break;
            default:
                join(formatted, value, '\n');
                break;
        }
    }

    void thunderbird_birthday(contact& person, const int (&birth)[3], int column) {
        const auto& cell = record_.cells[std::size_t(column)];
        const bool numbers = birth[0] != -2 && birth[1] != -2 && birth[2] != -2;
        if (numbers && birth[1] > 0 && birth[2] > 0) {
            partial_date d{date::month{unsigned(birth[1])}, date::day{unsigned(birth[2])}};
            if (birth[0] > 0) d.year = date::year{birth[0]};
            if (d.ok()) {
                if (!person.birthday) person.birthday = d;
                return;
            }
        }
        problem(cell.line, cell.column,
                "Birth Year, Birth Month and Birth Day do not make a date; they are kept only among the "
                "card's properties");
    }

    void problem(int line, int column, std::string reason) {
        summary_.problems.push_back(read_problem{source_, line, column, std::move(reason)});
    }

    void take_lexer_problems() {
        for (auto& p : lexer_problems_) problem(p.line, p.column, std::move(p.reason));
        lexer_problems_.clear();
    }

    const std::string& source_;
    const card_sink& sink_;
    read_summary summary_;
    std::vector<wanted_column> wanted_;
    bool has_mapping_ = false;
    detail::csv::record record_;
    std::vector<detail::csv::record_problem> lexer_problems_;
    cell_decoder decoder_;
    std::vector<std::string> cells_;
    std::vector<std::string> headers_;
    int header_line_ = 0;
    detail::csv::plan plan_;
    std::vector<std::vector<postal_address>> addresses_;  // per address slot, the addresses of its block
    std::vector<std::vector<std::string>> formatted_;
    std::vector<std::string_view> values_;
};

}  // namespace

read_summary read(std::istream& in, const std::string& source, const card_sink& sink, const column_mapping* mapping) {
    reader r(source, sink, mapping);
    detail::csv::record_reader records(&in, {}, max_row_size);
    return r.run(records);
}

read_summary read(std::string_view bytes, const std::string& source, const card_sink& sink,
                  const column_mapping* mapping) {
    reader r(source, sink, mapping);
    detail::csv::record_reader records(nullptr, bytes, max_row_size);
    return r.run(records);
}

bool looks_like_csv(std::string_view head) {
    const auto sniffed = detail::sniff_encoding(head);
    head.remove_prefix(sniffed.bom_size);
    std::string decoded;
    if (sniffed.encoding != detail::byte_encoding::utf8) {
        detail::utf16_decoder decoder(sniffed.encoding == detail::byte_encoding::utf16be);
        decoder.decode(head.substr(0, 8192), decoded);
        head = decoded;
    }
    auto next_line = [&]() -> std::string_view {
        const std::size_t end = head.find_first_of("\r\n");
        const std::string_view line = head.substr(0, end);
        head.remove_prefix(end == std::string_view::npos ? head.size() : end);
        while (!head.empty() && (head.front() == '\r' || head.front() == '\n')) head.remove_prefix(1);
        return line;
    };
    std::string_view line = next_line();
    while (detail::ascii::trim(line).empty() && !head.empty()) line = next_line();
    if (line.size() == 5 && (line.starts_with("sep=") || line.starts_with("SEP="))) return true;
    const std::string_view first = detail::ascii::trim(line);
    if (first.size() > 1 && first.back() == ':' && first.find_first_of(",;\t") == std::string_view::npos) {
        // LinkedIn's preamble: "Notes:", a quoted paragraph, a blank line, then the header.
        for (;;) {
            if (head.empty()) return false;
            const std::size_t end = head.find('\n');
            if (end == std::string_view::npos) return false;
            const std::string_view l = detail::ascii::trim(head.substr(0, end));
            head.remove_prefix(end + 1);
            if (l.empty()) break;
        }
        line = next_line();
        while (detail::ascii::trim(line).empty() && !head.empty()) line = next_line();
    }
    const std::string_view t = detail::ascii::trim(line);
    if (t.empty() || t.front() == '{' || t.front() == '<') return false;
    if (iequals(t.substr(0, std::min<std::size_t>(t.size(), 7)), "MECARD:") ||
        iequals(t.substr(0, std::min<std::size_t>(t.size(), 6)), "BEGIN:"))
        return false;
    bool quoted = false;
    bool delimited = false;
    for (char c : t) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t') return false;  // binary
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == ',' || c == ';' || c == '\t'))
            delimited = true;
    }
    return delimited;
}

}  // namespace crm::csv
