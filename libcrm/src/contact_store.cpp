#include "crm/contact_store.hpp"

#include "detail/contact_json.hpp"
#include "detail/contact_rows.hpp"
#include "detail/interaction_rows.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <random>

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace crm {

using detail::from_unix;
using detail::guarded;
using detail::to_unix;
using detail::write_transaction;

namespace {

constexpr const char* contact_columns =
    "id, display_name, name_prefix, name_given, name_additional, name_family, name_suffix, organization, "
    "title, birthday_year, birthday_month, birthday_day, how_met, introduced_by, source, created_at, updated_at";

contact read_row(SQLite::Statement& q) {
    contact c;
    c.id = q.getColumn(0).getInt64();
    c.display_name = q.getColumn(1).getString();
    c.name.prefix = q.getColumn(2).getString();
    c.name.given = q.getColumn(3).getString();
    c.name.additional = q.getColumn(4).getString();
    c.name.family = q.getColumn(5).getString();
    c.name.suffix = q.getColumn(6).getString();
    c.organization = q.getColumn(7).getString();
    c.title = q.getColumn(8).getString();
    if (!q.getColumn(10).isNull()) {
        partial_date b(date::month{unsigned(q.getColumn(10).getInt())}, date::day{unsigned(q.getColumn(11).getInt())});
        if (!q.getColumn(9).isNull()) b.year = date::year{q.getColumn(9).getInt()};
        c.birthday = b;
    }
    c.how_met = q.getColumn(12).getString();
    if (!q.getColumn(13).isNull()) c.introduced_by = q.getColumn(13).getInt64();
    c.source = q.getColumn(14).getString();
    c.created_at = from_unix(q.getColumn(15).getInt64());
    c.updated_at = from_unix(q.getColumn(16).getInt64());
    return c;
}

// A contact as read back: text that is not UTF-8 or a birthday off the calendar can only come from a
// damaged file or another program's raw SQL. Said here, naming the contact and the field, rather
// than as a decoding error wherever the text is next used.
void check_as_read(const contact& c) {
    auto damaged = [&](const std::string& what) {
        throw storage_error("the database is damaged: contact " + std::to_string(c.id) + " has " + what +
                                " (restore a backup, or fix the row)",
                            SQLITE_CORRUPT);
    };
    auto text = [&](const char* field, const std::string& v) {
        if (detail::invalid_utf8_at(v) != std::string::npos)
            damaged(std::string("a ") + field + " that is not valid UTF-8");
    };
    text("display name", c.display_name);
    for (const auto* part : {&c.name.prefix, &c.name.given, &c.name.additional, &c.name.family, &c.name.suffix})
        text("name", *part);
    text("organization", c.organization);
    text("title", c.title);
    for (const auto* list : {&c.emails, &c.phones, &c.urls})
        for (const auto& v : *list) {
            text("email, phone or URL", v.value);
            text("email, phone or URL kind", v.kind);
        }
    for (const auto& a : c.addresses)
        for (const auto* f :
             {&a.kind, &a.po_box, &a.extended, &a.street, &a.locality, &a.region, &a.postal_code, &a.country})
            text("postal address", *f);
    for (const auto& t : c.tags) text("tag", t);
    for (const auto& n : c.notes) text("note", n.text);
    text("how met", c.how_met);
    text("source", c.source);
    for (const auto& p : c.extra) {
        text("card property", p.group);
        text("card property", p.name);
        text("card property", p.value);
        for (const auto& prm : p.parameters) {
            text("card property parameter", prm.name);
            for (const auto& v : prm.values) text("card property parameter", v);
        }
    }
    auto instant = [&](const char* field, date::sys_seconds t) {
        // Python's datetime and the ISO 8601 writers hold years 1 to 9999.
        const auto secs = t.time_since_epoch().count();
        if (secs < -62135596800 || secs > 253402300799) damaged(std::string("a ") + field + " out of any calendar");
    };
    instant("creation time", c.created_at);
    instant("change time", c.updated_at);
    for (const auto& n : c.notes) instant("note time", n.at);
    if (c.birthday && !c.birthday->ok())
        damaged("an impossible birthday (month " + std::to_string(unsigned(c.birthday->month)) + ", day " +
                std::to_string(unsigned(c.birthday->day)) + ")");
}

std::string id_array(const std::vector<contact_id>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "]";
}

// Loads whole contacts for `ids`, in that order: one query per table, not one per contact.
// One contact (an import merging a card into it, an update) reads through kept statements instead:
// preparing six statements over json_each costs more than running them.
std::vector<contact> load(store::impl& s, const std::vector<contact_id>& ids) {
    if (ids.empty()) return {};
    const std::string arr = ids.size() == 1 ? std::string() : id_array(ids);
    std::optional<SQLite::Statement> own;
    // A kept statement left in the middle of its rows (an exception) would keep a read transaction.
    struct reset_on_exit {
        SQLite::Statement* q = nullptr;
        ~reset_on_exit() {
            if (q) q->tryReset();
        }
    } kept;
    auto query = [&](std::string sql) -> SQLite::Statement& {
        static constexpr std::string_view in_ids = " IN (SELECT value FROM json_each(?))";
        if (ids.size() == 1) {
            if (kept.q) kept.q->tryReset();
            sql.replace(sql.find(in_ids), in_ids.size(), " = ?");
            SQLite::Statement& q = s.prepared(sql);
            q.bind(1, ids.front());
            kept.q = &q;
            return q;
        }
        own.emplace(s.db, sql);
        own->bind(1, arr);
        return *own;
    };
    std::unordered_map<contact_id, contact> by_id;
    by_id.reserve(ids.size());
    {
        SQLite::Statement& q = query(std::string("SELECT ") + contact_columns +
                                    " FROM contacts WHERE id IN (SELECT value FROM json_each(?))");
        while (q.executeStep()) {
            contact c = read_row(q);
            by_id.emplace(c.id, std::move(c));
        }
    }
    {
        SQLite::Statement& q = query("SELECT contact_id, channel, value, kind, e164 FROM contact_channels WHERE contact_id IN "
                            "(SELECT value FROM json_each(?)) ORDER BY contact_id, channel, position");
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it == by_id.end()) continue;
            std::string channel = q.getColumn(1).getString();
            labeled_value v{q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getString()};
            auto& c = it->second;
            (channel == "email"   ? c.emails
             : channel == "phone" ? c.phones
             : channel == "im"    ? c.ims
                                  : c.urls)
                .push_back(std::move(v));
        }
    }
    {
        SQLite::Statement& q = query("SELECT contact_id, kind, po_box, extended, street, locality, region, postal_code, "
                            "country FROM contact_addresses WHERE contact_id IN (SELECT value FROM json_each(?)) "
                            "ORDER BY contact_id, position");
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it == by_id.end()) continue;
            postal_address a;
            a.kind = q.getColumn(1).getString();
            a.po_box = q.getColumn(2).getString();
            a.extended = q.getColumn(3).getString();
            a.street = q.getColumn(4).getString();
            a.locality = q.getColumn(5).getString();
            a.region = q.getColumn(6).getString();
            a.postal_code = q.getColumn(7).getString();
            a.country = q.getColumn(8).getString();
            it->second.addresses.push_back(std::move(a));
        }
    }
    {
        SQLite::Statement& q = query("SELECT contact_id, tag FROM contact_tags WHERE contact_id IN "
                            "(SELECT value FROM json_each(?)) ORDER BY contact_id, position");
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it != by_id.end()) it->second.tags.push_back(q.getColumn(1).getString());
        }
    }
    {
        SQLite::Statement& q = query("SELECT contact_id, at, text FROM contact_notes WHERE contact_id IN "
                            "(SELECT value FROM json_each(?)) ORDER BY contact_id, at, id");
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it != by_id.end())
                it->second.notes.push_back(note{from_unix(q.getColumn(1).getInt64()), q.getColumn(2).getString()});
        }
    }
    {
        SQLite::Statement& q = query("SELECT contact_id, grp, name, parameters, value FROM contact_properties WHERE contact_id "
                            "IN (SELECT value FROM json_each(?)) ORDER BY contact_id, position");
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it == by_id.end()) continue;
            card_property p;
            p.group = q.getColumn(1).getString();
            p.name = q.getColumn(2).getString();
            try {
                for (const auto& prm : nlohmann::json::parse(q.getColumn(3).getString()))
                    p.parameters.push_back(
                        {prm.at("name").get<std::string>(), prm.at("values").get<std::vector<std::string>>()});
            } catch (const nlohmann::json::exception&) {
                throw storage_error("the database is damaged: a card property (" + p.name + ") of contact " +
                                        std::to_string(it->first) + " has parameters that are not netcrm's JSON",
                                    SQLITE_CORRUPT);
            }
            p.value = q.getColumn(4).getString();
            it->second.extra.push_back(std::move(p));
        }
    }
    std::vector<contact> out;
    out.reserve(ids.size());
    for (contact_id id : ids) {
        auto it = by_id.find(id);
        if (it == by_id.end()) continue;
        check_as_read(it->second);
        out.push_back(std::move(it->second));
    }
    return out;
}

