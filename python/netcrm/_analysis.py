"""Data out for analysis: the ``to_pandas()`` frames and the matplotlib plots of the collections.

pandas and matplotlib are optional: they are imported when a method needs them, and a clear
``ImportError`` says which Debian package to install when they are missing. The collections call
in here (``crm.contacts.to_pandas()``, ``crm.goals.plot(g)`` ...); nothing here is public.

The dtypes, one rule for every frame:

- a record's ``id`` is the index (named ``id``);
- instants are ``datetime64[ns, UTC]`` (aware, ``NaT`` when missing); the IANA zone of a wall clock,
  when the record has one, is a ``time_zone`` column, e.g. ``df.due.dt.tz_convert("Europe/Paris")``;
- calendar days are ``period[D]`` (a day, no time and no zone: "dates as dates");
- text is pandas' ``string`` dtype; ids of other records are nullable ``Int64``;
- closed sets (interaction kinds, statuses, favour kinds) are ``category`` with every possible value
  as a category, so counts show zeros and an empty frame keeps the dtype;
- lists (emails, tags, the people of an interaction) stay Python lists: ``df.explode("tags")``;
- money stays exact: ``decimal.Decimal`` objects in an ``object`` column.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import importlib
import math
from types import ModuleType
from typing import TYPE_CHECKING, Any, Iterator, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._core import InvalidInput

if TYPE_CHECKING:
    from . import _core
    from .goals import Goal, Goals

_INSTALL = {"pandas": "python3-pandas", "matplotlib": "python3-matplotlib"}


def require(module: str, what: str) -> ModuleType:
    """``module`` imported, or an ImportError naming ``what`` needed it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        package = _INSTALL.get(module.split(".")[0], module)
        raise ImportError(f"netcrm: {what} needs {module.split('.')[0]}, which could not be imported "
                          f"({exc}); install it with: apt install {package} (or pip install "
                          f"{module.split('.')[0]})", name=module) from exc


# ---- columns ------------------------------------------------------------------------------------

def _utc(pd: Any, values: Sequence[_dt.datetime | None]) -> Any:
    return pd.to_datetime(pd.Series(list(values), dtype=object), utc=True).array


def _days(pd: Any, values: Sequence[_dt.date | None]) -> Any:
    return pd.PeriodIndex(list(values), freq="D").array


def _text(pd: Any, values: Sequence[str | None]) -> Any:
    return pd.array(list(values), dtype="string")


def _ids(pd: Any, values: Sequence[int | None]) -> Any:
    return pd.array(list(values), dtype="Int64")


def _category(pd: Any, values: Sequence[str], categories: Sequence[str]) -> Any:
    extra = sorted(set(values) - set(categories))  # a kind a newer core knows: kept, not made NaN
    return pd.Categorical(list(values), categories=[*categories, *extra])


def _objects(pd: Any, values: Sequence[Any]) -> Any:
    out = pd.Series([None] * len(values), dtype=object)
    for i, v in enumerate(values):  # element by element, so list values stay lists
        out.iat[i] = v
    return out.array


def _frame(pd: Any, ids: Sequence[int | None], columns: dict[str, Any]) -> Any:
    return pd.DataFrame(columns, index=pd.Index(list(ids), dtype="int64", name="id"))


def _pages(fetch: Any, page: int = 500) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        batch = fetch(page, offset)
        yield from batch
        if len(batch) < page:
            return
        offset += page


def _birthday(b: tuple[int | None, int, int] | None) -> str | None:
    if b is None:
        return None
    year, month, day = b
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"


def first_meetings(core: _core.Store) -> dict[int, tuple[_dt.datetime, int]]:
    """Contact id -> (when, event id) of its first meeting at an event; one query per event."""
    out: dict[int, tuple[_dt.datetime, int]] = {}
    for event in _pages(lambda limit, offset: core.event_list(None, None, None, None, None, limit, offset), 200):
        for a in core.event_attendees(event["id"]):
            if a["first_meeting"]:
                out[a["contact"]] = (a["met_at"], a["event"])
    return out


# ---- frames -------------------------------------------------------------------------------------

