// How fast can any write layout store imported cards? Issue 3 asks netcrm's import for about
// 200,000 cards/s on the 2-core machine; its writing thread does about 16,000. This program takes
// cards already parsed and normalized (generated in memory, deterministic), so it measures writing
// only, and stores them in several layouts, each in a fresh SQLite file opened as netcrm opens its
// own (WAL, synchronous=NORMAL, foreign_keys ON, the bulk import's cache and temp_store), in one
// transaction, with prepared statements of the plain SQLite C API:
//
//   A  today's schema (the tables an import writes, copied from libcrm/src/schema.cpp, schema 6) and
//      today's rows per card, written the way the bulk import does (importer.cpp, contact_store.cpp)
//   A0 the same rows written the row-by-row way (small imports): every index kept up as rows arrive
//   B  one contact row with channels, properties, tags and notes as JSON columns; match keys only
//      for email, E.164 phone and UID (kind as an integer); today's full-text table; import_changes
//   C  B with the full-text index built once at the end (external content over a view of the
//      contacts, filled by one INSERT ... SELECT: FTS5's 'rebuild'), instead of a row per card
//   C2 B with a contentless full-text table, a row per card (no copy of its text stored)
//   D  C with the match keys held in memory and written sorted at the end, and the secondary
//      indexes (contacts, import_changes) created after the load
//   D2 D with the contentless full-text row per card instead of the build at the end
//   D-nofts, D-nofk  D without a full-text index; and without the keys' foreign key too (what
//      each costs)
//   F  D2 + keys without a foreign key + FTS5's 'ascii' tokenizer (the reading thread would fold
//      case and accents); F2 with FTS5's automerge off during the load; G/G2 with the full-text
//      rows written in bursts; F-min with FTS5's cheapest index (no positions, no sizes: below
//      what the issue asks, shown as the floor of any full-text index)
//   E  one contact row per card (B's row, no secondary index), nothing else: a ceiling
//
// Duplicate matching is costed as an in-memory probe per key (what the importer's Bloom filter and
// held keys answer on a fresh store); the cards are all distinct, so nothing merges.
//
//   bench_write_ceiling [--cards N] [--runs R] [--dir DIR] [--only A,B,...] [--no-reading]
//
// prints one line per run and a Markdown table of medians (the runs alternate between layouts, so a
// change in the machine's load hits them all), then the reading side's unavoidable costs per card.
#include "detail/store_impl.hpp"  // crm::detail::migrate: today's schema

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <phonenumbers/phonenumberutil.h>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Cards, as the reading thread hands them over: values decoded, phones also in E.164, match keys.

struct labeled {
    std::string value, kind;
};
struct property {
    std::string group, name, type, value;  // type: the TYPE parameter's one value, or empty
};
struct note {
    std::int64_t at;
    std::string text;
};
struct key {
    const char* kind;  // uid, email, phone, profile, name_org (today's kinds)
    std::string text;
};
struct card {
    std::string display, prefix, given, additional, family, suffix, org, title, source;
    std::vector<labeled> emails, phones, urls;
    std::vector<std::string> tags;
    std::vector<note> notes;
    std::vector<property> extra;
    std::vector<key> keys;  // what detail::match_keys gives: uid, emails, phones, profiles, name_org
};

struct rng {
    std::uint64_t s;
    std::uint64_t next() {  // splitmix64
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& a) { return a[below(N)]; }
};

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string ascii_fold(std::string_view s) {  // the name_org key: lower case, letters and digits
    std::string out;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c & 0x80)) out += c;
        else if (c == ' ' && !out.empty() && out.back() != ' ') out += ' ';
    }
    return out;
}

