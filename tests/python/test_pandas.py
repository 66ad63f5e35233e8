"""to_pandas() on contacts, interactions, follow-ups, favours and goals: one row per record indexed by
id, aware UTC instants, days as period[D], nullable Int64 ids, categories with every possible value,
exact Decimal money, the same values as the API's own objects, empty frames with the right columns,
and a clear ImportError when pandas is missing."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

import netcrm
from helpers import UTC, FixedClock

PARIS = ZoneInfo("Europe/Paris")
KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2027, 3, 20, 12, 0, tzinfo=UTC)

CONTACT_DTYPES = {
    "display_name": "string", "organization": "string", "title": "string", "emails": "object",
    "phones": "object", "urls": "object", "tags": "object", "birthday": "string", "how_met": "string",
    "introduced_by": "Int64", "source": "string", "first_met": "datetime64[ns, UTC]", "first_met_event": "Int64",
    "created_at": "datetime64[ns, UTC]", "updated_at": "datetime64[ns, UTC]",
}
INTERACTION_DTYPES = {
    "at": "datetime64[ns, UTC]", "time_zone": "string", "kind": "category", "contacts": "object", "event": "Int64",
    "notes": "string", "created_at": "datetime64[ns, UTC]", "updated_at": "datetime64[ns, UTC]",
}
FOLLOW_UP_DTYPES = {
    "contact": "int64", "reason": "string", "due": "datetime64[ns, UTC]", "time_zone": "string",
    "status": "category", "event": "Int64", "interaction": "Int64", "favor": "Int64", "rule": "Int64",
    "completed_at": "datetime64[ns, UTC]", "completed_by": "Int64", "sequence": "int64",
    "created_at": "datetime64[ns, UTC]", "updated_at": "datetime64[ns, UTC]",
}
FAVOR_DTYPES = {
    "on": "period[D]", "contact": "int64", "direction": "category", "kind": "category", "weight": "float64",
    "status": "category", "note": "string", "introduction": "Int64", "created_at": "datetime64[ns, UTC]",
    "updated_at": "datetime64[ns, UTC]",
}
GOAL_DTYPES = {
    "name": "string", "metric": "string", "event": "Int64", "period": "string", "comparison": "string",
    "value": "object", "target": "object", "unit": "string", "currency": "string", "fraction": "float64",
    "met": "bool", "elapsed": "Float64", "expected": "object", "on_pace": "boolean",
}


def dtypes(df: pd.DataFrame) -> dict[str, str]:
    return {name: str(t) for name, t in df.dtypes.items()}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def crm(tmp_path: Path, clock: FixedClock) -> Iterator[netcrm.CRM]:
    with netcrm.open(tmp_path / "frames.db", clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c


class World:
    """Ada (added in January, first met at the March meetup), Grace (added in February, never met
    at an event), Linus (introduced by Grace); a Paris meetup on the spring DST day with a coffee
    there; a call from New York and a meal in Kolkata; follow-ups, favours and goals."""

    def __init__(self, crm: netcrm.CRM, clock: FixedClock) -> None:
        clock.now = dt.datetime(2027, 1, 10, 9, tzinfo=UTC)
        self.ada = crm.contacts.add(netcrm.Contact(
            "Ada Lovelace", organization="Analytical Engines", title="Countess", tags=["potential-client", "math"],
            emails=["ada@engines.example", ("ada@home.example", "home")], phones=["+44 20 7946 0000"],
            birthday=netcrm.PartialDate(12, 10)))
        clock.now = dt.datetime(2027, 2, 14, 18, tzinfo=UTC)
        self.grace = crm.contacts.add(display_name="Grace Hopper", organization="Navy",
                                      birthday=dt.date(1906, 12, 9), how_met="COBOL meetup")
        self.linus = crm.contacts.add(display_name="Linus Torvalds", introduced_by=self.grace.id, tags=["kernel"])
        clock.now = dt.datetime(2027, 3, 28, 8, tzinfo=UTC)
        self.meetup = crm.events.add("Paris SaaS meetup", kind="meetup",
                                     starts=dt.datetime(2027, 3, 28, 19, 0, tzinfo=PARIS))
        crm.events.add_expense(self.meetup, Decimal("20.00"), "EUR", category="ticket")
        self.coffee = crm.interactions.log("coffee", [self.ada, self.linus], event=self.meetup,
                                           at=dt.datetime(2027, 3, 28, 20, 15, tzinfo=PARIS),
                                           notes="Ada needs a designer")
        self.call = crm.interactions.log("call", self.grace, at=dt.datetime(2027, 3, 2, 9, 0, tzinfo=NEW_YORK))
        self.meal = crm.interactions.log("meal", [self.grace, self.ada],
                                         at=dt.datetime(2027, 3, 5, 20, 30, tzinfo=KOLKATA), notes="<b>biryani</b>")
        # Said outright after the meal of 5 March is logged: that earlier meal alone would mean they
        # had met before the meetup (the first meeting is the earliest recorded).
        crm.events.met(self.meetup, self.ada, first_meeting=True)
        # 29 March 2027 is the day after Paris goes to summer time: 09:00 there is 07:00 UTC.
        self.thank = crm.follow_ups.schedule(self.ada, "Thank Ada", due=dt.date(2027, 3, 29))
        self.deck = crm.follow_ups.schedule(self.grace, "Send the deck",
                                            due=dt.datetime(2027, 3, 10, 15, tzinfo=NEW_YORK), event=self.meetup)
        crm.follow_ups.complete(self.deck, interaction=self.call, at=dt.datetime(2027, 3, 11, 9, tzinfo=UTC))
        self.advice = crm.favors.give(self.ada, "advice", on=dt.date(2027, 3, 1), note="pricing page")
        self.referral = crm.favors.receive(self.grace, "referral", weight=3, on=dt.date(2027, 3, 3))
        self.offer = crm.favors.give(self.grace, "loan", weight=2.5, on=dt.date(2027, 3, 4), status="offered")
        self.intro = crm.favors.introduce(self.ada, self.linus, on=dt.date(2027, 3, 6))
        self.cards = crm.goals.add("Cards from potential clients", metric="contacts_met", at_least=5,
                                   event=self.meetup, tags=["potential-client"])
        self.budget = crm.goals.add("Budget", metric="spend", at_most=Decimal("80"), currency="EUR",
                                    event=self.meetup)
        self.talks = crm.goals.add("Talks in Q1", metric="interactions", at_least=4, period="2027-Q1")
        clock.now = NOW


@pytest.fixture
def world(crm: netcrm.CRM, clock: FixedClock) -> World:
    return World(crm, clock)


# -- contacts ---------------------------------------------------------------------------------------


def test_contacts_are_one_row_each_indexed_by_id_with_proper_dtypes(crm: netcrm.CRM, world: World) -> None:
    df = crm.contacts.to_pandas()
    assert dtypes(df) == CONTACT_DTYPES
    assert df.index.name == "id" and str(df.index.dtype) == "int64"
    assert list(df.index) == [c.id for c in crm.contacts.list()]  # name order, as list() gives them
    assert str(df["created_at"].dt.tz) == "UTC"


def test_contact_rows_hold_the_same_values_as_the_contacts(crm: netcrm.CRM, world: World) -> None:
    df = crm.contacts.to_pandas()
    for c in crm.contacts:
        row = df.loc[c.id]
        assert row.display_name == c.display_name
        assert row.organization == c.organization and row.title == c.title and row.how_met == c.how_met
        assert row.source == c.source
        assert row.emails == [e.value for e in c.emails]
        assert row.phones == [p.value for p in c.phones]
        assert row.tags == c.tags
        assert row.created_at == c.created_at and row.updated_at == c.updated_at
        assert row.created_at.to_pydatetime() == c.created_at
    ada, grace, linus = df.loc[world.ada.id], df.loc[world.grace.id], df.loc[world.linus.id]
    assert ada.emails == ["ada@engines.example", "ada@home.example"]
    assert ada.birthday == "--12-10"                       # the year is unknown: not invented
    assert grace.birthday == "1906-12-09" and linus.birthday is pd.NA
    assert ada.created_at == dt.datetime(2027, 1, 10, 9, tzinfo=UTC)
    assert linus.introduced_by == world.grace.id and ada.introduced_by is pd.NA


def test_contact_rows_say_when_and_where_they_were_first_met(crm: netcrm.CRM, world: World) -> None:
    df = crm.contacts.to_pandas()
    first = crm.events.first_met(world.ada)
    assert first is not None
    assert df.loc[world.ada.id, "first_met"] == first.met_at == dt.datetime(2027, 3, 28, 17, 0, tzinfo=UTC)
    assert df.loc[world.ada.id, "first_met_event"] == world.meetup.id
    assert df.loc[world.grace.id, "first_met"] is pd.NaT
    assert df.loc[world.grace.id, "first_met_event"] is pd.NA


def test_contacts_frame_takes_the_filters_of_list(crm: netcrm.CRM, world: World) -> None:
    assert list(crm.contacts.to_pandas(tag="kernel").index) == [world.linus.id]
    assert list(crm.contacts.to_pandas(organization="Navy").index) == [world.grace.id]
    assert list(crm.contacts.to_pandas(tag="nobody").columns) == list(CONTACT_DTYPES)


def test_tags_explode_to_one_row_per_tag(crm: netcrm.CRM, world: World) -> None:
    counts = crm.contacts.to_pandas().explode("tags").groupby("tags").size().to_dict()
    assert counts == crm.contacts.tags()


# -- interactions -----------------------------------------------------------------------------------


def test_interactions_have_aware_times_categories_and_nullable_events(crm: netcrm.CRM, world: World) -> None:
    df = crm.interactions.to_pandas()
    assert dtypes(df) == INTERACTION_DTYPES
    assert df.index.name == "id"
    assert list(df["kind"].cat.categories) == list(netcrm.INTERACTION_KINDS)
    assert df["kind"].value_counts()["email"] == 0         # every kind is a category, counted or not
    assert list(df.index) == [i.id for i in crm.interactions.list()]  # oldest first
    for i in crm.interactions:
        row = df.loc[i.id]
        assert row["at"] == i.at and row.kind == i.kind and row.contacts == i.contacts
        assert row.time_zone == i.time_zone and row.notes == i.notes
        assert (row.event is pd.NA) if i.event is None else (row.event == i.event)
    assert df.loc[world.meal.id, "at"] == pd.Timestamp("2027-03-05 15:00", tz="UTC")   # 20:30 in Kolkata
    assert df.loc[world.meal.id, "time_zone"] == "Asia/Kolkata"
    assert df.loc[world.call.id, "at"] == pd.Timestamp("2027-03-02 14:00", tz="UTC")   # 09:00 in New York
    assert df.loc[world.coffee.id, "event"] == world.meetup.id and df.loc[world.call.id, "event"] is pd.NA


def test_interactions_frame_takes_the_filters_of_list(crm: netcrm.CRM, world: World) -> None:
    march = {"start": dt.datetime(2027, 3, 3, tzinfo=UTC), "end": dt.datetime(2027, 4, 1, tzinfo=UTC)}
    for filters in ({"contact": world.ada}, {"kind": "call"}, {"event": world.meetup}, march,
                    {"contact": world.grace.id, **march}):
        assert list(crm.interactions.to_pandas(**filters).index) == [i.id for i in crm.interactions.list(**filters)]
    assert list(crm.interactions.to_pandas(contact=world.grace).index) == [world.call.id, world.meal.id]
    with pytest.raises(ValueError, match="naive"):
        crm.interactions.to_pandas(start=dt.datetime(2027, 3, 1))


def test_one_row_per_person_and_interaction_by_exploding_contacts(crm: netcrm.CRM, world: World) -> None:
    per_person = crm.interactions.to_pandas().explode("contacts").groupby("contacts").size()
    assert per_person.to_dict() == {c.id: len(crm.interactions.with_contact(c))
                                    for c in (world.ada, world.grace, world.linus)}


# -- follow-ups -------------------------------------------------------------------------------------


def test_follow_ups_have_aware_due_times_and_a_status_category(crm: netcrm.CRM, world: World) -> None:
    df = crm.follow_ups.to_pandas()
    assert dtypes(df) == FOLLOW_UP_DTYPES
    assert list(df["status"].cat.categories) == list(netcrm.FOLLOW_UP_STATUSES)
    assert list(df.index) == [f.id for f in crm.follow_ups.list()]
    for f in crm.follow_ups:
        row = df.loc[f.id]
        assert row.contact == f.contact and row.reason == f.reason and row.status == f.status
        assert row.due == f.due and row.time_zone == f.time_zone and row.sequence == f.sequence
        assert row.created_at == f.created_at and row.updated_at == f.updated_at
    thank, deck = df.loc[world.thank.id], df.loc[world.deck.id]
    assert thank.due == pd.Timestamp("2027-03-29 07:00", tz="UTC")   # 09:00 in Paris, summer time since yesterday
    assert thank.due.tz_convert("Europe/Paris").hour == 9
    assert thank.completed_at is pd.NaT and thank.completed_by is pd.NA and thank.event is pd.NA
    assert deck.status == "done" and deck.completed_at == dt.datetime(2027, 3, 11, 9, tzinfo=UTC)
    assert deck.completed_by == world.call.id and deck.event == world.meetup.id


def test_follow_ups_frame_takes_the_filters_of_list(crm: netcrm.CRM, world: World) -> None:
    assert list(crm.follow_ups.to_pandas(status="open").index) == [world.thank.id]
    assert list(crm.follow_ups.to_pandas(contact=world.grace).index) == [world.deck.id]
    assert list(crm.follow_ups.to_pandas(due_from=dt.datetime(2027, 3, 20, tzinfo=UTC)).index) == [world.thank.id]


# -- favours ----------------------------------------------------------------------------------------


def test_favours_are_the_ledger_with_days_as_periods(crm: netcrm.CRM, world: World) -> None:
    df = crm.favors.to_pandas()
    assert dtypes(df) == FAVOR_DTYPES
    assert list(df["kind"].cat.categories) == list(netcrm.FAVOR_KINDS)
    assert list(df["status"].cat.categories) == list(netcrm.FAVOR_STATUSES)
    assert list(df.index) == [f.id for f in crm.favors.list()]
    for f in crm.favors:
        row = df.loc[f.id]
        assert f.on is not None
        assert row.on == pd.Period(f.on, freq="D") and row.on.to_timestamp().date() == f.on
        assert row.contact == f.contact and row.direction == f.direction and row.kind == f.kind
        assert row.weight == f.weight and row.status == f.status and row.note == f.note
        assert (row.introduction is pd.NA) if f.introduction is None else (row.introduction == f.introduction)
    assert df.loc[world.offer.id, "weight"] == 2.5
    assert set(df[df.introduction == world.intro.id].contact) == {world.ada.id, world.linus.id}


def test_the_balance_rule_in_pandas_gives_the_ledgers_balances(crm: netcrm.CRM, world: World) -> None:
    df = crm.favors.to_pandas(status="done")
    signed = df.weight.where(df.direction == "given", -df.weight)
    by_contact = signed.groupby(df.contact).sum().to_dict()
    assert by_contact == {c.id: crm.favors.balance(c).balance for c in (world.ada, world.grace, world.linus)}
    assert by_contact[world.grace.id] == -3.0


def test_favours_frame_takes_the_filters_of_list(crm: netcrm.CRM, world: World) -> None:
    assert list(crm.favors.to_pandas(direction="received").index) == [world.referral.id]
    assert list(crm.favors.to_pandas(start=dt.date(2027, 3, 4), end=dt.date(2027, 3, 5)).index) == [world.offer.id]
    assert list(crm.favors.to_pandas(contact=world.ada, kind="advice").index) == [world.advice.id]


# -- goals ------------------------------------------------------------------------------------------


def test_a_goals_history_has_a_date_index_and_counts_as_int64(crm: netcrm.CRM, world: World) -> None:
    df = crm.goals.to_pandas(world.talks, every="month")
    samples = crm.goals.history(world.talks, every="month")
    assert df.index.name == "date" and str(df.index.dtype) == "period[D]"
    assert dtypes(df) == {"value": "Int64", "cumulative": "Int64"}
    assert [p.to_timestamp().date() for p in df.index] == [s.date for s in samples]
    assert list(df["value"]) == [s.value for s in samples]
    assert list(df["cumulative"]) == [s.cumulative for s in samples]
    # Q1 up to 20 March: nothing in January or February, then the call and the meal.
    assert list(df["cumulative"]) == [0, 0, 2]
    assert df.index[-1] == pd.Period("2027-03-20", freq="D")   # the last step ends at as_of (now)


def test_a_goals_history_follows_every_and_as_of(crm: netcrm.CRM, world: World) -> None:
    as_of = dt.datetime(2027, 3, 31, 22, tzinfo=UTC)           # the quarter's end in Paris
    df = crm.goals.to_pandas(world.talks, every="week", as_of=as_of)
    samples = crm.goals.history(world.talks, every="week", as_of=as_of)
    assert [p.to_timestamp().date() for p in df.index] == [s.date for s in samples]
    assert df.index[0] == pd.Period("2027-01-03", freq="D")    # the first Sunday of 2027
    assert df["cumulative"].iloc[-1] == 3                       # the coffee at the meetup too
    with pytest.raises(ValueError, match="every"):
        crm.goals.to_pandas(world.talks, every="year")


def test_money_stays_exact_in_a_goals_history(crm: netcrm.CRM, world: World) -> None:
    after = dt.datetime(2027, 3, 30, 12, tzinfo=UTC)              # the meetup was on the 28th
    df = crm.goals.to_pandas(world.budget, every="day", as_of=after)
    assert dtypes(df) == {"value": "object", "cumulative": "object"}
    samples = crm.goals.history(world.budget, every="day", as_of=after)
    assert len(samples) == 3
    assert list(df["cumulative"]) == [s.cumulative for s in samples]
    last = df["cumulative"].iloc[-1]
    assert isinstance(last, Decimal) and last == Decimal("20.00") and str(last) == "20.00"


def test_all_goals_are_one_row_each_with_their_progress(crm: netcrm.CRM, world: World) -> None:
    df = crm.goals.to_pandas()
    assert dtypes(df) == GOAL_DTYPES
    assert df.index.name == "id" and list(df.index) == [g.id for g in crm.goals]
    for g in crm.goals:
        p = crm.goals.progress(g)
        row = df.loc[g.id]
        assert row["name"] == g.name and row.metric == g.metric and row.comparison == g.comparison
        assert row.value == p.value and type(row.value) is type(p.value)
        assert row.target == p.target and row.fraction == p.fraction and row.met == p.met
        assert row.unit == p.unit and row.currency == g.currency
        assert (row.on_pace is pd.NA) if p.on_pace is None else (row.on_pace == p.on_pace)
        assert (row.elapsed is pd.NA) if p.elapsed is None else (row.elapsed == p.elapsed)
    budget = df.loc[world.budget.id]
    assert budget.value == Decimal("20.00") and isinstance(budget.target, Decimal) and budget.met
    talks = df.loc[world.talks.id]
    assert talks.period == "2027-Q1" and talks.event is pd.NA and talks.value == 2
    assert df.loc[world.cards.id, "event"] == world.meetup.id and df.loc[world.cards.id, "period"] is pd.NA


def test_all_goals_as_of_an_instant(crm: netcrm.CRM, world: World) -> None:
    as_of = dt.datetime(2027, 3, 4, tzinfo=UTC)
    df = crm.goals.to_pandas(as_of=as_of)
    assert df.loc[world.talks.id, "value"] == crm.goals.progress(world.talks, as_of=as_of).value == 1


# -- an empty store, and no pandas ------------------------------------------------------------------


def test_an_empty_store_gives_empty_frames_with_the_right_columns(crm: netcrm.CRM) -> None:
    for df, expected in ((crm.contacts.to_pandas(), CONTACT_DTYPES), (crm.interactions.to_pandas(), INTERACTION_DTYPES),
                         (crm.follow_ups.to_pandas(), FOLLOW_UP_DTYPES), (crm.favors.to_pandas(), FAVOR_DTYPES),
                         (crm.goals.to_pandas(), GOAL_DTYPES)):
        assert len(df) == 0
        assert dtypes(df) == expected
        assert df.index.name == "id"
    assert list(crm.interactions.to_pandas()["kind"].cat.categories) == list(netcrm.INTERACTION_KINDS)


def test_a_goal_with_nothing_yet_gives_zeros_not_an_error(crm: netcrm.CRM, clock: FixedClock) -> None:
    g = crm.goals.add("People in April", metric="new_contacts", at_least=3, period="2027-04")
    as_of = dt.datetime(2027, 4, 30, tzinfo=UTC)
    df = crm.goals.to_pandas(g, every="week", as_of=as_of)
    assert str(df.index.dtype) == "period[D]" and dtypes(df) == {"value": "Int64", "cumulative": "Int64"}
    assert len(df) == len(crm.goals.history(g, every="week", as_of=as_of)) == 5   # weeks ending 4, 11 ... 30 April
    assert set(df["cumulative"]) == {0}


CALLS = [
    ("contacts", lambda crm: crm.contacts.to_pandas()),
    ("interactions", lambda crm: crm.interactions.to_pandas()),
    ("follow_ups", lambda crm: crm.follow_ups.to_pandas()),
    ("favors", lambda crm: crm.favors.to_pandas()),
    ("goals", lambda crm: crm.goals.to_pandas()),
    ("goal_history", lambda crm: crm.goals.to_pandas(crm.goals.add("x", metric="events", at_least=1, period="2027"))),
]


@pytest.mark.parametrize("call", [c for _, c in CALLS], ids=[n for n, _ in CALLS])
def test_without_pandas_the_error_says_what_to_install(crm: netcrm.CRM, monkeypatch: pytest.MonkeyPatch,
                                                       call: Any) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)   # what `import pandas` sees when it is not installed
    with pytest.raises(ImportError) as info:
        call(crm)
    message = str(info.value)
    assert "to_pandas()" in message and "pandas" in message and "apt install python3-pandas" in message
    assert info.value.name == "pandas"