std::optional<contact> load_one(store::impl& s, contact_id id) {
    auto v = load(s, {id});
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

void bind_text(SQLite::Statement& q, int i, const std::string& s) {
    // Explicit length: values are checked free of NUL, but never let SQLite guess a length. No copy:
    // every caller steps the statement while `s` lives.
    q.bindNoCopy(i, s);
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    static constexpr char hex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[(c >> 4) & 0xf];
                    out += hex[c & 0xf];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

// [{"name":"TYPE","values":["work"]}]: byte for byte what nlohmann::json's dump() writes for these
// (keys sorted, control characters as \u00xx, UTF-8 as is), without building a json value: a card
// has a few such properties and an import writes them by the million.
std::string parameters_json(const std::vector<card_parameter>& ps) {
    bool plain = true;  // dump() refuses invalid UTF-8; stored text is checked, but stay exact
    for (const auto& p : ps) {
        plain = plain && detail::invalid_utf8_at(p.name) == std::string_view::npos;
        for (const auto& v : p.values) plain = plain && detail::invalid_utf8_at(v) == std::string_view::npos;
    }
    if (!plain) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& p : ps) a.push_back({{"name", p.name}, {"values", p.values}});
        return a.dump();
    }
    std::string out = "[";
    for (std::size_t i = 0; i < ps.size(); ++i) {
        if (i) out += ',';
        out += "{\"name\":";
        append_json_string(out, ps[i].name);
        out += ",\"values\":[";
        for (std::size_t j = 0; j < ps[i].values.size(); ++j) {
            if (j) out += ',';
            append_json_string(out, ps[i].values[j]);
        }
        out += "]}";
    }
    out += ']';
    return out;
}

// One value of a row about to be written. Text points into a contact (or a string the writer owns)
// that lives until the row is written.
struct cell {
    enum class type : std::uint8_t { null, integer, text, literal };
    type t = type::null;
    std::int64_t i = 0;
    const std::string* s = nullptr;
    const char* lit = nullptr;
    static cell null() { return {}; }
    static cell integer(std::int64_t v) { return {type::integer, v, nullptr, nullptr}; }
    static cell text(const std::string& v) { return {type::text, 0, &v, nullptr}; }
    static cell literal(const char* v) { return {type::literal, 0, nullptr, v}; }
};

// Rows for one table, written with multi-row INSERTs ("VALUES (...), (...), ..."): what SQLite
// spends on a statement besides its rows (preparing the VM, opening and closing cursors) is paid once
// for many rows. But a statement of several rows has a statement journal (to undo just itself if
// one row fails), which copies every page it changes: worth it where rows land together (appended),
// not where each row lands on another page of an index (the contacts row, with its index on the
// organization) nor for the full-text table, which writes its pending terms out at each statement
// journal. Those get `max_rows` 1.
class table_rows {
public:
    table_rows(const char* head, std::size_t columns, std::size_t max_rows = 64)
        : head_(head), columns_(columns), max_rows_(max_rows) {
        while (max_rows_ > 1 && max_rows_ * columns_ > 999) max_rows_ /= 2;  // SQLite's historical limit
    }

    void add(std::initializer_list<cell> row) { cells_.insert(cells_.end(), row.begin(), row.end()); }
    bool empty() const noexcept { return cells_.empty(); }

    // Writes the rows in the order they were added and forgets them.
    void write(store::impl& s) {
        const std::size_t rows = cells_.size() / columns_;
        for (std::size_t done = 0; done < rows;) {
            // Statements of 2^k rows only: a handful of them prepared per table, whatever the counts.
            std::size_t n = max_rows_;
            while (n > rows - done) n /= 2;
            SQLite::Statement& q = s.prepared(sql(n));
            const cell* c = cells_.data() + done * columns_;
            for (int k = 1; k <= static_cast<int>(n * columns_); ++k, ++c) {
                switch (c->t) {
                    case cell::type::null: q.bind(k); break;
                    case cell::type::integer: q.bind(k, static_cast<int64_t>(c->i)); break;
                    case cell::type::text: q.bindNoCopy(k, *c->s); break;
                    case cell::type::literal: q.bindNoCopy(k, c->lit); break;
                }
            }
            q.exec();
            done += n;
        }
        cells_.clear();
    }

private:
    const std::string& sql(std::size_t rows) {
        std::size_t k = 0;
        while ((std::size_t{1} << k) < rows) ++k;
        std::string& text = sql_[k];
        if (text.empty()) {
            std::string one = "(";
            for (std::size_t col = 0; col < columns_; ++col) one += col ? ", ?" : "?";
            one += ')';
            text = head_;
            for (std::size_t r = 0; r < rows; ++r) {
                if (r) text += ", ";
                text += one;
            }
        }
        return text;
    }