std::vector<card> make_cards(std::size_t n) {
    static const std::array<const char*, 24> given{"Alice", "Bob",  "Chloé",   "David", "Émilie", "Farid",
                                                   "Grace", "Hugo", "Ingrid",  "Jun",   "Kenji",  "Léa",
                                                   "Maria", "Noah", "Olivier", "Priya", "Quentin", "Rosa",
                                                   "Sven",  "Tara", "Uma",     "Victor", "Wei",   "Zoë"};
    static const std::array<const char*, 24> family{"Martin", "Smith",  "Müller", "García", "Dubois", "Rossi",
                                                    "Nguyen", "Kumar",  "Tanaka", "Okafor", "Larsen", "Novak",
                                                    "Silva",  "Cohen",  "Brown",  "Lefèvre", "Kowalski", "Singh",
                                                    "Haddad", "Moreau", "Ito",    "Jensen", "Bianchi", "O'Neil"};
    static const std::array<const char*, 12> orgs{"Acme Corp",     "Globex",       "Initech",  "Umbrella Labs",
                                                  "Stark Industries", "Wayne Enterprises", "Hooli", "Pied Piper",
                                                  "Soylent",       "Tyrell",       "Cyberdyne", "Vandelay Imports"};
    static const std::array<const char*, 8> titles{"Engineer", "CTO", "Head of Sales", "Designer",
                                                   "Product Manager", "Founder", "Researcher", "Consultant"};
    static const std::array<const char*, 6> domains{"example.com", "mail.example.org", "corp.example.net",
                                                    "gmail.example", "outlook.example", "uni.example.edu"};
    static const std::array<const char*, 4> email_kinds{"work", "home", "", "other"};
    static const std::array<const char*, 4> phone_kinds{"cell", "work", "home", ""};
    static const std::array<const char*, 6> tags{"friends", "work", "conference", "investors", "family", "vip"};
    static const std::array<const char*, 6> notes{
        "Met at the spring meetup; interested in the data pipeline work.",
        "Former colleague. Ask about the move to Lisbon.",
        "Introduced by a mutual friend, follow up about the grant application in March.",
        "Likes climbing and board games. Prefers email over calls.",
        "Potential advisor for the hardware side; send the deck.",
        "Wants the recording of the talk about offline-first sync."};
    rng r{20261127};
    std::vector<card> cards(n);
    for (std::size_t i = 0; i < n; ++i) {
        card& c = cards[i];
        const std::string id = std::to_string(i);
        c.given = r.pick(given);
        c.family = r.pick(family);
        if (r.chance(5)) c.prefix = "Dr.";
        if (r.chance(10)) c.additional = "J.";
        c.display = c.given + ' ' + c.family;
        c.source = "cards.vcf";
        if (r.chance(85)) c.org = r.pick(orgs);
        if (r.chance(70)) c.title = r.pick(titles);
        const std::size_t n_emails = 1 + r.below(3);
        for (std::size_t k = 0; k < n_emails; ++k) {
            std::string domain = r.pick(domains);
            if (r.chance(10)) domain = "MAIL.EXAMPLE.ORG";  // written in capitals: the key folds it
            std::string v = lower(c.given.substr(0, 1)) + '.' + lower(c.family) + id + (k ? std::to_string(k) : "") +
                            '@' + domain;
            c.emails.push_back({v, r.pick(email_kinds)});
        }
        const std::size_t n_phones = 1 + r.below(2);
        for (std::size_t k = 0; k < n_phones; ++k) {
            char value[40], e164[24];
            const unsigned line = static_cast<unsigned>((i * 2 + k) % 10'000'000);
            if (r.chance(70)) {  // US, as people write them; the key is E.164
                const unsigned area = 201 + static_cast<unsigned>((i * 7 + k) % 700);
                std::snprintf(value, sizeof value, "+1 %03u-%03u-%04u", area, line / 10000 % 1000, line % 10000);
                std::snprintf(e164, sizeof e164, "+1%03u%03u%04u", area, line / 10000 % 1000, line % 10000);
            } else {
                std::snprintf(value, sizeof value, "+33 6 %02u %02u %02u %02u", line / 1000000 % 100,
                              line / 10000 % 100, line / 100 % 100, line % 100);
                std::snprintf(e164, sizeof e164, "+336%02u%02u%02u%02u", line / 1000000 % 100, line / 10000 % 100,
                              line / 100 % 100, line % 100);
            }
            c.phones.push_back({value, r.pick(phone_kinds)});
            c.keys.push_back({"phone", e164});
        }
        if (r.chance(30)) c.urls.push_back({"https://www.linkedin.com/in/" + lower(c.given) + '-' + id, ""});
        if (r.chance(30)) {
            c.tags.push_back(r.pick(tags));
            if (r.chance(30)) c.tags.push_back(std::string(r.pick(tags)) + "-2");
        }
        if (r.chance(50)) c.notes.push_back({1'795'000'000, r.pick(notes)});
        // Properties netcrm keeps as they came: UID for most, and a few the model has no field for.
        if (r.chance(75)) c.extra.push_back({"", "UID", "", "urn:uuid:6f1c2a3e-0000-4000-8000-" + std::string(12 - id.size(), '0') + id});
        if (r.chance(50)) c.extra.push_back({"", "REV", "", "2026-10-0" + std::to_string(1 + r.below(9)) + "T10:00:00Z"});
        if (r.chance(40)) c.extra.push_back({"item" + std::to_string(n_emails), "X-ABLabel", "", "_$!<Other>!$_"});
        if (r.chance(30)) c.extra.push_back({"", "X-SOCIALPROFILE", "twitter", "https://twitter.com/" + lower(c.given) + id});
        if (r.chance(20)) c.extra.push_back({"", "X-IRMC-LUID", "", std::to_string(1000 + i)});
        // Match keys in detail::match_keys' order: uid, emails, phones, profiles, name_org.
        std::vector<key> keys;
        for (const auto& p : c.extra)
            if (p.name == "UID") keys.push_back({"uid", p.value});
        for (const auto& e : c.emails) keys.push_back({"email", lower(e.value)});
        for (auto& k : c.keys) keys.push_back(std::move(k));
        if (!c.urls.empty()) keys.push_back({"profile", "linkedin.com/in/" + lower(c.given) + '-' + id});
        if (!c.org.empty()) keys.push_back({"name_org", ascii_fold(c.display) + '\x1f' + ascii_fold(c.org)});
        c.keys = std::move(keys);
    }
    return cards;
}

bool unique_kind(const char* kind) {  // the keys B-D keep: they say "same person", not "maybe"
    return !std::strcmp(kind, "uid") || !std::strcmp(kind, "email") || !std::strcmp(kind, "phone");
}
int kind_number(const char* kind) { return !std::strcmp(kind, "uid") ? 1 : !std::strcmp(kind, "email") ? 2 : 3; }

// ---------------------------------------------------------------------------------------------
// SQLite helpers: the C API, statements prepared once, multi-row INSERTs as contact_store does.

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    std::fprintf(stderr, "bench_write_ceiling: %s: %s\n", what.c_str(), db ? sqlite3_errmsg(db) : "");
    std::exit(1);
}

void exec(sqlite3* db, const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg ? msg : "";
        sqlite3_free(msg);
        fail(db, sql.substr(0, 80) + "...: " + m);
    }
}

sqlite3_stmt* prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
        fail(db, sql.substr(0, 80));
    return st;
}

struct cell {
    enum class type : std::uint8_t { null, integer, text };
    type t = type::null;
    std::int64_t i = 0;
    const char* p = nullptr;
    int n = 0;
};
cell null() { return {}; }
cell integer(std::int64_t v) { return {cell::type::integer, v, nullptr, 0}; }
cell text(const std::string& s) { return {cell::type::text, 0, s.data(), static_cast<int>(s.size())}; }
cell text(const char* s) { return {cell::type::text, 0, s, static_cast<int>(std::strlen(s))}; }

// Rows of one table, written in statements of 2^k rows (at most max_rows), as table_rows does.
class table_rows {
public:
    table_rows(sqlite3* db, std::string head, int columns, int max_rows = 64, std::string tail = "")
        : db_(db), head_(std::move(head)), tail_(std::move(tail)), columns_(columns), max_rows_(max_rows) {
        while (max_rows_ > 1 && max_rows_ * columns_ > 999) max_rows_ /= 2;
    }
    ~table_rows() {
        for (auto* st : stmts_)
            if (st) sqlite3_finalize(st);
    }
    table_rows(const table_rows&) = delete;
    table_rows& operator=(const table_rows&) = delete;

    void add(std::initializer_list<cell> row) {
        cells_.insert(cells_.end(), row.begin(), row.end());
        ++rows_written_;
    }
    std::size_t rows_written() const { return rows_written_; }

