// The metrics goals are measured on, and the named queries they are built from. A metric is a
// function of a scope (an event, or a span of instants, with filters) that returns a number; the
// built-in ones are listed by goal_store::metrics(), and C++ callers can register their own from the
// same queries (goals never write SQL).
#pragma once

#include "crm/favor.hpp"
#include "crm/goal.hpp"
#include "crm/money.hpp"
#include "crm/store.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace crm {

namespace detail::activity {
struct settle_stats;
}

// Where a metric is evaluated: an event goal has `event` set and counts what happened there in
// [from, to) (from: the beginning of time unless a history step says otherwise); a plan goal counts
// what happened in [from, to). Progress "as of" an instant sets `as_of` to it and `to` no later than
// the second after it: what happened at as_of itself is seen (a coffee logged this second counts),
// nothing after it is, even where a query looks past `to` (an attendance after midnight at an event
// that started before `to`, a follow-up after a meeting in scope).
struct metric_scope {
    std::optional<event_id> event;
    date::sys_seconds from = date::sys_seconds::min();
    date::sys_seconds to = date::sys_seconds::max();
    goal_filter filter;
    std::string currency;   // for money metrics
    std::string time_zone;  // the user's zone
    date::sys_seconds as_of = date::sys_seconds::max();
    // new_contacts: only those first met at an event, not those merely added in the span (the
    // return on networking credits events only with the people met there).
    bool at_events_only = false;
};

// Follow-ups of a scope that are settled as of its as_of, and how many of them were done on time.
struct follow_up_tally {
    std::size_t on_time = 0;
    std::size_t settled = 0;
};

// Named queries over a store, each counting within a scope (and its filter).
class network_queries {
public:
    explicit network_queries(struct store::impl& impl);
    // With the activity summaries (schema 6, libcrm/src/detail/activity.hpp): people talked with over
    // a span and the follow-up delays read them, after folding in what changed since, instead of the
    // whole interaction log; `stats` counts that work. Without: the tables alone (the reference the
    // tests compare the summaries with).
    network_queries(struct store::impl& impl, detail::activity::settle_stats* stats);

    // Distinct contacts met (attendance) at the scope's event, or at events in [from, to).
    std::size_t contacts_met(const metric_scope& scope) const;
    // Contacts met for the first time: at the event, or in [from, to) (at an event, or, for contacts
    // with no first meeting recorded and no event filter, by the time they were added to the store).
    std::size_t new_contacts(const metric_scope& scope) const;
    // Distinct contacts with at least one interaction in scope.
    std::size_t conversation_partners(const metric_scope& scope) const;
    // Interactions in scope.
    std::size_t interactions(const metric_scope& scope) const;
    // Events starting in [from, to) (kind and tags from the filter; tags here are the event's tags).
    std::size_t events(const metric_scope& scope) const;
    // Expenses of the event, or of events starting in [from, to), in each currency (sorted by code).
    std::vector<money> spend(const metric_scope& scope) const;
    // For contacts first met in scope: days from the first meeting to the next interaction with them
    // (those never followed up are left out); the median, or nullopt when there is none.
    std::optional<double> median_follow_up_days(const metric_scope& scope) const;

    // Follow-ups due in [from, to) and at or before as_of (event scope: those linked to the event), not
    // cancelled, that are settled by as_of: done by then, or whose due day (the user's zone) has
    // ended. On time: completed before the midnight that ends the due day in the user's zone.
    // Filters: tags (the contact's), event and event_kind (the event the follow-up is linked to).
    follow_up_tally follow_ups_on_time(const metric_scope& scope) const;
    // Sum of the weights of done favours in `direction` dated (a calendar date) inside the scope's
    // days in the user's zone. Filters: tags (the contact's); an event scope, event or event_kind:
    // the contact was met at such an event on or before the favour's date.
    double favours(const metric_scope& scope, favor_direction direction) const;
    // Introductions the user made dated inside the scope's days: introduction records with the user
    // as introducer (first set, or a favour given for it: the record whose `first` contact was
    // deleted still counts), plus done favours given of kind introduction recorded without an
    // introduction record. Filters as favours, on either person introduced.
    std::size_t introductions_made(const metric_scope& scope) const;
    // For the return on networking: the people met at the scope's event (any attendance), or first
    // met at an event in [from, to). Done favours received from them dated on or after the day they
    // were met there (their weights summed), and introductions dated so in which one of them
    // introduced the user to someone or the user introduced one of them to someone.
    double favours_received_later(const metric_scope& scope) const;
    std::size_t introductions_later(const metric_scope& scope) const;

private:
    struct store::impl& s_;
    detail::activity::settle_stats* summaries_ = nullptr;
    mutable std::optional<bool> settled_;  // whether the summaries were brought up to date, once per object
    bool summaries_current() const;        // with the store's lock held
    std::size_t partners_from_summaries(const metric_scope& scope) const;
    // Results already computed by this object, by statement and bound values: a report makes one
    // network_queries for all its goals, so "new contacts" and "cost per new contact" (or "spend")
    // run their shared query once. Short-lived by design: the data may change between reports.
    mutable std::unordered_map<std::string, std::size_t> counted_;
    mutable std::unordered_map<std::string, std::vector<money>> spent_;
    mutable std::unordered_map<std::string, double> summed_;
};

enum class metric_scopes { event, period, both };

struct metric {
    std::string name;         // "contacts_met"
    std::string description;  // one line, shown by goal_store::metrics()
    std::string unit;         // "contacts", "days" ...; money metrics: "" (the goal's currency)
    bool money = false;       // a currency is required and the value is in its major unit (12.5 EUR)
    metric_scopes scopes = metric_scopes::both;
    // A count or a sum grows through a period, so its pace is pro rata (target x elapsed share); a
    // ratio or a median does not (cost per new contact, days to follow up), so its pace is the
    // target itself.
    bool cumulative = true;
    // The value, or NaN when there is nothing to measure yet (a median of no follow-ups): such a goal
    // is not met and has no pace.
    std::function<double(const network_queries&, const metric_scope&)> evaluate;
};

}  // namespace crm
