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

// Version 3: events with their expenses and attendees, the interaction log, and goals. Instants are
// UTC seconds; every event and interaction also keeps the IANA zone its wall clock was in. Money is
// an integer count of the currency's minor unit (cents for EUR, yen for JPY) with its ISO 4217 code.
constexpr const char* migration_3 = R"sql(
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL DEFAULT '',      -- meetup, conference, dinner, workshop, online ...
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER CHECK (ends_at IS NULL OR ends_at >= starts_at),
    time_zone   TEXT NOT NULL,                 -- IANA name: the event's wall clock
    location    TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX events_starts_at ON events(starts_at);
CREATE INDEX events_kind ON events(kind COLLATE NOCASE, starts_at);

CREATE TABLE event_tags (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag      TEXT NOT NULL,
    PRIMARY KEY (event_id, position),
    UNIQUE (event_id, tag)
) WITHOUT ROWID;
CREATE INDEX event_tags_tag ON event_tags(tag COLLATE NOCASE);

CREATE TABLE event_expenses (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    amount      INTEGER NOT NULL CHECK (amount >= 0),   -- minor units of the currency
    currency    TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    category    TEXT NOT NULL DEFAULT 'other',          -- ticket, travel, meal, lodging ...
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_expenses_event ON event_expenses(event_id);

-- The contacts met at an event. first_meeting: the user met them there for the first time (at most
-- one such row per contact, kept so by the event store); introduced_by: who made the introduction.
CREATE TABLE event_attendees (
    event_id      INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    contact_id    INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    met_at        INTEGER NOT NULL,
    first_meeting INTEGER NOT NULL DEFAULT 0 CHECK (first_meeting IN (0, 1)),
    introduced_by INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    PRIMARY KEY (event_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX event_attendees_contact ON event_attendees(contact_id, met_at);
CREATE INDEX event_attendees_first ON event_attendees(met_at) WHERE first_meeting = 1;
CREATE INDEX event_attendees_introduced_by ON event_attendees(introduced_by) WHERE introduced_by IS NOT NULL;

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('conversation', 'meeting', 'call', 'email', 'message',
                                              'coffee', 'meal', 'other')),
    at          INTEGER NOT NULL,
    time_zone   TEXT NOT NULL,
    event_id    INTEGER REFERENCES events(id) ON DELETE SET NULL,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX interactions_at ON interactions(at);
CREATE INDEX interactions_event ON interactions(event_id, at) WHERE event_id IS NOT NULL;

-- Who took part. `at` repeats interactions.at so that "last interaction per contact" and "not heard
-- from since" read one index instead of joining a million rows.
CREATE TABLE interaction_contacts (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    at             INTEGER NOT NULL,
    PRIMARY KEY (contact_id, at, interaction_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX interaction_contacts_interaction ON interaction_contacts(interaction_id, contact_id);

-- For goals (issue 4; added before schema 3 was released): "coffees and meals this year" counts one
-- range of this index per kind instead of testing every interaction of the year (~560 ms -> ~3 ms on
-- a million rows), and "new contacts this year" reads the contacts added in the span instead of
-- scanning them all. Contacts are added with created_at = now, so imports append to its end.
CREATE INDEX interactions_kind_at ON interactions(kind, at);
CREATE INDEX contacts_created_at ON contacts(created_at);
-- "Never first met at an event", asked of each contact added in the span: one seek in this small
-- index instead of the person's attendance rows and their table entries (~20 ms -> a few on 20,000).
CREATE INDEX event_attendees_first_contact ON event_attendees(contact_id) WHERE first_meeting = 1;

-- A goal is a target on a metric, evaluated from the data whenever asked; nothing here is a tick.
-- Either event_id (an event goal) or period_first/period_last (a plan goal: calendar dates, inclusive,
-- in the store's time zone) is set.
CREATE TABLE goals (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (name <> ''),
    metric       TEXT NOT NULL,
    comparison   TEXT NOT NULL CHECK (comparison IN ('>=', '<=', '>', '<', '==')),
    target       REAL NOT NULL,
    currency     TEXT NOT NULL DEFAULT '',    -- for money metrics
    event_id     INTEGER REFERENCES events(id) ON DELETE CASCADE,
    period_first TEXT,                        -- ISO dates
    period_last  TEXT,
    period_label TEXT NOT NULL DEFAULT '',
    filter       TEXT NOT NULL DEFAULT '{}',  -- JSON: tags, event kind, interaction kinds, category ...
    created_at   INTEGER NOT NULL,
    CHECK ((event_id IS NULL) <> (period_first IS NULL)),
    CHECK ((period_first IS NULL) = (period_last IS NULL))
);
CREATE INDEX goals_event ON goals(event_id) WHERE event_id IS NOT NULL;

-- An import can be tied to an event: the people it brings in were met there. attended marks the
-- attendance rows a batch created, so that undoing it removes exactly those.
ALTER TABLE import_batches ADD COLUMN event_id INTEGER REFERENCES events(id) ON DELETE SET NULL;
ALTER TABLE import_changes ADD COLUMN attended INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1));
)sql";

// Version 4: follow-ups with their history and the rules that create them, holidays for business-day
// rules, and the reciprocity ledger (favours, introductions, asks).
constexpr const char* migration_4 = R"sql(
CREATE TABLE follow_up_rules (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('after_event', 'after_favor', 'cadence')),
    contact_id  INTEGER REFERENCES contacts(id) ON DELETE CASCADE,  -- a cadence for one contact
    tag         TEXT NOT NULL DEFAULT '',   -- a cadence for everyone with the tag; after_event: only them
    every       INTEGER NOT NULL CHECK (every > 0),
    unit        TEXT NOT NULL CHECK (unit IN ('business_days', 'days', 'weeks', 'months')),
    time_of_day INTEGER NOT NULL DEFAULT 540 CHECK (time_of_day BETWEEN 0 AND 1439),  -- minutes, local
    holidays    TEXT NOT NULL DEFAULT '',   -- a holiday calendar's name (business days skip its days)
    reason      TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL
);

CREATE TABLE holidays (
    calendar TEXT NOT NULL,
    day      TEXT NOT NULL,            -- ISO date
    name     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (calendar, day)
) WITHOUT ROWID;

-- The reciprocity ledger. An introduction is one record (who introduced whom) and the favours it
-- counts as point at it.
CREATE TABLE introductions (
    id            INTEGER PRIMARY KEY,
    introducer_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,  -- NULL: the user
    first_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,  -- NULL: the user
    second_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    on_date       TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    CHECK (introducer_id IS NULL OR first_id IS NULL)  -- the user is the introducer or one of the two
);
CREATE INDEX introductions_second ON introductions(second_id);

CREATE TABLE favors (
    id              INTEGER PRIMARY KEY,
    direction       TEXT NOT NULL CHECK (direction IN ('given', 'received')),
    contact_id      INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('advice', 'introduction', 'referral', 'guest_post',
                                                  'cross_post', 'resource', 'loan', 'other')),
    weight          REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
    on_date         TEXT NOT NULL,          -- ISO date
    note            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('offered', 'done', 'declined')),
    introduction_id INTEGER REFERENCES introductions(id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX favors_contact ON favors(contact_id, direction, status);
CREATE INDEX favors_date ON favors(on_date);

-- What a contact needs or is looking for: where the user could help.
CREATE TABLE asks (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    text       TEXT NOT NULL CHECK (text <> ''),
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'dropped')),
    created_at INTEGER NOT NULL,
    closed_at  INTEGER
);
CREATE INDEX asks_open ON asks(created_at) WHERE status = 'open';
CREATE INDEX asks_contact ON asks(contact_id);