    void write() {
        const std::size_t rows = cells_.size() / static_cast<std::size_t>(columns_);
        for (std::size_t done = 0; done < rows;) {
            std::size_t n = static_cast<std::size_t>(max_rows_), k = 0;
            while (n > rows - done) n /= 2;
            while ((std::size_t{1} << k) < n) ++k;
            if (!stmts_[k]) {
                std::string one = "(";
                for (int col = 0; col < columns_; ++col) one += col ? ", ?" : "?";
                one += ')';
                std::string sql = head_;
                for (std::size_t r = 0; r < n; ++r) sql += (r ? ", " : "") + one;
                stmts_[k] = prepare(db_, sql + tail_);
            }
            sqlite3_stmt* st = stmts_[k];
            const cell* c = cells_.data() + done * static_cast<std::size_t>(columns_);
            for (int b = 1; b <= static_cast<int>(n) * columns_; ++b, ++c) {
                switch (c->t) {
                    case cell::type::null: sqlite3_bind_null(st, b); break;
                    case cell::type::integer: sqlite3_bind_int64(st, b, c->i); break;
                    case cell::type::text: sqlite3_bind_text(st, b, c->p, c->n, SQLITE_STATIC); break;
                }
            }
            if (sqlite3_step(st) != SQLITE_DONE) fail(db_, head_);
            sqlite3_reset(st);
            done += n;
        }
        cells_.clear();
    }

private:
    sqlite3* db_;
    std::string head_, tail_;
    int columns_, max_rows_;
    std::vector<cell> cells_;
    std::array<sqlite3_stmt*, 8> stmts_{};
    std::size_t rows_written_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Text the writer builds: JSON for parameters (today) or whole columns (B-E), full-text columns.

void json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

std::string parameters_json(const property& p) {  // as contact_store's parameters_json: [{"name", "values"}]
    if (p.type.empty()) return "[]";
    std::string out = "[{\"name\":\"TYPE\",\"values\":[";
    json_string(out, p.type);
    return out + "]}]";
}

// B-E: [{"c":"email","v":"...","k":"work"}, ...] in channel order (emails, phones, urls).
std::string channels_json(const card& c) {
    std::string out = "[";
    auto add = [&](const char* channel, const std::vector<labeled>& vs) {
        for (const auto& v : vs) {
            if (out.size() > 1) out += ',';
            out += "{\"c\":\"";
            out += channel;
            out += "\",\"v\":";
            json_string(out, v.value);
            if (!v.kind.empty()) {
                out += ",\"k\":";
                json_string(out, v.kind);
            }
            out += '}';
        }
    };
    add("email", c.emails);
    add("phone", c.phones);
    add("url", c.urls);
    return out + ']';
}

// B-E: every property kept as it came: [{"g":"item1","n":"X-ABLabel","p":[...],"v":"..."}, ...]
std::string extra_json(const card& c) {
    std::string out = "[";
    for (const auto& p : c.extra) {
        if (out.size() > 1) out += ',';
        out += '{';
        if (!p.group.empty()) {
            out += "\"g\":";
            json_string(out, p.group);
            out += ',';
        }
        out += "\"n\":";
        json_string(out, p.name);
        if (!p.type.empty()) out += ",\"p\":" + parameters_json(p);
        out += ",\"v\":";
        json_string(out, p.value);
        out += '}';
    }
    return out + ']';
}

std::string strings_json(const std::vector<std::string>& v) {
    std::string out = "[";
    for (const auto& s : v) {
        if (out.size() > 1) out += ',';
        json_string(out, s);
    }
    return out + ']';
}

std::string notes_json(const std::vector<note>& v) {
    std::string out = "[";
    for (const auto& n : v) {
        if (out.size() > 1) out += ',';
        out += "{\"at\":" + std::to_string(n.at) + ",\"text\":";
        json_string(out, n.text);
        out += '}';
    }
    return out + ']';
}

void join_into(std::string& out, const std::string& s) {
    if (s.empty()) return;
    if (!out.empty()) out += ' ';
    out += s;
}

std::array<std::string, 5> search_columns(const card& c) {  // contact_store's search_columns
    std::array<std::string, 5> col;
    auto& [names, channels, organization, tags, notes] = col;
    join_into(names, c.display);
    std::string formatted;
    for (const std::string* part : {&c.prefix, &c.given, &c.additional, &c.family, &c.suffix}) join_into(formatted, *part);
    join_into(names, formatted);
    for (const auto& v : c.emails) join_into(channels, v.value);
    for (const auto& v : c.phones) join_into(channels, v.value);
    for (const auto& v : c.urls) join_into(channels, v.value);
    join_into(organization, c.org);
    join_into(organization, c.title);
    for (const auto& t : c.tags) join_into(tags, t);
    for (const auto& n : c.notes) join_into(notes, n.text);
    return col;
}

// Duplicate matching on a fresh store: one probe per key into what this import holds (the Bloom
// filter over stored keys says "no" for all of them), then the card's keys are added.
struct key_probe {
    std::unordered_set<std::uint64_t> seen;
    std::size_t hits = 0;
    static std::uint64_t hash(std::string_view kind, std::string_view k) {
        std::uint64_t h = 1469598103934665603ULL;
        for (char ch : kind) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
        for (char ch : k) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
        return h;
    }
    void match(const card& c, bool unique_only) {
        for (const auto& k : c.keys)
            if ((!unique_only || unique_kind(k.kind)) && std::strcmp(k.kind, "name_org") != 0 &&
                seen.count(hash(k.kind, k.text)))
                ++hits;
        for (const auto& k : c.keys)
            if (!unique_only || unique_kind(k.kind)) seen.insert(hash(k.kind, k.text));
    }
};

// Bulk imports: match keys held in memory and written sorted at the end, as importer.cpp's
// pending_keys holds them: copied into one arena (16 bytes an entry), sorted by (kind, key, id).
class held_keys {
public:
    void add(int kind, std::string_view text, std::int64_t id) {
        entries_.push_back({id, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(text.size()), kind});
        arena_ += text;
    }
    std::size_t size() const { return entries_.size(); }
    void sort() {
        std::sort(entries_.begin(), entries_.end(), [&](const entry& a, const entry& b) {
            if (a.kind != b.kind) return a.kind < b.kind;
            if (const int c = view(a).compare(view(b)); c != 0) return c < 0;
            return a.id < b.id;
        });
    }
    template <class F>
    void each(F f) const {
        for (const entry& e : entries_) f(e.kind, view(e), e.id);
    }

private:
    struct entry {
        std::int64_t id;
        std::uint32_t offset, length;
        int kind;
    };
    std::string_view view(const entry& e) const { return std::string_view(arena_).substr(e.offset, e.length); }
    std::vector<entry> entries_;
    std::string arena_;
};

const std::array<const char*, 6> kind_names{"", "email", "name_org", "phone", "profile", "uid"};  // in text order
int today_kind(const char* kind) {
    for (int k = 1; k < 6; ++k)
        if (!std::strcmp(kind, kind_names[static_cast<std::size_t>(k)])) return k;
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Schemas.

// Today's schema is netcrm's own (crm::detail::migrate, libcrm/src/schema.cpp), so layout A follows
// it. These are the indexes a bulk import sets aside and builds again at the end (importer.cpp,
// deferred_indexes): dropped right after the schema is made, created after the load.
const char* today_deferred_indexes = R"sql(
CREATE INDEX contacts_organization ON contacts(organization COLLATE NOCASE);
CREATE INDEX contact_tags_tag ON contact_tags(tag COLLATE NOCASE);
CREATE INDEX contact_keys_contact ON contact_keys(contact_id);
)sql";

// B-E: the contact row keeps everything (JSON columns); keys only for email, phone, UID.
const char* compact_contacts = R"sql(
CREATE TABLE contacts (
    id              INTEGER PRIMARY KEY,
    display_name    TEXT NOT NULL,
    name_prefix     TEXT NOT NULL DEFAULT '',
    name_given      TEXT NOT NULL DEFAULT '',
    name_additional TEXT NOT NULL DEFAULT '',
    name_family     TEXT NOT NULL DEFAULT '',
    name_suffix     TEXT NOT NULL DEFAULT '',
    organization    TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    birthday_year   INTEGER,
    birthday_month  INTEGER CHECK (birthday_month BETWEEN 1 AND 12),
    birthday_day    INTEGER CHECK (birthday_day BETWEEN 1 AND 31),
    how_met         TEXT NOT NULL DEFAULT '',
    introduced_by   INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    source          TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    channels        TEXT NOT NULL DEFAULT '[]',  -- JSON: [{"c": "email", "v": "...", "k": "work"}]
    tags            TEXT NOT NULL DEFAULT '[]',
    notes           TEXT NOT NULL DEFAULT '[]',  -- JSON: [{"at": 1795000000, "text": "..."}]
    extra           TEXT NOT NULL DEFAULT '[]'   -- JSON: every other property as it came
);
)sql";
const char* compact_contact_indexes = R"sql(
CREATE INDEX contacts_organization ON contacts(organization COLLATE NOCASE);
CREATE INDEX contacts_introduced_by ON contacts(introduced_by);
CREATE INDEX contacts_created_at ON contacts(created_at);
)sql";
const char* compact_rest = R"sql(
CREATE TABLE contact_keys (
    kind       INTEGER NOT NULL,  -- 1 uid, 2 email, 3 phone (E.164)
    key        TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, contact_id)
) WITHOUT ROWID;
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    format      TEXT NOT NULL,
    policy      TEXT NOT NULL,
    tags        TEXT NOT NULL DEFAULT '[]',
    how_met     TEXT NOT NULL DEFAULT '',
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    added       INTEGER NOT NULL DEFAULT 0,
    merged      INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    undone_at   INTEGER,
    event_id    INTEGER
);
CREATE TABLE import_changes (
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT,
    attended   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, contact_id)
) WITHOUT ROWID;
)sql";
const char* compact_changes_index = "CREATE INDEX import_changes_contact ON import_changes(contact_id);";
const char* fts_stored = R"sql(
CREATE VIRTUAL TABLE contact_search USING fts5(
    names, channels, organization, tags, notes, tokenize = 'unicode61 remove_diacritics 2');
)sql";
const char* fts_contentless = R"sql(
CREATE VIRTUAL TABLE contact_search USING fts5(
    names, channels, organization, tags, notes, content = '', tokenize = 'unicode61 remove_diacritics 2');
)sql";
// C, D: the full-text index reads its text from the contact rows (external content over a view);
// built once at the end (INSERT ... SELECT from the view: what 'rebuild' does), and kept in step afterwards with FTS5's 'delete' + insert on each write.
const char* fts_external = R"sql(
CREATE VIEW contact_search_text AS SELECT id,
    trim(display_name || ' ' || name_prefix || ' ' || name_given || ' ' || name_additional || ' ' ||
         name_family || ' ' || name_suffix) AS names,
    (SELECT group_concat(j.value ->> 'v', ' ') FROM json_each(contacts.channels) AS j) AS channels,
    trim(organization || ' ' || title) AS organization,
    (SELECT group_concat(j.value, ' ') FROM json_each(contacts.tags) AS j) AS tags,
    trim(how_met || ' ' || coalesce((SELECT group_concat(j.value ->> 'text', ' ') FROM json_each(contacts.notes) AS j), '')) AS notes
  FROM contacts;
