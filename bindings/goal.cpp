// crm::goal_store as methods of netcrm._core.Store. Goals, progress, reports and returns cross as
// dicts (the contract with python/netcrm/goals.py); money in returns crosses as decimal strings
// ("12.50"); a metric value that does not exist yet (NaN: a median of nothing) crosses as None.
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/stl.h>

#include "crm/error.hpp"
#include "crm/goal_store.hpp"
#include "crm/interaction.hpp"
#include "crm/store.hpp"

#include <cmath>

namespace netcrm_py {

namespace {

py::object number(double v) { return std::isnan(v) ? py::none() : py::object(py::float_(v)); }

template <class T>
py::object optional(const std::optional<T>& v) {
    return v ? py::cast(*v) : py::none();
}

py::dict period_to_py(const crm::period& p) {
    py::dict d;
    d["first"] = py::cast(p.first);
    d["last"] = py::cast(p.last);
    d["label"] = p.label;
    return d;
}

crm::period period_from_py(py::handle obj) {
    if (!PyDict_Check(obj.ptr())) throw crm::invalid_input("period must be given as a dict");
    auto d = py::reinterpret_borrow<py::dict>(obj);
    crm::period p;
    try {
        p.first = d["first"].cast<date::year_month_day>();
        p.last = d["last"].cast<date::year_month_day>();
    } catch (const py::cast_error&) {
        throw crm::invalid_input("period: first and last must be datetime.date values");
    }
    if (d.contains("label") && !d["label"].is_none()) p.label = text_from_py(d["label"], "period label");
    return p;
}

std::optional<std::string> optional_text(const py::dict& d, const char* key) {
    if (!d.contains(key) || d[key].is_none()) return std::nullopt;
    return text_from_py(d[key], key);
}

py::dict goal_to_py(const crm::goal& g) {
    py::dict f;
    f["tags"] = py::cast(g.filter.tags);
    f["event_kind"] = optional(g.filter.event_kind);
    f["event"] = optional(g.filter.event);
    py::list kinds;
    for (auto k : g.filter.interaction_kinds) kinds.append(std::string(crm::to_string(k)));
    f["interaction_kinds"] = kinds;
    f["category"] = optional(g.filter.category);
    py::dict d;
    d["id"] = g.id;
    d["name"] = g.name;
    d["metric"] = g.metric;
    d["comparison"] = std::string(crm::to_string(g.compare));
    d["target"] = g.target;
    d["currency"] = g.currency;
    d["event"] = optional(g.event);
    d["period"] = g.period ? py::object(period_to_py(*g.period)) : py::none();
    d["filter"] = f;
    d["created_at"] = py::cast(g.created_at);
    return d;
}

crm::goal goal_from_py(py::handle obj) {
    if (!PyDict_Check(obj.ptr())) throw crm::invalid_input("a goal must be given as a dict");
    auto d = py::reinterpret_borrow<py::dict>(obj);
    crm::goal g;
    if (d.contains("id") && !d["id"].is_none()) g.id = d["id"].cast<crm::goal_id>();
    g.name = d.contains("name") ? text_from_py(d["name"], "name") : std::string();
    g.metric = d.contains("metric") ? text_from_py(d["metric"], "metric") : std::string();
    if (d.contains("comparison")) g.compare = crm::parse_comparison(text_from_py(d["comparison"], "comparison"));
    if (d.contains("target")) g.target = d["target"].cast<double>();
    if (auto c = optional_text(d, "currency")) g.currency = *c;
    if (d.contains("event") && !d["event"].is_none()) g.event = d["event"].cast<crm::event_id>();
    if (d.contains("period") && !d["period"].is_none()) g.period = period_from_py(d["period"]);
    if (d.contains("filter") && !d["filter"].is_none()) {
        auto f = py::reinterpret_borrow<py::dict>(d["filter"]);
        if (f.contains("tags"))
            for (auto t : f["tags"]) g.filter.tags.push_back(text_from_py(t, "tags"));
        g.filter.event_kind = optional_text(f, "event_kind");
        if (f.contains("event") && !f["event"].is_none()) g.filter.event = f["event"].cast<crm::event_id>();
        if (f.contains("interaction_kinds"))
            for (auto k : f["interaction_kinds"])
                g.filter.interaction_kinds.push_back(crm::parse_interaction_kind(text_from_py(k, "interaction_kinds")));
        g.filter.category = optional_text(f, "category");
    }
    return g;
}

py::dict progress_to_py(const crm::goal_progress& p) {
    py::dict d;
    d["goal"] = goal_to_py(p.goal);
    d["value"] = number(p.value);
    d["target"] = p.target;
    d["fraction"] = p.fraction;
    d["met"] = p.met;
    d["unit"] = p.unit;
    d["as_of"] = py::cast(p.as_of);
    d["elapsed"] = optional(p.elapsed);
    d["expected"] = optional(p.expected);
    d["on_pace"] = optional(p.on_pace);
    return d;
}

py::dict report_to_py(const crm::goal_report& r) {
    py::dict d;
    d["title"] = r.title;
    d["event"] = optional(r.event);
    d["period"] = r.period ? py::object(period_to_py(*r.period)) : py::none();
    d["as_of"] = py::cast(r.as_of);
    py::list goals;
    for (const auto& p : r.goals) goals.append(progress_to_py(p));
    d["goals"] = goals;
    return d;
}

py::list money_list(const std::vector<crm::money>& ms) {
    py::list out;
    for (const auto& m : ms) out.append(py::make_tuple(m.amount_string(), m.currency));
    return out;
}

py::dict return_to_py(const crm::networking_return& r) {
    py::dict d;
    d["title"] = r.title;
    d["event"] = optional(r.event);
    d["period"] = r.period ? py::object(period_to_py(*r.period)) : py::none();
    d["spend"] = money_list(r.spend);
    d["events"] = r.events;
    d["contacts_met"] = r.contacts_met;
    d["new_contacts"] = r.new_contacts;
    d["new_potential_clients"] = r.new_potential_clients;
    d["conversations"] = r.conversations;
    d["interactions"] = r.interactions;
    d["cost_per_new_contact"] = money_list(r.cost_per_new_contact);
    d["favours_later"] = r.favours_later;
    d["introductions_later"] = r.introductions_later;
    return d;
}

const char* scopes_name(crm::metric_scopes s) {
    switch (s) {
        case crm::metric_scopes::event: return "event";
        case crm::metric_scopes::period: return "period";
        case crm::metric_scopes::both: return "both";
    }
    return "both";
}

// Runs fn on the store with the GIL released.
template <class Fn>
auto call(const py_store& s, Fn&& fn) {
    auto st = s.get();
    py::gil_scoped_release nogil;
    return fn(st->goals());
}

}  // namespace

py::dict goal_progress_dict(const crm::goal_progress& p) { return progress_to_py(p); }

void init_goal(py::module_& m) {
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    using opt_time = std::optional<date::sys_seconds>;
    store
        .def("goal_add",
             [](const py_store& s, py::dict d) {
                 auto g = goal_from_py(d);
                 return goal_to_py(call(s, [&](crm::goal_store& gs) { return gs.add(std::move(g)); }));
             })
        .def("goal_update",
             [](const py_store& s, py::dict d) {
                 auto g = goal_from_py(d);
                 return goal_to_py(call(s, [&](crm::goal_store& gs) { return gs.update(std::move(g)); }));
             })
        .def("goal_get",
             [](const py_store& s, crm::goal_id id) {
                 return goal_to_py(call(s, [&](crm::goal_store& gs) { return gs.get(id); }));
             })
        .def("goal_find",
             [](const py_store& s, crm::goal_id id) -> py::object {
                 auto g = call(s, [&](crm::goal_store& gs) { return gs.find(id); });
                 return g ? py::object(goal_to_py(*g)) : py::none();
             })
        .def("goal_remove",
             [](const py_store& s, crm::goal_id id) { call(s, [&](crm::goal_store& gs) { gs.remove(id); }); })
        .def(
            "goal_list",
            [](const py_store& s, std::optional<crm::event_id> event, bool plan_only) {
                crm::goal_list_filter f;
                f.event = event;
                f.plan_only = plan_only;
                auto goals = call(s, [&](crm::goal_store& gs) { return gs.list(f); });
                py::list out;
                for (const auto& g : goals) out.append(goal_to_py(g));
                return out;
            },
            py::arg("event") = py::none(), py::arg("plan_only") = false)
        .def(
            "goal_progress",
            [](const py_store& s, crm::goal_id id, opt_time as_of) {
                return progress_to_py(call(s, [&](crm::goal_store& gs) { return gs.progress(id, as_of); }));
            },
            py::arg("id"), py::arg("as_of") = py::none())
        .def(
            "goal_evaluate",
            [](const py_store& s, py::dict d, opt_time as_of) {
                auto g = goal_from_py(d);
                return progress_to_py(call(s, [&](crm::goal_store& gs) { return gs.evaluate(g, as_of); }));
            },
            py::arg("goal"), py::arg("as_of") = py::none())
        .def(
            "goal_report_event",
            [](const py_store& s, crm::event_id event, opt_time as_of) {
                return report_to_py(call(s, [&](crm::goal_store& gs) { return gs.report(event, as_of); }));
            },
            py::arg("event"), py::arg("as_of") = py::none())
        .def(
            "goal_report_period",
            [](const py_store& s, py::dict period, opt_time as_of) {
                auto p = period_from_py(period);
                return report_to_py(call(s, [&](crm::goal_store& gs) { return gs.report(p, as_of); }));
            },
            py::arg("period"), py::arg("as_of") = py::none())
        .def(
            "goal_history",
            [](const py_store& s, crm::goal_id id, const std::string& every, opt_time as_of) {
                const auto step = crm::parse_sample_step(every);
                auto samples = call(s, [&](crm::goal_store& gs) { return gs.history(id, step, as_of); });
                py::list out;
                for (const auto& x : samples)
                    out.append(py::make_tuple(py::cast(x.date), number(x.value), number(x.cumulative)));
                return out;
            },
            py::arg("id"), py::arg("every"), py::arg("as_of") = py::none())
        .def(
            "goal_parse_period",
            [](const py_store& s, py::handle text, opt_time at) {
                const std::string t = text_from_py(text, "period");
                return period_to_py(call(s, [&](crm::goal_store& gs) { return gs.parse_period(t, at); }));
            },
            py::arg("text"), py::arg("at") = py::none())
        .def("goal_metrics",
             [](const py_store& s) {
                 auto ms = call(s, [&](crm::goal_store& gs) { return gs.metrics(); });
                 py::list out;
                 for (const auto& x : ms) {
                     py::dict d;
                     d["name"] = x.name;
                     d["description"] = x.description;
                     d["unit"] = x.unit;
                     d["money"] = x.money;
                     d["scopes"] = scopes_name(x.scopes);
                     d["cumulative"] = x.cumulative;
                     out.append(d);
                 }
                 return out;
             })
        .def(
            "goal_event_return",
            [](const py_store& s, crm::event_id event, py::handle client_tag) {
                const std::string tag = text_from_py(client_tag, "client_tag");
                return return_to_py(call(s, [&](crm::goal_store& gs) { return gs.event_return(event, tag); }));
            },
            py::arg("event"), py::arg("client_tag"))
        .def(
            "goal_period_return",
            [](const py_store& s, py::dict period, py::handle client_tag) {
                auto p = period_from_py(period);
                const std::string tag = text_from_py(client_tag, "client_tag");
                return return_to_py(call(s, [&](crm::goal_store& gs) { return gs.period_return(p, tag); }));
            },
            py::arg("period"), py::arg("client_tag"));
}

}  // namespace netcrm_py
