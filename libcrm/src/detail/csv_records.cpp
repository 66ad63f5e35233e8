#include "detail/csv_records.hpp"

#include <limits>
#include <string>

namespace crm::detail::csv {
namespace {

constexpr std::size_t chunk_size = std::size_t{64} << 10;
constexpr std::uint64_t no_offset = std::numeric_limits<std::uint64_t>::max();

}  // namespace

record_reader::record_reader(std::istream* in, std::string_view bytes, std::size_t max_record_size)
    : in_(in), memory_(bytes), max_record_size_(max_record_size) {
    std::string_view head = memory_;
    if (in_) {
        raw_.resize(chunk_size);
        in_->read(raw_.data(), static_cast<std::streamsize>(chunk_size));
        raw_.resize(static_cast<std::size_t>(in_->gcount()));
        head = raw_;
    }
    const sniffed_encoding sniffed = sniff_encoding(head);
    head.remove_prefix(sniffed.bom_size);
    if (sniffed.encoding != byte_encoding::utf8) utf16_.emplace(sniffed.encoding == byte_encoding::utf16be);
    if (!in_) {
        memory_ = head;
        if (!utf16_) {  // 8-bit input in memory is parsed where it lies
            data_ = memory_;
            memory_ = {};
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

bool record_reader::fill() {
    if (eof_) return false;
    if (anchor_ > 0) {  // what lies before the record being read is not needed again
        buf_.erase(0, anchor_);
        base_ += anchor_;
        pos_ -= anchor_;
        anchor_ = 0;
    }
    const std::size_t before = buf_.size();
    while (buf_.size() == before) {
        std::string_view piece;
        if (in_) {
            raw_.resize(chunk_size);
            in_->read(raw_.data(), static_cast<std::streamsize>(chunk_size));
            raw_.resize(static_cast<std::size_t>(in_->gcount()));
            piece = raw_;
        } else {
            piece = memory_.substr(0, chunk_size);
            memory_.remove_prefix(piece.size());
        }
        if (piece.empty()) {
            if (utf16_) utf16_->finish(buf_);
            eof_ = true;
            break;
        }
        if (utf16_)
            utf16_->decode(piece, buf_);  // one odd byte may yield nothing yet
        else
            buf_.append(piece);
    }
    data_ = buf_;
    return buf_.size() > before;
}

bool record_reader::need(std::size_t n) {
    while (data_.size() - pos_ < n)
        if (!fill()) return false;
    return true;
}

void record_reader::consume_line_break() {
    if (data_[pos_] == '\r') {
        ++pos_;
        if (need(1) && data_[pos_] == '\n') ++pos_;
    } else {
        ++pos_;
    }
    ++line_;
    line_start_ = base_ + pos_;
}

void record_reader::skip_rest_of_line() {
    for (;;) {
        anchor_ = pos_;
        std::size_t i = pos_;
        while (i < data_.size() && data_[i] != '\r' && data_[i] != '\n') ++i;
        pos_ = i;
        if (i < data_.size()) {
            consume_line_break();
            return;
        }
        if (!fill()) return;
    }
}

std::string_view record_reader::peek_line() {
    anchor_ = pos_;
    std::size_t scan = pos_;
    for (;;) {
        const std::size_t i = data_.find_first_of("\r\n", scan);
        if (i != std::string_view::npos) return data_.substr(pos_, i - pos_);
        if (data_.size() - pos_ >= chunk_size) return data_.substr(pos_, chunk_size);
        const std::size_t offset = data_.size() - pos_;
        if (!fill()) return data_.substr(pos_);
        scan = pos_ + offset;
    }
}

bool record_reader::next(record& r, std::vector<record_problem>& problems) {
    for (;;) {
        r.clear();
        // A run of broken rows is handed over a few hundred problems at a time, between them a record
        // with no cells (a blank row to the caller): a file of nothing but broken rows would otherwise
        // pile up all its problems here before the caller could count them and let them go.
        if (problems.size() >= 256) return true;
        anchor_ = pos_;
        if (!need(1)) return false;
        r.line = line_;
        record_problem problem;
        second_line_ = no_offset;
        if (parse(r, problem) == outcome::ok) return true;
        problems.push_back(std::move(problem));
        // Resume on the line after the one where the broken record started: a stray quote swallows
        // the rows after it, and those rows are most likely fine.
        if (second_line_ != no_offset) {
            pos_ = static_cast<std::size_t>(second_line_ - base_);
            line_ = r.line + 1;
            line_start_ = second_line_;
        } else {
            skip_rest_of_line();
        }
    }
}

record_reader::outcome record_reader::parse(record& r, record_problem& problem) {
    enum class state { field_start, unquoted, quoted, after_quote };
    state s = state::field_start;
    int quote_line = 0, quote_column = 0;
    bool crossed_line = false;  // the current quoted cell holds a line break
    auto end_cell = [&] { r.cells.back().size = r.text.size() - r.cells.back().offset; };
    auto too_long = [&] {
        if (r.text.size() <= max_record_size_) return false;
        problem = {r.line, 1,
                   "the row is longer than " + std::to_string(max_record_size_ >> 20) + " MiB; it was skipped"};
        return true;
    };
    for (;;) {
        if (too_long()) return outcome::broken;
        if (pos_ >= data_.size() && !fill()) {
            if (s == state::quoted) {
                problem = {quote_line, quote_column,
                           "the quoted field opened here is never closed; the row was skipped and reading "
                           "resumed on the next line"};
                return outcome::broken;
            }
            if (s == state::field_start) r.cells.push_back({r.text.size(), 0, line_, column()});  // "a,<EOF>"
            end_cell();
            return outcome::ok;
        }
        const std::string_view d = data_;
        switch (s) {
            case state::field_start:
                r.cells.push_back({r.text.size(), 0, line_, column()});
                crossed_line = false;
                if (d[pos_] == '"') {
                    quote_line = line_;
                    quote_column = column();
                    ++pos_;
                    s = state::quoted;
                } else {
                    s = state::unquoted;
                }
                break;
            case state::after_quote:
                // `"Doe" Jr.` on one line is read as `Doe Jr.`, as spreadsheets do. After a quoted cell
                // that spans lines, text before the delimiter means the opening quote was a stray one.
                if (crossed_line) {
                    const char c = d[pos_];
                    if (c == ' ' || (c == '\t' && delimiter_ != '\t')) {
                        ++pos_;
                        break;
                    }
                    if (c != delimiter_ && c != '\r' && c != '\n') {
                        problem = {quote_line, quote_column,
                                   "the quoted field opened here ends on line " + std::to_string(line_) +
                                       " with a quote followed by other text; the row was skipped and "
                                       "reading resumed on the next line"};
                        return outcome::broken;
                    }
                }
                [[fallthrough]];
            case state::unquoted: {
                std::size_t i = pos_;
                while (i < d.size() && d[i] != delimiter_ && d[i] != '\r' && d[i] != '\n') ++i;
                r.text.append(d.data() + pos_, i - pos_);
                pos_ = i;
                if (too_long()) return outcome::broken;
                if (i == d.size()) {
                    s = state::unquoted;
                    break;
                }
                end_cell();
                if (d[i] == delimiter_) {
                    ++pos_;
                    s = state::field_start;
                    break;
                }
                consume_line_break();
                return outcome::ok;
            }
            case state::quoted: {
                std::size_t i = pos_;
                while (i < d.size() && d[i] != '"' && d[i] != '\r' && d[i] != '\n') ++i;
                r.text.append(d.data() + pos_, i - pos_);
                pos_ = i;
                if (i == d.size()) break;
                if (d[i] == '"') {
                    if (need(2) && data_[pos_ + 1] == '"') {
                        r.text.push_back('"');
                        pos_ += 2;
                    } else {
                        ++pos_;
                        s = state::after_quote;
                    }
                } else {
                    consume_line_break();
                    r.text.push_back('\n');
                    crossed_line = true;
                    if (second_line_ == no_offset) second_line_ = line_start_;
                }
                break;
            }
        }
    }
}

char detect_delimiter(std::string_view line) noexcept {
    std::size_t comma = 0, semicolon = 0, tab = 0;
    bool quoted = false;
    for (char c : line) {
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == ',')
            ++comma;
        else if (c == ';')
            ++semicolon;
        else if (c == '\t')
            ++tab;
    }
    if (semicolon > comma && semicolon >= tab) return ';';
    if (tab > comma && tab > semicolon) return '\t';
    return ',';
}

}  // namespace crm::detail::csv