    const char* head_;
    std::size_t columns_;
    std::size_t max_rows_;
    std::vector<cell> cells_;
    std::array<std::string, 7> sql_;  // by log2 of the row count
};

// Every row of one or many contacts, written table by table: main rows first (the other tables
// refer to them), then children, match keys, search entries.
struct contact_rows {
    table_rows main{"INSERT INTO contacts(display_name, name_prefix, name_given, name_additional, name_family, "
                    "name_suffix, organization, title, birthday_year, birthday_month, birthday_day, how_met, "
                    "introduced_by, source, created_at, updated_at, id) VALUES ",
                    17, 1};
    table_rows channels{"INSERT INTO contact_channels(contact_id, channel, position, value, kind, e164) VALUES ", 6};
    table_rows addresses{"INSERT INTO contact_addresses(contact_id, position, kind, po_box, extended, street, "
                         "locality, region, postal_code, country) VALUES ",
                         10};
    table_rows tags{"INSERT INTO contact_tags(contact_id, position, tag) VALUES ", 3};
    table_rows notes{"INSERT INTO contact_notes(contact_id, at, text) VALUES ", 3};
    table_rows properties{"INSERT INTO contact_properties(contact_id, position, grp, name, parameters, value) VALUES ",
                          6};
    table_rows keys{"INSERT OR IGNORE INTO contact_keys(kind, key, contact_id) VALUES ", 3};
    table_rows search{"INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) VALUES ", 6, 1};
    std::deque<std::string> owned;  // texts made here (parameters as JSON, search columns): stable addresses

    const std::string& own(std::string text) { return owned.emplace_back(std::move(text)); }

    // The contacts row of c, with its id.
    void add_main(const contact& c) {
        auto text = [](const std::string& v) { return cell::text(v); };
        const bool year = c.birthday && c.birthday->year;
        main.add({text(c.display_name), text(c.name.prefix), text(c.name.given), text(c.name.additional),
                  text(c.name.family), text(c.name.suffix), text(c.organization), text(c.title),
                  year ? cell::integer(int(*c.birthday->year)) : cell::null(),
                  c.birthday ? cell::integer(unsigned(c.birthday->month)) : cell::null(),
                  c.birthday ? cell::integer(unsigned(c.birthday->day)) : cell::null(), text(c.how_met),
                  c.introduced_by ? cell::integer(*c.introduced_by) : cell::null(), text(c.source),
                  cell::integer(to_unix(c.created_at)), cell::integer(to_unix(c.updated_at)), cell::integer(c.id)});
    }

    // Everything of c but its main row and search entry; `k` are match_keys(c).
    void add_children(const contact& c, const detail::key_list& k) {
        auto values = [&](const char* name, const std::vector<labeled_value>& vs) {
            for (std::size_t i = 0; i < vs.size(); ++i)
                channels.add({cell::integer(c.id), cell::literal(name), cell::integer(static_cast<std::int64_t>(i)),
                              cell::text(vs[i].value), cell::text(vs[i].kind), cell::text(vs[i].e164)});
        };
        values("email", c.emails);
        values("phone", c.phones);
        values("url", c.urls);
        values("im", c.ims);
        for (std::size_t i = 0; i < c.addresses.size(); ++i) {
            const auto& a = c.addresses[i];
            addresses.add({cell::integer(c.id), cell::integer(static_cast<std::int64_t>(i)), cell::text(a.kind),
                           cell::text(a.po_box), cell::text(a.extended), cell::text(a.street), cell::text(a.locality),
                           cell::text(a.region), cell::text(a.postal_code), cell::text(a.country)});
        }
        for (std::size_t i = 0; i < c.tags.size(); ++i)
            tags.add({cell::integer(c.id), cell::integer(static_cast<std::int64_t>(i)), cell::text(c.tags[i])});
        for (const auto& n : c.notes) notes.add({cell::integer(c.id), cell::integer(to_unix(n.at)), cell::text(n.text)});
        for (std::size_t i = 0; i < c.extra.size(); ++i) {
            const auto& p = c.extra[i];
            properties.add({cell::integer(c.id), cell::integer(static_cast<std::int64_t>(i)), cell::text(p.group),
                            cell::text(p.name), cell::text(own(parameters_json(p.parameters))), cell::text(p.value)});
        }
        for (const auto& [kind, key] : k) keys.add({cell::text(kind), cell::text(key), cell::integer(c.id)});
    }

    void add_search(const contact& c);  // below, with the search columns

    void write(store::impl& s) {
        for (table_rows* t : {&main, &channels, &addresses, &tags, &notes, &properties, &keys, &search})
            if (!t->empty()) t->write(s);
        owned.clear();
    }
};

// Writes everything of c but its main row (the caller inserts or updates that), keys included.
// `fresh`: c got a new id just now, so there is nothing of it to delete first (each table that
// holds its rows refers to contacts ON DELETE CASCADE, and every deletion of a contact removes its
// search entry). `keys`: its match keys when the caller has them already (the importer computes
// them on its reading thread: libphonenumber is the slow part), else computed here.
void write_children(store::impl& s, const contact& c, bool fresh = false, const detail::key_list* keys = nullptr) {
    if (!fresh)
        for (const char* sql : {"DELETE FROM contact_channels WHERE contact_id = ?",
                                "DELETE FROM contact_addresses WHERE contact_id = ?",
                                "DELETE FROM contact_tags WHERE contact_id = ?",
                                "DELETE FROM contact_notes WHERE contact_id = ?",
                                "DELETE FROM contact_properties WHERE contact_id = ?",
                                "DELETE FROM contact_keys WHERE contact_id = ?"}) {
            SQLite::Statement& del = s.prepared(sql);
            del.bind(1, c.id);
            del.exec();
        }
    detail::key_list computed;
    if (!keys) keys = &(computed = detail::match_keys(c, s.phones));
    contact_rows rows;
    rows.add_children(c, *keys);
    rows.write(s);
}

void join_into(std::string& out, const std::string& s) {
    if (s.empty()) return;
    if (!out.empty()) out += ' ';
    out += s;
}

// The full-text columns of a contact: names, channels, organization, tags, notes.
std::array<std::string, 5> search_columns(const contact& c) {
    std::array<std::string, 5> col;
    auto& [names, channels, organization, tags, notes] = col;
    join_into(names, c.display_name);
    join_into(names, c.name.formatted());
    for (const auto& v : c.emails) join_into(channels, v.value);
    for (const auto& v : c.phones) join_into(channels, v.value);
    for (const auto& v : c.urls) join_into(channels, v.value);
    for (const auto& v : c.ims) join_into(channels, v.value);
    join_into(organization, c.organization);
    join_into(organization, c.title);
    for (const auto& t : c.tags) join_into(tags, t);
    join_into(notes, c.how_met);
    for (const auto& n : c.notes) join_into(notes, n.text);
    return col;
}

