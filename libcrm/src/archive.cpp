#include "crm/archive.hpp"

#include "crm/error.hpp"
#include "detail/contact_json.hpp"
#include "detail/contact_rows.hpp"
#include "detail/store_impl.hpp"

#include <nlohmann/json.hpp>

namespace crm {

using detail::from_unix;
using detail::iso8601;
using detail::parse_iso8601;
using detail::to_unix;
using nlohmann::json;

namespace {

constexpr std::size_t page = 1000;

json column_json(const SQLite::Column& c) {
    if (c.isNull()) return nullptr;
    if (c.isInteger()) return c.getInt64();
    return c.getString();
}

// Rows of a table as JSON objects keyed by column name; instants stay integers (seconds, UTC)
// except where named, which become ISO 8601.
json rows(SQLite::Database& db, const std::string& sql, std::int64_t id, const std::vector<std::string>& instants) {
    SQLite::Statement q(db, sql);
    q.bind(1, id);
    json out = json::array();
    while (q.executeStep()) {
        json row = json::object();
        for (int i = 0; i < q.getColumnCount(); ++i) {
            std::string name = q.getColumnName(i);
            json v = column_json(q.getColumn(i));
            if (!v.is_null() && std::find(instants.begin(), instants.end(), name) != instants.end())
                v = iso8601(from_unix(v.get<std::int64_t>()));
            row[name] = std::move(v);
        }
        out.push_back(std::move(row));
    }
    return out;
}

template <class T>
T need(const json& j, const char* key, const std::string& where) {
    if (!j.is_object() || !j.contains(key))
        throw invalid_input(where + ": missing \"" + key + "\"");
    try {
        return j.at(key).get<T>();
    } catch (const json::exception& e) {
        throw invalid_input(where + ": \"" + key + "\" has the wrong type (" + e.what() + ")");
    }
}

std::int64_t instant_or_null(const json& j, const char* key, const std::string& where, bool& is_null) {
    is_null = !j.contains(key) || j.at(key).is_null();
    if (is_null) return 0;
    return to_unix(parse_iso8601(need<std::string>(j, key, where)));
}

// The rows of an export, inserted with their ids; the caller holds the write transaction.
void restore_rows(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    {
        {
            {
                std::size_t i = 0;
                for (const auto& j : doc.value("contacts", json::array())) {
                    std::string where = source + ": contacts[" + std::to_string(i++) + "]";
                    contact c;
                    try {
                        c = detail::contact_from_json(j);
                        normalize_and_validate(c);
                    } catch (const invalid_input& e) {
                        throw invalid_input(where + ": " + e.what());
                    }
                    if (c.id <= 0) throw invalid_input(where + ": \"id\" must be a positive number");
                    detail::insert_contact(s_, std::move(c));
                    ++summary.contacts;
                }
            }
            SQLite::Statement m(s_.db, "INSERT INTO contact_merges(id, survivor_id, merged_id, merged_at, snapshot) VALUES (?, ?, ?, ?, ?)");
            for (const auto& j : doc.value("merges", json::array())) {
                std::string where = source + ": merges[" + std::to_string(summary.merges) + "]";
                m.bind(1, need<std::int64_t>(j, "id", where));
                m.bind(2, need<std::int64_t>(j, "survivor_id", where));
                m.bind(3, need<std::int64_t>(j, "merged_id", where));
                m.bind(4, to_unix(parse_iso8601(need<std::string>(j, "merged_at", where))));
                m.bind(5, need<json>(j, "snapshot", where).dump());
                m.exec();
                m.reset();
                ++summary.merges;
            }
            SQLite::Statement b(s_.db,
                                "INSERT INTO import_batches(id, source, format, policy, tags, how_met, started_at, "
                                "finished_at, added, merged, skipped, rejected, undone_at) VALUES "
                                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            SQLite::Statement ch(s_.db, "INSERT INTO import_changes(batch_id, contact_id, action, before) VALUES (?, ?, ?, ?)");
            SQLite::Statement pr(s_.db,
                                 "INSERT INTO import_problems(batch_id, kind, source, line, col, reason, contact_id, "
                                 "other_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            for (const auto& j : doc.value("imports", json::array())) {
                std::string where = source + ": imports[" + std::to_string(summary.batches) + "]";
                std::int64_t id = need<std::int64_t>(j, "id", where);
                bool null_undone = false, unused = false;
                b.bind(1, id);
                b.bind(2, need<std::string>(j, "source", where));
                b.bind(3, need<std::string>(j, "format", where));
                b.bind(4, need<std::string>(j, "policy", where));
                b.bind(5, need<json>(j, "tags", where).dump());
                b.bind(6, need<std::string>(j, "how_met", where));
                b.bind(7, instant_or_null(j, "started_at", where, unused));
                b.bind(8, instant_or_null(j, "finished_at", where, unused));
                b.bind(9, need<std::int64_t>(j, "added", where));
                b.bind(10, need<std::int64_t>(j, "merged", where));
                b.bind(11, need<std::int64_t>(j, "skipped", where));
                b.bind(12, need<std::int64_t>(j, "rejected", where));
                std::int64_t undone = instant_or_null(j, "undone_at", where, null_undone);
                if (null_undone)
                    b.bind(13);
                else
                    b.bind(13, undone);
                b.exec();
                b.reset();
                for (const auto& c : j.value("changes", json::array())) {
                    ch.bind(1, id);
                    ch.bind(2, need<std::int64_t>(c, "contact_id", where));
                    ch.bind(3, need<std::string>(c, "action", where));
                    if (c.contains("before") && !c.at("before").is_null())
                        ch.bind(4, c.at("before").dump());
                    else
                        ch.bind(4);
                    ch.exec();
                    ch.reset();
                }
                for (const auto& p : j.value("problems", json::array())) {
                    pr.bind(1, id);
                    pr.bind(2, need<std::string>(p, "kind", where));
                    pr.bind(3, need<std::string>(p, "source", where));
                    pr.bind(4, need<std::int64_t>(p, "line", where));
                    pr.bind(5, need<std::int64_t>(p, "col", where));
                    pr.bind(6, need<std::string>(p, "reason", where));
                    if (p.contains("contact_id") && !p.at("contact_id").is_null())
                        pr.bind(7, p.at("contact_id").get<std::int64_t>());
                    else
                        pr.bind(7);
                    if (p.contains("other_id") && !p.at("other_id").is_null())
                        pr.bind(8, p.at("other_id").get<std::int64_t>());
                    else
                        pr.bind(8);
                    pr.exec();
                    pr.reset();
                }
                ++summary.batches;
            }
            // Deferred checks run at COMMIT; say which reference is wrong instead of a bare failure.
            if (s_.db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt64() != 0)
                throw invalid_input(source + ": a contact or merge refers to a contact id the export does not have");
        }
    }
}

}  // namespace

archive::archive(store::impl& impl) : s_(impl) {}

void archive::write(std::ostream& out) {
    detail::guarded(s_, [&] {
        // One read transaction: a consistent picture even while another process writes.
        s_.db.exec("BEGIN");
        try {
            json head{{"format", "netcrm"},
                      {"schema_version", store::schema_version},
                      {"exported_at", iso8601(s_.now())}};
            json settings = json::object();
            {
                SQLite::Statement q(s_.db, "SELECT key, value FROM settings ORDER BY key");
                while (q.executeStep()) settings[q.getColumn(0).getString()] = q.getColumn(1).getString();
            }
            head["settings"] = settings;
            std::string h = head.dump(1);
            h.pop_back();  // the closing brace: the big arrays follow
            while (!h.empty() && (h.back() == '\n' || h.back() == ' ')) h.pop_back();
            out << h << ",\n \"contacts\": [";
            contact_id after = 0;
            bool first = true;
            for (;;) {
                std::vector<contact_id> ids;
                SQLite::Statement q(s_.db, "SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT " + std::to_string(page));
                q.bind(1, after);
                while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
                if (ids.empty()) break;
                for (const auto& c : detail::load_contacts(s_, ids)) {
                    out << (first ? "\n  " : ",\n  ") << detail::to_json(c).dump();
                    first = false;
                }
                after = ids.back();
            }
            out << "\n ],\n \"merges\": [";
            {
                SQLite::Statement q(s_.db, "SELECT id, survivor_id, merged_id, merged_at, snapshot FROM contact_merges ORDER BY id");
                first = true;
                while (q.executeStep()) {
                    json m{{"id", q.getColumn(0).getInt64()},
                           {"survivor_id", q.getColumn(1).getInt64()},
                           {"merged_id", q.getColumn(2).getInt64()},
                           {"merged_at", iso8601(from_unix(q.getColumn(3).getInt64()))},
                           {"snapshot", json::parse(q.getColumn(4).getString())}};
                    out << (first ? "\n  " : ",\n  ") << m.dump();
                    first = false;
                }
            }
            out << "\n ],\n \"imports\": [";
            {
                SQLite::Statement q(s_.db, "SELECT id FROM import_batches ORDER BY id");
                first = true;
                while (q.executeStep()) {
                    std::int64_t id = q.getColumn(0).getInt64();
                    json b = rows(s_.db, "SELECT * FROM import_batches WHERE id = ?", id,
                                  {"started_at", "finished_at", "undone_at"})
                                 .at(0);
                    b["tags"] = json::parse(b["tags"].get<std::string>());
                    b["changes"] = rows(s_.db,
                                        "SELECT contact_id, action, before FROM import_changes WHERE batch_id = ? "
                                        "ORDER BY contact_id",
                                        id, {});
                    for (auto& c : b["changes"])
                        if (!c["before"].is_null()) c["before"] = json::parse(c["before"].get<std::string>());
                    b["problems"] = rows(s_.db,
                                         "SELECT kind, source, line, col, reason, contact_id, other_id FROM "
                                         "import_problems WHERE batch_id = ? ORDER BY rowid",
                                         id, {});
                    out << (first ? "\n  " : ",\n  ") << b.dump();
                    first = false;
                }
            }
            out << "\n ]\n}\n";
            s_.db.exec("COMMIT");
        } catch (...) {
            try {
                s_.db.exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
        if (!out) throw error("could not write the export (disk full?)");
    });
}

restore_summary archive::restore(std::istream& in, const std::string& source) {
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::parse_error& e) {
        throw invalid_input(source + ": not valid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    }
    if (!doc.is_object() || doc.value("format", "") != "netcrm")
        throw invalid_input(source + ": not a netcrm export (no \"format\": \"netcrm\")");
    int version = need<int>(doc, "schema_version", source);
    if (version > store::schema_version)
        throw incompatible_database(source + " was exported by a newer netcrm (schema version " + std::to_string(version) +
                                        "); this netcrm reads up to " + std::to_string(store::schema_version),
                                    source, version, store::schema_version);
    restore_summary summary;
    detail::guarded(s_, [&] {
        detail::write_transaction(s_, [&] {
            if (s_.db.execAndGet("SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM import_batches)")
                    .getInt64() != 0)
                throw invalid_input("restoring " + source + " needs an empty database; this one has contacts or imports");
            // Contacts may point at contacts restored after them (introduced_by).
            s_.db.exec("PRAGMA defer_foreign_keys = ON");
            if (doc.contains("settings"))
                for (const auto& [key, value] : doc.at("settings").items()) {
                    if (!value.is_string()) throw invalid_input(source + ": setting \"" + key + "\" is not a string");
                    s_.set_setting(key, value.get<std::string>());
                }
            // Keys are computed with the restored region; the old one comes back if the restore fails.
            phone_normalizer previous = s_.phones;
            s_.phones = phone_normalizer(s_.setting("default_region").value_or(""));
            try {
                restore_rows(s_, doc, source, summary);
            } catch (...) {
                s_.phones = previous;
                throw;
            }
        });
    });
    return summary;
}

}  // namespace crm