def contacts_frame(core: _core.Store, tag: str | None, organization: str | None) -> Any:
    pd = require("pandas", "to_pandas()")
    rows = list(_pages(lambda limit, offset: core.contact_list(tag, organization, limit, offset)))
    met = first_meetings(core) if rows else {}
    first = [met.get(d["id"]) for d in rows]
    return _frame(pd, [d["id"] for d in rows], {
        "display_name": _text(pd, [d["display_name"] for d in rows]),
        "organization": _text(pd, [d["organization"] for d in rows]),
        "title": _text(pd, [d["title"] for d in rows]),
        "emails": _objects(pd, [[v for v, _ in d["emails"]] for d in rows]),
        "phones": _objects(pd, [[v for v, *_ in d["phones"]] for d in rows]),
        "urls": _objects(pd, [[v for v, _ in d["urls"]] for d in rows]),
        "tags": _objects(pd, [list(d["tags"]) for d in rows]),
        "birthday": _text(pd, [_birthday(d["birthday"]) for d in rows]),
        "how_met": _text(pd, [d["how_met"] for d in rows]),
        "introduced_by": _ids(pd, [d["introduced_by"] for d in rows]),
        "source": _text(pd, [d["source"] for d in rows]),
        "first_met": _utc(pd, [None if f is None else f[0] for f in first]),
        "first_met_event": _ids(pd, [None if f is None else f[1] for f in first]),
        "created_at": _utc(pd, [d["created_at"] for d in rows]),
        "updated_at": _utc(pd, [d["updated_at"] for d in rows]),
    })


def interactions_frame(core: _core.Store, filters: tuple[Any, ...]) -> Any:
    from .interactions import INTERACTION_KINDS

    pd = require("pandas", "to_pandas()")
    c, e, k, s, t = filters
    rows = list(_pages(lambda limit, offset: core.interaction_list(c, e, k, s, t, False, limit, offset)))
    return _frame(pd, [d["id"] for d in rows], {
        "at": _utc(pd, [d["at"] for d in rows]),
        "time_zone": _text(pd, [d["time_zone"] for d in rows]),
        "kind": _category(pd, [d["kind"] for d in rows], INTERACTION_KINDS),
        "contacts": _objects(pd, [list(d["contacts"]) for d in rows]),
        "event": _ids(pd, [d["event"] for d in rows]),
        "notes": _text(pd, [d["notes"] for d in rows]),
        "created_at": _utc(pd, [d["created_at"] for d in rows]),
        "updated_at": _utc(pd, [d["updated_at"] for d in rows]),
    })


def follow_ups_frame(rows: Sequence[Any]) -> Any:
    from .follow_ups import FOLLOW_UP_STATUSES

    pd = require("pandas", "to_pandas()")
    return _frame(pd, [f.id for f in rows], {
        "contact": pd.array([f.contact for f in rows], dtype="int64"),
        "reason": _text(pd, [f.reason for f in rows]),
        "due": _utc(pd, [f.due for f in rows]),
        "time_zone": _text(pd, [f.time_zone for f in rows]),
        "status": _category(pd, [f.status for f in rows], FOLLOW_UP_STATUSES),
        "event": _ids(pd, [f.event for f in rows]),
        "interaction": _ids(pd, [f.interaction for f in rows]),
        "favor": _ids(pd, [f.favor for f in rows]),
        "rule": _ids(pd, [f.rule for f in rows]),
        "completed_at": _utc(pd, [f.completed_at for f in rows]),
        "completed_by": _ids(pd, [f.completed_by for f in rows]),
        "sequence": pd.array([f.sequence for f in rows], dtype="int64"),
        "created_at": _utc(pd, [f.created_at for f in rows]),
        "updated_at": _utc(pd, [f.updated_at for f in rows]),
    })


def favors_frame(rows: Sequence[Any]) -> Any:
    from .favors import FAVOR_KINDS, FAVOR_STATUSES

    pd = require("pandas", "to_pandas()")
    return _frame(pd, [f.id for f in rows], {
        "on": _days(pd, [f.on for f in rows]),
        "contact": pd.array([f.contact for f in rows], dtype="int64"),
        "direction": _category(pd, [f.direction for f in rows], ("given", "received")),
        "kind": _category(pd, [f.kind for f in rows], FAVOR_KINDS),
        "weight": pd.array([f.weight for f in rows], dtype="float64"),
        "status": _category(pd, [f.status for f in rows], FAVOR_STATUSES),
        "note": _text(pd, [f.note for f in rows]),
        "introduction": _ids(pd, [f.introduction for f in rows]),
        "created_at": _utc(pd, [f.created_at for f in rows]),
        "updated_at": _utc(pd, [f.updated_at for f in rows]),
    })


def _numbers(pd: Any, values: Sequence[Any], money: bool) -> Any:
    """Money as Decimal objects (exact); counts as Int64; weights, ratios and medians as Float64."""
    if money:
        return _objects(pd, values)
    if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values):
        return _ids(pd, values)
    return pd.array([None if v is None else float(v) for v in values], dtype="Float64")


def goal_history_frame(goals: Goals, goal: Goal | int, every: str, as_of: _dt.datetime | None) -> Any:
    pd = require("pandas", "to_pandas()")
    samples = goals.history(goal, every=every, as_of=as_of)
    money = bool(goals.get(goal).currency)
    index = pd.PeriodIndex([s.date for s in samples], freq="D", name="date")
    return pd.DataFrame({"value": _numbers(pd, [s.value for s in samples], money),
                         "cumulative": _numbers(pd, [s.cumulative for s in samples], money)}, index=index)


