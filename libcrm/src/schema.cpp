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

// Version 2: what imported cards carry beyond the contact fields, match keys for finding the same
// person again, settings, and import batches that can be undone.
constexpr const char* migration_2 = R"sql(
CREATE TABLE contact_properties (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    grp        TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL,
    parameters TEXT NOT NULL DEFAULT '[]',  -- JSON: [{"name": "TYPE", "values": ["work"]}]
    value      TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;

-- Canonical forms that say two records are the same person (uid, email, phone, profile: a social
-- profile URL such as linkedin.com/in/...) or may be (name_org: folded name and organization).
-- Rewritten with every write of a contact.
CREATE TABLE contact_keys (
    kind       TEXT NOT NULL CHECK (kind IN ('uid', 'email', 'phone', 'profile', 'name_org')),
    key        TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_keys_contact ON contact_keys(contact_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    format      TEXT NOT NULL,
    policy      TEXT NOT NULL CHECK (policy IN ('merge', 'skip', 'create')),
    tags        TEXT NOT NULL DEFAULT '[]',   -- JSON array given to every imported contact
    how_met     TEXT NOT NULL DEFAULT '',
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    added       INTEGER NOT NULL DEFAULT 0,
    merged      INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    undone_at   INTEGER
);

-- What a batch did to each contact, with the contact as it was before a merge, for undo.
CREATE TABLE import_changes (
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('added', 'merged')),
    before     TEXT,
    PRIMARY KEY (batch_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX import_changes_contact ON import_changes(contact_id);

CREATE TABLE import_problems (
    batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('rejected', 'suggested')),
    source   TEXT NOT NULL,
    line     INTEGER NOT NULL,
    col      INTEGER NOT NULL DEFAULT 0,
    reason   TEXT NOT NULL,
    contact_id INTEGER,
    other_id   INTEGER
);
CREATE INDEX import_problems_batch ON import_problems(batch_id);
)sql";

constexpr std::array migrations{migration_1, migration_2};
static_assert(migrations.size() == store::schema_version, "one migration per schema version");

}  // namespace

const std::vector<contact_reference>& contact_references() {
    static const std::vector<contact_reference> refs{{"contacts", "introduced_by"}};
    return refs;
}

void migrate(SQLite::Database& db, int target) {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    for (int v = version; v < target; ++v) db.exec(migrations[static_cast<std::size_t>(v)]);
    if (version < target) {
        db.exec("PRAGMA application_id = " + std::to_string(store::application_id));
        db.exec("PRAGMA user_version = " + std::to_string(target));
    }
}

}  // namespace crm::detail
