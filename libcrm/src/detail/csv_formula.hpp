// The one rule for cells a spreadsheet would evaluate (OWASP "CSV Injection"), shared by the CSV
// writer, which marks such a cell with a leading "'", and the CSV reader, which takes the mark off
// again: one predicate, so that what netcrm writes it reads back unchanged.
#pragma once

#include <algorithm>
#include <string_view>

namespace crm::detail::csv {

// "+33 6 12 34 56 78", "+1 (555) 010-0000": '+' then only digits, spaces, ( ) - . with a digit among
// them. A spreadsheet may take it for a sum, but such a cell can name no function and reach nothing,
// and a quote in front would cost Google Contacts and pandas the number as written.
constexpr bool is_phone_number_text(std::string_view s) noexcept {
    if (s.empty() || s.front() != '+') return false;
    bool digit = false;
    for (char c : s.substr(1)) {
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.')
            return false;
    }
    return digit;
}

constexpr std::string_view after_quotes(std::string_view text) noexcept {
    text.remove_prefix(std::min(text.find_first_not_of('\''), text.size()));
    return text;
}

constexpr std::string_view after_blanks(std::string_view text) noexcept {
    text.remove_prefix(std::min(text.find_first_not_of(' '), text.size()));
    return text;
}

// Whether a spreadsheet would evaluate `text`: it starts with '=', '+', '-' or '@' (after blanks
// too: spreadsheets skip them), or with a tab, CR or LF (how formulas hide from a first look);
// phone numbers as above excepted.
constexpr bool is_evaluated(std::string_view text) noexcept {
    if (text.empty()) return false;
    // LF too: CSV readers (netcrm's among them) turn a CR inside a quoted cell into LF, so a CR-led
    // cell reaches them LF-led and must still lose its mark.
    if (text.front() == '\t' || text.front() == '\r' || text.front() == '\n') return true;
    const std::string_view t = after_blanks(text);
    if (t.empty()) return false;
    switch (t.front()) {
        case '=':
        case '@':
        case '-':
        case '\t':
        case '\r':
        case '\n':
            return true;
        case '+':
            return !is_phone_number_text(t);
        default:
            return false;
    }
}

// Whether the writer puts a "'" before `text`: when a spreadsheet would evaluate it, judged past the
// quotes that start it (they are the text's own: "'=x" becomes "''=x"); and for a phone number
// written after quotes ("'+33 6 ..."), because the reader takes a quote off before a phone number:
// netcrm before schema 7, and other writers, marked those too.
constexpr bool needs_formula_mark(std::string_view text) noexcept {
    const std::string_view t = after_quotes(text);
    return is_evaluated(t) || (t.size() < text.size() && is_phone_number_text(after_blanks(t)));
}

// What the CSV reader does with a cell: the writer's mark taken off ("'=x" -> "=x", "'+33 6" ->
// "+33 6"), exactly undoing needs_formula_mark ("''=x" -> "'=x"; "'plain" stays).
constexpr std::string_view without_formula_mark(std::string_view cell) noexcept {
    if (cell.empty() || cell.front() != '\'') return cell;
    const std::string_view t = after_quotes(cell.substr(1));
    if (is_evaluated(t) || is_phone_number_text(after_blanks(t))) cell.remove_prefix(1);
    return cell;
}

}  // namespace crm::detail::csv
