"""crm.interactions: the log of what happened with whom, across the boundary (types, zones, errors)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import FixedClock

UTC = dt.timezone.utc
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def crm(clock):
    with netcrm.open(":memory:", clock=clock) as c:
        yield c


@pytest.fixture
def people(crm):
    return [crm.contacts.add(display_name=n) for n in ("Ada Lovelace", "Grace Hopper", "Linus Torvalds")]


def test_a_logged_interaction_comes_back_in_utc_with_its_own_wall_clock_as_time_zone(crm, people):
    ada, grace, _ = people
    at = dt.datetime(2026, 3, 2, 18, 30, tzinfo=PARIS)
    i = crm.interactions.log("coffee", [grace, ada.id], at=at, notes="Wants an intro to a hardware founder")
    assert isinstance(i, netcrm.Interaction)
    assert i.id is not None
    assert i.kind == "coffee"
    assert i.contacts == [ada.id, grace.id]  # in id order, whatever order they were given in
    assert i.time_zone == "Europe/Paris"  # taken from at's ZoneInfo
    assert i.at == at and i.at.tzinfo == UTC and i.at.hour == 17
    assert i.local_at == at and i.local_at.tzinfo == PARIS and i.local_at.hour == 18
    assert i.created_at == START and i.updated_at == START
    assert crm.interactions.get(i.id) == i
    assert crm.interactions[i.id] == i
    assert i.id in crm.interactions and i in crm.interactions and 999 not in crm.interactions


def test_a_single_contact_and_the_store_clock_are_enough(crm, people, clock):
    clock.advance(hours=3)
    i = crm.interactions.log("call", people[0])
    assert i.contacts == [people[0].id]
    assert i.at == START + dt.timedelta(hours=3)
    assert i.time_zone  # the database's zone when none is given


def test_an_explicit_zone_wins_over_the_datetime_zone(crm, people):
    at = dt.datetime(2026, 3, 8, 9, 0, tzinfo=NEW_YORK)  # the day New York moves to EDT, after 02:00
    i = crm.interactions.log("meeting", people, at=at, time_zone="Asia/Kolkata")
    assert i.time_zone == "Asia/Kolkata"
    assert i.at == at and i.at.utcoffset() == dt.timedelta(0)  # the same instant, in UTC ...
    assert i.local_at.utcoffset() == dt.timedelta(hours=5, minutes=30)  # ... and on Kolkata's clock
    assert (i.local_at.hour, i.local_at.minute) == (18, 30)
    utc = crm.interactions.log("email", people[0], at=dt.datetime(2026, 3, 8, 13, 0, tzinfo=UTC),
                               time_zone="America/New_York")
    assert utc.local_at.hour == 9 and utc.local_at.utcoffset() == dt.timedelta(hours=-4)


def test_a_naive_datetime_is_refused_everywhere(crm, people):
    naive = dt.datetime(2026, 3, 2, 18, 30)
    with pytest.raises(ValueError, match="naive"):
        crm.interactions.log("call", people[0], at=naive)
    with pytest.raises(ValueError, match="naive"):
        crm.interactions.list(start=naive)
    with pytest.raises(ValueError, match="naive"):
        crm.interactions.not_heard_from(30, now=naive)
    i = crm.interactions.log("call", people[0])
    with pytest.raises(ValueError, match="naive"):
        crm.interactions.update(i, at=naive)
    assert len(crm.interactions) == 1


def test_bad_input_names_what_is_wrong(crm, people):
    ada = people[0]
    with pytest.raises(netcrm.NotFound) as missing:
        crm.interactions.log("call", [ada, 999])
    assert missing.value.id == 999 and missing.value.kind == "contact"
    with pytest.raises(netcrm.NotFound, match="no event with id 77"):
        crm.interactions.log("call", ada, event=77)
    with pytest.raises(netcrm.InvalidInput, match="at least one contact"):
        crm.interactions.log("call", [])
    with pytest.raises(netcrm.InvalidInput, match="listed twice"):
        crm.interactions.log("call", [ada, ada.id])
    with pytest.raises(netcrm.InvalidInput, match="conversation, meeting, call, email, message, coffee, meal, other"):
        crm.interactions.log("lunch", ada)
    with pytest.raises(netcrm.InvalidInput, match="time_zone"):
        crm.interactions.log("call", ada, time_zone="Mars/Olympus")
    with pytest.raises(TypeError, match="kind must be a str"):
        crm.interactions.log(3, ada)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a str"):
        crm.interactions.log("call", "Ada")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not been saved"):
        crm.interactions.log("call", netcrm.Contact("Unsaved"))
    with pytest.raises(netcrm.NotFound):
        crm.interactions.get(12345)
    assert crm.interactions.find(12345) is None
    assert len(crm.interactions) == 0


def test_list_orders_by_time_and_filters(crm, people):
    ada, grace, linus = people
    # Given on three wall clocks; ordered by the instant.
    late = crm.interactions.log("coffee", ada, at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=NEW_YORK))  # 14:00Z
    early = crm.interactions.log("call", grace, at=dt.datetime(2026, 3, 5, 8, 0, tzinfo=PARIS))  # 07:00Z
    mid = crm.interactions.log("coffee", [ada, linus], at=dt.datetime(2026, 3, 5, 17, 0, tzinfo=KOLKATA))  # 11:30Z
    assert [i.id for i in crm.interactions.list()] == [early.id, mid.id, late.id]
    assert [i.id for i in crm.interactions] == [early.id, mid.id, late.id]
    assert [i.id for i in crm.interactions.list(newest_first=True, limit=2)] == [late.id, mid.id]
    assert [i.id for i in crm.interactions.list(offset=1)] == [mid.id, late.id]
    assert crm.interactions.list(limit=0) == []
    assert [i.id for i in crm.interactions.list(contact=ada)] == [mid.id, late.id]
    assert [i.id for i in crm.interactions.list(kind="coffee", contact=linus)] == [mid.id]
    start, end = dt.datetime(2026, 3, 5, 11, 30, tzinfo=UTC), dt.datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    assert [i.id for i in crm.interactions.list(start=start, end=end)] == [mid.id]  # start in, end out
    # Dates are days of your wall clock: 5 March at UTC+14 ends at 10:00 UTC.
    crm.time_zone = "Pacific/Kiritimati"
    assert [i.id for i in crm.interactions.list(start=dt.date(2026, 3, 5), end=dt.date(2026, 3, 6))] == [early.id]
    assert crm.interactions.count(start=dt.date(2026, 3, 6)) == 2
    with pytest.raises(TypeError, match="aware datetime or a date"):
        crm.interactions.list(start="2026-03-05")
    assert crm.interactions.count(kind="coffee") == 2 and len(crm.interactions) == 3
    assert [i.id for i in crm.interactions.with_contact(ada)] == [mid.id, late.id]
    with pytest.raises(netcrm.NotFound):
        crm.interactions.with_contact(999)
    with pytest.raises(ValueError, match="offset"):
        crm.interactions.list(offset=-1)


def test_update_changes_fields_and_moves_the_participants_in_time(crm, people, clock):
    ada, grace, linus = people
    a = crm.interactions.log("call", [ada, grace], at=dt.datetime(2026, 3, 1, 10, 0, tzinfo=PARIS))
    b = crm.interactions.log("call", ada, at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    clock.advance(days=1)
    moved = crm.interactions.update(a, at=dt.datetime(2026, 3, 3, 10, 0, tzinfo=PARIS), contacts=[linus, ada],
                                    kind="meal", notes="dinner; cares about kernel funding")
    assert moved.kind == "meal" and moved.contacts == [ada.id, linus.id]
    assert moved.created_at == START and moved.updated_at == START + dt.timedelta(days=1)
    assert [i.id for i in crm.interactions.with_contact(ada)] == [b.id, a.id]
    last = crm.interactions.last(linus)
    assert last is not None and last.interaction == a.id and last.at == dt.datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert crm.interactions.last(grace) is None
    gone = netcrm.Interaction("call", ada, START, id=999)
    with pytest.raises(netcrm.NotFound):
        crm.interactions.update(gone)


def test_remove_and_contact_deletion(crm, people):
    ada, grace, _ = people
    shared = crm.interactions.log("coffee", [ada, grace])
    alone = crm.interactions.log("call", grace)
    crm.contacts.remove(grace)
    assert crm.interactions.get(shared).contacts == [ada.id]
    assert crm.interactions.find(alone) is None  # nobody left in it
    crm.interactions.remove(shared)
    with pytest.raises(netcrm.NotFound):
        crm.interactions.remove(shared)
    assert len(crm.interactions) == 0


def test_merging_two_people_of_one_interaction_keeps_the_survivor_once(crm, people):
    ada, grace, _ = people
    dup = crm.contacts.add(display_name="A. Lovelace")
    both = crm.interactions.log("conversation", [ada, dup, grace])
    crm.contacts.merge(ada, dup)
    assert crm.interactions.get(both).contacts == [ada.id, grace.id]


def test_last_per_contact_and_not_heard_from_with_a_fixed_clock(crm, people, clock):
    ada, grace, linus = people
    never = crm.contacts.add(display_name="Bob Kahn")
    clock.now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    exactly = crm.interactions.log("call", ada, at=clock.now - dt.timedelta(days=30))
    older = crm.interactions.log("call", grace, at=clock.now - dt.timedelta(days=30, seconds=1))
    oldest = crm.interactions.log("call", linus, at=clock.now - dt.timedelta(days=100))
    last = crm.interactions.last_per_contact()
    assert [(x.contact, x.interaction) for x in last] == [(ada.id, exactly.id), (grace.id, older.id),
                                                          (linus.id, oldest.id)]
    quiet = crm.interactions.not_heard_from(30)  # now from the database's clock
    assert [q.contact for q in quiet] == [never.id, linus.id, grace.id]  # ada: exactly 30 days, heard
    assert quiet[0].last is None and quiet[0].silent_for(clock.now) is None
    assert quiet[2].last == netcrm.LastInteraction(grace.id, older.id, clock.now - dt.timedelta(days=30, seconds=1))
    assert quiet[1].silent_for(clock.now) == dt.timedelta(days=100)
    # As of an earlier day (in Kolkata), later interactions do not count: only linus's had happened.
    as_of = dt.datetime(2026, 3, 1, 5, 30, tzinfo=KOLKATA)
    assert [(q.contact, q.last and q.last.interaction) for q in crm.interactions.not_heard_from(1, now=as_of)] == [
        (ada.id, None), (never.id, None), (grace.id, None), (linus.id, oldest.id)]
    # As of the instant of ada's interaction: it counts (at <= now), and grace's a second before too.
    as_of = clock.now - dt.timedelta(days=30)
    assert [q.contact for q in crm.interactions.not_heard_from(10, now=as_of)] == [never.id, linus.id]
    assert len(crm.interactions.not_heard_from()) == 2  # 90 days by default: bob, linus
    with pytest.raises(netcrm.InvalidInput, match="days"):
        crm.interactions.not_heard_from(-1)
    with pytest.raises(TypeError):
        crm.interactions.not_heard_from(1.5)  # type: ignore[arg-type]


def test_not_heard_from_counts_24_hour_days_across_the_paris_dst_change(crm, people):
    ada, grace, linus = people
    # Midnight of 2026-03-30 in Paris (CEST) is 22:00Z on the 29th; a day before is 22:00Z on the 28th.
    now = dt.datetime(2026, 3, 30, 0, 0, tzinfo=PARIS)
    crm.interactions.log("call", ada, at=dt.datetime(2026, 3, 28, 23, 0, tzinfo=PARIS))  # 22:00Z: heard
    crm.interactions.log("call", grace, at=dt.datetime(2026, 3, 28, 22, 59, tzinfo=PARIS))
    assert [q.contact for q in crm.interactions.not_heard_from(1, now=now)] == [linus.id, grace.id]


def test_values_print_and_convert_to_plain_dicts(crm, people):
    ada = people[0]
    i = crm.interactions.log("coffee", ada, at=dt.datetime(2026, 3, 2, 18, 30, tzinfo=PARIS),
                             notes="Needs a designer for the new studio; cares about accessibility")
    text = repr(i)
    assert text.startswith(f"Interaction(id={i.id}, 'coffee', 2026-03-02 18:30:00+01:00 Europe/Paris")
    assert "…" in text  # long notes are cut
    assert str(i).startswith(f"2026-03-02 18:30 (Europe/Paris) coffee with #{ada.id}")
    d = i.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["at"] == "2026-03-02T17:30:00+00:00" and d["contacts"] == [ada.id] and d["event"] is None
    assert d["local_at"] == "2026-03-02T18:30:00+01:00"
    last = crm.interactions.last(ada)
    assert last is not None and last.to_dict()["at"] == "2026-03-02T17:30:00+00:00"
    assert repr(crm.interactions) == "<netcrm.Interactions: 1 interactions>"
    assert netcrm.INTERACTION_KINDS == tuple(netcrm._core.interaction_kinds())
    assert repr(netcrm.Interaction("call", [1])) == "Interaction(unsaved, 'call', contacts=[1])"


def test_update_with_an_empty_zone_asks_the_store_again(crm, people):
    i = crm.interactions.log("call", people[0], at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=KOLKATA))
    assert i.time_zone == "Asia/Kolkata"
    again = crm.interactions.update(i, time_zone="")
    assert again.time_zone == crm.interactions.log("call", people[0], at=START).time_zone  # the database's


def test_an_interaction_object_can_be_logged(crm, people):
    i = netcrm.Interaction("meal", people[:2], dt.datetime(2026, 3, 4, 20, 0, tzinfo=KOLKATA), notes="biryani")
    stored = crm.interactions.log(i)
    assert i.time_zone == stored.time_zone == "Asia/Kolkata"  # at's ZoneInfo
    assert stored.at == i.at and stored.notes == "biryani"
    assert i.id is None  # the object passed in is not changed


def test_an_interaction_at_an_event_takes_its_zone_and_outlives_it(crm, people):
    ada, grace, _ = people
    crm.time_zone = "Europe/Paris"
    ev = crm.events.add("PyCon India", kind="conference", starts=dt.datetime(2026, 9, 18, 9, 0, tzinfo=KOLKATA))
    i = crm.interactions.log("conversation", [ada, grace], event=ev, at=dt.datetime(2026, 9, 18, 5, 0, tzinfo=UTC))
    assert i.event == ev.id and i.time_zone == "Asia/Kolkata"  # the event's: at is in UTC, not a ZoneInfo
    assert (i.local_at.hour, i.local_at.minute) == (10, 30)
    assert [x.id for x in crm.interactions.list(event=ev)] == [i.id]
    assert crm.interactions.count(event=ev.id, contact=grace) == 1
    plain = crm.interactions.log("call", ada, at=dt.datetime(2026, 9, 20, 8, 0, tzinfo=UTC))
    assert plain.time_zone == "Europe/Paris"  # no event, no ZoneInfo: crm.time_zone
    crm.events.remove(ev)
    kept = crm.interactions.get(i)
    assert kept.event is None and kept.time_zone == "Asia/Kolkata" and kept.contacts == [ada.id, grace.id]
    with pytest.raises(TypeError, match="event id"):
        crm.interactions.log("call", ada, event="PyCon")


# ---- instants come out in UTC (issue 11) ------------------------------------------------------

@pytest.mark.parametrize("at", [
    dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS),      # the second 02:30 of Paris's autumn change
    dt.datetime(2026, 11, 1, 1, 30, fold=0, tzinfo=NEW_YORK),    # the first 01:30 of New York's
    dt.datetime(2026, 3, 5, 9, 0, tzinfo=KOLKATA),
])
def test_at_comes_back_in_utc_so_it_equals_the_instant_given_in_utc(crm, people, at):
    utc = at.astimezone(UTC)
    i = crm.interactions.log("call", people[0], at=at)
    for got in (i, crm.interactions.get(i.id), crm.interactions.list()[0], crm.interactions.with_contact(people[0])[0]):
        assert got.at == utc and got.at.utcoffset() == dt.timedelta(0)
        assert got.time_zone == at.tzinfo.key
        assert got.local_at == utc.astimezone(at.tzinfo)
        assert (got.local_at.hour, got.local_at.minute, got.local_at.fold) == (at.hour, at.minute, at.fold)
    last = crm.interactions.last(people[0])
    assert last is not None and last.at == utc
