"""Networking goals measured from your data: ``crm.goals``.

A goal is a target on a metric, computed from the events, attendance and interactions whenever you
ask, never ticked off by hand. An *event goal* is measured on one event; a *plan goal* over a period
of your calendar ("2027", "this quarter", "2027-01-01..2027-03-31"), in your time zone
(``crm.time_zone``)::

    meetup = crm.events.add("Paris SaaS meetup", kind="meetup", starts=...)
    crm.goals.add("Cards from potential clients", metric="contacts_met", at_least=5,
                  event=meetup, tags=["potential-client"])
    crm.goals.add("Budget", metric="spend", at_most=Decimal("80"), currency="EUR", event=meetup)
    crm.goals.add("New people this year", metric="new_contacts", at_least=60, period="2027")
    print(crm.goals.report(event=meetup))
    # Paris SaaS meetup (2027-03-04): 1 of 2 goals met
    #   Cards from potential clients: 3 / 5 contacts (60%), not met
    #   Budget: 35.00 / <= 80.00 EUR (44%), met

Metrics: ``crm.goals.metrics()`` lists them (README, "Goals"). Money is :class:`decimal.Decimal`.
"""

from __future__ import annotations

import builtins
import datetime as _dt
import decimal
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Union

from .events import Event, _event_id
from ._refs import record_id
from ._core import InvalidInput

if TYPE_CHECKING:
    import pandas  # type: ignore[import]  # optional, and without type stubs on Debian
    from matplotlib.axes import Axes  # type: ignore[import]

    from . import _core

__all__ = ["Goal", "GoalProgress", "GoalReport", "Goals", "MetricInfo", "NetworkingReturn", "Period",
           "ProgressSample"]

#: The comparison keywords of :meth:`Goals.add` and the symbols goals store.
COMPARISONS = {"at_least": ">=", "at_most": "<=", "more_than": ">", "less_than": "<", "exactly": "=="}
_KEYWORDS = {v: k for k, v in COMPARISONS.items()}

Number = Union[int, float, decimal.Decimal]
#: What a target keyword of :meth:`Goals.add` takes: a number, or for money metrics also the decimal
#: text of an amount (``"80.00"``); a float is refused for money and a str for other metrics.
Target = Union[int, float, decimal.Decimal, str]


