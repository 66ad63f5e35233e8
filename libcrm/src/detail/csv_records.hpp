// RFC 4180 records from a byte stream, for the CSV reader: cells with quotes resolved, where each cell
// starts (physical line and byte column), and broken records reported and stepped over. Works on the
// undecoded bytes (UTF-16 aside, which is turned into UTF-8 first): the delimiter, quote and line
// breaks are ASCII, which no 8-bit charset or Shift_JIS trail byte can be.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail/charset.hpp"

namespace crm::detail::csv {

struct cell_span {
    std::size_t offset = 0;  // into record::text
    std::size_t size = 0;
    int line = 0;    // where the cell starts: 1-based physical line
    int column = 0;  // and 1-based byte column
};

struct record {
    std::string text;  // every cell's bytes back to back; line breaks inside quotes become "\n"
    std::vector<cell_span> cells;
    int line = 0;  // physical line where the record starts

    std::string_view cell(std::size_t i) const { return {text.data() + cells[i].offset, cells[i].size}; }
    void clear() {
        text.clear();
        cells.clear();
        line = 0;
    }
};

struct record_problem {
    int line = 0;
    int column = 0;
    std::string reason;
};

class record_reader {
public:
    // Reads `in` when given, else the caller's `bytes` (viewed in place unless they are UTF-16).
    record_reader(std::istream* in, std::string_view bytes, std::size_t max_record_size);

    void set_delimiter(char d) noexcept { delimiter_ = d; }
    char delimiter() const noexcept { return delimiter_; }

    // The physical line ahead (up to 64 KiB of it), without its line break, for delimiter detection.
    std::string_view peek_line();

    // The next record, or false at the end of the input. A broken record is added to `problems` and
    // skipped: reading resumes at the physical line after the one where it started. With 256
    // problems or more in `problems`, a record with no cells: take them, and read on.
    bool next(record& r, std::vector<record_problem>& problems);

    bool input_failed() const noexcept { return in_ && in_->bad(); }

private:
    enum class outcome { ok, broken };
    outcome parse(record& r, record_problem& problem);
    bool fill();                // appends more input; false at the end
    bool need(std::size_t n);   // at least n bytes from pos_, filling as needed
    void consume_line_break();  // at '\r' or '\n'
    void skip_rest_of_line();
    int column() const noexcept { return static_cast<int>(base_ + pos_ - line_start_) + 1; }

    std::istream* in_;
    std::string_view memory_;  // the caller's bytes not yet handed to the buffer
    std::optional<utf16_decoder> utf16_;
    std::string raw_;
    std::string buf_;
    std::string_view data_;  // buf_, or the caller's bytes when they are used in place
    bool eof_ = false;
    std::size_t pos_ = 0;
    std::size_t anchor_ = 0;         // bytes before this may be dropped from the buffer
    std::uint64_t base_ = 0;         // absolute offset of data_[0]
    std::uint64_t line_start_ = 0;   // absolute offset where the current physical line starts
    std::uint64_t second_line_ = 0;  // absolute offset of the record's second physical line, if it has one
    int line_ = 1;
    char delimiter_ = ',';
    std::size_t max_record_size_;
};

// The delimiter a header line uses: ';' or tab when it has more of them than commas outside quotes.
char detect_delimiter(std::string_view line) noexcept;

}  // namespace crm::detail::csv