void contact_rows::add_search(const contact& c) {
    auto col = search_columns(c);
    search.add({cell::integer(c.id), cell::text(own(std::move(col[0]))), cell::text(own(std::move(col[1]))),
                cell::text(own(std::move(col[2]))), cell::text(own(std::move(col[3]))),
                cell::text(own(std::move(col[4])))});
}

void index_for_search(store::impl& s, const contact& c, bool fresh = false) {
    if (!fresh) {
        SQLite::Statement& del = s.prepared("DELETE FROM contact_search WHERE rowid = ?");
        del.bind(1, c.id);
        del.exec();
    }
    const auto col = search_columns(c);
    SQLite::Statement& ins = s.prepared("INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, c.id);
    for (int k = 0; k < 5; ++k) bind_text(ins, k + 2, col[static_cast<std::size_t>(k)]);
    ins.exec();
}

void bind_main_row(SQLite::Statement& q, const contact& c) {
    int k = 1;
    for (const std::string* s : {&c.display_name, &c.name.prefix, &c.name.given, &c.name.additional, &c.name.family,
                                 &c.name.suffix, &c.organization, &c.title})
        bind_text(q, k++, *s);
    if (c.birthday && c.birthday->year)
        q.bind(k++, int(*c.birthday->year));
    else
        q.bind(k++);
    if (c.birthday) {
        q.bind(k++, int(unsigned(c.birthday->month)));
        q.bind(k++, int(unsigned(c.birthday->day)));
    } else {
        q.bind(k++);
        q.bind(k++);
    }
    bind_text(q, k++, c.how_met);
    if (c.introduced_by)
        q.bind(k++, *c.introduced_by);
    else
        q.bind(k++);
    bind_text(q, k++, c.source);
    q.bind(k++, to_unix(c.created_at));
    q.bind(k++, to_unix(c.updated_at));
}

void rewrite_main_row(store::impl& s, const contact& c) {
    SQLite::Statement& q = s.prepared(
                        "UPDATE contacts SET display_name = ?, name_prefix = ?, name_given = ?, name_additional = ?, "
                        "name_family = ?, name_suffix = ?, organization = ?, title = ?, birthday_year = ?, "
                        "birthday_month = ?, birthday_day = ?, how_met = ?, introduced_by = ?, source = ?, "
                        "created_at = ?, updated_at = ? WHERE id = ?");
    bind_main_row(q, c);
    q.bind(17, c.id);
    q.exec();
}

bool exists(SQLite::Database& db, contact_id id) {
    SQLite::Statement q(db, "SELECT 1 FROM contacts WHERE id = ?");
    q.bind(1, id);
    return q.executeStep();
}

void check_introducer(SQLite::Database& db, const contact& c) {
    if (c.introduced_by && !exists(db, *c.introduced_by))
        throw invalid_input("introduced_by: no contact with id " + std::to_string(*c.introduced_by));
}

void stamp_notes(contact& c, date::sys_seconds now) {
    for (auto& n : c.notes)
        if (n.at == note::unstamped) n.at = now;
    std::stable_sort(c.notes.begin(), c.notes.end(), [](const note& a, const note& b) { return a.at < b.at; });
}

void prepare(contact& c, date::sys_seconds now) {
    normalize_and_validate(c);
    stamp_notes(c, now);
}

std::string where_clause(const contact_filter& f) {
    std::string w = " WHERE 1";
    if (f.tag) w += " AND id IN (SELECT contact_id FROM contact_tags WHERE tag = ?1 COLLATE NOCASE)";
    if (f.organization) w += " AND organization = ?2 COLLATE NOCASE";
    return w;
}

void bind_filter(SQLite::Statement& q, const contact_filter& f) {
    if (f.tag) q.bind(1, *f.tag);
    if (f.organization) q.bind(2, *f.organization);
}

// Turns what a person types into an FTS5 query: each word quoted (so SQL or FTS syntax in it is
// only text) and matched as a prefix; all words must match.
std::string fts_query(std::string_view text) {
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += ' ';
        out += '"' + word + "\"*";
        word.clear();
    };
    for (char ch : text) {
        if (ch == '"') continue;
        if (std::isspace(static_cast<unsigned char>(ch)))
            flush();
        else
            word += ch;
    }
    flush();
    return out;
}