@dataclass(frozen=True)
class Period:
    """Calendar days, both ends included, in your time zone; ``label`` says how it was written.

    >>> Period(datetime.date(2027, 1, 1), datetime.date(2027, 3, 31), "2027-Q1").days
    90
    """

    first: _dt.date
    last: _dt.date
    label: str = ""

    @property
    def days(self) -> int:
        """How many calendar days the period spans, both ends included."""
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        return self.label or f"{self.first.isoformat()}..{self.last.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        """``{"first": "2027-01-01", "last": "2027-03-31", "label": "2027-Q1"}``"""
        return {"first": self.first.isoformat(), "last": self.last.isoformat(), "label": self.label}

    def _to_core(self) -> dict[str, Any]:
        return {"first": self.first, "last": self.last, "label": self.label}

    @classmethod
    def _from_core(cls, d: dict[str, Any] | None) -> Period | None:
        return None if d is None else cls(d["first"], d["last"], d["label"])


PeriodSpec = Union[str, Period, "tuple[_dt.date, _dt.date]"]


def _exponent(currency: str) -> int:
    from . import _core

    e = _core.currency_exponent(currency)
    return 2 if e is None else int(e)


def _money(value: float, currency: str) -> decimal.Decimal:
    """A float from the core as a Decimal: exact amounts get the currency's decimals (35.0 -> 35.00);
    a ratio (cost per new contact) keeps its digits."""
    d = decimal.Decimal(repr(value))
    q = d.quantize(decimal.Decimal(1).scaleb(-_exponent(currency)))
    return q if q == d else d


def _format_money(value: decimal.Decimal, currency: str) -> str:
    q = value.quantize(decimal.Decimal(1).scaleb(-_exponent(currency)), rounding=decimal.ROUND_HALF_UP)
    return f"{q} {currency}"


def _number(value: float | None, currency: str) -> Number | None:
    if value is None:
        return None
    if currency:
        return _money(value, currency)
    if math.isfinite(value) and value == int(value):
        return int(value)
    return value


def _target_to_core(target: object, money: bool) -> float:
    if isinstance(target, bool) or not isinstance(target, (int, float, decimal.Decimal, str)):
        raise TypeError(f"a target must be a number, not {type(target).__name__}")
    if isinstance(target, str):
        if not money:
            raise TypeError("a target must be a number; a str is accepted for money targets only")
        try:
            target = decimal.Decimal(target)
        except decimal.InvalidOperation:
            raise InvalidInput(f"target: {target!r} is not a number") from None
    if isinstance(target, float) and money:
        raise TypeError(f"a money target must be a Decimal, str or int, not float: write Decimal({str(target)!r})")
    return float(target)


@dataclass
class Goal:
    """A target on a metric, for an event (``event``) or over a period (``period``).

    >>> Goal("New people", metric="new_contacts", comparison=">=", target=5, event=3)
    Goal('New people': new_contacts >= 5 at event 3)
    """

    name: str
    metric: str
    comparison: str = ">="
    target: Number = 0
    currency: str = ""
    event: int | None = None
    period: Period | None = None
    tags: tuple[str, ...] = ()
    event_kind: str | None = None
    filter_event: int | None = None
    interaction_kinds: tuple[str, ...] = ()
    category: str | None = None
    id: int | None = None
    created_at: _dt.datetime | None = None

    def __repr__(self) -> str:
        where = f"at event {self.event}" if self.event is not None else f"in {self.period}"
        target = _format_money(decimal.Decimal(self.target), self.currency) if self.currency else self.target
        bits = [f"Goal({self.name!r}: {self.metric} {self.comparison} {target} {where}"]
        for name in ("tags", "event_kind", "filter_event", "interaction_kinds", "category"):
            v = getattr(self, name)
            if v:
                bits.append(f"{name}={builtins.list(v) if isinstance(v, tuple) else v!r}")
        if self.id is not None:
            bits.append(f"id={self.id}")
        return ", ".join(bits) + ")"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: money targets as decimal strings, dates and instants in ISO 8601.

        >>> Goal("Budget", "spend", "<=", decimal.Decimal("80.00"), "EUR", event=1).to_dict()["target"]
        '80.00'
        """
        return {"id": self.id, "name": self.name, "metric": self.metric, "comparison": self.comparison,
                "target": str(self.target) if isinstance(self.target, decimal.Decimal) else self.target,
                "currency": self.currency, "event": self.event,
                "period": None if self.period is None else self.period.to_dict(), "tags": builtins.list(self.tags),
                "event_kind": self.event_kind, "filter_event": self.filter_event,
                "interaction_kinds": builtins.list(self.interaction_kinds), "category": self.category,
                "created_at": None if self.created_at is None else self.created_at.isoformat()}

    def _to_core(self) -> dict[str, Any]:
        if self.comparison not in _KEYWORDS:
            raise InvalidInput(f"comparison must be one of {', '.join(_KEYWORDS)}, not {self.comparison!r}")
        if isinstance(self.tags, str) or isinstance(self.interaction_kinds, str):
            raise TypeError("tags and interaction_kinds are lists of str, not a str")
        return {"id": self.id or 0, "name": self.name, "metric": self.metric, "comparison": self.comparison,
                "target": _target_to_core(self.target, bool(self.currency)), "currency": self.currency or "",
                "event": self.event, "period": None if self.period is None else self.period._to_core(),
                "filter": {"tags": builtins.list(self.tags), "event_kind": self.event_kind,
                           "event": self.filter_event, "interaction_kinds": builtins.list(self.interaction_kinds),
                           "category": self.category}}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> Goal:
        f = d["filter"]
        currency = d["currency"]
        target: Number = _money(d["target"], currency) if currency else _number(d["target"], "") or 0
        return cls(d["name"], d["metric"], d["comparison"], target, currency, d["event"],
                   Period._from_core(d["period"]), tuple(f["tags"]), f["event_kind"], f["event"],
                   tuple(f["interaction_kinds"]), f["category"], d["id"], d["created_at"])


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


