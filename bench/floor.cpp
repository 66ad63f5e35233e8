// The floor netcrm's import is measured against: what it costs just to read the lines of a .vcf file
// and insert a contact row per card and a row per email and phone, in one transaction with prepared
// statements, into an SQLite file opened as netcrm opens its own (WAL, synchronous=NORMAL).
// No vCard semantics on purpose: cards are split at BEGIN/END, FN/EMAIL/TEL values are taken raw
// (no unfolding, decoding, unescaping, charsets, normalization, matching or indexes).
//
//   bench_floor CARDS.vcf OUT.db      prints one JSON line: cards, emails, phones, seconds, max_rss_kb
#include <sqlite3.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void fail(sqlite3* db, const char* what) {
    std::fprintf(stderr, "bench_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    std::exit(1);
}

void exec(sqlite3* db, const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) fail(db, sql);
    return st;
}

void step(sqlite3* db, sqlite3_stmt* st) {
    if (sqlite3_step(st) != SQLITE_DONE) fail(db, "insert");
    sqlite3_reset(st);
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] & ~0x20) != (b[i] & ~0x20)) return false;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_floor CARDS.vcf OUT.db\n");
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "bench_floor: cannot read %s\n", argv[1]);
        return 1;
    }
    std::vector<char> buffer(1 << 16);
    in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));

    sqlite3* db = nullptr;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) fail(db, "open");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = NORMAL");
    exec(db, "CREATE TABLE contacts (id INTEGER PRIMARY KEY, fn TEXT NOT NULL)");
    exec(db, "CREATE TABLE emails (contact_id INTEGER NOT NULL REFERENCES contacts(id), value TEXT NOT NULL)");
    exec(db, "CREATE TABLE phones (contact_id INTEGER NOT NULL REFERENCES contacts(id), value TEXT NOT NULL)");
    exec(db, "BEGIN");
    sqlite3_stmt* ins_contact = prepare(db, "INSERT INTO contacts(fn) VALUES (?)");
    sqlite3_stmt* ins_email = prepare(db, "INSERT INTO emails(contact_id, value) VALUES (?, ?)");
    sqlite3_stmt* ins_phone = prepare(db, "INSERT INTO phones(contact_id, value) VALUES (?, ?)");

    std::size_t cards = 0, emails_n = 0, phones_n = 0;
    std::string line, fn;
    std::vector<std::string> emails, phones;
    while (std::getline(in, line)) {
        std::string_view l(line);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.empty() || l.front() == ' ' || l.front() == '\t') continue;  // folded continuation: ignored
        if (iequals(l, "BEGIN:VCARD")) {
            fn.clear();
            emails.clear();
            phones.clear();
            continue;
        }
        if (iequals(l, "END:VCARD")) {
            sqlite3_bind_text(ins_contact, 1, fn.data(), static_cast<int>(fn.size()), SQLITE_STATIC);
            step(db, ins_contact);
            const sqlite3_int64 id = sqlite3_last_insert_rowid(db);
            for (const auto& e : emails) {
                sqlite3_bind_int64(ins_email, 1, id);
                sqlite3_bind_text(ins_email, 2, e.data(), static_cast<int>(e.size()), SQLITE_STATIC);
                step(db, ins_email);
            }
            for (const auto& p : phones) {
                sqlite3_bind_int64(ins_phone, 1, id);
                sqlite3_bind_text(ins_phone, 2, p.data(), static_cast<int>(p.size()), SQLITE_STATIC);
                step(db, ins_phone);
            }
            ++cards;
            emails_n += emails.size();
            phones_n += phones.size();
            continue;
        }
        const auto colon = l.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view name = l.substr(0, std::min(colon, l.find(';')));
        if (auto dot = name.find('.'); dot != std::string_view::npos) name.remove_prefix(dot + 1);  // item1.EMAIL
        const std::string_view value = l.substr(colon + 1);
        if (iequals(name, "FN"))
            fn.assign(value);
        else if (iequals(name, "EMAIL"))
            emails.emplace_back(value);
        else if (iequals(name, "TEL"))
            phones.emplace_back(value);
    }
    sqlite3_finalize(ins_contact);
    sqlite3_finalize(ins_email);
    sqlite3_finalize(ins_phone);
    exec(db, "COMMIT");
    if (sqlite3_close(db) != SQLITE_OK) fail(db, "close");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("{\"cards\": %zu, \"emails\": %zu, \"phones\": %zu, \"seconds\": %.6f, \"max_rss_kb\": %ld}\n", cards,
                emails_n, phones_n, seconds, ru.ru_maxrss);
    return 0;
}