std::string lower_ascii(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

// Phones compare by their digits, emails case-insensitively, everything else exactly.
std::string channel_key(const char* channel, const std::string& v) {
    std::string_view ch(channel);
    if (ch == "phone") {
        std::string d;
        for (char x : v)
            if (std::isdigit(static_cast<unsigned char>(x))) d += x;
        return d.empty() ? v : d;
    }
    if (ch == "email") return lower_ascii(v);
    return v;
}

// A random (version 4) UUID as a URN: RFC 4122 4.4, RFC 6350 6.7.6's example form.
std::string new_uid() {
    static thread_local std::mt19937_64 random{std::random_device{}() ^
                                               static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
    std::array<unsigned char, 16> b{};
    for (std::size_t i = 0; i < b.size(); i += 8) {
        const std::uint64_t r = random();
        for (std::size_t k = 0; k < 8; ++k) b[i + k] = static_cast<unsigned char>(r >> (8 * k));
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "urn:uuid:";
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[b[i] >> 4];
        out += hex[b[i] & 0xf];
    }
    return out;
}

const card_property* find_uid(const contact& c) {
    for (const auto& p : c.extra)
        if (p.name == "UID" && !p.value.empty()) return &p;
    return nullptr;
}

// Gives c a UID when it has none; returns the new one (empty when c had one).
std::string ensure_uid(contact& c) {
    if (find_uid(c)) return {};
    c.extra.push_back(card_property{"", "UID", {}, new_uid()});
    return c.extra.back().value;
}

// The UID stored for contact `id`, if any.
std::optional<std::string> stored_uid(store::impl& s, contact_id id) {
    SQLite::Statement& q =
        s.prepared("SELECT value FROM contact_properties WHERE contact_id = ? AND name = 'UID' AND value <> '' "
                   "ORDER BY position LIMIT 1");
    q.bind(1, id);
    std::optional<std::string> out;
    if (q.executeStep()) out = q.getColumn(0).getString();
    q.reset();
    return out;
}

void unite(const char* channel, std::vector<labeled_value>& into, const std::vector<labeled_value>& from) {
    std::unordered_set<std::string> keys;
    for (const auto& v : into) keys.insert(channel_key(channel, v.value));
    for (const auto& v : from)
        if (keys.insert(channel_key(channel, v.value)).second) into.push_back(v);
}

}  // namespace

namespace detail {

void absorb(contact& k, const contact& o, date::sys_seconds now, const std::string& conflict_heading) {
    // Facts the survivor already has differently: kept word for word in a note.
    std::vector<std::string> conflicts;
    auto scalar = [&](const char* label, std::string& mine, const std::string& theirs) {
        if (theirs.empty() || theirs == mine) return;
        if (mine.empty())
            mine = theirs;
        else
            conflicts.push_back(std::string(label) + ": " + theirs);
    };
    scalar("name", k.display_name, o.display_name);
    if (k.name.empty())
        k.name = o.name;
    else if (!o.name.empty() && !(o.name == k.name))
        conflicts.push_back("full name: " + o.name.formatted());
    scalar("organization", k.organization, o.organization);
    scalar("title", k.title, o.title);
    scalar("how met", k.how_met, o.how_met);
    if (k.source.empty()) k.source = o.source;  // where a record came from: not a fact about the person
    if (!k.birthday)
        k.birthday = o.birthday;
    else if (o.birthday && !(*o.birthday == *k.birthday))
        conflicts.push_back("birthday: " + o.birthday->to_string());
    if (!k.introduced_by && o.introduced_by && *o.introduced_by != k.id) k.introduced_by = o.introduced_by;

    unite("email", k.emails, o.emails);
    unite("phone", k.phones, o.phones);
    unite("url", k.urls, o.urls);
    unite("im", k.ims, o.ims);
    for (const auto& a : o.addresses)
        if (std::find(k.addresses.begin(), k.addresses.end(), a) == k.addresses.end())
            k.addresses.push_back(a);
    for (const auto& t : o.tags)
        if (std::find(k.tags.begin(), k.tags.end(), t) == k.tags.end()) k.tags.push_back(t);
    // X- properties of both. One UID: the survivor's; the other's stays as X-NETCRM-MERGED-UID, a
    // match key still (a card of the merged contact imported again finds the survivor).
    const bool keep_has_uid = std::any_of(k.extra.begin(), k.extra.end(), [](const card_property& p) {
        return p.name == "UID" && !p.value.empty();
    });
    for (card_property p : o.extra) {
        if (p.name == "UID" && keep_has_uid) {
            const bool same = std::any_of(k.extra.begin(), k.extra.end(), [&](const card_property& mine) {
                return (mine.name == "UID" || mine.name == merged_uid_property) && mine.value == p.value;
            });
            if (same) continue;
            p.name = merged_uid_property;
            p.group.clear();
        }
        if (std::find(k.extra.begin(), k.extra.end(), p) == k.extra.end()) k.extra.push_back(std::move(p));
    }
    auto has_text = [&](const std::string& text) {
        return std::any_of(k.notes.begin(), k.notes.end(), [&](const note& n) { return n.text == text; });
    };
    for (const auto& n : o.notes) {
        // The same note from both once. A note without a time (a card's NOTE) is the same note as
        // one with its text: re-importing a card must not repeat its notes.
        if (n.at == note::unstamped) {
            if (!has_text(n.text)) k.notes.push_back(note{now, n.text});
        } else if (std::find(k.notes.begin(), k.notes.end(), n) == k.notes.end()) {
            k.notes.push_back(n);
        }
    }
    if (!conflicts.empty()) {
        std::string text = conflict_heading;
        for (const auto& c : conflicts) text += "\n" + c;
        if (!has_text(text)) k.notes.push_back(note{now, text});
    }
    std::stable_sort(k.notes.begin(), k.notes.end(), [](const note& a, const note& b) { return a.at < b.at; });
}

std::vector<contact> load_contacts(store::impl& s, const std::vector<contact_id>& ids) { return load(s, ids); }

contact insert_contact(store::impl& s, contact c, const key_list* keys) {
    fill_e164(c, s.phones);
    key_list with_uid;
    if (std::string uid = ensure_uid(c); !uid.empty() && keys) {
        with_uid = *keys;
        with_uid.emplace_back("uid", std::move(uid));
        keys = &with_uid;
    }
    // id is the 17th column: NULL lets SQLite choose; a restore passes the id it had.
    SQLite::Statement& q = s.prepared(
        "INSERT INTO contacts(display_name, name_prefix, name_given, name_additional, name_family, name_suffix, "
        "organization, title, birthday_year, birthday_month, birthday_day, how_met, introduced_by, source, created_at, "
        "updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_main_row(q, c);
    // A restored id was someone's before: clear what could be left of it, as for a rewrite.
    const bool fresh = c.id == 0;
    if (c.id != 0)
        q.bind(17, c.id);
    else
        q.bind(17);
    q.exec();
    c.id = s.db.getLastInsertRowid();
    write_children(s, c, fresh, keys);
    index_for_search(s, c, fresh);
    return c;
}

void rewrite_contact(store::impl& s, const contact& given, const key_list* keys) {
    contact c = given;  // a contact from a snapshot (undo) has no E.164 forms: derived again
    fill_e164(c, s.phones);
    rewrite_main_row(s, c);
    write_children(s, c, false, keys);
    index_for_search(s, c);
}

void update_contact(store::impl& s, const contact& before, const contact& after, const key_list* keys) {
    rewrite_main_row(s, after);
    contact_rows rows;
    auto clear = [&](const char* sql, const char* channel = nullptr) {
        SQLite::Statement& del = s.prepared(sql);
        del.bind(1, after.id);
        if (channel) del.bind(2, channel);
        del.exec();
    };
    // A list that only grew at its end gets its new rows; one changed otherwise is written again.
    auto grown = [](const auto& old, const auto& now) {
        return now.size() >= old.size() && std::equal(old.begin(), old.end(), now.begin());
    };
    auto values = [&](const char* name, const std::vector<labeled_value>& old, const std::vector<labeled_value>& now) {
        std::size_t from = old.size();
        // e164 is no part of labeled_value's equality, but it is a column.
        const bool same_e164 = now.size() >= old.size() &&
                               std::equal(old.begin(), old.end(), now.begin(),
                                          [](const labeled_value& a, const labeled_value& b) { return a.e164 == b.e164; });
        if (!grown(old, now) || !same_e164) {
            clear("DELETE FROM contact_channels WHERE contact_id = ? AND channel = ?", name);
            from = 0;
        }
        for (std::size_t i = from; i < now.size(); ++i)
            rows.channels.add({cell::integer(after.id), cell::literal(name), cell::integer(static_cast<std::int64_t>(i)),
                               cell::text(now[i].value), cell::text(now[i].kind), cell::text(now[i].e164)});
    };
    values("email", before.emails, after.emails);
    values("phone", before.phones, after.phones);
    values("url", before.urls, after.urls);
    values("im", before.ims, after.ims);
    std::size_t from = before.addresses.size();
    if (!grown(before.addresses, after.addresses)) {
        clear("DELETE FROM contact_addresses WHERE contact_id = ?");
        from = 0;
    }
    for (std::size_t i = from; i < after.addresses.size(); ++i) {
        const auto& a = after.addresses[i];
        rows.addresses.add({cell::integer(after.id), cell::integer(static_cast<std::int64_t>(i)), cell::text(a.kind),
                            cell::text(a.po_box), cell::text(a.extended), cell::text(a.street), cell::text(a.locality),
                            cell::text(a.region), cell::text(a.postal_code), cell::text(a.country)});
    }
    from = before.tags.size();
    if (!grown(before.tags, after.tags)) {
        clear("DELETE FROM contact_tags WHERE contact_id = ?");
        from = 0;
    }
    for (std::size_t i = from; i < after.tags.size(); ++i)
        rows.tags.add({cell::integer(after.id), cell::integer(static_cast<std::int64_t>(i)), cell::text(after.tags[i])});
    from = before.extra.size();
    if (!grown(before.extra, after.extra)) {
        clear("DELETE FROM contact_properties WHERE contact_id = ?");
        from = 0;
    }
    for (std::size_t i = from; i < after.extra.size(); ++i) {
        const auto& p = after.extra[i];
        rows.properties.add({cell::integer(after.id), cell::integer(static_cast<std::int64_t>(i)), cell::text(p.group),
                             cell::text(p.name), cell::text(rows.own(parameters_json(p.parameters))),
                             cell::text(p.value)});
    }
    // Notes have no position (they are read back in time order): the new ones are those `before`
    // does not have, counting repeats.
    std::vector<const note*> old_notes;
    for (const auto& n : before.notes) old_notes.push_back(&n);
    std::vector<const note*> new_notes;
    for (const auto& n : after.notes) {
        auto it = std::find_if(old_notes.begin(), old_notes.end(), [&](const note* o) { return o && *o == n; });
        if (it != old_notes.end())
            *it = nullptr;
        else
            new_notes.push_back(&n);
    }
    if (std::any_of(old_notes.begin(), old_notes.end(), [](const note* o) { return o != nullptr; })) {
        clear("DELETE FROM contact_notes WHERE contact_id = ?");
        new_notes.clear();
        for (const auto& n : after.notes) new_notes.push_back(&n);
    }
    for (const note* n : new_notes)
        rows.notes.add({cell::integer(after.id), cell::integer(to_unix(n->at)), cell::text(n->text)});
    // Match keys by difference with what is stored.
    std::vector<std::pair<std::string, std::string>> stored;
    if (keys) {
        SQLite::Statement& q = s.prepared("SELECT kind, key FROM contact_keys WHERE contact_id = ?");
        q.bind(1, after.id);
        while (q.executeStep()) stored.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    }
    for (const auto& [kind, key] : stored)
        if (std::find(keys->begin(), keys->end(), std::pair(kind, key)) == keys->end()) {
            SQLite::Statement& del = s.prepared("DELETE FROM contact_keys WHERE kind = ? AND key = ? AND contact_id = ?");
            bind_text(del, 1, kind);
            bind_text(del, 2, key);
            del.bind(3, after.id);
            del.exec();
        }
    if (keys)
        for (const auto& [kind, key] : *keys)
            if (std::find(stored.begin(), stored.end(), std::pair(kind, key)) == stored.end())
                rows.keys.add({cell::text(kind), cell::text(key), cell::integer(after.id)});
    rows.write(s);
    // The search entry only when its text changed (a card imported again changes nothing).
    if (search_columns(before) != search_columns(after)) index_for_search(s, after);
}

struct contact_batch::state {
    explicit state(store::impl& store) : s(store) {}
    store::impl& s;
    contact_id first = 0;  // ids from `first` to `next` - 1 are this batch's
    contact_id next = 0;
    // Ids run out (someone restored a contact with id 2^63 - 1): SQLite then picks unused ids at
    // random, so each contact is inserted at once, the slow way, and its id remembered.
    bool one_by_one = false;
    std::unordered_set<contact_id> inserted;
    std::vector<contact_id> inserted_unflushed;
    std::vector<std::pair<contact, key_list>> kept;
    contact_rows rows;
};

contact_batch::contact_batch(store::impl& s) : st_(std::make_unique<state>(s)) {
    const std::int64_t highest = s.db.execAndGet("SELECT coalesce(max(id), 0) FROM contacts").getInt64();
    st_->one_by_one = highest > std::numeric_limits<std::int64_t>::max() - (std::int64_t{1} << 40);
    st_->first = st_->next = highest + 1;
}

contact_batch::~contact_batch() = default;

contact_id contact_batch::add(contact c, key_list keys) {
    if (st_->one_by_one) {
        c.id = 0;
        const contact_id id = insert_contact(st_->s, std::move(c), &keys).id;
        st_->inserted.insert(id);
        st_->inserted_unflushed.push_back(id);
        return id;
    }
    if (std::string uid = ensure_uid(c); !uid.empty()) keys.emplace_back("uid", std::move(uid));
    c.id = st_->next++;
    st_->kept.emplace_back(std::move(c), std::move(keys));
    return st_->kept.back().first.id;
}

std::size_t contact_batch::size() const noexcept { return st_->kept.size() + st_->inserted_unflushed.size(); }

bool contact_batch::added(contact_id id) const noexcept {
    return st_->one_by_one ? st_->inserted.count(id) > 0 : id >= st_->first && id < st_->next;
}

bool contact_batch::kept(contact_id id) const noexcept {
    return !st_->kept.empty() && id >= st_->kept.front().first.id && id < st_->next;
}

std::vector<contact_id> contact_batch::flush() {
    std::vector<contact_id> ids = std::move(st_->inserted_unflushed);
    st_->inserted_unflushed.clear();
    if (st_->kept.empty()) return ids;
    contact_rows& rows = st_->rows;
    for (const auto& [c, keys] : st_->kept) {
        rows.add_main(c);
        rows.add_children(c, keys);
        rows.add_search(c);
        ids.push_back(c.id);
    }
    rows.write(st_->s);
    st_->kept.clear();
    return ids;
}

bool delete_contact(store::impl& s, contact_id id) {
    drop_interactions_only_with(s, id);
    SQLite::Statement& q = s.prepared("DELETE FROM contacts WHERE id = ?");
    q.bind(1, id);
    bool gone = q.exec() > 0;
    SQLite::Statement& f = s.prepared("DELETE FROM contact_search WHERE rowid = ?");
    f.bind(1, id);
    f.exec();
    return gone;
}

void prepare_contact(contact& c, date::sys_seconds now) { prepare(c, now); }
void prepare_normalized_contact(contact& c, date::sys_seconds now) { stamp_notes(c, now); }

std::string contact_region(const contact& c) {
    for (const auto& a : c.addresses)
        if (auto r = phone_region(a.country); !r.empty()) return r;
    return {};
}

std::optional<std::string> phone_e164(const std::string& region, const labeled_value& phone,
                                      const phone_normalizer& phones) {
    if (!region.empty())
        if (auto k = phones.e164(phone.value, region)) return k;
    return phones.e164(phone.value);
}

void fill_e164(contact& c, const phone_normalizer& phones) {
    const std::string region = contact_region(c);
    for (auto& ph : c.phones) ph.e164 = phone_e164(region, ph, phones).value_or("");
}

void refresh_phones(store::impl& s, const phone_normalizer& phones) {
    std::unordered_map<contact_id, std::string> regions;
    {
        SQLite::Statement q(s.db, "SELECT contact_id, country FROM contact_addresses ORDER BY contact_id, position");
        while (q.executeStep()) {
            const contact_id id = q.getColumn(0).getInt64();
            if (regions.count(id)) continue;
            if (auto r = phone_region(q.getColumn(1).getString()); !r.empty()) regions.emplace(id, std::move(r));
        }
    }
    struct row {
        contact_id id;
        std::int64_t position;
        labeled_value phone;
    };
    std::vector<row> rows;
    {
        SQLite::Statement q(s.db, "SELECT contact_id, position, value FROM contact_channels WHERE channel = 'phone'");
        while (q.executeStep())
            rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), {q.getColumn(2).getString(), {}, {}}});
    }
    s.db.exec("DELETE FROM contact_keys WHERE kind = 'phone'");
    SQLite::Statement set(s.db, "UPDATE contact_channels SET e164 = ? WHERE contact_id = ? AND channel = 'phone' AND position = ?");
    SQLite::Statement key(s.db, "INSERT OR IGNORE INTO contact_keys(kind, key, contact_id) VALUES ('phone', ?, ?)");
    static const std::string no_region;
    for (const auto& r : rows) {
        auto it = regions.find(r.id);
        const std::string e164 = phone_e164(it == regions.end() ? no_region : it->second, r.phone, phones).value_or("");
        set.bind(1, e164);
        set.bind(2, r.id);
        set.bind(3, r.position);
        set.exec();
        set.reset();
        if (e164.empty()) continue;
        key.bind(1, e164);
        key.bind(2, r.id);
        key.exec();
        key.reset();
    }
}

