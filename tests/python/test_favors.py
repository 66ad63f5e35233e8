"""crm.favors: the reciprocity ledger from Python. Types and errors at the boundary, dates on the
user's wall clock (fixed clocks, several zones and a DST night), introductions both ways, balances,
who is owed, asks and whom the user could help, and merges."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Iterator

import pytest

import netcrm
from helpers import UTC, FixedClock

D = dt.date


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 3, 1, 10, 0, tzinfo=UTC))


@pytest.fixture
def crm(tmp_path: Path, clock: FixedClock) -> Iterator[netcrm.CRM]:
    with netcrm.open(tmp_path / "crm.db", clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c


def people(crm: netcrm.CRM, *names: str) -> list[netcrm.Contact]:
    return [crm.contacts.add(display_name=n) for n in names]


def test_give_and_receive_return_stored_favours(crm: netcrm.CRM) -> None:
    ada, grace = people(crm, "Ada", "Grace")
    f = crm.favors.give(ada, "guest post", weight=2, on=D(2026, 2, 14), note="wrote for her blog")
    assert isinstance(f, netcrm.Favor)
    assert (f.direction, f.contact, f.kind, f.weight, f.on, f.status) == ("given", ada.id, "guest_post", 2.0,
                                                                          D(2026, 2, 14), "done")
    assert f.id is not None and f.created_at == dt.datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    r = crm.favors.receive(grace.id, "referral", status="offered")
    assert (r.direction, r.contact, r.status) == ("received", grace.id, "offered")
    assert crm.favors.get(f.id) == f
    assert crm.favors[r.id] == r
    assert f in crm.favors and f.id in crm.favors and 999 not in crm.favors and "x" not in crm.favors
    assert len(crm.favors) == 2
    assert [x.id for x in crm.favors] == [f.id, r.id]


def test_a_favour_prints_and_converts_to_json(crm: netcrm.CRM) -> None:
    (ada,) = people(crm, "Ada")
    f = crm.favors.give(ada, "loan", weight=0.5, on=D(2026, 2, 1), note="lent the projector")
    assert repr(f) == (f"Favor(id={f.id}, given to #{ada.id}, 'loan', weight 0.5, 2026-02-01, done, "
                       "note='lent the projector')")
    assert str(f) == f"2026-02-01 loan given to #{ada.id} (weight 0.5): lent the projector"
    d = f.to_dict()
    assert d["on"] == "2026-02-01" and d["kind"] == "loan" and d["created_at"] == "2026-03-01T10:00:00+00:00"
    json.dumps(d)
    assert repr(crm.favors) == "<netcrm.Favors: 1 favours>"


@pytest.mark.parametrize("zone, now, day", [
    ("Europe/Paris", dt.datetime(2026, 3, 1, 23, 30, tzinfo=UTC), D(2026, 3, 2)),
    ("America/New_York", dt.datetime(2026, 3, 1, 23, 30, tzinfo=UTC), D(2026, 3, 1)),
    ("Asia/Kolkata", dt.datetime(2026, 3, 1, 18, 29, tzinfo=UTC), D(2026, 3, 1)),
    ("Asia/Kolkata", dt.datetime(2026, 3, 1, 18, 30, tzinfo=UTC), D(2026, 3, 2)),
    # Paris moves to summer time on 29 March 2026: 22:30 UTC that day is 00:30 on the 30th.
    ("Europe/Paris", dt.datetime(2026, 3, 29, 22, 30, tzinfo=UTC), D(2026, 3, 30)),
    ("Europe/Paris", dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), D(2026, 3, 29)),
])
def test_a_favour_without_a_day_is_dated_today_on_the_users_clock(crm: netcrm.CRM, clock: FixedClock, zone: str,
                                                                  now: dt.datetime, day: dt.date) -> None:
    crm.time_zone = zone
    clock.now = now
    ada, bob = people(crm, "Ada", "Bob")
    assert crm.favors.give(ada, "advice").on == day
    assert crm.favors.introduce(ada, bob).on == day


def test_bad_values_are_refused_with_the_field_named(crm: netcrm.CRM) -> None:
    (ada,) = people(crm, "Ada")
    with pytest.raises(netcrm.InvalidInput, match=r"kind: unknown favour kind 'coffee'; expected one of advice, "
                                                  r"introduction, referral, guest_post"):
        crm.favors.give(ada, "coffee")
    with pytest.raises(netcrm.InvalidInput, match="status: unknown favour status"):
        crm.favors.give(ada, "advice", status="maybe")
    with pytest.raises(ValueError, match="weight"):
        crm.favors.give(ada, "advice", weight=0)
    with pytest.raises(TypeError, match="weight"):
        crm.favors.give(ada, "advice", weight="heavy")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="on must be a datetime.date"):
        crm.favors.give(ada, "advice", on=dt.datetime(2026, 2, 1, tzinfo=UTC))
    with pytest.raises(netcrm.NotFound):
        crm.favors.give(999, "advice")
    with pytest.raises(TypeError, match="contact"):
        crm.favors.give("Ada", "advice")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not been saved"):
        crm.favors.give(netcrm.Contact("Unsaved"), "advice")
    with pytest.raises(netcrm.InvalidInput, match="thank: a thank-you follows a favour done"):
        crm.favors.receive(ada, "advice", status="offered", thank=True)
    assert len(crm.favors) == 0


def test_update_and_remove(crm: netcrm.CRM, clock: FixedClock) -> None:
    (ada,) = people(crm, "Ada")
    f = crm.favors.give(ada, "advice", status="offered", on=D(2026, 2, 1))
    assert crm.favors.balance(ada).given == 0
    clock.advance(hours=1)
    done = crm.favors.update(f, status="done", weight=3)
    assert done.status == "done" and done.weight == 3 and done.updated_at == clock.now and done.created_at == f.created_at
    assert crm.favors.balance(ada).given == 3
    with pytest.raises(TypeError, match="unknown favour field"):
        crm.favors.update(done, colour="red")
    crm.favors.remove(done)
    assert crm.favors.find(done.id) is None
    with pytest.raises(netcrm.NotFound):
        crm.favors.get(done.id)
    with pytest.raises(KeyError):
        crm.favors.remove(done.id)


def test_list_filters(crm: netcrm.CRM) -> None:
    ada, bob = people(crm, "Ada", "Bob")
    a1 = crm.favors.give(ada, "advice", on=D(2026, 2, 10))
    a2 = crm.favors.receive(ada, "resource", on=D(2026, 1, 5), status="declined")
    b1 = crm.favors.give(bob, "loan", on=D(2026, 3, 1))

    def ids(**kw: object) -> list[int | None]:
        return [f.id for f in crm.favors.list(**kw)]  # type: ignore[arg-type]

    assert ids() == [a2.id, a1.id, b1.id]
    assert ids(contact=ada) == [a2.id, a1.id]
    assert ids(direction="given") == [a1.id, b1.id]
    assert ids(kind="loan") == [b1.id]
    assert ids(status="declined") == [a2.id]
    assert ids(start=D(2026, 2, 10), end=D(2026, 2, 28)) == [a1.id]
    assert ids(limit=1, offset=1) == [a1.id]
    assert ids(limit=0) == []
    with pytest.raises(netcrm.InvalidInput, match="direction"):
        crm.favors.list(direction="sideways")
    with pytest.raises(netcrm.InvalidInput, match="is after"):
        crm.favors.list(start=D(2026, 3, 1), end=D(2026, 2, 1))
    # count() counts what list() lists, without reading the favours; len() is the whole ledger.
    assert len(crm.favors) == crm.favors.count() == 3
    assert crm.favors.count(contact=ada) == 2 and crm.favors.count(direction="given", kind="loan") == 1
    assert crm.favors.count(start=D(2026, 2, 10), end=D(2026, 2, 28)) == 1
    with pytest.raises(netcrm.InvalidInput, match="is after"):
        crm.favors.count(start=D(2026, 3, 1), end=D(2026, 2, 1))


def test_you_introducing_two_people_is_a_favour_to_each(crm: netcrm.CRM) -> None:
    ada, bob = people(crm, "Ada", "Bob")
    i = crm.favors.introduce(ada, bob, on=D(2026, 2, 20), note="both build robots", weight=2)
    assert isinstance(i, netcrm.Introduction)
    assert (i.introducer, i.first, i.second, i.by_you) == (None, ada.id, bob.id, True)
    assert repr(i) == f"Introduction(id={i.id}, you introduced #{ada.id} to #{bob.id}, 2026-02-20, note='both build robots')"
    favours = crm.favors.favors_of(i)
    assert [(f.direction, f.contact, f.kind, f.weight, f.introduction) for f in favours] == [
        ("given", ada.id, "introduction", 2.0, i.id), ("given", bob.id, "introduction", 2.0, i.id)]
    assert crm.favors.balance(ada).balance == crm.favors.balance(bob).balance == 2
    assert crm.contacts.get(bob).introduced_by is None
    assert crm.favors.introductions() == [i]
    with pytest.raises(netcrm.InvalidInput, match="cannot be introduced to themselves"):
        crm.favors.introduce(ada, ada)


def test_being_introduced_is_a_favour_received_and_sets_introduced_by(crm: netcrm.CRM) -> None:
    carol, dan, erin = people(crm, "Carol", "Dan", "Erin")
    i = crm.favors.introduced_to(dan, by=carol, on=D(2026, 2, 21))
    assert (i.introducer, i.first, i.second, i.by_you) == (carol.id, None, dan.id, False)
    assert str(i) == f"2026-02-21 #{carol.id} introduced you to #{dan.id}"
    [f] = crm.favors.favors_of(i.id)
    assert (f.direction, f.contact) == ("received", carol.id)
    assert crm.contacts.get(dan).introduced_by == carol.id
    crm.favors.introduced_to(dan, by=erin)
    assert crm.contacts.get(dan).introduced_by == carol.id  # only set when empty
    assert [x.introducer for x in crm.favors.introductions(involving=dan)] == [carol.id, erin.id]
    assert crm.favors.introductions(involving=erin)[0].second == dan.id


def test_an_introductions_favours_go_with_it(crm: netcrm.CRM) -> None:
    ada, bob, carol = people(crm, "Ada", "Bob", "Carol")
    i = crm.favors.introduce(ada, bob)
    f = crm.favors.favors_of(i)[0]
    with pytest.raises(netcrm.InvalidInput, match="contact of favour .* comes from introduction"):
        crm.favors.update(f, contact=carol.id)
    declined = crm.favors.update(f, status="declined", note="Ada never wrote")
    assert declined.status == "declined" and crm.favors.balance(ada).balance == 0
    with pytest.raises(netcrm.InvalidInput, match="remove_introduction"):
        crm.favors.remove(f)
    crm.favors.remove_introduction(i)
    assert crm.favors.introductions() == [] and len(crm.favors) == 0
    with pytest.raises(netcrm.NotFound):
        crm.favors.favors_of(i)


def test_balance_counts_done_favours_by_weight(crm: netcrm.CRM) -> None:
    (ada,) = people(crm, "Ada")
    crm.favors.give(ada, "advice", weight=2)
    crm.favors.give(ada, "advice", weight=0.5)
    crm.favors.give(ada, "loan", weight=10, status="offered")
    crm.favors.give(ada, "loan", weight=10, status="declined")
    crm.favors.receive(ada, "referral", weight=4, on=D(2026, 1, 9))
    crm.favors.receive(ada, "referral", weight=7, status="offered", on=D(2026, 2, 9))
    b = crm.favors.balance(ada)
    assert b == netcrm.Balance(ada.id, 2.5, 4.0, -1.5, D(2026, 1, 9))
    assert b.owed and str(b) == f"you owe #{ada.id} 1.5"
    assert repr(b) == f"Balance(#{ada.id}: given 2.5, received 4, balance -1.5)"
    assert b.to_dict() == {"contact": ada.id, "given": 2.5, "received": 4.0, "balance": -1.5,
                           "last_received": "2026-01-09"}


def test_owed_is_most_owed_first(crm: netcrm.CRM) -> None:
    ada, bob, carol, dan = people(crm, "Ada", "Bob", "Carol", "Dan")
    crm.favors.receive(ada, "advice", on=D(2026, 2, 1))
    crm.favors.receive(bob, "referral", weight=5)
    crm.favors.give(bob, "advice", weight=2)
    crm.favors.receive(carol, "advice")
    crm.favors.give(carol, "advice")
    crm.favors.receive(dan, "advice", on=D(2026, 1, 15))
    assert [(b.contact, b.balance) for b in crm.favors.owed()] == [(bob.id, -3), (dan.id, -1), (ada.id, -1)]


def test_asks_and_could_help(crm: netcrm.CRM, clock: FixedClock) -> None:
    ada, bob, carol = people(crm, "Ada", "Bob", "Carol")
    crm.favors.give(ada, "advice", weight=3)
    crm.favors.receive(bob, "referral", weight=2)
    a_ada = crm.favors.ask(ada, "  a lawyer ")
    assert a_ada.text == "a lawyer" and a_ada.is_open and repr(a_ada) == f"Ask(id={a_ada.id}, #{ada.id}: 'a lawyer', open)"
    clock.advance(minutes=1)
    a_carol = crm.favors.ask(carol, "a venue")
    clock.advance(minutes=1)
    a_bob = crm.favors.ask(bob.id, "an intro to a VC")
    assert crm.favors.could_help() == [a_bob, a_carol, a_ada]
    assert crm.favors.asks() == [a_ada, a_carol, a_bob]
    clock.advance(minutes=1)
    met = crm.favors.close_ask(a_bob, "met")
    assert met.status == "met" and met.closed_at == clock.now and not met.is_open
    assert crm.favors.could_help() == [a_carol, a_ada]
    assert crm.favors.asks(bob) == [] and crm.favors.asks(bob, open_only=False) == [met]
    with pytest.raises(netcrm.InvalidInput, match="already met"):
        crm.favors.close_ask(a_bob.id, "dropped")
    with pytest.raises(ValueError, match="'met' or 'dropped'"):
        crm.favors.close_ask(a_ada, "open")
    with pytest.raises(netcrm.InvalidInput, match="text"):
        crm.favors.ask(ada, "   ")
    assert met.to_dict()["closed_at"] == clock.now.isoformat()


def test_thank_schedules_a_thank_you_follow_up(crm: netcrm.CRM, tmp_path: Path) -> None:
    (ada,) = people(crm, "Ada")
    f = crm.favors.receive(ada, "referral", thank=True)
    plain = crm.favors.receive(ada, "advice")
    import sqlite3
    with sqlite3.connect(f"file:{tmp_path / 'crm.db'}?mode=ro", uri=True) as db:
        rows = dict(db.execute("SELECT favor_id, count(*) FROM follow_ups GROUP BY favor_id").fetchall())
    assert rows == {f.id: 1}
    assert plain.id not in rows


def test_deleting_and_merging_contacts(crm: netcrm.CRM) -> None:
    ada, ada2, bob, carol = people(crm, "Ada", "Ada L.", "Bob", "Carol")
    crm.favors.give(ada, "advice", weight=2)
    crm.favors.receive(ada2, "referral", weight=4)
    crm.favors.ask(ada2, "a flat in Lyon")
    crm.favors.introduce(ada2, bob)
    crm.favors.introduced_to(ada2, by=carol)
    crm.contacts.merge(ada, ada2)
    b = crm.favors.balance(ada)
    assert (b.given, b.received) == (3.0, 4.0)
    assert [a.text for a in crm.favors.asks(ada)] == ["a flat in Lyon"]
    assert len(crm.favors.introductions(involving=ada)) == 2
    crm.contacts.remove(carol)
    assert crm.favors.balance(ada).received == 4  # Carol's favour went with her
    crm.contacts.remove(ada)
    assert crm.favors.asks() == [] and [f.contact for f in crm.favors] == [bob.id]
    [left] = crm.favors.introductions()
    assert left.first is None and left.introducer is None and left.second == bob.id
    assert "other party was deleted" in str(left)


def test_names_are_exported() -> None:
    assert netcrm.FAVOR_KINDS == ("advice", "introduction", "referral", "guest_post", "cross_post", "resource",
                                  "loan", "other")
    assert netcrm.FAVOR_STATUSES == ("offered", "done", "declined")
    assert netcrm.ASK_STATUSES == ("open", "met", "dropped")
    assert netcrm.Favor(3, "Guest-Post").kind == "guest_post"
