"""Every bad argument of the public API raises netcrm.InvalidInput (a ValueError) or TypeError in
netcrm's own words: never pybind11's "incompatible function arguments" with the C++ signature, an
OverflowError, or an empty answer for a limit, offset or period that cannot be right.

The walk is systematic: CALLS names each (method, argument) that takes an id, a count, a number of
days, a limit, an offset or a weight, and test_every_numeric_argument_of_the_api_is_walked fails when
a public method grows such an argument without an entry here.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import netcrm
from helpers import UTC, FixedClock, assert_no_cpp_words

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# What pybind11 and Python's own conversions say when an argument slips through unchecked.
LEAKS = ("incompatible function arguments", "Unable to cast", "int64", "long long", "unsigned", "size_t",
         "OverflowError", "-> ", "_core.Store", "Invoked with")


class World:
    """One stored record of each kind, for the calls that need a valid record beside the hostile one."""

    def __init__(self, crm: netcrm.CRM) -> None:
        self.crm = crm
        self.ada = crm.contacts.add(display_name="Ada Lovelace", emails=["ada@example.com"])
        self.bob = crm.contacts.add(display_name="Bob Babbage")
        self.event = crm.events.add("Paris.rb", starts=NOW - dt.timedelta(days=3))
        self.interaction = crm.interactions.log("coffee", self.ada, at=NOW - dt.timedelta(days=2))
        self.follow_up = crm.follow_ups.schedule(self.ada, "Send the deck", due=dt.timedelta(days=2))
        self.favor = crm.favors.give(self.ada, "advice")
        self.intro = crm.favors.introduce(self.ada, self.bob)
        self.ask = crm.favors.ask(self.ada, "a designer")
        self.goal = crm.goals.add("Meet people", metric="contacts_met", at_least=5, event=self.event)
        self.rule = crm.follow_ups.add_rule("cadence", every="2 weeks", contact=self.ada)
        self.batch = crm.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEND:VCARD\r\n").batch
        self.expense = crm.events.add_expense(self.event, Decimal("12.50"), "EUR")


Call = Callable[[World, Any], object]

# (public method, argument, kind of argument, call). Kinds: "id" (a record or its id, required),
# "opt_id" (None allowed), "limit" (None allowed, >= 0), "offset", "days", "cold_days" (>= 1), "weight".
CALLS: list[tuple[str, str, str, Call]] = [
    ("Contacts.get", "contact", "id", lambda w, x: w.crm.contacts.get(x)),
    ("Contacts.find", "contact", "id", lambda w, x: w.crm.contacts.find(x)),
    ("Contacts.remove", "contact", "id", lambda w, x: w.crm.contacts.remove(x)),
    ("Contacts.delete", "contact", "id", lambda w, x: w.crm.contacts.delete(x)),
    ("Contacts.__getitem__", "contact", "id", lambda w, x: w.crm.contacts[x]),
    ("Contacts.add_note", "contact", "id", lambda w, x: w.crm.contacts.add_note(x, "hello")),
    ("Contacts.merge", "survivor", "id", lambda w, x: w.crm.contacts.merge(x, w.bob)),
    ("Contacts.merge", "other", "id", lambda w, x: w.crm.contacts.merge(w.ada, x)),
    ("Contacts.merge_history", "contact", "id", lambda w, x: w.crm.contacts.merge_history(x)),
    ("Contacts.list", "limit", "limit", lambda w, x: w.crm.contacts.list(limit=x)),
    ("Contacts.list", "offset", "offset", lambda w, x: w.crm.contacts.list(offset=x)),
    ("Contacts.search", "limit", "limit_required", lambda w, x: w.crm.contacts.search("ada", limit=x)),
    ("Events.get", "event", "id", lambda w, x: w.crm.events.get(x)),
    ("Events.find", "event", "id", lambda w, x: w.crm.events.find(x)),
    ("Events.remove", "event", "id", lambda w, x: w.crm.events.remove(x)),
    ("Events.__getitem__", "event", "id", lambda w, x: w.crm.events[x]),
    ("Events.add_expense", "event", "id", lambda w, x: w.crm.events.add_expense(x, Decimal("1"), "EUR")),
    ("Events.remove_expense", "expense", "id", lambda w, x: w.crm.events.remove_expense(x)),
    ("Events.met", "event", "id", lambda w, x: w.crm.events.met(x, w.bob)),
    ("Events.met", "contact", "id", lambda w, x: w.crm.events.met(w.event, x)),
    ("Events.met", "introduced_by", "opt_id", lambda w, x: w.crm.events.met(w.event, w.bob, introduced_by=x)),
    ("Events.remove_attendee", "event", "id", lambda w, x: w.crm.events.remove_attendee(x, w.ada)),
    ("Events.remove_attendee", "contact", "id", lambda w, x: w.crm.events.remove_attendee(w.event, x)),
    ("Events.attendees", "event", "id", lambda w, x: w.crm.events.attendees(x)),
    ("Events.attended", "contact", "id", lambda w, x: w.crm.events.attended(x)),
    ("Events.first_met", "contact", "id", lambda w, x: w.crm.events.first_met(x)),
    ("Events.list", "attendee", "opt_id", lambda w, x: w.crm.events.list(attendee=x)),
    ("Events.count", "attendee", "opt_id", lambda w, x: w.crm.events.count(attendee=x)),
    ("Events.list", "limit", "limit", lambda w, x: w.crm.events.list(limit=x)),
    ("Events.list", "offset", "offset", lambda w, x: w.crm.events.list(offset=x)),
    ("Interactions.log", "contacts", "id", lambda w, x: w.crm.interactions.log("coffee", x, at=NOW)),
    ("Interactions.log", "event", "opt_id", lambda w, x: w.crm.interactions.log("coffee", w.ada, at=NOW, event=x)),
    ("Interactions.get", "interaction", "id", lambda w, x: w.crm.interactions.get(x)),
    ("Interactions.find", "interaction", "id", lambda w, x: w.crm.interactions.find(x)),
    ("Interactions.remove", "interaction", "id", lambda w, x: w.crm.interactions.remove(x)),
    ("Interactions.__getitem__", "interaction", "id", lambda w, x: w.crm.interactions[x]),
    ("Interactions.list", "contact", "opt_id", lambda w, x: w.crm.interactions.list(contact=x)),
    ("Interactions.list", "event", "opt_id", lambda w, x: w.crm.interactions.list(event=x)),
    ("Interactions.count", "contact", "opt_id", lambda w, x: w.crm.interactions.count(contact=x)),
    ("Interactions.count", "event", "opt_id", lambda w, x: w.crm.interactions.count(event=x)),
    ("Interactions.list", "limit", "limit", lambda w, x: w.crm.interactions.list(limit=x)),
    ("Interactions.list", "offset", "offset", lambda w, x: w.crm.interactions.list(offset=x)),
    ("Interactions.with_contact", "contact", "id", lambda w, x: w.crm.interactions.with_contact(x)),
    ("Interactions.last", "contact", "id", lambda w, x: w.crm.interactions.last(x)),
    ("Interactions.not_heard_from", "days", "days", lambda w, x: w.crm.interactions.not_heard_from(x)),
    ("FollowUps.schedule", "contact", "id", lambda w, x: w.crm.follow_ups.schedule(x, "r", due=dt.timedelta(1))),
    ("FollowUps.schedule", "event", "opt_id",
     lambda w, x: w.crm.follow_ups.schedule(w.ada, "r", due=dt.timedelta(1), event=x)),
    ("FollowUps.schedule", "interaction", "opt_id",
     lambda w, x: w.crm.follow_ups.schedule(w.ada, "r", due=dt.timedelta(1), interaction=x)),
    ("FollowUps.get", "follow_up", "id", lambda w, x: w.crm.follow_ups.get(x)),
    ("FollowUps.find", "follow_up", "id", lambda w, x: w.crm.follow_ups.find(x)),
    ("FollowUps.remove", "follow_up", "id", lambda w, x: w.crm.follow_ups.remove(x)),
    ("FollowUps.__getitem__", "follow_up", "id", lambda w, x: w.crm.follow_ups[x]),
    ("FollowUps.complete", "follow_up", "id", lambda w, x: w.crm.follow_ups.complete(x)),
    ("FollowUps.complete", "interaction", "opt_id", lambda w, x: w.crm.follow_ups.complete(w.follow_up, interaction=x)),
    ("FollowUps.snooze", "follow_up", "id", lambda w, x: w.crm.follow_ups.snooze(x, by=dt.timedelta(days=1))),
    ("FollowUps.reschedule", "follow_up", "id", lambda w, x: w.crm.follow_ups.reschedule(x, dt.timedelta(days=1))),
    ("FollowUps.cancel", "follow_up", "id", lambda w, x: w.crm.follow_ups.cancel(x)),
    ("FollowUps.reopen", "follow_up", "id", lambda w, x: w.crm.follow_ups.reopen(x)),
    ("FollowUps.history", "follow_up", "id", lambda w, x: w.crm.follow_ups.history(x)),
    ("FollowUps.list", "contact", "opt_id", lambda w, x: w.crm.follow_ups.list(contact=x)),
    ("FollowUps.count", "contact", "opt_id", lambda w, x: w.crm.follow_ups.count(contact=x)),
    ("FollowUps.list", "limit", "limit", lambda w, x: w.crm.follow_ups.list(limit=x)),
    ("FollowUps.list", "offset", "offset", lambda w, x: w.crm.follow_ups.list(offset=x)),
    ("FollowUps.due", "limit", "limit", lambda w, x: w.crm.follow_ups.due(limit=x)),
    ("FollowUps.overdue", "limit", "limit", lambda w, x: w.crm.follow_ups.overdue(limit=x)),
    ("FollowUps.upcoming", "days", "days", lambda w, x: w.crm.follow_ups.upcoming(x)),
    ("FollowUps.upcoming", "limit", "limit", lambda w, x: w.crm.follow_ups.upcoming(limit=x)),
    ("FollowUps.going_cold", "days", "days", lambda w, x: w.crm.follow_ups.going_cold(x)),
    ("FollowUps.going_cold", "limit", "limit", lambda w, x: w.crm.follow_ups.going_cold(limit=x)),
    ("FollowUps.warmth", "contact", "id", lambda w, x: w.crm.follow_ups.warmth(x)),
    ("FollowUps.add_rule", "contact", "opt_id", lambda w, x: w.crm.follow_ups.add_rule("cadence", contact=x)),
    ("FollowUps.get_rule", "rule", "id", lambda w, x: w.crm.follow_ups.get_rule(x)),
    ("FollowUps.remove_rule", "rule", "id", lambda w, x: w.crm.follow_ups.remove_rule(x)),
    ("Favors.give", "contact", "id", lambda w, x: w.crm.favors.give(x, "advice")),
    ("Favors.give", "weight", "weight", lambda w, x: w.crm.favors.give(w.ada, "advice", weight=x)),
    ("Favors.receive", "contact", "id", lambda w, x: w.crm.favors.receive(x, "advice")),
    ("Favors.receive", "weight", "weight", lambda w, x: w.crm.favors.receive(w.ada, "advice", weight=x)),
    ("Favors.get", "favor", "id", lambda w, x: w.crm.favors.get(x)),
    ("Favors.find", "favor", "id", lambda w, x: w.crm.favors.find(x)),
    ("Favors.remove", "favor", "id", lambda w, x: w.crm.favors.remove(x)),
    ("Favors.__getitem__", "favor", "id", lambda w, x: w.crm.favors[x]),
    ("Favors.list", "contact", "opt_id", lambda w, x: w.crm.favors.list(contact=x)),
    ("Favors.count", "contact", "opt_id", lambda w, x: w.crm.favors.count(contact=x)),
    ("Favors.list", "limit", "limit", lambda w, x: w.crm.favors.list(limit=x)),
    ("Favors.list", "offset", "offset", lambda w, x: w.crm.favors.list(offset=x)),
    ("Favors.introduce", "first", "id", lambda w, x: w.crm.favors.introduce(x, w.bob)),
    ("Favors.introduce", "second", "id", lambda w, x: w.crm.favors.introduce(w.ada, x)),
    ("Favors.introduce", "weight", "weight", lambda w, x: w.crm.favors.introduce(w.ada, w.bob, weight=x)),
    ("Favors.introduced_to", "contact", "id", lambda w, x: w.crm.favors.introduced_to(x, by=w.bob)),
    ("Favors.introduced_to", "by", "id", lambda w, x: w.crm.favors.introduced_to(w.ada, by=x)),
    ("Favors.introduced_to", "weight", "weight", lambda w, x: w.crm.favors.introduced_to(w.ada, by=w.bob, weight=x)),
    ("Favors.introductions", "involving", "opt_id", lambda w, x: w.crm.favors.introductions(involving=x)),
    ("Favors.favors_of", "introduction", "id", lambda w, x: w.crm.favors.favors_of(x)),
    ("Favors.remove_introduction", "introduction", "id", lambda w, x: w.crm.favors.remove_introduction(x)),
    ("Favors.ask", "contact", "id", lambda w, x: w.crm.favors.ask(x, "a designer")),
    ("Favors.close_ask", "ask", "id", lambda w, x: w.crm.favors.close_ask(x, "met")),
    ("Favors.asks", "contact", "opt_id", lambda w, x: w.crm.favors.asks(x)),
    ("Favors.balance", "contact", "id", lambda w, x: w.crm.favors.balance(x)),
    ("Goals.get", "goal", "id", lambda w, x: w.crm.goals.get(x)),
    ("Goals.find", "goal", "id", lambda w, x: w.crm.goals.find(x)),
    ("Goals.remove", "goal", "id", lambda w, x: w.crm.goals.remove(x)),
    ("Goals.__getitem__", "goal", "id", lambda w, x: w.crm.goals[x]),
    ("Goals.progress", "goal", "id", lambda w, x: w.crm.goals.progress(x)),
    ("Goals.history", "goal", "id", lambda w, x: w.crm.goals.history(x)),
    ("Goals.list", "event", "opt_id", lambda w, x: w.crm.goals.list(event=x)),
    ("Goals.report", "event", "opt_id", lambda w, x: w.crm.goals.report(event=x)),
    ("Goals.returns", "event", "opt_id", lambda w, x: w.crm.goals.returns(event=x)),
    ("Goals.add", "event", "opt_id",
     lambda w, x: w.crm.goals.add("g", metric="contacts_met", at_least=1, event=x)),
    ("Goals.add", "filter_event", "opt_id",
     lambda w, x: w.crm.goals.add("g", metric="contacts_met", at_least=1, filter_event=x)),
    ("Goals.evaluate", "event", "opt_id",
     lambda w, x: w.crm.goals.evaluate("g", metric="contacts_met", at_least=1, event=x)),
    ("Goals.evaluate", "filter_event", "opt_id",
     lambda w, x: w.crm.goals.evaluate("g", metric="contacts_met", at_least=1, filter_event=x)),
    ("Interactions.to_pandas", "contact", "opt_id", lambda w, x: w.crm.interactions.to_pandas(contact=x)),
    ("Interactions.to_pandas", "event", "opt_id", lambda w, x: w.crm.interactions.to_pandas(event=x)),
    ("FollowUps.to_pandas", "contact", "opt_id", lambda w, x: w.crm.follow_ups.to_pandas(contact=x)),
    ("Favors.to_pandas", "contact", "opt_id", lambda w, x: w.crm.favors.to_pandas(contact=x)),
    ("Goals.to_pandas", "goal", "opt_id", lambda w, x: w.crm.goals.to_pandas(x)),
    ("Goals.plot", "goal", "id", lambda w, x: w.crm.goals.plot(x)),
    ("Imports.__getitem__", "batch", "id", lambda w, x: w.crm.imports[x]),
    ("Imports.get", "batch", "id", lambda w, x: w.crm.imports.get(x)),
    ("Imports.report", "batch", "id", lambda w, x: w.crm.imports.report(x)),
    ("Imports.changes", "batch", "id", lambda w, x: w.crm.imports.changes(x)),
    ("Imports.undo", "batch", "id", lambda w, x: w.crm.imports.undo(x)),
    ("CRM.import_text", "event", "opt_id", lambda w, x: w.crm.import_text("FN:x", event=x)),
    ("CRM.import_file", "event", "opt_id", lambda w, x: w.crm.import_file("/nonexistent.vcf", event=x)),
    ("CRM.digest", "cold_days", "cold_days", lambda w, x: w.crm.digest(cold_days=x)),
    ("CRM.digest", "upcoming_days", "days", lambda w, x: w.crm.digest(upcoming_days=x)),
    ("CRM.digest", "limit", "limit", lambda w, x: w.crm.digest(limit=x)),
]

_NUMBERS = [2**63, -(2**63) - 1, 10**30, 1.5, math.nan, math.inf, "3", True, Decimal("2"), b"1"]
HOSTILE: dict[str, list[Any]] = {
    "id": _NUMBERS + [None],
    "opt_id": _NUMBERS,
    "limit": _NUMBERS + [-1],
    "limit_required": _NUMBERS + [-1, None],
    "offset": _NUMBERS + [-1, None],
    "days": _NUMBERS + [-1, None],
    "cold_days": _NUMBERS + [0, -1, None],
    "weight": [math.nan, math.inf, -math.inf, "3", None, True, 10**400, 0, -1],
}


def _cases() -> Iterator[Any]:
    for method, arg, kind, call in CALLS:
        for value in HOSTILE[kind]:
            yield pytest.param(call, value, id=f"{method}-{arg}={value!r}"[:80])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path = tmp_path_factory.mktemp("arguments") / "crm.db"
    with netcrm.open(path, clock=FixedClock(NOW)) as crm:
        crm.time_zone = "Europe/Paris"
        yield World(crm)


@pytest.mark.parametrize(("call", "value"), _cases())
def test_a_hostile_argument_raises_invalid_input_or_type_error_in_netcrms_words(
        world: World, call: Call, value: Any) -> None:
    before = world.crm.contacts.count(), world.crm.favors.count(), world.crm.follow_ups.count()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Contacts.delete, the old name
        with pytest.raises((netcrm.InvalidInput, TypeError)) as info:
            call(world, value)
    assert not isinstance(info.value, (netcrm.NotFound, netcrm.StorageError))
    message = str(info.value)
    assert message.strip(), "an error needs a message"
    assert "\n" not in message
    assert_no_cpp_words(message)
    for leak in LEAKS:
        assert leak not in message, f"{leak!r} in {message!r}"
    # Nothing half-written.
    assert (world.crm.contacts.count(), world.crm.favors.count(), world.crm.follow_ups.count()) == before


_NUMERIC_NAMES = {"limit", "offset", "days", "cold_days", "upcoming_days", "weight"}
#: Arguments with those names that are not numbers.
_NOT_NUMBERS = {("FollowUps.set_holidays", "days")}  # the holidays themselves, dates


def test_every_numeric_argument_of_the_api_is_walked() -> None:
    """A public method taking a record, an id or a number is in CALLS, or the walk above misses it."""
    collections = [netcrm.CRM, netcrm.Contacts, netcrm.Events, netcrm.Interactions, netcrm.FollowUps,
                   netcrm.Favors, netcrm.Goals, netcrm.Imports]
    walked = {(method, arg) for method, arg, _, _ in CALLS}
    missing = []
    for cls in collections:
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_") and name != "__getitem__":
                continue
            for param in list(inspect.signature(fn).parameters.values())[1:]:
                annotation = str(param.annotation)
                takes_id = "Ref" in annotation or "| int" in annotation or annotation.startswith("int |") \
                    or annotation == "int"
                key = (f"{cls.__name__}.{name}", param.name)
                if (param.name in _NUMERIC_NAMES or takes_id) and key not in walked and key not in _NOT_NUMBERS:
                    missing.append(f"{cls.__name__}.{name}({param.name}: {annotation})")
    assert not missing, "add these to CALLS: " + ", ".join(missing)


@pytest.mark.parametrize(("call", "what"), [
    (lambda w: w.crm.events.list(start=dt.date(2026, 3, 1), end=dt.date(2026, 2, 1)), "end"),
    (lambda w: w.crm.events.count(start=NOW, end=NOW - dt.timedelta(seconds=1)), "end"),
    (lambda w: w.crm.interactions.list(start=dt.date(2026, 3, 1), end=dt.date(2026, 2, 1)), "end"),
    (lambda w: w.crm.interactions.count(start=NOW, end=NOW - dt.timedelta(days=1)), "end"),
    (lambda w: w.crm.favors.list(start=dt.date(2026, 3, 1), end=dt.date(2026, 2, 28)), "end"),
    (lambda w: w.crm.favors.count(start=dt.date(2026, 3, 1), end=dt.date(2026, 2, 28)), "end"),
    (lambda w: w.crm.follow_ups.list(due_from=NOW, due_to=NOW - dt.timedelta(hours=1)), "due_to"),
], ids=["events.list", "events.count", "interactions.list", "interactions.count", "favors.list", "favors.count",
        "follow_ups.list"])
def test_a_period_that_ends_before_it_starts_is_refused_not_answered_empty(
        world: World, call: Callable[[World], object], what: str) -> None:
    with pytest.raises(netcrm.InvalidInput, match=rf"^{what} \(.*\) is before | is after "):
        call(world)


def test_an_empty_period_is_still_an_empty_answer(world: World) -> None:
    assert world.crm.events.list(start=NOW, end=NOW) == []
    assert world.crm.favors.count(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1)) == 0


def test_limit_zero_answers_nothing_where_none_means_no_limit(world: World) -> None:
    assert world.crm.contacts.list(limit=0) == []
    assert world.crm.follow_ups.due(limit=0, now=NOW + dt.timedelta(days=30)) == []
    assert len(world.crm.follow_ups.due(limit=None, now=NOW + dt.timedelta(days=30))) >= 1


@pytest.mark.parametrize(("call", "message"), [
    (lambda w: w.crm.follow_ups.add_rule("cadence", every="-2 days"), "every: cannot read '-2 days'"),
    (lambda w: w.crm.follow_ups.add_rule("cadence", every=(0, "days")), "every (the count) must be at least 1"),
    (lambda w: w.crm.follow_ups.add_rule("cadence", every=(2**64, "days")), "every (the count) must be at most"),
    (lambda w: w.crm.favors.close_ask(w.ask, "bogus"), "status: an ask is closed as 'met' or 'dropped'"),
    (lambda w: w.crm.digest(cold_days=-1), "cold_days must be at least 1"),
    (lambda w: w.crm.contacts.list(offset=-1), "offset must be at least 0, not -1"),
    (lambda w: w.crm.contacts.get(2**63), "is not a contact id: ids are whole numbers from 1"),
    (lambda w: w.crm.follow_ups.warmth(w.ada, half_life=dt.timedelta(0)), "half_life (in days) must be at least 1"),
])
def test_a_rule_broken_by_a_value_raises_invalid_input_naming_it(
        world: World, call: Callable[[World], object], message: str) -> None:
    with pytest.raises(netcrm.InvalidInput) as info:
        call(world)
    assert message in str(info.value)


@pytest.mark.parametrize("timeout", [math.nan, math.inf, -1.0, 10**20])
def test_open_refuses_a_busy_timeout_it_cannot_honour(tmp_path: Path, timeout: float) -> None:
    with pytest.raises(netcrm.InvalidInput, match="busy_timeout must be from 0"):
        netcrm.open(tmp_path / "x.db", busy_timeout=timeout)
    assert not (tmp_path / "x.db").exists()


def test_open_refuses_an_empty_path_instead_of_opening_a_throwaway_database(tmp_path: Path) -> None:
    with pytest.raises(netcrm.InvalidInput, match="path is empty"):
        netcrm.open("")


@pytest.mark.parametrize(("field", "value"), [
    (field, value) for field in ("introduced_by", "notes")
    for value in [2**63, -(2**63) - 1, 1.5, math.nan, "3", True, b"x", [1], object()]
    if not (field == "notes" and isinstance(value, str))  # a str is a note
])
def test_a_contact_field_of_the_wrong_kind_raises_type_error_or_invalid_input(
        world: World, field: str, value: Any) -> None:
    """Not RuntimeError("Unable to cast Python instance to C++ type") or an AttributeError."""
    changes = {"introduced_by": value} if field == "introduced_by" else {"notes": [value]}
    before = world.crm.contacts.count()
    with pytest.raises((netcrm.InvalidInput, TypeError)) as info:
        world.crm.contacts.add(display_name="Grace Hopper", **changes)
    assert field in str(info.value)
    for leak in LEAKS:
        assert leak not in str(info.value)
    assert world.crm.contacts.count() == before


@pytest.mark.parametrize(("call", "name"), [
    (lambda w: w.crm.contacts.update(7), "update takes the stored Contact"),
    (lambda w: w.crm.favors.add(7), "add takes a Favor"),
    (lambda w: w.crm.contacts.add(display_name="Grace Hopper", extra=[7]), "extra[0] must be a netcrm.Property"),
    (lambda w: netcrm.PartialDate.parse(2**63), "a partial date is read from a str"),
    (lambda w: netcrm.PartialDate.parse("\udcff"), "is not a date"),
    (lambda w: w.crm.import_text("FN:x", source="\x00"), "source must not contain NUL characters"),
], ids=["contacts.update", "favors.add", "contact.extra", "PartialDate.parse-int", "PartialDate.parse-surrogate",
        "import_text.source"])
def test_a_value_of_the_wrong_kind_where_a_record_or_text_is_expected_says_so(
        world: World, call: Callable[[World], object], name: str) -> None:
    """Not an AttributeError, an empty message or pybind11's "incompatible function arguments"."""
    with pytest.raises((netcrm.InvalidInput, TypeError)) as info:
        call(world)
    assert name in str(info.value)