void upgrade_contacts_to_7(store::impl& s) {
    // URLs that are IM URIs: what IMPP became before ims existed (the reader kept the service as kind).
    std::vector<contact_id> ids;
    {
        SQLite::Statement q(s.db, "SELECT DISTINCT contact_id FROM contact_channels WHERE channel = 'url' AND "
                                  "lower(substr(value, 1, instr(value, ':'))) IN ('skype:', 'xmpp:', 'aim:', 'msnim:', "
                                  "'ymsgr:', 'icq:', 'gtalk:', 'sip:', 'x-apple:', 'im:') ORDER BY contact_id");
        while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    }
    for (contact c : load(s, ids)) {
        std::vector<labeled_value> urls;
        for (auto& u : c.urls) {
            const std::string scheme = lower_ascii(u.value.substr(0, u.value.find(':') + 1));
            const bool im = scheme == "skype:" || scheme == "xmpp:" || scheme == "aim:" || scheme == "msnim:" ||
                            scheme == "ymsgr:" || scheme == "icq:" || scheme == "gtalk:" || scheme == "sip:" ||
                            scheme == "x-apple:" || scheme == "im:";
            (im ? c.ims : urls).push_back(std::move(u));
        }
        c.urls = std::move(urls);
        try {
            normalize_and_validate(c);
        } catch (const invalid_input&) {
            continue;  // stored before today's rules: left as it was rather than half-changed
        }
        rewrite_contact(s, c);
    }
    refresh_phones(s, s.phones);
    s.db.exec("DELETE FROM settings WHERE key = 'upgrade_contacts_7'");
}