def goals_frame(goals: Goals, as_of: _dt.datetime | None) -> Any:
    pd = require("pandas", "to_pandas()")
    ps = [goals.progress(g, as_of=as_of) for g in goals.list()]
    return _frame(pd, [p.goal.id for p in ps], {
        "name": _text(pd, [p.goal.name for p in ps]),
        "metric": _text(pd, [p.goal.metric for p in ps]),
        "event": _ids(pd, [p.goal.event for p in ps]),
        "period": _text(pd, [None if p.goal.period is None else str(p.goal.period) for p in ps]),
        "comparison": _text(pd, [p.goal.comparison for p in ps]),
        "value": _objects(pd, [p.value for p in ps]),
        "target": _objects(pd, [p.target for p in ps]),
        "unit": _text(pd, [p.unit for p in ps]),
        "currency": _text(pd, [p.goal.currency for p in ps]),
        "fraction": pd.array([p.fraction for p in ps], dtype="float64"),
        "met": pd.array([p.met for p in ps], dtype="bool"),
        "elapsed": pd.array([p.elapsed for p in ps], dtype="Float64"),
        "expected": _objects(pd, [p.expected for p in ps]),
        "on_pace": pd.array([p.on_pace for p in ps], dtype="boolean"),
    })


# ---- plots --------------------------------------------------------------------------------------

def _axes(ax: Any, what: str) -> Any:
    require("matplotlib", what)
    if ax is not None:
        return ax
    plt = require("matplotlib.pyplot", what)
    _, new = plt.subplots()
    return new


def _float(v: Any) -> float:
    return math.nan if v is None else float(v)


def plot_goal(goals: Goals, goal: Goal | int, every: str, as_of: _dt.datetime | None, ax: Any) -> Any:
    ax = _axes(ax, "plot()")
    samples = goals.history(goal, every=every, as_of=as_of)
    progress = goals.progress(goals.get(goal), as_of=as_of)
    g = progress.goal
    unit = g.currency or progress.unit
    ax.plot([s.date for s in samples], [_float(s.cumulative) for s in samples], marker="o",
            label=f"{g.name} (cumulative)")
    symbol = "" if g.comparison == ">=" else g.comparison + " "
    ax.axhline(_float(progress.target), linestyle="--", color="tab:red",
               label=f"target {symbol}{progress.target}" + (f" {unit}" if unit else ""))
    if all(not v < 0 for v in [_float(progress.target), *(_float(s.cumulative) for s in samples)]):
        ax.set_ylim(bottom=0)  # from zero, so the distance to the target reads true
    ax.set_title(g.name)
    ax.set_ylabel(unit)
    ax.legend(loc="best")
    ax.figure.autofmt_xdate()
    return ax


def _zone(name: str) -> _dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _dt.timezone.utc


def step_end(day: _dt.date, every: str) -> _dt.date:
    """The last day of the day, week (ending Sunday) or month that holds ``day``."""
    if every == "day":
        return day
    if every == "week":
        return day + _dt.timedelta(days=6 - day.weekday())
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_step(end: _dt.date, every: str) -> _dt.date:
    return step_end(end + _dt.timedelta(days=1), every)


def growth(core: _core.Store, every: str) -> tuple[list[_dt.date], list[int]]:
    """Step ends and how many contacts had joined by each: joined = first met at an event, else
    added (the rule of the new_contacts goal metric), on the user's calendar."""
    if every not in ("day", "week", "month"):
        raise InvalidInput(f"every must be 'day', 'week' or 'month', not {every!r}")
    zone = _zone(core.time_zone)
    met = first_meetings(core)
    joined = sorted((met[d["id"]][0] if d["id"] in met else d["created_at"]).astimezone(zone).date()
                    for d in _pages(lambda limit, offset: core.contact_list(None, None, limit, offset)))
    if not joined:
        return [], []
    last = step_end(max(joined[-1], core.now().astimezone(zone).date()), every)
    ends, counts, i = [], [], 0
    end = step_end(joined[0], every)
    while True:
        while i < len(joined) and joined[i] <= end:
            i += 1
        ends.append(end)
        counts.append(i)
        if end >= last:
            return ends, counts
        end = _next_step(end, every)


def plot_growth(core: _core.Store, every: str, ax: Any) -> Any:
    ends, counts = growth(core, every)
    ax = _axes(ax, "plot_growth()")
    ax.plot(ends, counts, marker="o" if len(ends) < 60 else None, label="contacts")
    ax.set_title("Your network")
    ax.set_ylabel("contacts (cumulative)")
    ax.set_ylim(bottom=0)
    ax.figure.autofmt_xdate()
    return ax
