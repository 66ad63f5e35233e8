// crm::make_digest as netcrm._core.Store.digest: the digest built with the GIL released, then handed
// over as a dict whose records are shaped by their own binding files (python/netcrm/digest.py).
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/stl.h>

#include "crm/digest.hpp"

#include <optional>

namespace netcrm_py {

void init_digest(py::module_& m) {
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    store.def(
        "digest",
        [](const py_store& s, std::optional<date::sys_seconds> now, int cold_days, int upcoming_days,
           std::size_t limit) {
            if (cold_days < 1) throw crm::invalid_input("cold_days must be at least 1");
            if (upcoming_days < 0) throw crm::invalid_input("upcoming_days must not be negative");
            crm::digest_options o;
            o.cold_after = date::days{cold_days};
            o.upcoming = date::days{upcoming_days};
            o.limit = limit;
            auto st = s.get();
            crm::digest d;
            std::string text, json;
            {
                py::gil_scoped_release nogil;
                d = crm::make_digest(*st, now, o);
                text = d.to_text();
                json = d.to_json();
            }
            py::dict out;
            out["as_of"] = py::cast(d.as_of);
            out["time_zone"] = d.time_zone;
            out["today"] = py::cast(d.today);
            py::list due, upcoming, thank, cold, goals;
            for (const auto& x : d.due) due.append(due_follow_up_to_py(x));
            for (const auto& x : d.upcoming) upcoming.append(due_follow_up_to_py(x));
            for (const auto& f : d.thank) thank.append(favor_dict(f));
            for (const auto& q : d.going_cold) {
                if (q.last)
                    cold.append(py::make_tuple(q.contact, q.last->interaction, py::cast(q.last->at)));
                else
                    cold.append(py::make_tuple(q.contact, py::none(), py::none()));
            }
            for (const auto& p : d.goals_at_risk) goals.append(goal_progress_dict(p));
            out["due"] = due;
            out["upcoming"] = upcoming;
            out["thank"] = thank;
            out["going_cold"] = cold;
            out["goals_at_risk"] = goals;
            out["names"] = py::cast(d.names);
            out["text"] = text;
            out["json"] = json;
            return out;
        },
        py::arg("now") = py::none(), py::arg("cold_days") = 90, py::arg("upcoming_days") = 7,
        py::arg("limit") = 20);
}

}  // namespace netcrm_py
