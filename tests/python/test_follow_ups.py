"""crm.follow_ups from Python: due days at 09:00 in the user's zone (Paris, New York, Kolkata, DST
days), month ends and leap years in rules, each action and its history, what is due / overdue /
upcoming at the day boundaries, rules made by conversations and favours, going cold and warmth.
Every test runs on a fixed clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import UTC, FixedClock

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday, 09:00 in Paris


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def crm(clock):
    with netcrm.open(":memory:", clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c


@pytest.fixture
def ada(crm):
    return crm.contacts.add(display_name="Ada Lovelace")


# ---- scheduling ------------------------------------------------------------------------------

def test_a_due_day_falls_due_at_nine_in_the_users_zone_and_prints_well(crm, ada):
    fu = crm.follow_ups.schedule(ada, "Thank Ada for the intro", due=dt.date(2026, 12, 1))
    assert isinstance(fu, netcrm.FollowUp)
    assert fu.due == dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
    assert fu.due.utcoffset() == dt.timedelta(0)  # in UTC, the wall clock kept as time_zone
    assert fu.local_due.utcoffset() == dt.timedelta(hours=1) and fu.local_due.hour == 9
    assert repr(fu) == f"FollowUp #{fu.id} due 2026-12-01 09:00 Europe/Paris: Thank Ada for the intro (open)"
    d = fu.to_dict()
    assert d["due"] == "2026-12-01T08:00:00+00:00" and d["local_due"] == "2026-12-01T09:00:00+01:00"
    assert d["status"] == "open" and d["contact"] == ada.id and d["sequence"] == 0
    assert crm.follow_ups.get(fu.id) == fu
    assert fu in crm.follow_ups and len(crm.follow_ups) == 1 and list(crm.follow_ups) == [fu]


@pytest.mark.parametrize("day, zone, utc", [
    (dt.date(2026, 3, 29), "Europe/Paris", dt.datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),     # spring forward
    (dt.date(2026, 3, 28), "Europe/Paris", dt.datetime(2026, 3, 28, 8, 0, tzinfo=UTC)),
    (dt.date(2026, 10, 25), "Europe/Paris", dt.datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),   # fall back
    (dt.date(2026, 3, 8), "America/New_York", dt.datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
    (dt.date(2026, 11, 1), "America/New_York", dt.datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
    (dt.date(2026, 6, 1), "Asia/Kolkata", dt.datetime(2026, 6, 1, 3, 30, tzinfo=UTC)),
])
def test_nine_oclock_on_dst_days_and_in_kolkata(crm, ada, day, zone, utc):
    fu = crm.follow_ups.schedule(ada, "call", due=day, time_zone=zone)
    assert fu.due == utc
    assert fu.local_due.hour == 9 and fu.local_due.minute == 0
    assert fu.time_zone == zone


def test_the_users_zone_decides_when_a_day_falls_due(crm, ada):
    crm.time_zone = "Asia/Kolkata"
    fu = crm.follow_ups.schedule(ada, "call", due=dt.date(2026, 3, 3), at_time=dt.time(18, 45))
    assert fu.due == dt.datetime(2026, 3, 3, 13, 15, tzinfo=UTC)
    assert fu.time_zone == "Asia/Kolkata"


def test_due_as_an_instant_or_a_timedelta_from_the_clock(crm, ada, clock):
    at = dt.datetime(2026, 4, 1, 12, 34, tzinfo=NEW_YORK)
    assert crm.follow_ups.schedule(ada, "a", due=at).due == at
    assert crm.follow_ups.schedule(ada, "b", due=dt.timedelta(days=2)).due == START + dt.timedelta(days=2)


def test_bad_input_is_refused_with_clear_errors(crm, ada):
    with pytest.raises(ValueError, match="naive"):
        crm.follow_ups.schedule(ada, "x", due=dt.datetime(2026, 3, 3, 9))
    with pytest.raises(netcrm.InvalidInput, match="reason"):
        crm.follow_ups.schedule(ada, "  ", due=dt.date(2026, 3, 3))
    with pytest.raises(netcrm.NotFound):
        crm.follow_ups.schedule(ada.id + 99, "x", due=dt.date(2026, 3, 3))
    with pytest.raises(netcrm.InvalidInput, match="Mars/Olympus"):
        crm.follow_ups.schedule(ada, "x", due=dt.date(2026, 3, 3), time_zone="Mars/Olympus")
    with pytest.raises(TypeError):
        crm.follow_ups.schedule(ada, "x", due="tomorrow")
    with pytest.raises(ValueError, match="whole minutes"):
        crm.follow_ups.schedule(ada, "x", due=dt.date(2026, 3, 3), at_time=dt.time(9, 0, 30))
    with pytest.raises(KeyError):
        crm.follow_ups.get(12345)
    assert crm.follow_ups.find(12345) is None
    assert len(crm.follow_ups) == 0


# ---- actions ---------------------------------------------------------------------------------

def test_each_action_is_kept_in_the_history(crm, ada, clock):
    fu = crm.follow_ups.schedule(ada, "Send the deck", due=dt.date(2026, 3, 3))
    fu = crm.follow_ups.snooze(fu, by=dt.timedelta(hours=2), note="busy")
    assert fu.due == dt.datetime(2026, 3, 3, 11, 0, tzinfo=PARIS)
    fu = crm.follow_ups.snooze(fu, until=dt.date(2026, 3, 9), at_time=dt.time(14))
    assert fu.due == dt.datetime(2026, 3, 9, 14, 0, tzinfo=PARIS)
    fu = crm.follow_ups.reschedule(fu, dt.date(2026, 3, 10), time_zone=KOLKATA)
    assert fu.due == dt.datetime(2026, 3, 10, 9, 0, tzinfo=KOLKATA)
    clock.advance(hours=1)
    coffee = crm.interactions.log("coffee", [ada], at=START)
    fu = crm.follow_ups.complete(fu, interaction=coffee, note="over coffee")
    assert fu.status == "done" and fu.completed_by == coffee.id
    assert fu.completed_at == START + dt.timedelta(hours=1)
    fu = crm.follow_ups.reopen(fu)
    assert fu.status == "open" and fu.completed_at is None
    fu = crm.follow_ups.cancel(fu, note="not needed")
    assert fu.status == "cancelled" and fu.sequence == 6
    history = crm.follow_ups.history(fu)
    assert [c.action for c in history] == ["created", "snoozed", "snoozed", "rescheduled", "completed", "reopened",
                                           "cancelled"]
    assert history[1].note == "busy"
    assert history[1].due_before == dt.datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert history[1].due_after == dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    assert history[4].at == START + dt.timedelta(hours=1)
    assert "snoozed" in repr(history[1]) and history[6].to_dict()["note"] == "not needed"


def test_a_due_follow_up_snoozes_from_now(crm, ada, clock):
    fu = crm.follow_ups.schedule(ada, "x", due=START - dt.timedelta(days=1))
    fu = crm.follow_ups.snooze(fu, by=dt.timedelta(hours=3))
    assert fu.due == START + dt.timedelta(hours=3)
    with pytest.raises(netcrm.InvalidInput, match="future"):
        crm.follow_ups.snooze(fu, until=START - dt.timedelta(minutes=1))
    with pytest.raises(TypeError):
        crm.follow_ups.snooze(fu)


def test_acting_on_a_done_follow_up_says_so(crm, ada):
    fu = crm.follow_ups.schedule(ada, "x", due=dt.date(2026, 3, 3))
    crm.follow_ups.complete(fu)
    for act in (lambda: crm.follow_ups.complete(fu), lambda: crm.follow_ups.cancel(fu),
                lambda: crm.follow_ups.snooze(fu, by=dt.timedelta(hours=1)),
                lambda: crm.follow_ups.reschedule(fu, dt.date(2026, 3, 5))):
        with pytest.raises(netcrm.InvalidInput, match="is done"):
            act()
    with pytest.raises(netcrm.NotFound):
        crm.follow_ups.complete(987)
    crm.follow_ups.remove(fu)
    assert crm.follow_ups.find(fu) is None


def test_list_filters(crm, ada):
    grace = crm.contacts.add(display_name="Grace Hopper")
    a = crm.follow_ups.schedule(ada, "a", due=dt.date(2026, 3, 5))
    b = crm.follow_ups.schedule(grace, "b", due=dt.date(2026, 3, 4))
    crm.follow_ups.complete(b)
    assert [f.id for f in crm.follow_ups.list()] == [b.id, a.id]
    assert [f.id for f in crm.follow_ups.list(contact=grace)] == [b.id]
    assert [f.id for f in crm.follow_ups.list(status="open")] == [a.id]
    assert crm.follow_ups.count(status="done") == 1
    assert [f.id for f in crm.follow_ups.list(due_from=dt.datetime(2026, 3, 5, tzinfo=PARIS))] == [a.id]
    with pytest.raises(netcrm.InvalidInput, match="status"):
        crm.follow_ups.list(status="pending")


# ---- due, overdue, upcoming ------------------------------------------------------------------

def test_due_now_overdue_and_upcoming_at_the_day_boundaries(crm, ada):
    now = dt.datetime(2026, 3, 10, 15, 0, tzinfo=PARIS)
    exact = crm.follow_ups.schedule(ada, "exact", due=now)
    morning = crm.follow_ups.schedule(ada, "morning", due=dt.date(2026, 3, 10))
    yesterday = crm.follow_ups.schedule(ada, "yesterday", due=dt.date(2026, 3, 9), at_time=dt.time(23, 59))
    tomorrow = crm.follow_ups.schedule(ada, "tomorrow", due=dt.date(2026, 3, 11))
    far = crm.follow_ups.schedule(ada, "far", due=dt.date(2026, 3, 18))
    due = crm.follow_ups.due(now=now)
    assert [d.follow_up.id for d in due] == [yesterday.id, morning.id, exact.id]
    assert [d.overdue for d in due] == [True, False, False]
    assert due[0].late == dt.timedelta(hours=15, minutes=1)
    assert due[2].late == dt.timedelta(0)
    assert repr(due[0]).startswith("OVERDUE by 15:01:00: FollowUp")
    assert due[0].to_dict()["late"] == 54060.0
    assert [d.follow_up.id for d in crm.follow_ups.due(now=now, limit=1)] == [yesterday.id]
    assert [d.follow_up.id for d in crm.follow_ups.overdue(now=now)] == [yesterday.id]
    assert [d.follow_up.id for d in crm.follow_ups.upcoming(days=7, now=now)] == [tomorrow.id]
    assert [d.follow_up.id for d in crm.follow_ups.upcoming(days=8, now=now)] == [tomorrow.id, far.id]
    with pytest.raises(ValueError, match="naive"):
        crm.follow_ups.due(now=dt.datetime(2026, 3, 10, 15))


def test_overdue_is_counted_in_the_users_zone(crm, ada):
    now = dt.datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    fu = crm.follow_ups.schedule(ada, "x", due=dt.datetime(2026, 3, 10, 3, 0, tzinfo=UTC))
    assert crm.follow_ups.overdue(now=now) == []          # 04:00 today in Paris
    crm.time_zone = "America/New_York"
    assert [d.follow_up.id for d in crm.follow_ups.overdue(now=now)] == [fu.id]   # 23:00 yesterday there
    crm.time_zone = "Asia/Kolkata"
    assert crm.follow_ups.overdue(now=now) == []


def test_on_the_paris_spring_dst_day_today_starts_at_midnight_winter_time(crm, ada):
    noon = dt.datetime(2026, 3, 29, 12, 0, tzinfo=PARIS)
    before = crm.follow_ups.schedule(ada, "b", due=dt.datetime(2026, 3, 28, 23, 59, 59, tzinfo=PARIS))
    crm.follow_ups.schedule(ada, "m", due=dt.datetime(2026, 3, 29, 0, 0, tzinfo=PARIS))
    assert [d.follow_up.id for d in crm.follow_ups.overdue(now=noon)] == [before.id]
    assert len(crm.follow_ups.due(now=noon)) == 2


# ---- rules -----------------------------------------------------------------------------------

def test_a_cadence_is_pushed_by_a_logged_conversation(crm, ada, clock):
    rule = crm.follow_ups.add_rule("cadence", every="2 weeks", contact=ada)
    assert repr(rule) == f"Rule #{rule.id} cadence every 2 weeks for contact #{ada.id} at 09:00"
    assert rule.every == (2, "weeks") and rule.created_at == START
    [fu] = crm.follow_ups.list(contact=ada)
    assert fu.due == dt.datetime(2026, 3, 16, 9, 0, tzinfo=PARIS)
    assert fu.reason == "Keep in touch (every 2 weeks)" and fu.rule == rule.id
    talk = crm.interactions.log("call", [ada], at=dt.datetime(2026, 3, 10, 21, 0, tzinfo=PARIS))
    fu = crm.follow_ups.get(fu)
    assert fu.due == dt.datetime(2026, 3, 24, 9, 0, tzinfo=PARIS)
    assert fu.status == "open"
    assert crm.follow_ups.history(fu)[-1].action == "pushed"
    assert crm.follow_ups.history(fu)[-1].note == f"interaction #{talk.id}"


def test_a_monthly_cadence_clamps_at_month_end_in_leap_years(crm, clock):
    clock.now = dt.datetime(2028, 1, 31, 12, 0, tzinfo=UTC)
    ada = crm.contacts.add(display_name="Ada")
    crm.follow_ups.add_rule("cadence", every=(1, "months"), contact=ada)
    assert crm.follow_ups.list(contact=ada)[0].due == dt.datetime(2028, 2, 29, 9, 0, tzinfo=PARIS)
    clock.now = dt.datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
    bob = crm.contacts.add(display_name="Bob")
    crm.follow_ups.add_rule("cadence", every="every month", contact=bob)
    assert crm.follow_ups.list(contact=bob)[0].due == dt.datetime(2027, 2, 28, 9, 0, tzinfo=PARIS)


def test_a_tag_cadence_follows_tagging_at_refresh(crm, clock):
    ada = crm.contacts.add(display_name="Ada", tags=["investor"])
    bob = crm.contacts.add(display_name="Bob")
    rule = crm.follow_ups.add_rule("cadence", every="10 days", tag="investor", at_time=dt.time(8, 30),
                                   reason="Investor update")
    assert [f.contact for f in crm.follow_ups.list()] == [ada.id]
    assert crm.follow_ups.list()[0].due == dt.datetime(2026, 3, 12, 8, 30, tzinfo=PARIS)
    bob.tags.append("investor")
    crm.contacts.update(bob)
    assert crm.follow_ups.refresh_rules() == 1
    assert crm.follow_ups.list(contact=bob)[0].reason == "Investor update"
    assert crm.follow_ups.rules() == [rule]
    rule.active = False
    crm.follow_ups.update_rule(rule)
    assert crm.follow_ups.count(status="open") == 0
    crm.follow_ups.remove_rule(rule)
    assert crm.follow_ups.rules() == []


def test_rules_are_checked(crm, ada):
    with pytest.raises(netcrm.InvalidInput, match="neither"):
        crm.follow_ups.add_rule("cadence", every="1 week")
    with pytest.raises(netcrm.InvalidInput, match="fortnights"):
        crm.follow_ups.add_rule("cadence", every="2 fortnights", contact=ada)
    with pytest.raises(netcrm.InvalidInput, match="kind"):
        crm.follow_ups.add_rule("whenever", every="1 week", contact=ada)
    with pytest.raises(ValueError, match="every"):
        crm.follow_ups.add_rule("cadence", every="2 3 weeks", contact=ada)


def test_a_favour_received_with_thanks_is_due_next_business_day(crm, ada):
    favour = crm.favors.receive(ada, "introduction", on=dt.date(2026, 3, 6), thank=True)  # a Friday
    [fu] = crm.follow_ups.list(contact=ada)
    assert fu.favor == favour.id
    assert fu.reason == "Thank Ada Lovelace for the introduction"
    assert fu.due == dt.datetime(2026, 3, 9, 9, 0, tzinfo=PARIS)


def test_after_favor_rules_skip_the_holiday_calendar(crm, ada):
    crm.follow_ups.set_holidays("FR", {dt.date(2026, 5, 1): "Fête du Travail"})
    assert crm.follow_ups.holidays("FR") == [dt.date(2026, 5, 1)]
    crm.follow_ups.add_rule("after_favor", every="1 business day", holidays="FR", reason="Send a card")
    crm.favors.receive(ada, "advice", on=dt.date(2026, 4, 30))
    [fu] = crm.follow_ups.list(contact=ada)
    assert fu.reason == "Send a card"
    assert fu.due == dt.datetime(2026, 5, 4, 9, 0, tzinfo=PARIS)
    crm.follow_ups.set_holidays("FR", [dt.date(2026, 7, 14)])
    assert crm.follow_ups.holidays("FR") == [dt.date(2026, 7, 14)]


# ---- going cold, warmth ----------------------------------------------------------------------

def test_going_cold_and_warmth_with_a_fixed_clock(crm, ada):
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    grace = crm.contacts.add(display_name="Grace")
    crm.contacts.add(display_name="Never met")
    crm.interactions.log("coffee", [ada], at=now - dt.timedelta(days=120))
    last = crm.interactions.log("call", [ada], at=now - dt.timedelta(days=100))
    crm.interactions.log("call", [grace], at=now - dt.timedelta(days=30))
    cold = crm.follow_ups.going_cold(90, now=now)
    assert [q.contact for q in cold] == [ada.id]
    assert cold[0].last is not None and cold[0].last.interaction == last.id
    w = crm.follow_ups.warmth(grace, now=now)
    assert w.score == pytest.approx(50.0, abs=1e-9)
    assert w.last_interaction == now - dt.timedelta(days=30)
    assert crm.follow_ups.warmth(grace, now=now, half_life=dt.timedelta(days=15)).score == pytest.approx(25.0)
    assert repr(w) == "Warmth(contact #%d: 50.0, last interaction 2026-05-02 12:00 UTC)" % grace.id
    assert crm.follow_ups.warmth(crm.contacts.add(display_name="New"), now=now).score == 0
    with pytest.raises(ValueError, match="whole days"):
        crm.follow_ups.warmth(grace, now=now, half_life=dt.timedelta(hours=12))


# ---- instants come out in UTC (issue 11) ------------------------------------------------------

@pytest.mark.parametrize("zone, day, at_time, utc", [
    # The repeated autumn hour: 02:30 in Paris on 25 October 2026 happens twice; the first is taken.
    ("Europe/Paris", dt.date(2026, 10, 25), dt.time(2, 30), dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ("America/New_York", dt.date(2026, 11, 1), dt.time(1, 30), dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ("Asia/Kolkata", dt.date(2026, 3, 5), dt.time(9), dt.datetime(2026, 3, 5, 3, 30, tzinfo=UTC)),
])
def test_due_comes_back_in_utc_and_equals_the_same_instant_in_any_zone(crm, ada, zone, day, at_time, utc) -> None:
    fu = crm.follow_ups.schedule(ada, "write", due=day, at_time=at_time, time_zone=zone)
    assert fu.due.utcoffset() == dt.timedelta(0)
    assert fu.due == utc
    assert fu.time_zone == zone
    assert fu.local_due == utc.astimezone(ZoneInfo(zone))
    assert (fu.local_due.hour, fu.local_due.minute) == (at_time.hour, at_time.minute)
    assert fu.local_due.tzinfo == ZoneInfo(zone)
    assert f"due {day.isoformat()} {at_time:%H:%M} {zone}" in repr(fu)
    assert crm.follow_ups.get(fu).due == utc
    assert fu.to_dict()["due"] == utc.isoformat()
    assert fu.to_dict()["local_due"] == fu.local_due.isoformat()


def test_a_due_time_in_the_repeated_hour_compares_equal_to_its_instant_in_utc(crm, ada) -> None:
    second = dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS)  # the second 02:30: 01:30 UTC
    fu = crm.follow_ups.schedule(ada, "write", due=second)
    assert fu.due == dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert fu.local_due.fold == 1 and fu.local_due.hour == 2  # the second 02:30 on the wall clock
    done = crm.follow_ups.complete(fu, at=second)
    assert done.completed_at == dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert done.completed_at is not None and done.completed_at.utcoffset() == dt.timedelta(0)
    assert [d.follow_up.due for d in crm.follow_ups.due(now=second)] == []  # done: not due
    assert all(x.due.utcoffset() == dt.timedelta(0) for x in crm.follow_ups.list())


def test_an_at_time_with_a_zoneinfo_is_on_that_clock_and_a_fixed_offset_is_refused(crm, ada) -> None:
    fu = crm.follow_ups.schedule(ada, "call", due=dt.date(2026, 3, 5), at_time=dt.time(9, tzinfo=NEW_YORK))
    assert fu.time_zone == "America/New_York"
    assert fu.due == dt.datetime(2026, 3, 5, 14, 0, tzinfo=UTC)  # 09:00 EST
    same = crm.follow_ups.schedule(ada, "call", due=dt.date(2026, 3, 5), at_time=dt.time(9, tzinfo=KOLKATA),
                                   time_zone="Asia/Kolkata")
    assert same.due == dt.datetime(2026, 3, 5, 3, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="at_time.*Asia/Kolkata.*Europe/Paris"):
        crm.follow_ups.schedule(ada, "call", due=dt.date(2026, 3, 5), at_time=dt.time(9, tzinfo=KOLKATA),
                                time_zone="Europe/Paris")
    with pytest.raises(ValueError, match="at_time.*fixed offset"):
        crm.follow_ups.schedule(ada, "call", due=dt.date(2026, 3, 5),
                                at_time=dt.time(9, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    with pytest.raises(ValueError, match="at_time.*fixed offset"):
        crm.follow_ups.reschedule(fu, dt.date(2026, 3, 6), at_time=dt.time(9, tzinfo=UTC))
    with pytest.raises(ValueError, match="at_time.*wall clock"):
        crm.follow_ups.add_rule("cadence", every="1 month", tag="investor", at_time=dt.time(9, tzinfo=PARIS))
    assert len(crm.follow_ups.list()) == 2  # nothing half-written


def test_due_at_exactly_now_is_due_and_not_upcoming(crm, ada, clock) -> None:
    fu = crm.follow_ups.schedule(ada, "write", due=clock.now)
    assert [d.follow_up.id for d in crm.follow_ups.due()] == [fu.id]
    assert crm.follow_ups.upcoming() == []
    assert crm.follow_ups.due(now=clock.now - dt.timedelta(seconds=1)) == []