@dataclass
class GoalProgress:
    """How far a goal is, as of an instant: ``value`` against ``target`` (``fraction`` = value /
    target), ``met``, and for plan goals the share of the period gone (``elapsed``), the value a
    steady pace would have reached by now (``expected``) and ``on_pace``. ``value`` is ``None`` while
    there is nothing to measure (a median of no follow-ups); money is Decimal.

    >>> print(progress)                                                         # doctest: +SKIP
    Cards from potential clients: 3 / 5 contacts (60%), not met
    """

    goal: Goal
    value: Number | None
    target: Number
    fraction: float
    met: bool
    unit: str
    as_of: _dt.datetime
    elapsed: float | None = None
    expected: Number | None = None
    on_pace: bool | None = None

    def _show(self, v: Number | None) -> str:
        if v is None:
            return "no value yet"
        if self.goal.currency:
            return _format_money(decimal.Decimal(v), self.goal.currency).rsplit(" ", 1)[0]
        if isinstance(v, float):
            return f"{v:.1f}"
        return str(v)

    def __str__(self) -> str:
        cmp = "" if self.goal.comparison == ">=" else self.goal.comparison + " "
        s = f"{self.goal.name}: {self._show(self.value)} / {cmp}{self._show(self.target)} {self.unit}"
        if self.value is not None:
            s += f" ({_pct(self.fraction)})"
        s += ", met" if self.met else ", not met"
        if self.on_pace is not None:
            s += ", on pace" if self.on_pace else f", off pace (a steady pace is {self._show(self.expected)} by now)"
        return s

    def __repr__(self) -> str:
        return (f"GoalProgress({self.goal.name!r}, value={self.value!r}, target={self.target!r}, "
                f"met={self.met}, on_pace={self.on_pace})")

    def _repr_html_(self) -> str:
        """Jupyter shows a one-row table with a progress bar."""
        from . import _html

        return _html.goal_progress(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (money as decimal strings)."""
        def plain(v: Number | None) -> Any:
            return str(v) if isinstance(v, decimal.Decimal) else v

        return {"goal": self.goal.to_dict(), "value": plain(self.value), "target": plain(self.target),
                "fraction": self.fraction, "met": self.met, "unit": self.unit, "as_of": self.as_of.isoformat(),
                "elapsed": self.elapsed, "expected": plain(self.expected), "on_pace": self.on_pace}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> GoalProgress:
        goal = Goal._from_core(d["goal"])
        cur = goal.currency
        target = _number(d["target"], cur)
        return cls(goal, _number(d["value"], cur), target if target is not None else 0, d["fraction"], d["met"],
                   d["unit"], d["as_of"], d["elapsed"], _number(d["expected"], cur), d["on_pace"])


@dataclass
class GoalReport:
    """The goals of an event, or the plan goals overlapping a period, each with its progress.
    Iterating gives the :class:`GoalProgress` entries.

    >>> print(crm.goals.report(period="2027"))                                  # doctest: +SKIP
    2027: 1 of 2 goals met
      New contacts: 31 / 60 contacts (52%), not met, on pace
      ...
    """

    title: str
    event: int | None
    period: Period | None
    as_of: _dt.datetime
    goals: list[GoalProgress] = field(default_factory=list)

    @property
    def met(self) -> int:
        """How many of the goals are met."""
        return sum(1 for g in self.goals if g.met)

    def __iter__(self) -> Iterator[GoalProgress]:
        return iter(self.goals)

    def __len__(self) -> int:
        return len(self.goals)

    def __str__(self) -> str:
        lines = [f"{self.title}: {self.met} of {len(self.goals)} goals met"]
        lines += [f"  {g}" for g in self.goals]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"GoalReport({self.title!r}, {len(self.goals)} goals, {self.met} met)"

    def _repr_html_(self) -> str:
        """Jupyter shows the title, how many goals are met, and a table of the goals."""
        from . import _html

        return _html.goal_report(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"title": self.title, "event": self.event,
                "period": None if self.period is None else self.period.to_dict(), "as_of": self.as_of.isoformat(),
                "goals": [g.to_dict() for g in self.goals]}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> GoalReport:
        return cls(d["title"], d["event"], Period._from_core(d["period"]), d["as_of"],
                   [GoalProgress._from_core(g) for g in d["goals"]])


@dataclass(frozen=True)
class ProgressSample:
    """A goal's metric at the end of one day, week or month (``date``): ``value`` within that step,
    ``cumulative`` since the start of the goal's period (or of its event's day).

    >>> ProgressSample(datetime.date(2027, 3, 7), 4, 4)
    ProgressSample(date=datetime.date(2027, 3, 7), value=4, cumulative=4)
    """

    date: _dt.date
    value: Number | None
    cumulative: Number | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the date in ISO 8601, money as decimal strings.

        >>> ProgressSample(datetime.date(2027, 3, 7), 4, 4).to_dict()
        {'date': '2027-03-07', 'value': 4, 'cumulative': 4}
        """
        def plain(v: Number | None) -> Any:
            return str(v) if isinstance(v, decimal.Decimal) else v

        return {"date": self.date.isoformat(), "value": plain(self.value), "cumulative": plain(self.cumulative)}