CREATE TABLE follow_ups (
    id             INTEGER PRIMARY KEY,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    reason         TEXT NOT NULL CHECK (reason <> ''),
    due_at         INTEGER NOT NULL,        -- UTC: the instant it falls due
    time_zone      TEXT NOT NULL,           -- the wall clock its due time was set on
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    event_id       INTEGER REFERENCES events(id) ON DELETE SET NULL,
    interaction_id INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    favor_id       INTEGER REFERENCES favors(id) ON DELETE SET NULL,
    rule_id        INTEGER REFERENCES follow_up_rules(id) ON DELETE SET NULL,
    completed_at   INTEGER,
    completed_by   INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    sequence       INTEGER NOT NULL DEFAULT 0   -- bumped on every change (iCalendar SEQUENCE)
);
-- "Due now" reads the open ones in due order and nothing else.
CREATE INDEX follow_ups_open_due ON follow_ups(due_at) WHERE status = 'open';
CREATE INDEX follow_ups_contact ON follow_ups(contact_id, status, due_at);
CREATE INDEX follow_ups_rule ON follow_ups(rule_id, contact_id) WHERE rule_id IS NOT NULL AND status = 'open';
CREATE INDEX follow_ups_favor ON follow_ups(favor_id) WHERE favor_id IS NOT NULL;