CREATE VIRTUAL TABLE contact_search USING fts5(
    names, channels, organization, tags, notes, content = 'contact_search_text', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2');
)sql";

// ---------------------------------------------------------------------------------------------
// The layouts.

constexpr std::int64_t now = 1'795'000'000;
constexpr std::size_t batch_size = 512;  // importer.cpp's: contacts kept, then written together

struct result {
    double seconds = 0, cpu = 0;
    std::size_t rows = 0;  // rows the program inserted (a full-text row counts one)
    std::map<std::string, double> phases;
};

double thread_cpu() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct clock_phases {
    result& r;
    std::chrono::steady_clock::time_point t = std::chrono::steady_clock::now();
    void lap(const char* name) {
        const auto n = std::chrono::steady_clock::now();
        r.phases[name] += std::chrono::duration<double>(n - t).count();
        t = n;
    }
};

sqlite3* open_like_netcrm(const std::string& path, bool fresh = true) {
    if (fresh)
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) fail(db, "open " + path);
    exec(db, "PRAGMA foreign_keys = ON");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = NORMAL");
    // store::impl::bulk_write, then the bulk import's half of it (importer.cpp)
    exec(db, "PRAGMA cache_size = -32768");
    exec(db, "PRAGMA temp_store = MEMORY");
    return db;
}

std::int64_t begin_batch(sqlite3* db) {
    exec(db, "INSERT INTO import_batches(source, format, policy, tags, how_met, started_at, finished_at) "
             "VALUES ('cards.vcf', '', 'merge', '[]', '', 1795000000, 1795000000)");
    return sqlite3_last_insert_rowid(db);
}

// importer.cpp's record_added: one statement for a run of consecutive ids.
struct record_added {
    sqlite3* db;
    sqlite3_stmt* st;
    explicit record_added(sqlite3* d)
        : db(d),
          st(prepare(d, "WITH RECURSIVE ids(id) AS (SELECT ?2 UNION ALL SELECT id + 1 FROM ids WHERE id < ?3) "
                        "INSERT OR IGNORE INTO import_changes(batch_id, contact_id, action, before) "
                        "SELECT ?1, id, 'added', NULL FROM ids")) {}
    ~record_added() { sqlite3_finalize(st); }
    void operator()(std::int64_t batch, std::int64_t first, std::int64_t last) {
        sqlite3_bind_int64(st, 1, batch);
        sqlite3_bind_int64(st, 2, first);
        sqlite3_bind_int64(st, 3, last);
        if (sqlite3_step(st) != SQLITE_DONE) fail(db, "import_changes");
        sqlite3_reset(st);
    }
};

