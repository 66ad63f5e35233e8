// The schema, versioned in this one place. Each migration takes the database from version i to
// i + 1 and runs inside the caller's transaction; a released migration is never edited.
#include "detail/store_impl.hpp"

#include <array>

namespace crm::detail {

namespace {

constexpr const char* migration_1 = R"sql(
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
    birthday_year   INTEGER,              -- NULL when the year is unknown
    birthday_month  INTEGER CHECK (birthday_month BETWEEN 1 AND 12),
    birthday_day    INTEGER CHECK (birthday_day BETWEEN 1 AND 31),
    how_met         TEXT NOT NULL DEFAULT '',
    introduced_by   INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    source          TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,     -- UTC, seconds since 1970-01-01
    updated_at      INTEGER NOT NULL
);
CREATE INDEX contacts_organization ON contacts(organization COLLATE NOCASE);
CREATE INDEX contacts_introduced_by ON contacts(introduced_by);

-- Emails, phones and URLs: ordered, labelled values of one contact.
CREATE TABLE contact_channels (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'url')),
    position   INTEGER NOT NULL,
    value      TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, channel, position)
) WITHOUT ROWID;
CREATE INDEX contact_channels_value ON contact_channels(channel, value COLLATE NOCASE);

CREATE TABLE contact_addresses (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL DEFAULT '',
    po_box      TEXT NOT NULL DEFAULT '',
    extended    TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL DEFAULT '',
    locality    TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, position),
    UNIQUE (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag COLLATE NOCASE);

CREATE TABLE contact_notes (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,          -- UTC, seconds since 1970-01-01
    text       TEXT NOT NULL
);
CREATE INDEX contact_notes_contact ON contact_notes(contact_id, at);

-- A merged-away contact as it was just before the merge (JSON), so nothing is lost.
CREATE TABLE contact_merges (
    id          INTEGER PRIMARY KEY,
    survivor_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    merged_id   INTEGER NOT NULL,
    merged_at   INTEGER NOT NULL,
    snapshot    TEXT NOT NULL
);
CREATE INDEX contact_merges_survivor ON contact_merges(survivor_id);

-- Full-text index over each contact (rowid = contacts.id), kept in step by the contact store.
-- remove_diacritics 2 folds accents, so "Helene" finds "Hélène"; unicode61 folds case.
CREATE VIRTUAL TABLE contact_search USING fts5(
    names, channels, organization, tags, notes,
    tokenize = 'unicode61 remove_diacritics 2'
);
)sql";

constexpr std::array migrations{migration_1};
static_assert(migrations.size() == store::schema_version, "one migration per schema version");

}  // namespace

const std::vector<contact_reference>& contact_references() {
    static const std::vector<contact_reference> refs{{"contacts", "introduced_by"}};
    return refs;
}

void migrate(SQLite::Database& db) {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    for (int v = version; v < store::schema_version; ++v) db.exec(migrations[static_cast<std::size_t>(v)]);
    if (version < store::schema_version) {
        db.exec("PRAGMA application_id = " + std::to_string(store::application_id));
        db.exec("PRAGMA user_version = " + std::to_string(store::schema_version));
    }
}

}  // namespace crm::detail