key_list match_keys(const contact& c, const phone_normalizer& phones) {
    key_list keys;
    for (const auto& p : c.extra)
        if ((p.name == "UID" || p.name == merged_uid_property) && !p.value.empty()) keys.emplace_back("uid", p.value);
    for (const auto& e : c.emails)
        if (auto k = normalized_email(e.value); !k.empty()) keys.emplace_back("email", std::move(k));
    std::optional<std::string> region;  // computed for the first phone without its E.164 form
    for (const auto& ph : c.phones) {
        if (!ph.e164.empty()) {
            keys.emplace_back("phone", ph.e164);
            continue;
        }
        if (!region) region = contact_region(c);
        if (auto k = phone_e164(*region, ph, phones)) keys.emplace_back("phone", std::move(*k));
    }
    for (const auto& u : c.urls)
        if (auto k = profile_key(u.value); !k.empty()) keys.emplace_back("profile", std::move(k));
    if (!c.organization.empty()) {
        auto name = folded(c.display_name), org = folded(c.organization);
        if (!name.empty() && !org.empty()) keys.emplace_back("name_org", name + "\x1f" + org);
    }
    return keys;
}

}  // namespace detail

contact_store::contact_store(store::impl& impl) : s_(impl) {}

contact contact_store::add(contact c) {
    return guarded(s_, [&] {
        c.id = 0;
        const auto now = s_.now();
        prepare(c, now);
        c.created_at = c.updated_at = now;
        return write_transaction(s_, [&] {
            check_introducer(s_.db, c);
            return detail::insert_contact(s_, std::move(c));  // c.id is 0: a new id
        });
    });
}

std::optional<contact> contact_store::find(contact_id id) const {
    return guarded(s_, [&] { return load_one(s_, id); });
}

contact contact_store::get(contact_id id) const {
    auto c = find(id);
    if (!c) throw not_found("contact", id);
    return std::move(*c);
}

bool contact_store::contains(contact_id id) const {
    return guarded(s_, [&] { return exists(s_.db, id); });
}

contact contact_store::update(contact c) {
    return guarded(s_, [&] {
        const auto now = s_.now();
        prepare(c, now);
        return write_transaction(s_, [&] {
            SQLite::Statement created(s_.db, "SELECT created_at FROM contacts WHERE id = ?");
            created.bind(1, c.id);
            if (!created.executeStep()) throw not_found("contact", c.id);
            c.created_at = from_unix(created.getColumn(0).getInt64());
            c.updated_at = now;
            // A contact handed back without its UID keeps the stored one: a UID never changes.
            if (!find_uid(c)) {
                if (auto uid = stored_uid(s_, c.id))
                    c.extra.push_back(card_property{"", "UID", {}, std::move(*uid)});
                else
                    ensure_uid(c);
            }
            detail::fill_e164(c, s_.phones);
            check_introducer(s_.db, c);
            rewrite_main_row(s_, c);
            write_children(s_, c);
            index_for_search(s_, c);
            return c;
        });
    });
}

void contact_store::remove(contact_id id) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            detail::drop_interactions_only_with(s_, id);  // not those shared with others
            SQLite::Statement q(s_.db, "DELETE FROM contacts WHERE id = ?");
            q.bind(1, id);
            if (q.exec() == 0) throw not_found("contact", id);
            SQLite::Statement f(s_.db, "DELETE FROM contact_search WHERE rowid = ?");
            f.bind(1, id);
            f.exec();
        });
    });
}