void finish(sqlite3* db, std::int64_t batch, std::size_t added) {
    exec(db, "UPDATE import_batches SET format = 'vcard', finished_at = 1795000000, added = " + std::to_string(added) +
                 " WHERE id = " + std::to_string(batch));
}

// A and A0: today's tables and rows. `bulk`: the way a large import into a small store goes (the
// organization and tag indexes dropped and built again at the end; match keys held, written sorted,
// the index of keys by contact built after them). Otherwise the row-by-row way: keys with their contacts.
result layout_today(const std::vector<card>& cards, const std::string& path, bool bulk) {
    result r;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu();
    clock_phases ph{r};
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    {
        SQLite::Database schema(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        crm::detail::migrate(schema);
    }
    sqlite3* db = open_like_netcrm(path, false);
    if (bulk) exec(db, "DROP INDEX contacts_organization; DROP INDEX contact_tags_tag; DROP INDEX contact_keys_contact;");
    exec(db, "BEGIN");
    const std::int64_t batch = begin_batch(db);
    ph.lap("schema");
    {
        table_rows main(db, "INSERT INTO contacts(display_name, name_prefix, name_given, name_additional, name_family, "
                            "name_suffix, organization, title, birthday_year, birthday_month, birthday_day, how_met, "
                            "introduced_by, source, created_at, updated_at, id) VALUES ", 17, 1);
        table_rows channels(db, "INSERT INTO contact_channels(contact_id, channel, position, value, kind) VALUES ", 5);
        table_rows tags(db, "INSERT INTO contact_tags(contact_id, position, tag) VALUES ", 3);
        table_rows notes(db, "INSERT INTO contact_notes(contact_id, at, text) VALUES ", 3);
        table_rows properties(db, "INSERT INTO contact_properties(contact_id, position, grp, name, parameters, value) VALUES ", 6);
        table_rows keys(db, "INSERT OR IGNORE INTO contact_keys(kind, key, contact_id) VALUES ", 3);
        table_rows search(db, "INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) VALUES ", 6, 1);
        record_added changes(db);
        key_probe probe;
        std::deque<std::string> owned;
        held_keys pending;
        std::int64_t id = 1, first = 1;
        std::size_t n_changes = 0;
        auto flush = [&] {
            for (table_rows* t : {&main, &channels, &tags, &notes, &properties, &keys, &search}) t->write();
            owned.clear();
            changes(batch, first, id - 1);
            n_changes += static_cast<std::size_t>(id - first);
            first = id;
        };
        for (const card& c : cards) {
            probe.match(c, false);
            main.add({text(c.display), text(c.prefix), text(c.given), text(c.additional), text(c.family), text(c.suffix),
                      text(c.org), text(c.title), null(), null(), null(), text(""), null(), text(c.source),
                      integer(now), integer(now), integer(id)});
            auto values = [&](const char* name, const std::vector<labeled>& vs) {
                for (std::size_t i = 0; i < vs.size(); ++i)
                    channels.add({integer(id), text(name), integer(static_cast<std::int64_t>(i)), text(vs[i].value),
                                  text(vs[i].kind)});
            };
            values("email", c.emails);
            values("phone", c.phones);
            values("url", c.urls);
            for (std::size_t i = 0; i < c.tags.size(); ++i)
                tags.add({integer(id), integer(static_cast<std::int64_t>(i)), text(c.tags[i])});
            for (const auto& n : c.notes) notes.add({integer(id), integer(n.at), text(n.text)});
            for (std::size_t i = 0; i < c.extra.size(); ++i) {
                const auto& p = c.extra[i];
                properties.add({integer(id), integer(static_cast<std::int64_t>(i)), text(p.group), text(p.name),
                                text(owned.emplace_back(parameters_json(p))), text(p.value)});
            }
            for (const auto& k : c.keys) {
                if (bulk) pending.add(today_kind(k.kind), k.text, id);
                else keys.add({text(k.kind), text(k.text), integer(id)});
            }
            auto col = search_columns(c);
            search.add({integer(id), text(owned.emplace_back(std::move(col[0]))), text(owned.emplace_back(std::move(col[1]))),
                        text(owned.emplace_back(std::move(col[2]))), text(owned.emplace_back(std::move(col[3]))),
                        text(owned.emplace_back(std::move(col[4])))});
            ++id;
            if (static_cast<std::size_t>(id - first) >= batch_size) flush();
        }
        flush();
        ph.lap("cards");
        if (bulk) {
            pending.sort();  // kinds numbered in their text's order: the same order as (kind, key, id)
            ph.lap("sort");
            pending.each([&](int kind, std::string_view k, std::int64_t cid) {
                keys.add({text(kind_names[static_cast<std::size_t>(kind)]),
                          {cell::type::text, 0, k.data(), static_cast<int>(k.size())}, integer(cid)});
            });
            keys.write();
            ph.lap("keys");
            exec(db, today_deferred_indexes);
            ph.lap("indexes");
        }
        finish(db, batch, cards.size());
        r.rows = main.rows_written() + channels.rows_written() + tags.rows_written() + notes.rows_written() +
                 properties.rows_written() + keys.rows_written() + search.rows_written() + n_changes;
    }
    exec(db, "COMMIT");
    ph.lap("commit");
    if (sqlite3_close(db) != SQLITE_OK) fail(db, "close");
    ph.lap("close");
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cpu = thread_cpu() - c0;
    return r;
}

enum class fts { stored, contentless, rebuild, none };

struct compact_options {
    fts search = fts::stored;
    bool keys = true;
    bool sorted_keys = false;      // held in memory, written sorted at the end
    bool late_indexes = false;     // secondary indexes created after the load
    bool changes = true;           // import_changes rows
    int main_rows = 1;             // rows per INSERT into contacts
    bool key_fk = true;            // contact_keys.contact_id REFERENCES contacts (a parent lookup per key)
    std::string tokenizer = "unicode61 remove_diacritics 2";
    std::string fts_extra;         // more FTS5 options
    bool automerge_off = false;    // FTS5 merges no segments during the load ('automerge' 0, then 'merge' at the end)
    // Full-text rows are written in bursts of this many cards, one after the other: any statement
    // that opens a statement journal (a multi-row INSERT, an insert checking a foreign key) makes
    // FTS5 write its pending terms out as a new segment (its xSavepoint), so interleaving them
    // with the other rows makes many tiny segments and much merging.
    std::size_t fts_burst = batch_size;
};

compact_options with(fts search) {
    compact_options o;
    o.search = search;
    return o;
}

// B to F, E: the compact row.
result layout_compact(const std::vector<card>& cards, const std::string& path, const compact_options& o) {
    result r;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu();
    clock_phases ph{r};
    sqlite3* db = open_like_netcrm(path);
    exec(db, compact_contacts);
    if (o.changes || o.keys) {
        std::string rest = compact_rest;
        // Without it, deleting a contact deletes its keys itself (they can be computed from its row).
        if (!o.key_fk) rest.erase(rest.find(" REFERENCES contacts(id) ON DELETE CASCADE"), 42);
        exec(db, rest);
    }
    const bool any_index = o.keys || o.changes || o.search != fts::none;  // E: no secondary index at all
    if (!o.late_indexes && any_index) {
        exec(db, compact_contact_indexes);
        if (o.changes) exec(db, compact_changes_index);
    }
    if (o.search == fts::stored) exec(db, fts_stored);
    if (o.search == fts::contentless) {
        std::string sql = fts_contentless;
        sql.replace(sql.find("unicode61 remove_diacritics 2"), 29, o.tokenizer);
        sql.insert(sql.rfind(')'), o.fts_extra);
        exec(db, sql);
    }
    if (o.automerge_off) exec(db, "INSERT INTO contact_search(contact_search, rank) VALUES ('automerge', 0)");
    if (o.search == fts::rebuild) exec(db, fts_external);
    exec(db, "BEGIN");
    const std::int64_t batch = o.changes ? begin_batch(db) : 0;
    ph.lap("schema");
    {
        table_rows main(db, "INSERT INTO contacts(display_name, name_prefix, name_given, name_additional, name_family, "
                            "name_suffix, organization, title, birthday_year, birthday_month, birthday_day, how_met, "
                            "introduced_by, source, created_at, updated_at, channels, tags, notes, extra, id) VALUES ",
                        21, o.main_rows);
        table_rows keys(db, "INSERT OR IGNORE INTO contact_keys(kind, key, contact_id) VALUES ", 3);
        table_rows search(db, "INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) VALUES ", 6, 1);
        std::unique_ptr<record_added> changes;
        if (o.changes) changes = std::make_unique<record_added>(db);
        key_probe probe;
        std::deque<std::string> owned;
        held_keys pending;
        std::int64_t id = 1, first = 1;
        std::size_t n_changes = 0;
        static const std::string empty_json = "[]";
        std::deque<std::string> owned_search;  // full-text rows wait for a burst of them
        std::int64_t fts_first = 1;
        auto flush = [&] {
            for (table_rows* t : {&main, &keys}) t->write();
            owned.clear();
            if (changes) {
                (*changes)(batch, first, id - 1);
                n_changes += static_cast<std::size_t>(id - first);
            }
            first = id;
            if (static_cast<std::size_t>(id - fts_first) >= o.fts_burst) {
                search.write();
                owned_search.clear();
                fts_first = id;
            }
        };
        for (const card& c : cards) {
            if (o.keys) probe.match(c, true);
            const std::string& ch = owned.emplace_back(channels_json(c));
            const std::string& tg = c.tags.empty() ? empty_json : owned.emplace_back(strings_json(c.tags));
            const std::string& nt = c.notes.empty() ? empty_json : owned.emplace_back(notes_json(c.notes));
            const std::string& ex = c.extra.empty() ? empty_json : owned.emplace_back(extra_json(c));
            main.add({text(c.display), text(c.prefix), text(c.given), text(c.additional), text(c.family), text(c.suffix),
                      text(c.org), text(c.title), null(), null(), null(), text(""), null(), text(c.source),
                      integer(now), integer(now), text(ch), text(tg), text(nt), text(ex), integer(id)});
            if (o.keys)
                for (const auto& k : c.keys) {
                    if (!unique_kind(k.kind)) continue;
                    if (o.sorted_keys) pending.add(kind_number(k.kind), k.text, id);
                    else keys.add({integer(kind_number(k.kind)), text(k.text), integer(id)});
                }
            if (o.search == fts::stored || o.search == fts::contentless) {
                auto col = search_columns(c);
                auto own = [&](std::string& t) { return text(owned_search.emplace_back(std::move(t))); };
                search.add({integer(id), own(col[0]), own(col[1]), own(col[2]), own(col[3]), own(col[4])});
            }
            ++id;
            if (static_cast<std::size_t>(id - first) >= batch_size) flush();
        }
        flush();
        search.write();
        ph.lap("cards");
        if (o.sorted_keys) {
            pending.sort();
            ph.lap("sort");
            pending.each([&](int kind, std::string_view k, std::int64_t cid) {
                keys.add({integer(kind), {cell::type::text, 0, k.data(), static_cast<int>(k.size())}, integer(cid)});
            });
            keys.write();
            ph.lap("keys");
        }
        if (o.search == fts::rebuild) {
            // What 'rebuild' does, written out: SQLite 3.40's 'rebuild' refuses this view (its
            // subqueries over json_each: "SQL logic error"), an INSERT ... SELECT from it does not.
            exec(db, "INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) "
                     "SELECT id, names, channels, organization, tags, notes FROM contact_search_text");
            ph.lap("fts");
        }
        if (o.automerge_off) {
            exec(db, "INSERT INTO contact_search(contact_search, rank) VALUES ('automerge', 4)");
            exec(db, "INSERT INTO contact_search(contact_search, rank) VALUES ('merge', 500)");
            ph.lap("fts");
        }
        if (o.late_indexes && any_index) {
            exec(db, compact_contact_indexes);
            if (o.changes) exec(db, compact_changes_index);
            ph.lap("indexes");
        }
        if (o.changes) finish(db, batch, cards.size());
        r.rows = main.rows_written() + keys.rows_written() + search.rows_written() + n_changes +
                 (o.search == fts::rebuild ? cards.size() : 0);
    }
    exec(db, "COMMIT");
    ph.lap("commit");
    if (sqlite3_close(db) != SQLITE_OK) fail(db, "close");
    ph.lap("close");
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cpu = thread_cpu() - c0;
    return r;
}

// Checks that a layout's file answers what the issue requires: a lookup by key, full-text search.
void check(const std::string& path, const std::string& layout, const std::vector<card>& cards) {
    if (layout == "E") return;
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) fail(db, "reopen");
    std::size_t at = cards.size() / 2;  // a family name of one token: its email's local part ends in one
    while (cards[at].family.find('\'') != std::string::npos) ++at;
    const card& c = cards[at];
    const bool today = layout[0] == 'A';
    std::string email;
    for (const auto& k : c.keys)
        if (!std::strcmp(k.kind, "email")) email = k.text;
    const std::string sql = today ? "SELECT contact_id FROM contact_keys WHERE kind = 'email' AND key = ?"
                                  : "SELECT contact_id FROM contact_keys WHERE kind = 2 AND key = ?";
    sqlite3_stmt* q = prepare(db, sql);
    sqlite3_bind_text(q, 1, email.data(), static_cast<int>(email.size()), SQLITE_STATIC);
    const bool found = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int64(q, 0) == static_cast<std::int64_t>(at + 1);
    sqlite3_finalize(q);
    sqlite3_stmt* t = prepare(db, "SELECT 1 FROM sqlite_master WHERE name = 'contact_search'");
    const bool has_search = sqlite3_step(t) == SQLITE_ROW;
    sqlite3_finalize(t);
    if (!has_search) {
        sqlite3_close(db);
        if (!found) fail(nullptr, "layout " + layout + ": the email key does not find its contact");
        return;
    }
    sqlite3_stmt* s = prepare(db, "SELECT count(*) FROM contact_search WHERE contact_search MATCH ?");
    const std::string& e = c.emails.front().value;  // "x.family123@domain": the token "family123"
    const std::string term = "\"" + e.substr(2, e.find('@') - 2) + "\"";
    sqlite3_bind_text(s, 1, term.data(), static_cast<int>(term.size()), SQLITE_STATIC);
    const bool searched = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) >= 1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    if (!found || !searched) {
        std::fprintf(stderr, "bench_write_ceiling: layout %s: %s\n", layout.c_str(),
                     !found ? "the email key does not find its contact" : "full-text search does not find the card");
        std::exit(1);
    }
}

