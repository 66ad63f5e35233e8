"""crm.goals from Python: goals measured from events and interactions with fixed clocks, periods
whose bounds depend on the time zone, events across midnight and DST, Decimal money, reports that
print well and convert to dicts, and the errors users see."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import UTC, FixedClock, assert_no_cpp_words

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
NOW = dt.datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


class World:
    """A meetup on 4 March 2027 at 19:00 in Paris where Ada, Grace and Linus were first met and an
    old friend seen again; 20 + 15 EUR and 9 USD spent; three interactions there."""

    def __init__(self, crm: netcrm.CRM, clock: FixedClock) -> None:
        self.crm = crm
        clock.now = dt.datetime(2026, 6, 1, tzinfo=UTC)
        self.friend = crm.contacts.add(display_name="Old Friend", tags=["friend"])
        clock.now = dt.datetime(2027, 3, 1, 12, tzinfo=UTC)
        self.ada = crm.contacts.add(display_name="Ada Lovelace", tags=["Potential-Client", "saas"])
        self.grace = crm.contacts.add(display_name="Grace Hopper", tags=["potential-client"])
        self.linus = crm.contacts.add(display_name="Linus Torvalds", tags=["saas"])
        self.hedy = crm.contacts.add(display_name="Hedy Lamarr")
        self.meetup = crm.events.add("Paris SaaS meetup", kind="meetup",
                                     starts=dt.datetime(2027, 3, 4, 19, 0, tzinfo=PARIS),
                                     ends=dt.datetime(2027, 3, 4, 23, 30, tzinfo=PARIS))
        crm.events.add_expense(self.meetup, Decimal("20.00"), "EUR", category="ticket")
        crm.events.add_expense(self.meetup, "15", "EUR", category="meal")
        crm.events.add_expense(self.meetup, "9.00", "USD", category="travel")
        for who, minute in ((self.ada, 30), (self.grace, 60), (self.linus, 120)):
            crm.events.met(self.meetup, who, at=dt.datetime(2027, 3, 4, 19, 0, tzinfo=PARIS)
                           + dt.timedelta(minutes=minute), first_meeting=True)
        crm.events.met(self.meetup, self.friend, first_meeting=False)
        crm.interactions.log("conversation", self.ada, at=dt.datetime(2027, 3, 4, 19, 40, tzinfo=PARIS),
                             event=self.meetup)
        crm.interactions.log("conversation", [self.ada, self.linus],
                             at=dt.datetime(2027, 3, 4, 20, 10, tzinfo=PARIS), event=self.meetup)
        crm.interactions.log("meal", self.friend, at=dt.datetime(2027, 3, 4, 22, 0, tzinfo=PARIS), event=self.meetup)
        clock.now = NOW


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def crm(tmp_path: Path, clock: FixedClock) -> Iterator[netcrm.CRM]:
    with netcrm.open(tmp_path / "goals.db", clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c


@pytest.fixture
def world(crm: netcrm.CRM, clock: FixedClock) -> World:
    return World(crm, clock)


def test_an_event_goal_prints_its_progress(crm: netcrm.CRM, world: World) -> None:
    g = crm.goals.add("Cards from potential clients", metric="contacts_met", at_least=5, event=world.meetup,
                      tags=["potential-client"])
    assert isinstance(g, netcrm.Goal)
    assert g.id is not None and g.event == world.meetup.id and g.period is None
    assert g.comparison == ">=" and g.target == 5 and g.tags == ("potential-client",)
    assert g.created_at == NOW
    p = crm.goals.progress(g)
    assert isinstance(p, netcrm.GoalProgress)
    assert p.value == 2 and isinstance(p.value, int)
    assert p.fraction == pytest.approx(0.4) and not p.met and p.unit == "contacts"
    assert p.on_pace is None and p.elapsed is None
    assert str(p) == "Cards from potential clients: 2 / 5 contacts (40%), not met"
    d = p.to_dict()
    json.dumps(d)
    assert d["value"] == 2 and d["goal"]["tags"] == ["potential-client"] and d["as_of"] == "2027-03-10T12:00:00+00:00"


def test_money_goals_take_and_give_decimals(crm: netcrm.CRM, world: World) -> None:
    budget = crm.goals.add("Budget", metric="spend", at_most=Decimal("80"), currency="eur", event=world.meetup)
    assert budget.currency == "EUR"
    assert budget.target == Decimal("80.00") and isinstance(budget.target, Decimal)
    p = crm.goals.progress(budget)
    assert p.value == Decimal("35.00") and isinstance(p.value, Decimal)
    assert p.met
    assert str(p) == "Budget: 35.00 / <= 80.00 EUR (44%), met"
    assert p.to_dict()["value"] == "35.00"
    cost = crm.goals.evaluate("Cost per new person", metric="cost_per_new_contact", at_most="20", currency="EUR",
                              event=world.meetup)
    assert isinstance(cost.value, Decimal)
    assert float(cost.value) == pytest.approx(35 / 3)
    assert str(cost) == "Cost per new person: 11.67 / <= 20.00 EUR (58%), met"
    with pytest.raises(TypeError, match="not float"):
        crm.goals.add("Budget", metric="spend", at_most=80.5, currency="EUR", event=world.meetup)
    with pytest.raises(netcrm.InvalidInput, match="currency: spend is money"):
        crm.goals.add("Budget", metric="spend", at_most=80, event=world.meetup)
    usd = crm.goals.evaluate("USD", metric="spend", at_most=Decimal("10"), currency="USD", event=world.meetup,
                             category="travel")
    assert usd.value == Decimal("9.00")


def test_plan_periods_read_from_text_tuples_and_relative_words(crm: netcrm.CRM, world: World) -> None:
    q = crm.goals.add("New people this quarter", metric="new_contacts", at_least=8, period="this quarter")
    assert q.period == netcrm.Period(dt.date(2027, 1, 1), dt.date(2027, 3, 31), "2027-Q1")
    r = crm.goals.add("Range", metric="conversations", at_least=3,
                      period=(dt.date(2027, 3, 1), dt.date(2027, 3, 15)))
    assert r.period is not None and r.period.label == "2027-03-01..2027-03-15" and r.period.days == 15
    y = crm.goals.add("Year", metric="events", at_least=10, period="2027", event_kind="meetup")
    assert crm.goals.progress(y).value == 1
    with pytest.raises(netcrm.InvalidInput, match=r"period '2027-13': a month is 01 to 12"):
        crm.goals.add("Bad", metric="events", at_least=1, period="2027-13")
    with pytest.raises(TypeError, match="period is a str"):
        crm.goals.add("Bad", metric="events", at_least=1, period=2027)  # type: ignore[arg-type]
    # "this quarter" is the user's quarter: on 31 March 23:30 UTC it is already Q2 in Kolkata.
    late = dt.datetime(2027, 3, 31, 23, 30, tzinfo=UTC)
    crm.time_zone = "Asia/Kolkata"
    assert crm._core.goal_parse_period("this quarter", late)["label"] == "2027-Q2"
    crm.time_zone = "America/New_York"
    assert crm._core.goal_parse_period("this quarter", late)["label"] == "2027-Q1"


def test_plan_goal_pace_and_progress_with_a_fixed_clock(crm: netcrm.CRM, world: World, clock: FixedClock) -> None:
    g = crm.goals.add("New people in March", metric="new_contacts", at_least=8, period="2027-03")
    p = crm.goals.progress(g)
    assert p.value == 4  # three first met at the meetup, Hedy added on 1 March
    assert p.elapsed == pytest.approx((9 * 24 + 13) / (31 * 24 - 1))  # March in Paris has 743 hours
    assert p.on_pace is True
    assert str(p) == "New people in March: 4 / 8 contacts (50%), not met, on pace"
    late = crm.goals.progress(g, as_of=dt.datetime(2027, 3, 25, tzinfo=PARIS))
    assert late.on_pace is False
    assert "off pace (a steady pace is 6.2 by now)" in str(late)
    clock.now = dt.datetime(2027, 4, 2, tzinfo=UTC)
    assert crm.goals.progress(g).elapsed == 1.0


def test_plan_goal_bounds_follow_the_time_zone(crm: netcrm.CRM, world: World) -> None:
    # 20:00 UTC on 31 December 2026: 2027 in Kolkata, 2026 in Paris and New York.
    crm.interactions.log("call", world.hedy, at=dt.datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    g = crm.goals.add("People talked with in 2027", metric="conversations", at_least=10, period="2027")
    assert crm.goals.progress(g).value == 3
    crm.time_zone = "Asia/Kolkata"
    assert crm.goals.progress(g).value == 4
    crm.time_zone = "America/New_York"
    assert crm.goals.progress(g).value == 3
    # 23:30 on 31 December in New York is 2027 in UTC.
    crm.interactions.log("email", world.grace, at=dt.datetime(2026, 12, 31, 23, 30, tzinfo=NEW_YORK))
    assert crm.goals.evaluate("2026", metric="conversations", at_least=1, period="2026").value == 2


def test_an_event_across_midnight_and_a_dst_day(crm: netcrm.CRM, world: World) -> None:
    dinner = crm.events.add("Founders' dinner", kind="dinner", starts=dt.datetime(2027, 3, 27, 22, 0, tzinfo=PARIS))
    crm.events.met(dinner, world.hedy, at=dt.datetime(2027, 3, 28, 0, 30, tzinfo=PARIS), first_meeting=True)
    # 28 March 2027 is Paris's spring-forward day: 01:30 then 03:30 on the wall clock.
    crm.interactions.log("conversation", world.hedy, at=dt.datetime(2027, 3, 28, 1, 30, tzinfo=PARIS), event=dinner)
    crm.interactions.log("conversation", world.grace, at=dt.datetime(2027, 3, 28, 3, 30, tzinfo=PARIS), event=dinner)
    after = dt.datetime(2027, 4, 1, tzinfo=UTC)
    talked = crm.goals.add("Talked at dinner", metric="conversations", at_least=2, event=dinner)
    assert crm.goals.progress(talked, as_of=after).met
    assert crm.goals.evaluate("New", metric="new_contacts", at_least=1, event=dinner, as_of=after).value == 1
    day = crm.goals.evaluate("The 28th", metric="conversations", at_least=2, period="2027-03-28", as_of=after)
    assert day.value == 2
    noon = crm.goals.evaluate("The 28th", metric="conversations", at_least=2, period="2027-03-28",
                              as_of=dt.datetime(2027, 3, 28, 12, 0, tzinfo=PARIS))
    assert noon.elapsed == pytest.approx(11 / 23)  # a 23-hour day


def test_reports_cover_an_event_or_a_period(crm: netcrm.CRM, world: World) -> None:
    crm.goals.add("Cards from potential clients", metric="contacts_met", at_least=5, event=world.meetup,
                  tags=["potential-client"])
    crm.goals.add("Budget", metric="spend", at_most=Decimal("80"), currency="EUR", event=world.meetup)
    crm.goals.add("New people", metric="new_contacts", at_least=60, period="2027")
    crm.goals.add("Old", metric="new_contacts", at_least=60, period="2026")
    r = crm.goals.report(event=world.meetup)
    assert isinstance(r, netcrm.GoalReport)
    assert r.title == "Paris SaaS meetup (2027-03-04)" and len(r) == 2 and r.met == 1
    assert str(r) == ("Paris SaaS meetup (2027-03-04): 1 of 2 goals met\n"
                      "  Cards from potential clients: 2 / 5 contacts (40%), not met\n"
                      "  Budget: 35.00 / <= 80.00 EUR (44%), met")
    json.dumps(r.to_dict())
    plan = crm.goals.report(period="2027-Q1", as_of=dt.datetime(2027, 3, 31, tzinfo=UTC))
    assert [p.goal.name for p in plan] == ["New people"]
    assert plan.title == "2027-Q1" and plan.period == netcrm.Period(dt.date(2027, 1, 1), dt.date(2027, 3, 31),
                                                                       "2027-Q1")
    assert len(crm.goals.report(period=(dt.date(2026, 12, 1), dt.date(2027, 1, 31)))) == 2
    with pytest.raises(TypeError, match="exactly one"):
        crm.goals.report()


def test_history_samples_weeks_days_and_months(crm: netcrm.CRM, world: World) -> None:
    crm.interactions.log("call", world.hedy, at=dt.datetime(2027, 3, 2, 10, 0, tzinfo=PARIS))
    crm.interactions.log("call", world.grace, at=dt.datetime(2027, 3, 16, 10, 0, tzinfo=PARIS))
    g = crm.goals.add("Talked with in March", metric="conversations", at_least=10, period="2027-03")
    weeks = crm.goals.history(g, every="week", as_of=dt.datetime(2027, 3, 20, 12, tzinfo=UTC))
    assert weeks == [netcrm.ProgressSample(dt.date(2027, 3, 7), 4, 4),
                     netcrm.ProgressSample(dt.date(2027, 3, 14), 0, 4),
                     netcrm.ProgressSample(dt.date(2027, 3, 20), 1, 5)]
    assert weeks[0].to_dict() == {"date": "2027-03-07", "value": 4, "cumulative": 4}
    days = crm.goals.history(g, every="day", as_of=dt.datetime(2027, 5, 1, tzinfo=UTC))
    assert len(days) == 31 and days[-1].cumulative == 5
    assert crm.goals.history(g, every="month", as_of=dt.datetime(2027, 5, 1, tzinfo=UTC)) == [
        netcrm.ProgressSample(dt.date(2027, 3, 31), 5, 5)]
    budget = crm.goals.add("Budget", metric="spend", at_most=Decimal("100"), currency="EUR", period="2027-03")
    assert crm.goals.history(budget, every="month")[0].cumulative == Decimal("35.00")
    # An event's expenses have no time: spent in the first step of its history, not in each.
    ticket = crm.goals.add("Ticket", metric="spend", at_most=Decimal("80"), currency="EUR", event=world.meetup)
    spent = crm.goals.history(ticket, every="day", as_of=dt.datetime(2027, 3, 6, 12, tzinfo=UTC))
    assert [(s.value, s.cumulative) for s in spent] == [(Decimal("35.00"), Decimal("35.00")),
                                                        (Decimal("0.00"), Decimal("35.00")),
                                                        (Decimal("0.00"), Decimal("35.00"))]
    with pytest.raises(ValueError, match="every must be"):
        crm.goals.history(g, every="year")


def test_median_follow_up_has_no_value_until_someone_is_followed_up(crm: netcrm.CRM, world: World) -> None:
    g = crm.goals.add("Follow up fast", metric="median_follow_up_days", at_most=3, event=world.meetup)
    p = crm.goals.progress(g)
    assert p.value is None and not p.met
    assert str(p) == "Follow up fast: no value yet / <= 3 days, not met"
    crm.interactions.log("email", world.ada, at=dt.datetime(2027, 3, 5, 19, 30, tzinfo=PARIS))
    assert crm.goals.progress(g).value == 1


def test_returns_on_networking(crm: netcrm.CRM, world: World) -> None:
    r = crm.goals.returns(event=world.meetup)
    assert isinstance(r, netcrm.NetworkingReturn)
    assert r.spend == {"EUR": Decimal("35.00"), "USD": Decimal("9.00")}
    assert (r.contacts_met, r.new_contacts, r.new_potential_clients, r.conversations, r.interactions) == (4, 3, 2, 3, 3)
    assert r.cost_per_new_contact == {"EUR": Decimal("11.67"), "USD": Decimal("3.00")}
    assert str(r) == ("Paris SaaS meetup (2027-03-04): spent 35.00 EUR + 9.00 USD; 4 met, 3 new (2 potential "
                      "clients), 3 talked with, 3 interactions; 11.67 EUR + 3.00 USD per new contact")
    assert r.to_dict()["spend"] == {"EUR": "35.00", "USD": "9.00"}
    y = crm.goals.returns(period="2027", client_tag="saas")
    assert y.events == 1 and y.new_potential_clients == 2 and y.title == "2027"
    empty = crm.goals.returns(period="2025")
    assert empty.spend == {} and empty.cost_per_new_contact == {}
    with pytest.raises(netcrm.NotFound):
        crm.goals.returns(event=999)


def test_crud_list_update_and_remove(crm: netcrm.CRM, world: World) -> None:
    a = crm.goals.add("A", metric="contacts_met", at_least=5, event=world.meetup)
    b = crm.goals.add("B", metric="interactions", more_than=10, period="2027", interaction_kinds=["coffee", "meal"])
    assert b.comparison == ">" and b.interaction_kinds == ("coffee", "meal")
    assert [g.id for g in crm.goals] == [a.id, b.id] and len(crm.goals) == 2
    assert crm.goals.list(event=world.meetup) == [a]
    assert crm.goals.list(plan_only=True) == [b]
    assert crm.goals[a.id] == a and crm.goals.find(999) is None
    c = crm.goals.update(a, at_most=3, name="A2")
    assert (c.name, c.comparison, c.target, c.id) == ("A2", "<=", 3, a.id)
    assert crm.goals.get(a.id) == c
    with pytest.raises(TypeError, match="unknown goal field"):
        crm.goals.update(a, colour="red")
    crm.goals.remove(c)
    with pytest.raises(netcrm.NotFound):
        crm.goals.get(a.id)
    with pytest.raises(KeyError):
        crm.goals.remove(a.id)


def test_bad_goals_are_refused_with_messages_for_people(crm: netcrm.CRM, world: World) -> None:
    with pytest.raises(netcrm.InvalidInput, match="unknown metric 'cards'; known metrics: contacts_met") as e:
        crm.goals.add("Cards", metric="cards", at_least=5, event=world.meetup)
    assert_no_cpp_words(str(e.value))
    with pytest.raises(TypeError, match="exactly one target"):
        crm.goals.add("Two", metric="contacts_met", at_least=5, at_most=9, event=world.meetup)
    with pytest.raises(TypeError, match="exactly one target"):
        crm.goals.add("None", metric="contacts_met", event=world.meetup)
    with pytest.raises(ValueError, match="exactly one"):
        crm.goals.add("Both", metric="contacts_met", at_least=5, event=world.meetup, period="2027")
    with pytest.raises(netcrm.InvalidInput, match="events is measured over a period"):
        crm.goals.add("Events", metric="events", at_least=5, event=world.meetup)
    with pytest.raises(netcrm.NotFound):
        crm.goals.add("Ghost", metric="contacts_met", at_least=5, event=12345)
    with pytest.raises(ValueError, match="interaction kind|conversation"):
        crm.goals.add("Kinds", metric="interactions", at_least=5, period="2027", interaction_kinds=["lunch"])
    with pytest.raises(TypeError, match="list of str"):
        crm.goals.add("Tags", metric="contacts_met", at_least=5, event=world.meetup, tags="saas")
    with pytest.raises(ValueError, match="naive"):
        crm.goals.progress(crm.goals.add("OK", metric="contacts_met", at_least=1, event=world.meetup),
                           as_of=dt.datetime(2027, 3, 5))
    assert [g.name for g in crm.goals] == ["OK"]


def test_metrics_are_listed_with_their_units(crm: netcrm.CRM) -> None:
    ms = crm.goals.metrics()
    assert [m.name for m in ms] == ["contacts_met", "new_contacts", "conversations", "interactions", "events", "spend",
                                    "cost_per_new_contact", "median_follow_up_days", "follow_ups_on_time",
                                    "follow_up_on_time_rate", "favours_given", "favours_received", "introductions_made"]
    assert ms[9].unit == "%" and not ms[9].cumulative
    spend = ms[5]
    assert isinstance(spend, netcrm.MetricInfo)
    assert spend.money and spend.cumulative and spend.scopes == "both"
    assert ms[4].scopes == "period" and not ms[7].cumulative and ms[7].unit == "days"
    assert str(ms[0]).startswith("contacts_met: distinct contacts met")


@pytest.mark.parametrize("zone", [KOLKATA, PARIS])
def test_follow_ups_on_time_end_with_the_due_day_in_the_users_zone(crm: netcrm.CRM, world: World,
                                                                  zone: ZoneInfo) -> None:
    crm.time_zone = zone.key
    on_time = crm.follow_ups.schedule(world.ada, "write", due=dt.date(2027, 3, 15))
    late = crm.follow_ups.schedule(world.grace, "write", due=dt.date(2027, 3, 15))
    crm.follow_ups.complete(on_time, at=dt.datetime(2027, 3, 15, 23, 59, tzinfo=zone))
    crm.follow_ups.complete(late, at=dt.datetime(2027, 3, 16, 0, 1, tzinfo=zone))
    after = dt.datetime(2027, 3, 20, tzinfo=UTC)
    count = crm.goals.evaluate("Done on time", metric="follow_ups_on_time", at_least=2, period="2027-03", as_of=after)
    assert count.value == 1 and not count.met
    rate = crm.goals.evaluate("On time", metric="follow_up_on_time_rate", at_least=90, period="2027-03", as_of=after)
    assert rate.value == pytest.approx(50) and rate.unit == "%"
    none = crm.goals.evaluate("On time", metric="follow_up_on_time_rate", at_least=90, period="2027-05", as_of=after)
    assert none.value is None and not none.met


def test_favours_and_introductions_are_goal_metrics(crm: netcrm.CRM, world: World) -> None:
    crm.favors.add(netcrm.Favor(world.ada, "advice", weight=2, on=dt.date(2027, 3, 5)))
    crm.favors.add(netcrm.Favor(world.hedy, "advice", weight=0.5, on=dt.date(2027, 3, 31)))
    crm.favors.add(netcrm.Favor(world.ada, "advice", weight=7, on=dt.date(2027, 3, 6), status="offered"))
    crm.favors.add(netcrm.Favor(world.grace, "loan", direction="received", weight=5, on=dt.date(2027, 3, 7)))
    crm.favors.introduce(world.ada, world.grace, on=dt.date(2027, 3, 8))
    april = dt.datetime(2027, 4, 2, tzinfo=UTC)

    def value(metric: str, **kw: object) -> object:
        return crm.goals.evaluate(metric, metric=metric, at_least=1, period="2027-03", as_of=april, **kw).value

    assert value("favours_given") == pytest.approx(2 + 0.5 + 2)  # the introduction: one given to each
    assert value("favours_received") == pytest.approx(5)
    assert value("favours_given", tags=["saas"]) == pytest.approx(3)
    assert value("favours_given", event_kind="meetup") == pytest.approx(4)  # not Hedy, never met at one
    assert value("introductions_made") == 1
    assert value("introductions_made", tags=["friend"]) == 0
    names = [m.name for m in crm.goals.metrics()]
    assert {"follow_ups_on_time", "follow_up_on_time_rate", "favours_given", "favours_received",
            "introductions_made"} <= set(names)


def test_returns_count_favours_and_introductions_that_came_later(crm: netcrm.CRM, world: World) -> None:
    crm.favors.add(netcrm.Favor(world.grace, "advice", direction="received", weight=2, on=dt.date(2027, 3, 8)))
    crm.favors.add(netcrm.Favor(world.linus, "advice", direction="received", weight=9, on=dt.date(2027, 3, 1)))
    crm.favors.introduced_to(world.hedy, by=world.linus, on=dt.date(2027, 3, 9))
    r = crm.goals.returns(event=world.meetup)
    assert r.favours_later == pytest.approx(3) and r.introductions_later == 1
    assert str(r).endswith("; later 3 favours received, 1 introduction")
    assert r.to_dict()["favours_later"] == pytest.approx(3) and r.to_dict()["introductions_later"] == 1
    assert crm.goals.returns(period="2027-04").favours_later == 0


def test_goals_see_what_other_programs_write_even_while_they_hold_the_lock(crm: netcrm.CRM, world: World) -> None:
    """Goals over a span read summaries of the interaction log that netcrm keeps up to date from the
    changes any program makes (schema 6): a plain sqlite3 connection writing rows directly is seen,
    and while it holds the write lock netcrm answers from the tables at once instead of waiting."""
    import sqlite3
    import time

    g = crm.goals.add("People talked with", metric="conversations", at_least=10, period="2027")
    as_of = dt.datetime(2027, 12, 1, tzinfo=UTC)
    before = crm.goals.progress(g, as_of=as_of).value
    con = sqlite3.connect(crm.path, isolation_level=None, timeout=0.1)
    con.execute("PRAGMA foreign_keys = ON")
    at = int(dt.datetime(2027, 6, 1, 12, tzinfo=UTC).timestamp())
    con.execute("INSERT INTO interactions(id, kind, at, time_zone, created_at, updated_at)"
                " VALUES (9001, 'coffee', ?, 'UTC', 0, 0)", (at,))
    con.execute("INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (9001, ?, ?)",
                (world.hedy.id, at))
    # Committed, not yet folded into the summaries; then the other program takes the write lock.
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO interactions(id, kind, at, time_zone, created_at, updated_at)"
                " VALUES (9002, 'call', ?, 'UTC', 0, 0)", (at,))
    con.execute("INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (9002, ?, ?)",
                (world.grace.id, at))
    started = time.monotonic()
    assert crm.goals.progress(g, as_of=as_of).value == before + 1  # Hedy's coffee; Grace's call is not committed
    assert time.monotonic() - started < 2  # read from the tables at once, not after the 10 s busy timeout
    con.execute("COMMIT")
    assert crm.goals.progress(g, as_of=as_of).value == before + 2
    con.execute("DELETE FROM interactions WHERE id IN (9001, 9002)")  # participants go by cascade
    assert crm.goals.progress(g, as_of=as_of).value == before
    con.close()


# ---- as_of includes its own instant (issue 11) ---------------------------------------------------

def test_a_coffee_logged_this_second_counts_now(crm: netcrm.CRM, world: World) -> None:
    g = crm.goals.add("Coffees", metric="interactions", at_least=40, period="this quarter",
                      interaction_kinds=["coffee", "meal"])
    before = crm.goals.progress(g).value
    crm.interactions.log("coffee", world.hedy)  # at the clock's now
    p = crm.goals.progress(g)
    assert p.value == before + 1
    assert p.as_of == NOW
    assert "Coffees: 2 / 40 interactions" in str(crm.goals.report(period="2027-Q1"))


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Asia/Kolkata"])
def test_what_happened_at_exactly_as_of_is_counted_everywhere(crm: netcrm.CRM, world: World, zone: str) -> None:
    crm.time_zone = zone
    at = dt.datetime(2027, 3, 20, 15, 0, tzinfo=ZoneInfo(zone))
    crm.interactions.log("call", world.hedy, at=at)
    g = crm.goals.add("Calls", metric="interactions", at_least=2, period="2027-03", interaction_kinds=["call"])
    assert crm.goals.progress(g, as_of=at).value == 1
    assert crm.goals.progress(g, as_of=at - dt.timedelta(seconds=1)).value == 0
    assert crm.goals.report(period="2027-03", as_of=at).goals[0].value == 1
    steps = crm.goals.history(g, every="day", as_of=at)
    assert steps[-1].date == dt.date(2027, 3, 20) and steps[-1].value == 1 and steps[-1].cumulative == 1
    people = crm.goals.add("People", metric="conversations", at_least=2, period="2027-03")
    assert crm.goals.progress(people, as_of=at).value == crm.goals.progress(people, as_of=at + dt.timedelta(hours=1)).value


def test_history_as_of_a_midnight_in_the_dst_change_night_has_its_day(crm: netcrm.CRM, world: World) -> None:
    # Paris falls back on 31 October 2027 at 03:00; midnight starting it is 30 October 22:00 UTC.
    midnight = dt.datetime(2027, 10, 31, 0, 0, tzinfo=PARIS)
    crm.interactions.log("call", world.hedy, at=midnight)
    g = crm.goals.add("October calls", metric="interactions", at_least=1, period="2027-10",
                      interaction_kinds=["call"])
    steps = crm.goals.history(g, every="day", as_of=midnight)
    assert steps[-1].date == dt.date(2027, 10, 31) and steps[-1].value == 1
    assert crm.goals.progress(g, as_of=midnight).met