contact contact_store::add_note(contact_id id, std::string text, std::optional<date::sys_seconds> at) {
    detail::check_text("note", text);
    text = detail::trim(text);  // as every note is stored (normalize_and_validate)
    return guarded(s_, [&] {
        const auto now = s_.now();
        return write_transaction(s_, [&] {
            auto c = load_one(s_, id);
            if (!c) throw not_found("contact", id);
            SQLite::Statement q(s_.db, "INSERT INTO contact_notes(contact_id, at, text) VALUES (?, ?, ?)");
            q.bind(1, id);
            q.bind(2, to_unix(at.value_or(now)));
            q.bind(3, text);
            q.exec();
            SQLite::Statement u(s_.db, "UPDATE contacts SET updated_at = ? WHERE id = ?");
            u.bind(1, to_unix(now));
            u.bind(2, id);
            u.exec();
            c = load_one(s_, id);
            index_for_search(s_, *c);
            return std::move(*c);
        });
    });
}

std::vector<contact> contact_store::list(const contact_filter& filter) const {
    return guarded(s_, [&] {
        std::string sql = "SELECT id FROM contacts" + where_clause(filter) +
                          " ORDER BY display_name COLLATE NOCASE, id";
        if (filter.limit) sql += " LIMIT " + std::to_string(filter.limit);
        if (filter.offset) sql += (filter.limit ? "" : " LIMIT -1") + std::string(" OFFSET ") +
                                  std::to_string(filter.offset);
        SQLite::Statement q(s_.db, sql);
        bind_filter(q, filter);
        std::vector<contact_id> ids;
        while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
        return load(s_, ids);
    });
}

std::size_t contact_store::count(const contact_filter& filter) const {
    return guarded(s_, [&] {
        SQLite::Statement q(s_.db, "SELECT count(*) FROM contacts" + where_clause(filter));
        bind_filter(q, filter);
        q.executeStep();
        return static_cast<std::size_t>(q.getColumn(0).getInt64());
    });
}

std::vector<tag_count> contact_store::tags() const {
    return guarded(s_, [&] {
        SQLite::Statement q(s_.db, "SELECT tag, count(*) FROM contact_tags GROUP BY tag ORDER BY tag COLLATE NOCASE");
        std::vector<tag_count> out;
        while (q.executeStep())
            out.push_back({q.getColumn(0).getString(), static_cast<std::size_t>(q.getColumn(1).getInt64())});
        return out;
    });
}

std::vector<contact> contact_store::search(std::string_view query, std::size_t limit) const {
    detail::check_text("search query", query);
    const std::string match = fts_query(query);
    if (match.empty()) return {};
    return guarded(s_, [&] {
        std::string sql = "SELECT rowid FROM contact_search WHERE contact_search MATCH ? ORDER BY rank";
        if (limit) sql += " LIMIT " + std::to_string(limit);
        SQLite::Statement q(s_.db, sql);
        q.bind(1, match);
        std::vector<contact_id> ids;
        while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
        return load(s_, ids);
    });
}

contact contact_store::merge(contact_id survivor_id, contact_id other_id) {
    if (survivor_id == other_id) throw invalid_input("cannot merge a contact with itself");
    return guarded(s_, [&] {
        const auto now = s_.now();
        return write_transaction(s_, [&] {
            auto keep = load_one(s_, survivor_id);
            if (!keep) throw not_found("contact", survivor_id);
            auto other = load_one(s_, other_id);
            if (!other) throw not_found("contact", other_id);
            contact& k = *keep;
            const contact& o = *other;

            detail::absorb(k, o, now, "Merged from \"" + o.display_name + "\" (contact " + std::to_string(o.id) + "):");
            k.created_at = std::min(k.created_at, o.created_at);
            k.updated_at = now;

            SQLite::Statement snap(s_.db, "INSERT INTO contact_merges(survivor_id, merged_id, merged_at, snapshot) "
                                          "VALUES (?, ?, ?, ?)");
            snap.bind(1, k.id);
            snap.bind(2, o.id);
            snap.bind(3, to_unix(now));
            snap.bind(4, detail::to_json(o).dump());
            snap.exec();
            // Earlier merges into `other` now belong to the survivor.
            SQLite::Statement chain(s_.db, "UPDATE contact_merges SET survivor_id = ? WHERE survivor_id = ?");
            chain.bind(1, k.id);
            chain.bind(2, o.id);
            chain.exec();
            for (const auto& ref : detail::contact_references()) {
                SQLite::Statement r(s_.db, std::string(ref.keyed ? "UPDATE OR IGNORE " : "UPDATE ") + ref.table +
                                               " SET " + ref.column + " = ? WHERE " + ref.column + " = ?");
                r.bind(1, k.id);
                r.bind(2, o.id);
                r.exec();
                if (ref.keyed) {
                    SQLite::Statement d(s_.db, std::string("DELETE FROM ") + ref.table + " WHERE " + ref.column + " = ?");
                    d.bind(1, o.id);
                    d.exec();
                }
            }
            // One first meeting per person: the earlier of the two.
            SQLite::Statement first(s_.db, R"sql(
                UPDATE event_attendees SET first_meeting = 0
                WHERE contact_id = ?1 AND first_meeting = 1
                  AND (met_at, event_id) > (SELECT min(met_at), min(event_id) FROM event_attendees
                                            WHERE contact_id = ?1 AND first_meeting = 1
                                              AND met_at = (SELECT min(met_at) FROM event_attendees
                                                            WHERE contact_id = ?1 AND first_meeting = 1)))sql");
            first.bind(1, k.id);
            first.exec();
            // Nobody introduced themselves.
            SQLite::Statement self(s_.db, "UPDATE event_attendees SET introduced_by = NULL WHERE contact_id = ?1 AND introduced_by = ?1");
            self.bind(1, k.id);
            self.exec();
            // The survivor cannot have been introduced by itself, nor by the contact now gone.
            if (k.introduced_by && (*k.introduced_by == k.id || *k.introduced_by == o.id)) k.introduced_by.reset();

            SQLite::Statement del(s_.db, "DELETE FROM contacts WHERE id = ?");
            del.bind(1, o.id);
            del.exec();
            SQLite::Statement delf(s_.db, "DELETE FROM contact_search WHERE rowid = ?");
            delf.bind(1, o.id);
            delf.exec();

            normalize_and_validate(k);
            detail::fill_e164(k, s_.phones);
            rewrite_main_row(s_, k);
            write_children(s_, k);
            index_for_search(s_, k);
            return k;
        });
    });
}

std::vector<std::string> contact_store::merge_history(contact_id survivor) const {
    return guarded(s_, [&] {
        SQLite::Statement q(s_.db, "SELECT snapshot FROM contact_merges WHERE survivor_id = ? ORDER BY merged_at, id");
        q.bind(1, survivor);
        std::vector<std::string> out;
        while (q.executeStep()) out.push_back(q.getColumn(0).getString());
        return out;
    });
}

}  // namespace crm