// ---------------------------------------------------------------------------------------------
// The reading side's costs per card that no layout removes (a rough lower bound, one thread).

// The cards as vCard 3.0 text, so that splitting them has bytes to read.
std::string to_vcard(const std::vector<card>& cards) {
    std::string out;
    for (const card& c : cards) {
        out += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:" + c.family + ';' + c.given + ';' + c.additional + ';' + c.prefix +
               ";\r\nFN:" + c.display + "\r\n";
        if (!c.org.empty()) out += "ORG:" + c.org + "\r\n";
        if (!c.title.empty()) out += "TITLE:" + c.title + "\r\n";
        for (const auto& e : c.emails) out += "EMAIL;type=INTERNET" + (e.kind.empty() ? "" : ";type=" + e.kind) + ':' + e.value + "\r\n";
        for (const auto& p : c.phones) out += "TEL" + (p.kind.empty() ? "" : ";type=" + p.kind) + ':' + p.value + "\r\n";
        for (const auto& u : c.urls) out += "URL:" + u.value + "\r\n";
        for (const auto& n : c.notes) out += "NOTE:" + n.text + "\r\n";
        if (!c.tags.empty()) out += "CATEGORIES:" + c.tags.front() + "\r\n";
        for (const auto& p : c.extra)
            out += (p.group.empty() ? "" : p.group + '.') + p.name + (p.type.empty() ? "" : ";type=" + p.type) + ':' + p.value + "\r\n";
        out += "END:VCARD\r\n";
    }
    return out;
}

