#include "crm/contact_store.hpp"

#include "detail/contact_json.hpp"
#include "detail/contact_rows.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
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

std::string id_array(const std::vector<contact_id>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "]";
}

// Loads whole contacts for `ids`, in that order: one query per table, not one per contact.
std::vector<contact> load(SQLite::Database& db, const std::vector<contact_id>& ids) {
    if (ids.empty()) return {};
    const std::string arr = id_array(ids);
    std::unordered_map<contact_id, contact> by_id;
    by_id.reserve(ids.size());
    {
        SQLite::Statement q(db, std::string("SELECT ") + contact_columns +
                                    " FROM contacts WHERE id IN (SELECT value FROM json_each(?))");
        q.bind(1, arr);
        while (q.executeStep()) {
            contact c = read_row(q);
            by_id.emplace(c.id, std::move(c));
        }
    }
    {
        SQLite::Statement q(db,
                            "SELECT contact_id, channel, value, kind FROM contact_channels WHERE contact_id IN "
                            "(SELECT value FROM json_each(?)) ORDER BY contact_id, channel, position");
        q.bind(1, arr);
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it == by_id.end()) continue;
            std::string channel = q.getColumn(1).getString();
            labeled_value v{q.getColumn(2).getString(), q.getColumn(3).getString()};
            auto& c = it->second;
            (channel == "email" ? c.emails : channel == "phone" ? c.phones : c.urls).push_back(std::move(v));
        }
    }
    {
        SQLite::Statement q(db,
                            "SELECT contact_id, kind, po_box, extended, street, locality, region, postal_code, "
                            "country FROM contact_addresses WHERE contact_id IN (SELECT value FROM json_each(?)) "
                            "ORDER BY contact_id, position");
        q.bind(1, arr);
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
        SQLite::Statement q(db,
                            "SELECT contact_id, tag FROM contact_tags WHERE contact_id IN "
                            "(SELECT value FROM json_each(?)) ORDER BY contact_id, position");
        q.bind(1, arr);
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it != by_id.end()) it->second.tags.push_back(q.getColumn(1).getString());
        }
    }
    {
        SQLite::Statement q(db,
                            "SELECT contact_id, at, text FROM contact_notes WHERE contact_id IN "
                            "(SELECT value FROM json_each(?)) ORDER BY contact_id, at, id");
        q.bind(1, arr);
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it != by_id.end())
                it->second.notes.push_back(note{from_unix(q.getColumn(1).getInt64()), q.getColumn(2).getString()});
        }
    }
    {
        SQLite::Statement q(db,
                            "SELECT contact_id, grp, name, parameters, value FROM contact_properties WHERE contact_id "
                            "IN (SELECT value FROM json_each(?)) ORDER BY contact_id, position");
        q.bind(1, arr);
        while (q.executeStep()) {
            auto it = by_id.find(q.getColumn(0).getInt64());
            if (it == by_id.end()) continue;
            card_property p;
            p.group = q.getColumn(1).getString();
            p.name = q.getColumn(2).getString();
            for (const auto& prm : nlohmann::json::parse(q.getColumn(3).getString()))
                p.parameters.push_back({prm.at("name").get<std::string>(), prm.at("values").get<std::vector<std::string>>()});
            p.value = q.getColumn(4).getString();
            it->second.extra.push_back(std::move(p));
        }
    }
    std::vector<contact> out;
    out.reserve(ids.size());
    for (contact_id id : ids) {
        auto it = by_id.find(id);
        if (it != by_id.end()) out.push_back(std::move(it->second));
    }
    return out;
}

std::optional<contact> load_one(SQLite::Database& db, contact_id id) {
    auto v = load(db, {id});
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

void bind_text(SQLite::Statement& q, int i, const std::string& s) {
    // Explicit length: values are checked free of NUL, but never let SQLite guess a length.
    q.bind(i, s);
}

std::string parameters_json(const std::vector<card_parameter>& ps) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& p : ps) a.push_back({{"name", p.name}, {"values", p.values}});
    return a.dump();
}