CREATE TABLE follow_up_history (
    follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('created', 'snoozed', 'rescheduled', 'completed',
                                                 'cancelled', 'reopened', 'pushed')),
    due_before   INTEGER,
    due_after    INTEGER,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (follow_up_id, seq)
) WITHOUT ROWID;

-- A random identifier of this database: what makes the UIDs of exported calendar events its own.
INSERT OR IGNORE INTO settings(key, value) VALUES ('store_id', lower(hex(randomblob(16))));
)sql";

// Version 5: the index of channels by value goes. Nothing looks a channel up by its value (match
// keys do that, normalized), and every email, phone and URL written paid a random insert into it:
// about a fifth of an import's writing.
constexpr const char* migration_5 = R"sql(
DROP INDEX contact_channels_value;
)sql";

// Version 6: summaries for goals over long spans (libcrm/src/activity.cpp, detail/activity.hpp):
// who the user had interactions with on each UTC day, and each first-met person's first follow-up.
// They are derived: the triggers below mark every (day, contact) whose participations, interaction
// kinds or events, or first meeting change (from any connection or program), and the library folds
// the marks in before it reads a summary. The 'activity' setting asks for a whole rebuild, which
// the first read after this migration does (the existing log is not summarized here, in SQL).
// ON CONFLICT DO NOTHING, not INSERT OR IGNORE: a foreign-key action (deleting an event sets its
// interactions' event_id NULL) imposes its own conflict policy on the triggers it fires, which
// overrides OR IGNORE but not an upsert clause.
constexpr const char* migration_6 = R"sql(
CREATE TABLE activity_days (
    day    INTEGER PRIMARY KEY,  -- days since 1970-01-01 UTC: floor(at / 86400)
    people BLOB NOT NULL         -- the contacts with an interaction that day, and their kinds
);

CREATE TABLE activity_marks (
    day        INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    PRIMARY KEY (day, contact_id)
) WITHOUT ROWID;

-- On first meetings: the instant of the next interaction with the person not at that event.
ALTER TABLE event_attendees ADD COLUMN followed_up_at INTEGER;

INSERT OR REPLACE INTO settings(key, value) VALUES ('activity', 'rebuild');