@dataclass
class NetworkingReturn:
    """What networking returned for what it cost, over an event or a period: ``spend`` and
    ``cost_per_new_contact`` by currency (Decimal, the cost rounded to the cent), the people met,
    the new ones (first met at the events) and those of them tagged as potential clients, the
    people talked with (``conversations``) and ``interactions``; and what came back later from the
    people met there (over a period: those first met at its events), dated on or after the day they
    were met: ``favours_later`` (the weights of the done favours received from them) and
    ``introductions_later`` (introductions in which one of them introduced the user to someone, or
    the user introduced one of them).

    >>> print(crm.goals.returns(event=meetup))                                  # doctest: +SKIP
    Paris SaaS meetup (2027-03-04): spent 35.00 EUR + 9.00 USD; 4 met, 3 new (3 potential clients), ...
    """

    title: str
    event: int | None
    period: Period | None
    spend: dict[str, decimal.Decimal]
    events: int
    contacts_met: int
    new_contacts: int
    new_potential_clients: int
    conversations: int
    interactions: int
    cost_per_new_contact: dict[str, decimal.Decimal]
    favours_later: float = 0.0
    introductions_later: int = 0

    def __str__(self) -> str:
        def amounts(d: dict[str, decimal.Decimal]) -> str:
            return " + ".join(f"{v} {k}" for k, v in d.items()) or "nothing"

        s = f"{self.title}: spent {amounts(self.spend)}"
        if self.period is not None:
            s += f" on {self.events} event{'s' if self.events != 1 else ''}"
        s += (f"; {self.contacts_met} met, {self.new_contacts} new ({self.new_potential_clients} potential "
              f"client{'s' if self.new_potential_clients != 1 else ''}), {self.conversations} talked with, "
              f"{self.interactions} interaction{'s' if self.interactions != 1 else ''}")
        if self.cost_per_new_contact:
            s += f"; {amounts(self.cost_per_new_contact)} per new contact"
        if self.favours_later or self.introductions_later:
            s += (f"; later {self.favours_later:g} favour{'s' if self.favours_later != 1 else ''} received, "
                  f"{self.introductions_later} introduction{'s' if self.introductions_later != 1 else ''}")
        return s

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (amounts as decimal strings)."""
        return {"title": self.title, "event": self.event,
                "period": None if self.period is None else self.period.to_dict(),
                "spend": {k: str(v) for k, v in self.spend.items()}, "events": self.events,
                "contacts_met": self.contacts_met, "new_contacts": self.new_contacts,
                "new_potential_clients": self.new_potential_clients, "conversations": self.conversations,
                "interactions": self.interactions,
                "cost_per_new_contact": {k: str(v) for k, v in self.cost_per_new_contact.items()},
                "favours_later": self.favours_later, "introductions_later": self.introductions_later}

    @classmethod
    def _from_core(cls, d: dict[str, Any]) -> NetworkingReturn:
        def money(pairs: list[tuple[str, str]]) -> dict[str, decimal.Decimal]:
            return {cur: decimal.Decimal(amount) for amount, cur in pairs}

        return cls(d["title"], d["event"], Period._from_core(d["period"]), money(d["spend"]), d["events"],
                   d["contacts_met"], d["new_contacts"], d["new_potential_clients"], d["conversations"],
                   d["interactions"], money(d["cost_per_new_contact"]), float(d["favours_later"]),
                   d["introductions_later"])


@dataclass(frozen=True)
class MetricInfo:
    """A metric goals can be set on: ``scopes`` is ``"event"``, ``"period"`` or ``"both"``; a
    ``money`` metric needs a currency; a ``cumulative`` one grows through a period (its pace is pro
    rata), a ratio or median does not (its pace is the target itself).

    >>> [m.name for m in crm.goals.metrics()][:2]                               # doctest: +SKIP
    ['contacts_met', 'new_contacts']
    """

    name: str
    description: str
    unit: str
    money: bool
    scopes: str
    cumulative: bool

    def __str__(self) -> str:
        return f"{self.name}: {self.description}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the metric's description."""
        return {"name": self.name, "description": self.description, "unit": self.unit, "money": self.money,
                "scopes": self.scopes, "cumulative": self.cumulative}