// Writes everything of c but its main row (the caller inserts or updates that), keys included.
void write_children(store::impl& s, const contact& c) {
    for (const char* table : {"contact_channels", "contact_addresses", "contact_tags", "contact_notes",
                              "contact_properties", "contact_keys"}) {
        SQLite::Statement& del = s.prepared(std::string("DELETE FROM ") + table + " WHERE contact_id = ?");
        del.bind(1, c.id);
        del.exec();
    }
    SQLite::Statement& ch = s.prepared("INSERT INTO contact_channels(contact_id, channel, position, value, kind) "
                             "VALUES (?, ?, ?, ?, ?)");
    auto channels = [&](const char* name, const std::vector<labeled_value>& values) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            ch.bind(1, c.id);
            ch.bind(2, name);
            ch.bind(3, static_cast<int64_t>(i));
            bind_text(ch, 4, values[i].value);
            bind_text(ch, 5, values[i].kind);
            ch.exec();
            ch.reset();
        }
    };
    channels("email", c.emails);
    channels("phone", c.phones);
    channels("url", c.urls);

    SQLite::Statement& ad = s.prepared("INSERT INTO contact_addresses(contact_id, position, kind, po_box, extended, street, "
                             "locality, region, postal_code, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < c.addresses.size(); ++i) {
        const auto& a = c.addresses[i];
        ad.bind(1, c.id);
        ad.bind(2, static_cast<int64_t>(i));
        int k = 3;
        for (const std::string* part :
             {&a.kind, &a.po_box, &a.extended, &a.street, &a.locality, &a.region, &a.postal_code, &a.country})
            bind_text(ad, k++, *part);
        ad.exec();
        ad.reset();
    }

    SQLite::Statement& tg = s.prepared("INSERT INTO contact_tags(contact_id, position, tag) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < c.tags.size(); ++i) {
        tg.bind(1, c.id);
        tg.bind(2, static_cast<int64_t>(i));
        bind_text(tg, 3, c.tags[i]);
        tg.exec();
        tg.reset();
    }

    SQLite::Statement& nt = s.prepared("INSERT INTO contact_notes(contact_id, at, text) VALUES (?, ?, ?)");
    for (const auto& n : c.notes) {
        nt.bind(1, c.id);
        nt.bind(2, to_unix(n.at));
        bind_text(nt, 3, n.text);
        nt.exec();
        nt.reset();
    }

    SQLite::Statement& pr = s.prepared("INSERT INTO contact_properties(contact_id, position, grp, name, parameters, value) "
                             "VALUES (?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < c.extra.size(); ++i) {
        const auto& p = c.extra[i];
        pr.bind(1, c.id);
        pr.bind(2, static_cast<int64_t>(i));
        bind_text(pr, 3, p.group);
        bind_text(pr, 4, p.name);
        pr.bind(5, parameters_json(p.parameters));
        bind_text(pr, 6, p.value);
        pr.exec();
        pr.reset();
    }

    SQLite::Statement& ky = s.prepared("INSERT OR IGNORE INTO contact_keys(kind, key, contact_id) VALUES (?, ?, ?)");
    for (const auto& [kind, key] : detail::match_keys(c, s.phones)) {
        ky.bind(1, kind);
        ky.bind(2, key);
        ky.bind(3, c.id);
        ky.exec();
        ky.reset();
    }
}

void join_into(std::string& out, const std::string& s) {
    if (s.empty()) return;
    if (!out.empty()) out += ' ';
    out += s;
}

