// The store: one SQLite file holding everything netcrm knows. It opens or creates the file,
// migrates its schema forward, and hands out the collections (contacts, and later events,
// interactions, follow-ups ...). SQL lives behind this header; none of it shows here.
#pragma once

#include <date/date.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace crm {

class contact_store;
class import_log;
class archive;
class event_store;
class interaction_store;
class goal_store;
class follow_up_store;
class favor_store;

// Where "now" comes from. Tests and "as of" queries inject a fixed clock.
using clock_function = std::function<date::sys_seconds()>;

struct open_options {
    bool create = true;                       // create the file when it does not exist
    std::chrono::milliseconds busy_timeout{10'000};  // wait this long for another writer
    clock_function clock;                     // empty: the system clock, to the second
};

class store {
public:
    // The schema version this build writes. Files with a higher version are refused.
    static constexpr int schema_version = 7;
    // SQLite's application_id for netcrm files ("nCRM"): how a netcrm file is recognised.
    static constexpr int application_id = 0x6E43524D;

    // Opens (or creates) a netcrm database. ":memory:" gives a private in-memory store.
    // Throws file_error when the file cannot be opened, incompatible_database when it is not a
    // netcrm database or was written by a newer netcrm; in both cases the file is not modified.
    static store open(const std::string& path, open_options options = {});

    store(store&&) noexcept;
    store& operator=(store&&) noexcept;
    ~store();

    const std::string& path() const noexcept;
    // A random identifier made with the database (32 hex digits); restored archives keep theirs.
    // It makes exported calendar UIDs unique to this database and stable across exports.
    std::string id() const;
    date::sys_seconds now() const;

    contact_store& contacts() noexcept;
    import_log& imports() noexcept;
    class archive& archive() noexcept;
    event_store& events() noexcept;
    interaction_store& interactions() noexcept;
    goal_store& goals() noexcept;
    follow_up_store& follow_ups() noexcept;
    favor_store& favors() noexcept;

    // The region whose phone numbers are written without a country code ("FR", "US"): how phone
    // numbers are matched across cards. "" until set, and then only numbers written with
    // +country match each other. Setting it re-keys every stored phone. Throws invalid_input.
    std::string default_region() const;
    void set_default_region(const std::string& region);

    // SQLite's PRAGMA integrity_check plus a foreign key check: "ok" or the problems found.
    std::string integrity_check();

    // The user's IANA time zone: what "today", "this quarter" and "2027" mean, and the zone of
    // events and interactions stored without one. Until set: the system's zone (/etc/localtime,
    // TZ), or "UTC" when it has none. Setting it checks the name (invalid_input) and stores it.
    std::string time_zone() const;
    void set_time_zone(const std::string& zone);

    struct impl;

private:
    explicit store(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
    std::unique_ptr<contact_store> contacts_;
    std::unique_ptr<import_log> imports_;
    std::unique_ptr<class archive> archive_;
    std::unique_ptr<event_store> events_;
    std::unique_ptr<interaction_store> interactions_;
    std::unique_ptr<goal_store> goals_;
    std::unique_ptr<follow_up_store> follow_ups_;
    std::unique_ptr<favor_store> favors_;
};

}  // namespace crm
