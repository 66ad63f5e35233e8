"""crm.events from Python: instants in UTC with the event's wall clock kept, across DST and midnight,
exact money, attendees with first meetings and introductions, and the errors users see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import UTC, FixedClock, assert_no_cpp_words, sqlite_query

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "events.db"


@pytest.fixture
def crm(db: Path, clock: FixedClock) -> Iterator[netcrm.CRM]:
    with netcrm.open(db, clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c


def test_an_event_round_trips_in_utc_with_its_own_wall_clock(crm: netcrm.CRM) -> None:
    e = crm.events.add("  Paris.rb ", kind="MeetUp", starts=dt.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS),
                       ends=dt.datetime(2026, 3, 26, 21, 30, tzinfo=PARIS), location="Le Wagon",
                       notes="Ractors", tags=["ruby", " paris ", "ruby"])
    assert e.id is not None
    assert e.name == "Paris.rb"
    assert e.kind == "meetup"
    assert e.time_zone == "Europe/Paris"
    assert e.starts == dt.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS)
    assert e.starts.tzinfo == UTC and e.starts.hour == 18
    assert e.local_starts.tzinfo == PARIS and e.local_starts.hour == 19
    assert e.local_ends is not None and e.local_ends.hour == 21 and e.local_ends.minute == 30
    assert e.ends is not None and e.ends.utcoffset() == dt.timedelta(0)
    assert e.duration == dt.timedelta(hours=2, minutes=30)
    assert e.tags == ["ruby", "paris"]
    assert e.created_at == T0 and e.updated_at == T0
    assert crm.events.get(e.id) == e
    assert crm.events[e.id] == e
    assert crm.events.find(e) == e
    assert crm.events.find(e.id + 100) is None
    d = e.to_dict()
    assert d["starts"] == "2026-03-26T18:00:00+00:00"
    assert d["local_starts"] == "2026-03-26T19:00:00+01:00"
    assert d["time_zone"] == "Europe/Paris"
    assert "Paris.rb" in repr(e) and "meetup" in repr(e)
    assert "2026-03-26 19:00–21:30 Europe/Paris" in str(e)


def test_the_zone_comes_from_starts_else_from_the_store(crm: netcrm.CRM) -> None:
    ny = crm.events.add("Brooklyn JS", starts=dt.datetime(2026, 7, 16, 19, 0, tzinfo=NEW_YORK))
    assert ny.time_zone == "America/New_York"
    assert ny.local_starts.utcoffset() == dt.timedelta(hours=-4) and ny.starts.utcoffset() == dt.timedelta(0)
    # A fixed offset names no zone: the store's zone is used, the instant kept.
    fixed = crm.events.add("Call", starts=dt.datetime(2026, 7, 16, 17, 0, tzinfo=UTC))
    assert fixed.time_zone == "Europe/Paris"
    assert fixed.starts == dt.datetime(2026, 7, 16, 19, 0, tzinfo=PARIS)
    crm.time_zone = "Asia/Kolkata"
    assert crm.time_zone == "Asia/Kolkata"
    blr = crm.events.add("Bangalore breakfast", starts=dt.datetime(2026, 7, 17, 2, 30, tzinfo=UTC))
    assert blr.time_zone == "Asia/Kolkata"
    assert (blr.local_starts.hour, blr.local_starts.minute) == (8, 0)
    assert blr.local_starts.utcoffset() == dt.timedelta(hours=5, minutes=30)
    explicit = crm.events.add("Webinar", kind="online", starts=dt.datetime(2026, 7, 17, 9, 0, tzinfo=PARIS),
                              time_zone="America/New_York")
    assert explicit.time_zone == "America/New_York"
    assert explicit.local_starts.hour == 3  # same instant, on New York's clock


def test_a_naive_datetime_is_refused_with_a_clear_message(crm: netcrm.CRM) -> None:
    with pytest.raises(ValueError, match="starts is a naive datetime"):
        crm.events.add("x", starts=dt.datetime(2026, 3, 26, 19, 0))
    with pytest.raises(ValueError, match="ends is a naive datetime"):
        crm.events.add("x", starts=dt.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS), ends=dt.datetime(2026, 3, 26, 21))
    with pytest.raises(ValueError, match="start is a naive datetime"):
        crm.events.list(start=dt.datetime(2026, 3, 1))
    e = crm.events.add("x", starts=dt.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS))
    c = crm.contacts.add(display_name="Ada")
    with pytest.raises(ValueError, match="at is a naive datetime"):
        crm.events.met(e, c, at=dt.datetime(2026, 3, 26, 19, 0))
    assert len(crm.events) == 1


def test_a_weekly_paris_meetup_stays_at_1900_across_both_dst_changes(crm: netcrm.CRM) -> None:
    days = [dt.date(2026, 3, 19) + dt.timedelta(weeks=k) for k in range(34)]  # to 2026-11-05
    for d in days:
        crm.events.add("Paris.rb", kind="meetup", starts=dt.datetime(d.year, d.month, d.day, 19, 0, tzinfo=PARIS))
    events = crm.events.list(kind="meetup")
    assert len(events) == 34
    assert all((e.local_starts.hour, e.local_starts.minute) == (19, 0) for e in events)
    utc_hours = [e.starts.astimezone(UTC).hour for e in events]
    assert utc_hours[:2] == [18, 18]          # March 19, 26: CET
    assert utc_hours[2] == 17                 # April 2: CEST, after March 29
    assert utc_hours[-3] == 17                # October 22: CEST
    assert utc_hours[-2:] == [18, 18]         # October 29, November 5: CET, after October 25
    assert utc_hours.count(17) == 30


def test_an_event_across_midnight_and_a_dst_change_keeps_both_wall_clocks(crm: netcrm.CRM) -> None:
    # New York springs forward at 02:00 on 2026-03-08: a 22:00-04:00 party lasts 5 hours, not 6.
    party = crm.events.add("Launch party", kind="dinner", starts=dt.datetime(2026, 3, 7, 22, 0, tzinfo=NEW_YORK),
                           ends=dt.datetime(2026, 3, 8, 4, 0, tzinfo=NEW_YORK))
    assert party.local_ends is not None
    assert (party.local_starts.day, party.local_starts.hour) == (7, 22)
    assert (party.local_ends.day, party.local_ends.hour) == (8, 4)
    assert party.duration == dt.timedelta(hours=5)
    assert "2026-03-07 22:00–2026-03-08 04:00 America/New_York" in str(party)
    # Listed on the day it starts, in New York's terms: dates are taken in the store's zone, so
    # ask with aware datetimes for another zone's day.
    day7 = dict(start=dt.datetime(2026, 3, 7, tzinfo=NEW_YORK), end=dt.datetime(2026, 3, 8, tzinfo=NEW_YORK))
    assert [e.name for e in crm.events.list(**day7)] == ["Launch party"]
    assert crm.events.count(start=dt.datetime(2026, 3, 8, tzinfo=NEW_YORK),
                            end=dt.datetime(2026, 3, 9, tzinfo=NEW_YORK)) == 0
    # In Paris (the store's zone) it starts at 04:00 on the 8th.
    assert crm.events.count(start=dt.date(2026, 3, 8), end=dt.date(2026, 3, 9)) == 1
    assert crm.events.count(start=dt.date(2026, 3, 7), end=dt.date(2026, 3, 8)) == 0


def test_kolkata_half_hour_offset_and_list_by_dates(crm: netcrm.CRM) -> None:
    crm.time_zone = "Asia/Kolkata"
    late = crm.events.add("Late dinner", starts=dt.datetime(2026, 4, 2, 23, 45, tzinfo=KOLKATA))
    assert late.starts.astimezone(UTC) == dt.datetime(2026, 4, 2, 18, 15, tzinfo=UTC)
    assert [e.id for e in crm.events.list(start=dt.date(2026, 4, 2), end=dt.date(2026, 4, 3))] == [late.id]
    assert crm.events.list(start=dt.date(2026, 4, 3)) == []


def test_list_filters_and_paging(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada")
    a = crm.events.add("A", kind="meetup", starts=dt.datetime(2026, 3, 5, 19, tzinfo=PARIS), tags=["Ruby"])
    b = crm.events.add("B", kind="conference", starts=dt.datetime(2026, 3, 12, 9, tzinfo=PARIS), tags=["ruby"])
    c = crm.events.add("C", kind="meetup", starts=dt.datetime(2026, 3, 19, 19, tzinfo=PARIS))
    crm.events.met(b, ada)
    crm.events.met(c, ada)
    names = lambda es: [e.name for e in es]  # noqa: E731
    assert names(crm.events) == ["A", "B", "C"]
    assert names(crm.events.list(kind="MEETUP")) == ["A", "C"]
    assert names(crm.events.list(tag="RUBY")) == ["A", "B"]
    assert names(crm.events.list(attendee=ada)) == ["B", "C"]
    assert names(crm.events.list(attendee=ada.id, kind="meetup")) == ["C"]
    assert names(crm.events.list(start=b.starts)) == ["B", "C"]
    assert names(crm.events.list(end=b.starts)) == ["A"]
    assert names(crm.events.list(limit=1, offset=1)) == ["B"]
    assert crm.events.list(limit=0) == []
    assert crm.events.count(kind="meetup") == 2
    assert len(crm.events) == 3
    with pytest.raises(ValueError, match="offset"):
        crm.events.list(offset=-1)
    assert a.id is not None


def test_money_is_exact_and_floats_are_refused(crm: netcrm.CRM) -> None:
    e = crm.events.add("Conf", starts=dt.datetime(2026, 5, 1, 9, tzinfo=PARIS))
    x1 = crm.events.add_expense(e, Decimal("0.10"), "EUR", category="Meal")
    x2 = crm.events.add_expense(e, "0.2", "eur")
    x3 = crm.events.add_expense(e, 1250, "JPY", category="ticket", note="early bird")
    x4 = crm.events.add_expense(e, "1.5", "BHD", category="travel")
    assert (x1.amount, x1.currency, x1.category) == (Decimal("0.10"), "EUR", "meal")
    assert x2.amount == Decimal("0.20") and str(x2.amount) == "0.20"
    assert x3.amount == Decimal("1250") and x3.note == "early bird"
    assert str(x4.amount) == "1.500"
    stored = crm.events.get(e)
    assert stored.spent() == {"EUR": Decimal("0.30"), "JPY": Decimal("1250"), "BHD": Decimal("1.500")}
    assert [x.id for x in stored.expenses] == [x1.id, x2.id, x3.id, x4.id]
    assert x1.to_dict() == {"id": x1.id, "amount": "0.10", "currency": "EUR", "category": "meal", "note": ""}
    assert repr(x3) == f"Expense(1250 JPY, category='ticket', note='early bird', id={x3.id})"

    with pytest.raises(TypeError, match="money is exact"):
        crm.events.add_expense(e, 12.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not bool"):
        crm.events.add_expense(e, True, "EUR")
    with pytest.raises(netcrm.InvalidInput, match="3 decimals; EUR has 2") as too_fine:
        crm.events.add_expense(e, "12.345", "EUR")
    assert "amount" in str(too_fine.value)
    with pytest.raises(netcrm.InvalidInput, match="currency") as bad_code:
        crm.events.add_expense(e, "12", "EURO")
    assert_no_cpp_words(str(bad_code.value))
    with pytest.raises(netcrm.InvalidInput, match="amount.*negative"):
        crm.events.add_expense(e, "-3", "EUR")
    with pytest.raises(netcrm.InvalidInput, match="amount"):
        crm.events.add_expense(e, "twelve", "EUR")
    with pytest.raises(ValueError, match="finite"):
        crm.events.add_expense(e, Decimal("NaN"), "EUR")
    assert len(crm.events.get(e).expenses) == 4

    crm.events.remove_expense(x2)
    crm.events.remove_expense(x3.id or 0)
    assert [x.id for x in crm.events.get(e).expenses] == [x1.id, x4.id]
    with pytest.raises(netcrm.NotFound):
        crm.events.remove_expense(x2)


def test_update_replaces_tags_and_expenses_and_keeps_created_at(crm: netcrm.CRM, clock: FixedClock) -> None:
    e = crm.events.add("Dinner", kind="dinner", starts=dt.datetime(2026, 5, 2, 20, tzinfo=PARIS), tags=["a", "b"],
                       expenses=[netcrm.Expense("30", "EUR", "meal"), netcrm.Expense("4.20", "EUR", "travel")])
    meal, travel = e.expenses
    clock.advance(hours=1)
    meal.amount = Decimal("32.50")
    e.expenses = [meal, netcrm.Expense("8", "EUR", "travel", "taxi")]
    e.tags = ["b", "c"]
    updated = crm.events.update(e, location="Chez Janou")
    assert updated.location == "Chez Janou"
    assert updated.tags == ["b", "c"]
    assert [(x.id, x.amount) for x in updated.expenses][0] == (meal.id, Decimal("32.50"))
    assert updated.expenses[1].id not in (meal.id, travel.id)
    assert updated.created_at == T0
    assert updated.updated_at == T0 + dt.timedelta(hours=1)
    with pytest.raises(netcrm.NotFound):
        crm.events.update(netcrm.Event("ghost", dt.datetime(2026, 1, 1, tzinfo=PARIS), id=999))
    with pytest.raises(ValueError, match="not been saved"):
        crm.events.update(netcrm.Event("unsaved", dt.datetime(2026, 1, 1, tzinfo=PARIS)))


def test_invalid_events_name_the_field(crm: netcrm.CRM) -> None:
    starts = dt.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS)
    cases = [
        (dict(name=" "), "name"),
        (dict(name="x", time_zone="Europe/Lutetia"), "time_zone"),
        (dict(name="x", ends=starts - dt.timedelta(minutes=1)), "ends_at"),
        (dict(name="x", notes="a\x00b"), "notes"),
        (dict(name="x", tags=["ok", "\ud800"]), "tags[1]"),
        (dict(name="x", expenses=[netcrm.Expense("1", "EUR"), netcrm.Expense("1", "ZZZ")]), "expenses[1]"),
    ]
    for fields, word in cases:
        with pytest.raises(netcrm.InvalidInput) as err:
            crm.events.add(starts=starts, **fields)  # type: ignore[arg-type]
        assert word in str(err.value), (fields, str(err.value))
        assert_no_cpp_words(str(err.value))
    with pytest.raises(netcrm.InvalidInput, match="time zone"):
        crm.time_zone = "Mars/Olympus"
    assert crm.time_zone == "Europe/Paris"
    assert len(crm.events) == 0


def test_unknown_ids_raise_not_found(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada")
    e = crm.events.add("x", starts=dt.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS))
    with pytest.raises(netcrm.NotFound) as err:
        crm.events.get(404)
    assert err.value.id == 404 and isinstance(err.value, KeyError)
    for call in (lambda: crm.events.remove(404), lambda: crm.events.add_expense(404, "1", "EUR"),
                 lambda: crm.events.met(404, ada), lambda: crm.events.met(e, 404),
                 lambda: crm.events.attendees(404), lambda: crm.events.attended(404),
                 lambda: crm.events.first_met(404), lambda: crm.events.remove_attendee(e, ada),
                 lambda: crm.events.remove_expense(404)):
        with pytest.raises(netcrm.NotFound):
            call()
    with pytest.raises(TypeError, match="event id"):
        crm.events.get("1")  # type: ignore[arg-type]


def test_first_meetings_and_introductions(crm: netcrm.CRM, clock: FixedClock) -> None:
    ada = crm.contacts.add(display_name="Ada")
    bob = crm.contacts.add(display_name="Bob")
    march = crm.events.add("Paris.rb March", starts=dt.datetime(2026, 3, 26, 19, tzinfo=PARIS))
    april = crm.events.add("Paris.rb April", starts=dt.datetime(2026, 4, 23, 19, tzinfo=PARIS))
    clock.advance(days=1)
    first = crm.events.met(march, ada, introduced_by=bob)
    assert first.first_meeting
    assert first.introduced_by == bob.id
    assert first.met_at == dt.datetime(2026, 3, 26, 19, tzinfo=PARIS)
    assert first.met_at.tzinfo == UTC and first.time_zone == "Europe/Paris"
    assert first.local_met_at.tzinfo == PARIS and first.local_met_at.hour == 19
    assert crm.contacts.get(ada).introduced_by == bob.id
    assert crm.contacts.get(ada).updated_at == T0 + dt.timedelta(days=1)
    again = crm.events.met(april, ada, at=dt.datetime(2026, 4, 23, 21, 15, tzinfo=PARIS))
    assert not again.first_meeting
    assert again.local_met_at.hour == 21
    fm = crm.events.first_met(ada)
    assert fm is not None and fm.event == march.id
    assert [a.event for a in crm.events.attended(ada)] == [march.id, april.id]
    assert [a.contact for a in crm.events.attendees(april)] == [ada.id]
    assert fm.to_dict()["met_at"] == "2026-03-26T18:00:00+00:00"
    assert fm.to_dict()["local_met_at"] == "2026-03-26T19:00:00+01:00"
    assert "first meeting" in repr(fm)

    with pytest.raises(netcrm.InvalidInput, match=r"first_meeting.*Paris\.rb March"):
        crm.events.met(april, ada, first_meeting=True)
    with pytest.raises(netcrm.InvalidInput, match="introduced_by"):
        crm.events.met(april, bob, introduced_by=bob)
    with pytest.raises(netcrm.InvalidInput, match="introduced_by"):
        crm.events.met(april, bob, introduced_by=999)
    with pytest.raises(TypeError, match="first_meeting"):
        crm.events.met(april, bob, first_meeting=1)  # type: ignore[arg-type]

    crm.events.remove_attendee(march, ada)
    assert crm.events.first_met(ada) is None
    assert crm.events.first_met(bob) is None


def test_removing_an_event_takes_its_attendance_and_expenses(crm: netcrm.CRM, db: Path) -> None:
    ada = crm.contacts.add(display_name="Ada")
    e = crm.events.add("Gone", starts=dt.datetime(2026, 3, 26, 19, tzinfo=PARIS), tags=["x"],
                       expenses=[netcrm.Expense("5", "EUR")])
    crm.events.met(e, ada)
    crm.events.remove(e)
    assert crm.events.find(e) is None
    assert crm.events.first_met(ada) is None
    assert crm.events.attended(ada) == []
    for table in ("event_tags", "event_expenses", "event_attendees"):
        assert sqlite_query(db, f"SELECT count(*) FROM {table}") == [(0,)]
    assert crm.contacts.get(ada).display_name == "Ada"


def test_merging_contacts_met_at_the_same_event_keeps_one_row_and_the_earlier_first_meeting(crm: netcrm.CRM) -> None:
    keep = crm.contacts.add(display_name="Ada Lovelace")
    dup = crm.contacts.add(display_name="A. Lovelace")
    feb = crm.events.add("February", starts=dt.datetime(2026, 2, 12, 19, tzinfo=PARIS))
    march = crm.events.add("March", starts=dt.datetime(2026, 3, 12, 19, tzinfo=PARIS))
    assert crm.events.met(march, keep).first_meeting
    crm.events.met(march, dup, first_meeting=False, at=dt.datetime(2026, 3, 12, 20, tzinfo=PARIS))
    crm.events.met(feb, dup, first_meeting=True)
    crm.contacts.merge(keep, dup)
    rows = crm.events.attendees(march)
    assert [(a.contact, a.local_met_at.hour, a.first_meeting) for a in rows] == [(keep.id, 19, False)]
    fm = crm.events.first_met(keep)
    assert fm is not None and fm.event == feb.id


def test_events_survive_reopening(db: Path, clock: FixedClock) -> None:
    with netcrm.open(db, clock=clock) as crm:
        crm.time_zone = "Asia/Kolkata"
        e = crm.events.add("Kept", starts=dt.datetime(2026, 6, 1, 18, 30, tzinfo=KOLKATA),
                           expenses=[netcrm.Expense("499", "INR", "ticket")])
    with netcrm.open(db, clock=clock) as crm:
        assert crm.time_zone == "Asia/Kolkata"
        back = crm.events.get(e.id or 0)
        assert back == e
        assert back.expenses[0].amount == Decimal("499.00")


def test_removing_an_event_takes_its_goals_and_attendance_and_keeps_the_log(crm: netcrm.CRM) -> None:
    e = crm.events.add("Paris.rb", starts=dt.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS))
    crm.events.add_expense(e, Decimal("12.50"), "EUR")
    ada = crm.contacts.add(display_name="Ada")
    crm.events.met(e, ada)
    goal = crm.goals.add("Cards", metric="contacts_met", at_least=5, event=e)
    talk = crm.interactions.log("conversation", [ada], at=dt.datetime(2026, 3, 26, 19, 30, tzinfo=PARIS), event=e)
    fu = crm.follow_ups.schedule(ada, "Send the slides", due=dt.date(2026, 3, 28), event=e)
    crm.events.remove(e)
    assert crm.events.find(e) is None
    assert crm.events.first_met(ada) is None
    assert crm.goals.find(goal) is None
    assert crm.interactions.get(talk).event is None
    assert crm.follow_ups.get(fu).event is None
    assert crm.contacts.get(ada).display_name == "Ada"
    with pytest.raises(netcrm.NotFound):
        crm.events.remove(e)


# ---- the first meeting is the earliest recorded (issue 11) ---------------------------------------

def test_backfilling_last_years_meetup_moves_the_first_meeting_and_the_goals_follow(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada")
    conference = crm.events.add("Conference 2026", kind="conference", starts=dt.datetime(2026, 9, 10, 9, tzinfo=PARIS))
    meetup = crm.events.add("Meetup 2025", kind="meetup", starts=dt.datetime(2025, 6, 5, 19, tzinfo=PARIS))
    assert crm.events.met(conference, ada).first_meeting
    new_2026 = crm.goals.add("New in 2026", metric="new_contacts", at_least=1, period="2026", event_kind="conference")
    new_2025 = crm.goals.add("New in 2025", metric="new_contacts", at_least=1, period="2025", event_kind="meetup")
    as_of = dt.datetime(2026, 12, 1, tzinfo=UTC)
    assert crm.goals.progress(new_2026, as_of=as_of).value == 1
    backfilled = crm.events.met(meetup, ada)
    assert backfilled.first_meeting
    fm = crm.events.first_met(ada)
    assert fm is not None and fm.event == meetup.id
    assert [a.first_meeting for a in crm.events.attended(ada)] == [True, False]
    assert crm.goals.progress(new_2026, as_of=as_of).value == 0
    assert crm.goals.progress(new_2025, as_of=as_of).value == 1


def test_an_older_interaction_logged_after_met_means_they_had_met_before(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada")
    rb = crm.events.add("Paris.rb", kind="meetup", starts=dt.datetime(2026, 3, 26, 19, tzinfo=PARIS))
    assert crm.events.met(rb, ada).first_meeting
    crm.interactions.log("coffee", ada, at=dt.datetime(2026, 3, 30, 9, tzinfo=PARIS))  # a follow-up
    median = crm.goals.add("Quick", metric="median_follow_up_days", at_most=7, period="2026")
    new = crm.goals.add("New", metric="new_contacts", at_least=1, period="2026", event_kind="meetup")
    as_of = dt.datetime(2026, 12, 1, tzinfo=UTC)
    assert crm.goals.progress(median, as_of=as_of).value == pytest.approx(3 + 13 / 24)
    crm.interactions.log("call", ada, at=dt.datetime(2025, 11, 2, 10, tzinfo=NEW_YORK))
    assert crm.events.first_met(ada) is None
    assert crm.goals.progress(new, as_of=as_of).value == 0
    assert crm.goals.progress(median, as_of=as_of).value is None


def test_met_at_comes_back_in_utc_equal_to_the_instant_in_a_repeated_hour(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada")
    late = crm.events.add("Late party", starts=dt.datetime(2026, 10, 24, 22, tzinfo=PARIS))
    second = dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS)  # 01:30 UTC
    a = crm.events.met(late, ada, at=second)
    assert a.met_at == dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC) and a.met_at.utcoffset() == dt.timedelta(0)
    assert a.local_met_at.fold == 1 and a.local_met_at.hour == 2
    for got in (crm.events.first_met(ada), crm.events.attendees(late)[0], crm.events.attended(ada)[0]):
        assert got is not None and got.met_at == a.met_at and got.time_zone == "Europe/Paris"
    e = crm.events.get(late)
    assert e.starts == dt.datetime(2026, 10, 24, 20, tzinfo=UTC) and e.starts.tzinfo == UTC


def test_an_import_tied_to_an_earlier_event_moves_a_merged_contacts_first_meeting(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada Lovelace", emails=["ada@example.com"])
    conference = crm.events.add("Conference", starts=dt.datetime(2026, 9, 10, 9, tzinfo=PARIS))
    meetup = crm.events.add("Meetup", starts=dt.datetime(2026, 6, 5, 19, tzinfo=PARIS))
    assert crm.events.met(conference, ada).first_meeting
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"
    report = crm.import_text(card, source="june.vcf", event=meetup)
    assert report.merged == 1
    first = crm.events.first_met(ada)
    assert first is not None and first.event == meetup.id
    crm.imports.undo(report)
    first = crm.events.first_met(ada)
    assert first is not None and first.event == conference.id