void index_for_search(store::impl& s, const contact& c) {
    SQLite::Statement& del = s.prepared("DELETE FROM contact_search WHERE rowid = ?");
    del.bind(1, c.id);
    del.exec();
    std::string names, channels, organization, tags, notes;
    join_into(names, c.display_name);
    join_into(names, c.name.formatted());
    for (const auto& v : c.emails) join_into(channels, v.value);
    for (const auto& v : c.phones) join_into(channels, v.value);
    for (const auto& v : c.urls) join_into(channels, v.value);
    join_into(organization, c.organization);
    join_into(organization, c.title);
    for (const auto& t : c.tags) join_into(tags, t);
    join_into(notes, c.how_met);
    for (const auto& n : c.notes) join_into(notes, n.text);
    SQLite::Statement& ins = s.prepared("INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, c.id);
    ins.bind(2, names);
    ins.bind(3, channels);
    ins.bind(4, organization);
    ins.bind(5, tags);
    ins.bind(6, notes);
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

void prepare(contact& c, date::sys_seconds now) {
    normalize_and_validate(c);
    for (auto& n : c.notes)
        if (n.at == note::unstamped) n.at = now;
    std::stable_sort(c.notes.begin(), c.notes.end(), [](const note& a, const note& b) { return a.at < b.at; });
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
    for (const auto& a : o.addresses)
        if (std::find(k.addresses.begin(), k.addresses.end(), a) == k.addresses.end())
            k.addresses.push_back(a);
    for (const auto& t : o.tags)
        if (std::find(k.tags.begin(), k.tags.end(), t) == k.tags.end()) k.tags.push_back(t);
    for (const auto& p : o.extra)  // UIDs of both, X- properties of both
        if (std::find(k.extra.begin(), k.extra.end(), p) == k.extra.end()) k.extra.push_back(p);
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

std::vector<contact> load_contacts(store::impl& s, const std::vector<contact_id>& ids) { return load(s.db, ids); }

contact insert_contact(store::impl& s, contact c) {
    // id is the 17th column: NULL lets SQLite choose; a restore passes the id it had.
    SQLite::Statement& q = s.prepared(
        "INSERT INTO contacts(display_name, name_prefix, name_given, name_additional, name_family, name_suffix, "
        "organization, title, birthday_year, birthday_month, birthday_day, how_met, introduced_by, source, created_at, "
        "updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_main_row(q, c);
    if (c.id != 0)
        q.bind(17, c.id);
    else
        q.bind(17);
    q.exec();
    c.id = s.db.getLastInsertRowid();
    write_children(s, c);
    index_for_search(s, c);
    return c;
}

void rewrite_contact(store::impl& s, const contact& c) {
    rewrite_main_row(s, c);
    write_children(s, c);
    index_for_search(s, c);
}

bool delete_contact(store::impl& s, contact_id id) {
    SQLite::Statement& q = s.prepared("DELETE FROM contacts WHERE id = ?");
    q.bind(1, id);
    bool gone = q.exec() > 0;
    SQLite::Statement& f = s.prepared("DELETE FROM contact_search WHERE rowid = ?");
    f.bind(1, id);
    f.exec();
    return gone;
}

void prepare_contact(contact& c, date::sys_seconds now) { prepare(c, now); }

std::vector<std::pair<std::string, std::string>> match_keys(const contact& c, const phone_normalizer& phones) {
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& p : c.extra)
        if (p.name == "UID" && !p.value.empty()) keys.emplace_back("uid", p.value);
    for (const auto& e : c.emails)
        if (auto k = normalized_email(e.value); !k.empty()) keys.emplace_back("email", std::move(k));
    for (const auto& ph : c.phones)
        if (auto k = phones.e164(ph.value)) keys.emplace_back("phone", std::move(*k));
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
    return guarded(s_, [&] { return load_one(s_.db, id); });
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
    return guarded(s_, [&] {
        const auto now = s_.now();
        return write_transaction(s_, [&] {
            auto c = load_one(s_.db, id);
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
            c = load_one(s_.db, id);
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
        return load(s_.db, ids);
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
        return load(s_.db, ids);
    });
}

contact contact_store::merge(contact_id survivor_id, contact_id other_id) {
    if (survivor_id == other_id) throw invalid_input("cannot merge a contact with itself");
    return guarded(s_, [&] {
        const auto now = s_.now();
        return write_transaction(s_, [&] {
            auto keep = load_one(s_.db, survivor_id);
            if (!keep) throw not_found("contact", survivor_id);
            auto other = load_one(s_.db, other_id);
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
                SQLite::Statement r(s_.db, std::string("UPDATE ") + ref.table + " SET " + ref.column + " = ? WHERE " +
                                               ref.column + " = ?");
                r.bind(1, k.id);
                r.bind(2, o.id);
                r.exec();
            }
            // The survivor cannot have been introduced by itself, nor by the contact now gone.
            if (k.introduced_by && (*k.introduced_by == k.id || *k.introduced_by == o.id)) k.introduced_by.reset();

            SQLite::Statement del(s_.db, "DELETE FROM contacts WHERE id = ?");
            del.bind(1, o.id);
            del.exec();
            SQLite::Statement delf(s_.db, "DELETE FROM contact_search WHERE rowid = ?");
            delf.bind(1, o.id);
            delf.exec();

            normalize_and_validate(k);
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