GoalRef = Union[Goal, int]


def _goal_id(ref: GoalRef) -> int:
    return record_id(ref, "goal", Goal, hint="add it first, or use evaluate()")


def _strings(values: Iterable[str] | None, what: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        raise TypeError(f"{what} is a list of str, e.g. [{values!r}], not a str")
    return tuple(values)


class Goals:
    """The goals of an open database: ``crm.goals``.

    >>> g = crm.goals.add("New people", metric="new_contacts", at_least=60, period="2027")  # doctest: +SKIP
    >>> print(crm.goals.progress(g))                                            # doctest: +SKIP
    New people: 31 / 60 contacts (52%), not met, on pace

    ``len(crm.goals)``, ``for g in crm.goals`` (by id) and ``crm.goals[id]`` work.
    """

    def __init__(self, core: _core.Store) -> None:
        self._core = core

    # ---- building goals ------------------------------------------------------------------------

    def _period(self, period: PeriodSpec | None) -> Period | None:
        if period is None or isinstance(period, Period):
            return period
        if isinstance(period, str):
            p = Period._from_core(self._core.goal_parse_period(period))
            assert p is not None
            return p
        if isinstance(period, tuple) and len(period) == 2 and all(
                isinstance(d, _dt.date) and not isinstance(d, _dt.datetime) for d in period):
            return Period(period[0], period[1], "")
        raise TypeError("period is a str ('2027', 'this quarter', '2027-01-01..2027-03-31'), a Period, or a "
                        f"(date, date) tuple, not {type(period).__name__}")

    def _build(self, name: str | Goal, metric: str | None, comparisons: dict[str, Any], event: Any, period: Any,
               currency: str | None, tags: Iterable[str], event_kind: str | None, filter_event: Any,
               interaction_kinds: Iterable[str], category: str | None) -> Goal:
        if isinstance(name, Goal):
            return name
        if metric is None:
            raise TypeError("metric= is required, e.g. metric='new_contacts' (see crm.goals.metrics())")
        given = {k: v for k, v in comparisons.items() if v is not None}
        if len(given) != 1:
            raise TypeError(f"give exactly one target: {', '.join(k + '=' for k in COMPARISONS)}"
                            + (f" (got {', '.join(given)})" if given else ""))
        (keyword, target), = given.items()
        if isinstance(target, float) and currency:
            _target_to_core(target, True)  # refuses floats for money, with the message
        return Goal(name, metric, COMPARISONS[keyword], target, currency or "",
                    None if event is None else _event_id(event), self._period(period), _strings(tags, "tags"),
                    event_kind, None if filter_event is None else _event_id(filter_event),
                    _strings(interaction_kinds, "interaction_kinds"), category)

    def add(self, name: str | Goal, *, metric: str | None = None, at_least: Target | None = None,
            at_most: Target | None = None, more_than: Target | None = None, less_than: Target | None = None,
            exactly: Target | None = None, event: Event | int | None = None, period: PeriodSpec | None = None,
            currency: str | None = None, tags: Iterable[str] = (), event_kind: str | None = None,
            filter_event: Event | int | None = None, interaction_kinds: Iterable[str] = (),
            category: str | None = None) -> Goal:
        """Stores a goal and returns it with its id.

        Exactly one target keyword (``at_least``, ``at_most``, ``more_than``, ``less_than``,
        ``exactly``); exactly one of ``event`` (an :class:`Event` or id) and ``period`` (``"2027"``,
        ``"2027-Q2"``, ``"2027-05"``, ``"2027-W05"``, ``"2027-05-14"``,
        ``"2027-01-01..2027-06-30"``, ``"this quarter"``, ``"last month"`` ..., or a
        ``(date, date)`` tuple; relative ones are fixed when the goal is added). Money metrics
        (``spend``, ``cost_per_new_contact``) need ``currency`` and take exact targets: a Decimal,
        an int or the amount's text (``at_most="80.00"``), never a float.
        Filters: ``tags`` (contacts carrying any of them; for events and spend, the event's tags),
        ``event_kind``, ``filter_event`` (a plan goal counting one event), ``interaction_kinds``,
        ``category`` (expenses).

        >>> crm.goals.add("Cards from potential clients", metric="contacts_met", at_least=5,  # doctest: +SKIP
        ...               event=meetup, tags=["potential-client"])
        >>> crm.goals.add("Spend", metric="spend", at_most=Decimal("80"), currency="EUR",     # doctest: +SKIP
        ...               period="this quarter")

        Raises :class:`netcrm.InvalidInput` naming what is wrong (an unknown metric lists the known
        ones) and :class:`netcrm.NotFound` for an unknown event.
        """
        g = self._build(name, metric, {"at_least": at_least, "at_most": at_most, "more_than": more_than,
                                       "less_than": less_than, "exactly": exactly}, event, period, currency, tags,
                        event_kind, filter_event, interaction_kinds, category)
        return Goal._from_core(self._core.goal_add(g._to_core()))

    def get(self, goal: GoalRef) -> Goal:
        """The stored goal; :class:`netcrm.NotFound` when there is none.

        >>> crm.goals.get(1).metric                                                  # doctest: +SKIP
        'new_contacts'
        """
        return Goal._from_core(self._core.goal_get(_goal_id(goal)))

    def find(self, goal: GoalRef) -> Goal | None:
        """The stored goal, or ``None``.

        >>> crm.goals.find(12345) is None                                            # doctest: +SKIP
        True
        """
        d = self._core.goal_find(_goal_id(goal))
        return None if d is None else Goal._from_core(d)

    def update(self, goal: Goal, /, **changes: Any) -> Goal:
        """Saves a changed goal; ``changes`` are fields of :class:`Goal` or a target keyword.

        >>> crm.goals.update(g, at_least=80, name="New people (raised)")           # doctest: +SKIP
        """
        if not isinstance(goal, Goal):
            raise TypeError(f"update takes a Goal, not {type(goal).__name__}")
        fields = {k: v for k, v in vars(goal).items()}
        for keyword, symbol in COMPARISONS.items():
            if keyword in changes:
                fields["comparison"], fields["target"] = symbol, changes.pop(keyword)
        if "period" in changes:
            changes["period"] = self._period(changes["period"])
        if "event" in changes and changes["event"] is not None:
            changes["event"] = _event_id(changes["event"])
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"unknown goal field(s): {', '.join(sorted(unknown))}")
        fields.update(changes)
        _goal_id(goal)
        return Goal._from_core(self._core.goal_update(Goal(**fields)._to_core()))

    def remove(self, goal: GoalRef) -> None:
        """Deletes a goal (:class:`netcrm.NotFound` when there is none).

        >>> crm.goals.remove(g)                                                      # doctest: +SKIP
        """
        self._core.goal_remove(_goal_id(goal))

    def list(self, *, event: Event | int | None = None, plan_only: bool = False) -> builtins.list[Goal]:
        """Goals by id: all, those of ``event``, or only plan goals.

        >>> crm.goals.list(plan_only=True)                                          # doctest: +SKIP
        """
        ev = None if event is None else _event_id(event)
        return [Goal._from_core(d) for d in self._core.goal_list(ev, plan_only)]

    def __iter__(self) -> Iterator[Goal]:
        return iter(self.list())

    def __len__(self) -> int:
        return len(self.list())

    def __getitem__(self, goal: int) -> Goal:
        return self.get(goal)

    def __contains__(self, goal: object) -> bool:
        if isinstance(goal, Goal):
            goal = goal.id
        if isinstance(goal, bool) or not isinstance(goal, int):
            return False
        return self._core.goal_find(goal) is not None

    def __repr__(self) -> str:
        return f"<netcrm.Goals: {len(self)} goals>"

    # ---- measuring -----------------------------------------------------------------------------

    def progress(self, goal: GoalRef, *, as_of: _dt.datetime | None = None) -> GoalProgress:
        """A goal's progress now (by the database's clock) or ``as_of`` an aware datetime. An unsaved
        :class:`Goal` is evaluated without being stored.

        >>> print(crm.goals.progress(g))                                            # doctest: +SKIP
        Cards from potential clients: 3 / 5 contacts (60%), not met
        """
        if isinstance(goal, Goal) and goal.id is None:
            return self.evaluate(goal, as_of=as_of)
        return GoalProgress._from_core(self._core.goal_progress(_goal_id(goal), as_of))

    def evaluate(self, goal: str | Goal, *, as_of: _dt.datetime | None = None, metric: str | None = None,
                 at_least: Target | None = None, at_most: Target | None = None, more_than: Target | None = None,
                 less_than: Target | None = None, exactly: Target | None = None, event: Event | int | None = None,
                 period: PeriodSpec | None = None, currency: str | None = None, tags: Iterable[str] = (),
                 event_kind: str | None = None, filter_event: Event | int | None = None,
                 interaction_kinds: Iterable[str] = (), category: str | None = None) -> GoalProgress:
        """Progress of a goal that is not stored: a :class:`Goal`, or the arguments of :meth:`add`.

        >>> crm.goals.evaluate("What if", metric="conversations", at_least=10, period="this month")  # doctest: +SKIP
        """
        g = self._build(goal, metric, {"at_least": at_least, "at_most": at_most, "more_than": more_than,
                                       "less_than": less_than, "exactly": exactly}, event, period, currency, tags,
                        event_kind, filter_event, interaction_kinds, category)
        return GoalProgress._from_core(self._core.goal_evaluate(g._to_core(), as_of))

    def report(self, *, event: Event | int | None = None, period: PeriodSpec | None = None,
               as_of: _dt.datetime | None = None) -> GoalReport:
        """Every goal of ``event``, or every plan goal whose period overlaps ``period``.

        >>> print(crm.goals.report(event=meetup))                                   # doctest: +SKIP
        Paris SaaS meetup (2027-03-04): 1 of 2 goals met
          Cards from potential clients: 3 / 5 contacts (60%), not met
          Budget: 35.00 / <= 80.00 EUR (44%), met
        """
        if (event is None) == (period is None):
            raise TypeError("report(event=...) or report(period=...): give exactly one")
        if event is not None:
            return GoalReport._from_core(self._core.goal_report_event(_event_id(event), as_of))
        p = self._period(period)
        assert p is not None
        return GoalReport._from_core(self._core.goal_report_period(p._to_core(), as_of))

    def history(self, goal: GoalRef, *, every: str = "week", as_of: _dt.datetime | None = None
                ) -> builtins.list[ProgressSample]:
        """The goal's metric at the end of each ``"day"``, ``"week"`` (Sunday) or ``"month"`` of its
        period (an event goal: from the event's day), up to ``as_of``; the last step ends at the
        period's end or at ``as_of``. For plotting growth::

            samples = crm.goals.history(g, every="month")
            plt.plot([s.date for s in samples], [s.cumulative for s in samples])
        """
        if every not in ("day", "week", "month"):
            raise InvalidInput(f"every must be 'day', 'week' or 'month', not {every!r}")
        g = self.get(goal)
        return [ProgressSample(d, _number(v, g.currency), _number(c, g.currency))
                for d, v, c in self._core.goal_history(_goal_id(goal), every, as_of)]

    def to_pandas(self, goal: GoalRef | None = None, *, every: str = "week",
                  as_of: _dt.datetime | None = None) -> pandas.DataFrame:
        """Goals as a pandas DataFrame. Needs pandas (``apt install python3-pandas``); raises
        ``ImportError`` saying so when it is missing.

        With a ``goal``: its :meth:`history` (``every`` ``"day"``, ``"week"`` or ``"month"``, up to
        ``as_of``), indexed by ``date`` (``period[D]``, the last day of each step), with columns
        ``value`` (within the step) and ``cumulative``: ``Int64`` for counts, ``Float64`` for
        weights, ratios and medians, ``decimal.Decimal`` objects for money (exact).

        Without: one row per goal, indexed by ``id``, with its progress as of ``as_of``: ``name``,
        ``metric``, ``period`` (its label), ``comparison``, ``unit``, ``currency`` (``string``);
        ``event`` (``Int64``); ``value``, ``target``, ``expected`` (objects: each goal keeps its own
        kind of number, ``Decimal`` for money); ``fraction`` (``float64``), ``met`` (``bool``),
        ``elapsed`` (``Float64``) and ``on_pace`` (``boolean``; ``<NA>`` for event goals).

        >>> crm.goals.to_pandas(g, every="month").cumulative.plot()            # doctest: +SKIP
        >>> crm.goals.to_pandas().query("not met")[["name", "fraction"]]       # doctest: +SKIP
        """
        from ._analysis import goal_history_frame, goals_frame

        if goal is None:
            return goals_frame(self, as_of)
        self._every(every)
        return goal_history_frame(self, goal, every, as_of)

    def plot(self, goal: GoalRef, *, every: str = "week", as_of: _dt.datetime | None = None,
             ax: Axes | None = None) -> Axes:
        """Plots a goal's cumulative value at the end of each ``every`` step (its :meth:`history`),
        with its target as a dashed horizontal line. Draws on ``ax`` (a new figure when ``None``)
        and returns it; never shows it. Needs matplotlib (``apt install python3-matplotlib``).

        >>> ax = crm.goals.plot(g, every="month")                              # doctest: +SKIP
        >>> ax.figure.savefig("goal.png")                                      # doctest: +SKIP
        """
        from ._analysis import plot_goal

        self._every(every)
        return plot_goal(self, goal, every, as_of, ax)

    @staticmethod
    def _every(every: str) -> None:
        if every not in ("day", "week", "month"):
            raise InvalidInput(f"every must be 'day', 'week' or 'month', not {every!r}")

    def metrics(self) -> builtins.list[MetricInfo]:
        """The metrics goals can use, built-in ones first.

        >>> for m in crm.goals.metrics(): print(m)                                   # doctest: +SKIP
        contacts_met: distinct contacts met at the event, or at events starting in the period
        """
        return [MetricInfo(**d) for d in self._core.goal_metrics()]

    def returns(self, *, event: Event | int | None = None, period: PeriodSpec | None = None,
                client_tag: str = "potential-client") -> NetworkingReturn:
        """The return on networking of an event or a period: spend by currency, people met, new
        contacts first met at the events (and those tagged ``client_tag``), people talked with,
        interactions, and the cost per new contact.

        >>> print(crm.goals.returns(period="2027"))                                  # doctest: +SKIP
        2027: spent 1250.00 EUR on 14 events; 310 met, 122 new (9 potential clients), ...
        """
        if (event is None) == (period is None):
            raise TypeError("returns(event=...) or returns(period=...): give exactly one")
        if event is not None:
            return NetworkingReturn._from_core(self._core.goal_event_return(_event_id(event), client_tag))
        p = self._period(period)
        assert p is not None
        return NetworkingReturn._from_core(self._core.goal_period_return(p._to_core(), client_tag))