CREATE TRIGGER activity_participant_insert AFTER INSERT ON interaction_contacts BEGIN
  INSERT INTO activity_marks VALUES
    (NEW.at / 86400 - (NEW.at % 86400 < 0), NEW.contact_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER activity_participant_delete AFTER DELETE ON interaction_contacts BEGIN
  INSERT INTO activity_marks VALUES
    (OLD.at / 86400 - (OLD.at % 86400 < 0), OLD.contact_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER activity_participant_update AFTER UPDATE ON interaction_contacts BEGIN
  INSERT INTO activity_marks VALUES
    (OLD.at / 86400 - (OLD.at % 86400 < 0), OLD.contact_id),
    (NEW.at / 86400 - (NEW.at % 86400 < 0), NEW.contact_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER activity_interaction_update AFTER UPDATE OF kind, event_id ON interactions BEGIN
  INSERT INTO activity_marks
    SELECT at / 86400 - (at % 86400 < 0), contact_id FROM interaction_contacts WHERE interaction_id = NEW.id ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER activity_attendee_insert AFTER INSERT ON event_attendees WHEN NEW.first_meeting BEGIN
  INSERT INTO activity_marks VALUES
    (NEW.met_at / 86400 - (NEW.met_at % 86400 < 0), NEW.contact_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER activity_attendee_delete AFTER DELETE ON event_attendees WHEN OLD.first_meeting BEGIN
  INSERT INTO activity_marks VALUES
    (OLD.met_at / 86400 - (OLD.met_at % 86400 < 0), OLD.contact_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER activity_attendee_update AFTER UPDATE OF event_id, contact_id, met_at, first_meeting
  ON event_attendees WHEN OLD.first_meeting OR NEW.first_meeting BEGIN
  INSERT INTO activity_marks VALUES
    (OLD.met_at / 86400 - (OLD.met_at % 86400 < 0), OLD.contact_id),
    (NEW.met_at / 86400 - (NEW.met_at % 86400 < 0), NEW.contact_id) ON CONFLICT DO NOTHING;
END;
)sql";

// Version 7: instant-messaging handles are a channel of their own ('im'), and each phone keeps its
// E.164 form beside what was written (e164: '' when libphonenumber cannot place it). The CHECK on
// channel changes, so the table is built again (SQLite cannot alter a constraint). Store::open then
// fills e164 and moves IM URIs that earlier versions kept as URLs (skype:, xmpp: ...) to 'im', in
// C++ (libphonenumber; see upgrade_contacts_to_7 in contact_store.cpp), in the same transaction.
// Every contact without a UID gets one, urn:uuid: with a random (version 4) UUID, made once here.
constexpr const char* migration_7 = R"sql(
CREATE TABLE contact_channels_7 (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'url', 'im')),
    position   INTEGER NOT NULL,
    value      TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    e164       TEXT NOT NULL DEFAULT '',  -- phones: E.164 when libphonenumber can place the number
    PRIMARY KEY (contact_id, channel, position)
) WITHOUT ROWID;
INSERT INTO contact_channels_7(contact_id, channel, position, value, kind)
    SELECT contact_id, channel, position, value, kind FROM contact_channels;
DROP TABLE contact_channels;
ALTER TABLE contact_channels_7 RENAME TO contact_channels;

INSERT INTO contact_properties(contact_id, position, grp, name, parameters, value)
    SELECT c.id, coalesce((SELECT max(position) + 1 FROM contact_properties p WHERE p.contact_id = c.id), 0),
           '', 'UID', '[]',
           'urn:uuid:' || lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
           substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
           substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
    FROM contacts c
    WHERE NOT EXISTS (SELECT 1 FROM contact_properties p WHERE p.contact_id = c.id AND p.name = 'UID');
INSERT OR IGNORE INTO contact_keys(kind, key, contact_id)
    SELECT 'uid', value, contact_id FROM contact_properties WHERE name = 'UID' AND value <> '';

INSERT OR REPLACE INTO settings(key, value) VALUES ('upgrade_contacts_7', 'pending');
)sql";

constexpr std::array migrations{migration_1, migration_2, migration_3, migration_4, migration_5, migration_6,
                                migration_7};
static_assert(migrations.size() == store::schema_version, "one migration per schema version");

}  // namespace

const std::vector<contact_reference>& contact_references() {
    static const std::vector<contact_reference> refs{
        {"contacts", "introduced_by", false},
        {"event_attendees", "contact_id", true},
        {"event_attendees", "introduced_by", false},
        {"interaction_contacts", "contact_id", true},
        {"follow_up_rules", "contact_id", false},
        {"introductions", "introducer_id", false},
        {"introductions", "first_id", false},
        {"introductions", "second_id", false},
        {"favors", "contact_id", false},
        {"asks", "contact_id", false},
        {"follow_ups", "contact_id", false},
    };
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