void reading_costs(const std::vector<card>& cards) {
    const std::string text = to_vcard(cards);
    // 1. Lines split and values copied into a card record (no unfolding, decoding or escapes).
    auto t = std::chrono::steady_clock::now();
    std::size_t props = 0, sink = 0;
    {
        std::vector<std::pair<std::string, std::string>> record;
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t end = text.find("\r\n", pos);
            if (end == std::string::npos) end = text.size();
            std::string_view line(text.data() + pos, end - pos);
            pos = end + 2;
            if (line == "BEGIN:VCARD") {
                record.clear();
                continue;
            }
            if (line == "END:VCARD") {
                sink += record.size();
                continue;
            }
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            record.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
            ++props;
        }
    }
    const double split = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    // 2. E.164 with libphonenumber, Parse + Format, one per phone (what normalization pays when every
    //    number goes through it).
    using i18n::phonenumbers::PhoneNumberUtil;
    auto* util = PhoneNumberUtil::GetInstance();
    std::size_t phones = 0;
    t = std::chrono::steady_clock::now();
    for (const card& c : cards)
        for (const auto& p : c.phones) {
            i18n::phonenumbers::PhoneNumber number;
            std::string out;
            if (util->Parse(p.value, "US", &number) == PhoneNumberUtil::NO_PARSING_ERROR)
                util->Format(number, PhoneNumberUtil::E164, &out);
            sink += out.size();
            ++phones;
        }
    const double e164 = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    // 3. The same numbers when only digits are kept (a value already in +digits form needs no more
    //    than a check of its length and country code against the metadata).
    t = std::chrono::steady_clock::now();
    for (const card& c : cards)
        for (const auto& p : c.phones) {
            std::string out;
            for (char ch : p.value)
                if ((ch >= '0' && ch <= '9') || ch == '+') out += ch;
            sink += out.size();
        }
    const double digits = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    // 4. Emails folded for their keys.
    t = std::chrono::steady_clock::now();
    for (const card& c : cards)
        for (const auto& e : c.emails) sink += lower(e.value).size();
    const double emails = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    // 5. What the layouts above build on the writing thread and a reading thread could build instead:
    //    the JSON columns of the compact row, the full-text columns.
    t = std::chrono::steady_clock::now();
    for (const card& c : cards)
        sink += channels_json(c).size() + strings_json(c.tags).size() + notes_json(c.notes).size() + extra_json(c).size();
    const double json = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    t = std::chrono::steady_clock::now();
    for (const card& c : cards) {
        const auto col = search_columns(c);
        sink += col[0].size() + col[1].size();
    }
    const double search = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    const double n = static_cast<double>(cards.size());
    std::printf("\nReading side, one thread, %zu cards (%.0f bytes of vCard a card, %zu properties; checksum %zu):\n",
                cards.size(), static_cast<double>(text.size()) / n, props, sink % 10);
    std::printf("| step | us per card | cards/s alone |\n|---|---|---|\n");
    auto row = [&](const char* what, double s) { std::printf("| %s | %.2f | %.0f |\n", what, s * 1e6 / n, n / s); };
    row("split lines, copy values", split);
    row("libphonenumber Parse + Format E.164, every phone", e164);
    row("phones already +digits: keep digits", digits);
    row("emails folded", emails);
    row("(writer side, movable) JSON columns of the compact row", json);
    row("(writer side, movable) full-text columns", search);
    std::printf("(%.2f phones a card)\n", static_cast<double>(phones) / n);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 100'000;
    int runs = 3;
    std::string dir = "build/ceiling", only;
    bool reading = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--cards" && i + 1 < argc) n = std::stoul(argv[++i]);
        else if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (a == "--only" && i + 1 < argc) only = "," + std::string(argv[++i]) + ",";
        else if (a == "--no-reading") reading = false;
        else {
            std::fprintf(stderr, "usage: bench_write_ceiling [--cards N] [--runs R] [--dir DIR] [--only A,B,...] [--no-reading]\n");
            return 2;
        }
    }
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    std::printf("load average at start: %.2f %.2f %.2f; SQLite %s; %zu cards, %d runs each, alternating\n", load[0],
                load[1], load[2], sqlite3_libversion(), n, runs);
    const auto g0 = std::chrono::steady_clock::now();
    const std::vector<card> cards = make_cards(n);
    std::printf("generated in %.2f s (not timed below)\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count());

    struct layout {
        std::string name, what;
        std::function<result(const std::string&)> run;
    };
    std::vector<layout> layouts{
        {"A", "today's tables and rows, bulk import way",
         [&](const std::string& p) { return layout_today(cards, p, true); }},
        {"A0", "today's tables and rows, row-by-row way",
         [&](const std::string& p) { return layout_today(cards, p, false); }},
        {"B", "one row + JSON, unique keys, stored FTS, import_changes",
         [&](const std::string& p) { return layout_compact(cards, p, with(fts::stored)); }},
        {"C", "B, FTS built at the end (external content, rebuild)",
         [&](const std::string& p) { return layout_compact(cards, p, with(fts::rebuild)); }},
        {"C2", "B, contentless FTS row per card",
         [&](const std::string& p) { return layout_compact(cards, p, with(fts::contentless)); }},
        {"D", "C + keys sorted at the end + indexes after the load",
         [&](const std::string& p) {
             compact_options o = with(fts::rebuild);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             return layout_compact(cards, p, o);
         }},
        {"D2", "D with contentless FTS per card instead of rebuild",
         [&](const std::string& p) {
             compact_options o = with(fts::contentless);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             return layout_compact(cards, p, o);
         }},
        {"D-nofts", "D without any full-text index (what FTS costs)",
         [&](const std::string& p) {
             compact_options o = with(fts::none);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             return layout_compact(cards, p, o);
         }},
        {"D-nofk", "D-nofts with keys without a foreign key (what the parent lookups cost)",
         [&](const std::string& p) {
             compact_options o = with(fts::none);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             o.key_fk = false;
             return layout_compact(cards, p, o);
         }},
        {"F", "D2 + keys without foreign key + FTS 'ascii' tokenizer (text folded by the reader)",
         [&](const std::string& p) {
             compact_options o = with(fts::contentless);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             o.key_fk = false;
             o.tokenizer = "ascii";
             return layout_compact(cards, p, o);
         }},
        {"F2", "F with FTS automerge off during the load",
         [&](const std::string& p) {
             compact_options o = with(fts::contentless);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             o.key_fk = false;
             o.tokenizer = "ascii";
             o.automerge_off = true;
             return layout_compact(cards, p, o);
         }},
        {"G", "F with the full-text rows written in bursts of 16,384 cards (few, large FTS5 segments)",
         [&](const std::string& p) {
             compact_options o = with(fts::contentless);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             o.key_fk = false;
             o.tokenizer = "ascii";
             o.fts_burst = 16384;
             return layout_compact(cards, p, o);
         }},
        {"G2", "G with today's tokenizer (unicode61, diacritics folded by FTS5)",
         [&](const std::string& p) {
             compact_options o = with(fts::contentless);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             o.key_fk = false;
             o.fts_burst = 16384;
             return layout_compact(cards, p, o);
         }},
        {"F-min", "F2 with FTS5's cheapest index (detail=none, columnsize=0: no phrases, no rank; below the issue)",
         [&](const std::string& p) {
             compact_options o = with(fts::contentless);
             o.sorted_keys = o.late_indexes = true;
             o.main_rows = 64;
             o.key_fk = false;
             o.tokenizer = "ascii";
             o.fts_extra = ", detail = none, columnsize = 0";
             o.automerge_off = true;
             return layout_compact(cards, p, o);
         }},
        {"E", "one contact row per card, nothing else",
         [&](const std::string& p) {
             compact_options o = with(fts::none);
             o.keys = o.changes = false;
             o.main_rows = 64;
             return layout_compact(cards, p, o);
         }},
    };
    if (!only.empty())
        layouts.erase(std::remove_if(layouts.begin(), layouts.end(),
                                     [&](const layout& l) { return only.find("," + l.name + ",") == std::string::npos; }),
                      layouts.end());

    std::map<std::string, std::vector<double>> secs, cpus;
    std::map<std::string, std::size_t> rows;
    std::map<std::string, std::map<std::string, std::vector<double>>> phases;
    for (int run = 1; run <= runs; ++run)
        for (const auto& l : layouts) {
            const std::string path = dir + "/write_ceiling_" + l.name + ".db";
            const result r = l.run(path);
            if (run == 1) check(path, l.name, cards);
            for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
            secs[l.name].push_back(r.seconds);
            cpus[l.name].push_back(r.cpu);
            rows[l.name] = r.rows;
            std::printf("run %d %-8s %.3f s  %8.0f cards/s  cpu %.3f s  |", run, l.name.c_str(), r.seconds,
                        static_cast<double>(n) / r.seconds, r.cpu);
            for (const auto& [k, v] : r.phases) {
                std::printf(" %s %.3f", k.c_str(), v);
                phases[l.name][k].push_back(v);
            }
            std::printf("\n");
            std::fflush(stdout);
        }
    getloadavg(load, 3);
    std::printf("\nload average at end: %.2f %.2f %.2f\n\n", load[0], load[1], load[2]);
    std::printf("| layout | what | rows per card | seconds | cards/s | cards/s of CPU | >= 200,000 cards/s | phases (s) |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    for (const auto& l : layouts) {
        const double s = median(secs[l.name]), c = median(cpus[l.name]);
        std::string ph;
        for (const auto& [k, v] : phases[l.name]) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%s %.2f", ph.empty() ? "" : ", ", k.c_str(), median(v));
            ph += buf;
        }
        std::printf("| %s | %s | %.1f | %.2f | %.0f | %.0f | %s | %s |\n", l.name.c_str(), l.what.c_str(),
                    static_cast<double>(rows[l.name]) / static_cast<double>(n), s, static_cast<double>(n) / s,
                    static_cast<double>(n) / c, static_cast<double>(n) / s >= 200'000 ? "yes" : "no", ph.c_str());
    }
    if (reading) reading_costs(cards);
    return 0;
}
