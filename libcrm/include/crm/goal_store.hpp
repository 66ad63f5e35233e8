// The goals of a store and what they measure: add and list goals, their progress at any moment,
// reports per event or period, progress sampled over time, and the return on networking.
#pragma once

#include "crm/goal.hpp"
#include "crm/metric.hpp"
#include "crm/money.hpp"
#include "crm/store.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

struct goal_list_filter {
    std::optional<event_id> event;  // the goals of this event
    bool plan_only = false;         // only plan goals (with a period)
};

// What networking returned for what it cost, over an event or a period.
struct networking_return {
    std::string title;
    std::optional<event_id> event;
    std::optional<crm::period> period;
    std::vector<money> spend;                  // by currency, sorted by code
    std::size_t events = 0;
    std::size_t contacts_met = 0;
    std::size_t new_contacts = 0;
    std::size_t new_potential_clients = 0;     // new contacts carrying the client tag
    std::size_t conversations = 0;             // distinct contacts talked with
    std::size_t interactions = 0;
    std::vector<money> cost_per_new_contact;   // per currency, rounded to the minor unit; empty without new contacts
    // What came back later from the people met: at the event (anyone recorded there, old friends
    // met again included), or, over a period, those first met at an event in it. Only what is dated
    // on or after the day they were met there (user's zone) counts, past the period's
    // end too (a favour in June from someone met in March is March's return):
    //  - favours_later: the weights of the done favours received from them (an introduction they
    //    made for the user is such a favour too, and also counts below);
    //  - introductions_later: introductions in which one of them introduced the user to someone,
    //    or the user introduced one of them to someone (as network_queries::introductions_made
    //    tells the user's introductions).
    // A person met at several events credits each of them.
    double favours_later = 0;
    std::size_t introductions_later = 0;
};

class goal_store {
public:
    explicit goal_store(struct store::impl& impl);  // made by store; use store::goals()
    ~goal_store();

    // Stores a goal and returns it as stored. Checks: a name, a registered metric allowed in the
    // goal's scope, exactly one of event and period, an existing event, a target >= 0, an ISO 4217
    // currency for money metrics (and none otherwise). Throws invalid_input or not_found.
    goal add(goal g);
    goal get(goal_id id) const;  // throws not_found
    std::optional<goal> find(goal_id id) const;
    goal update(goal g);
    void remove(goal_id id);  // throws not_found
    std::vector<goal> list(const goal_list_filter& filter = {}) const;  // by id

    // Progress as of an instant (empty: the store's clock). `evaluate` takes a goal not stored.
    goal_progress progress(goal_id id, std::optional<date::sys_seconds> as_of = std::nullopt) const;
    goal_progress evaluate(const goal& g, std::optional<date::sys_seconds> as_of = std::nullopt) const;

    // Every goal of the event; every plan goal whose period overlaps `p`.
    goal_report report(event_id event, std::optional<date::sys_seconds> as_of = std::nullopt) const;
    goal_report report(const period& p, std::optional<date::sys_seconds> as_of = std::nullopt) const;

    // The goal's metric sampled at the end of each day, week (Sunday) or month of its period (an
    // event goal: from the event's day), up to as_of.
    std::vector<progress_sample> history(goal_id id, sample_step step,
                                         std::optional<date::sys_seconds> as_of = std::nullopt) const;

    // Spend, new contacts (and those tagged `client_tag`), conversations, cost per new contact.
    networking_return event_return(event_id event, const std::string& client_tag = "potential-client") const;
    networking_return period_return(const period& p, const std::string& client_tag = "potential-client") const;

    // period::parse with "today" taken in the user's zone at `at` (empty: the store's clock), so
    // that "this quarter" means the user's quarter. Throws invalid_input.
    period parse_period(std::string_view text, std::optional<date::sys_seconds> at = std::nullopt) const;

    // The metrics goals can use: the built-in ones, then those registered, by name.
    std::vector<metric> metrics() const;
    // Adds (or replaces) a metric for this store object. Throws invalid_input for an empty name or
    // no evaluate function.
    void register_metric(metric m);

    // Goals over long spans read summaries of the interaction log (schema 6: who was talked with on
    // each day, each first meeting's first follow-up), brought up to date before each read from the
    // changes any connection recorded since. For tests and benchmarks: read the tables alone
    // instead (the reference the summaries are checked against), and what the summaries cost.
    void read_tables_only(bool yes);
    struct summary_stats {
        std::size_t marks_folded = 0;  // changed (day, contact) pairs folded in one by one
        std::size_t rebuilds = 0;      // whole rebuilds (after a migration, a restore, a bulk load)
        std::size_t refused = 0;       // reads that could not update them (no write access) and read the tables
    };
    summary_stats summaries() const;

private:
    struct store::impl& s_;
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace crm
