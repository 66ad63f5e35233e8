"""crm.goals.plot() and crm.contacts.plot_growth(): one call each, on the Agg backend, returning the
Axes with the data points the API gives (ax.lines[0]), never showing the figure; a clear ImportError
when matplotlib is missing."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")  # no display in tests; before pyplot is imported anywhere

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

import netcrm  # noqa: E402
from helpers import UTC, FixedClock  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2027, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def crm(tmp_path: Path, clock: FixedClock) -> Iterator[netcrm.CRM]:
    with netcrm.open(tmp_path / "plots.db", clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c
    plt.close("all")


@pytest.fixture(autouse=True)
def no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    def show(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("netcrm must never call plt.show()")

    monkeypatch.setattr(plt, "show", show)


def test_a_goal_plot_draws_its_cumulative_history_and_the_target(crm: netcrm.CRM, clock: FixedClock) -> None:
    ada = crm.contacts.add(display_name="Ada")
    for day, kind in ((dt.date(2027, 1, 5), "call"), (dt.date(2027, 1, 6), "coffee"), (dt.date(2027, 2, 9), "meal")):
        crm.interactions.log(kind, ada, at=dt.datetime.combine(day, dt.time(10), tzinfo=PARIS))
    g = crm.goals.add("Talks in Q1", metric="interactions", at_least=6, period="2027-Q1")
    ax = crm.goals.plot(g, every="month")
    assert isinstance(ax, Axes)
    samples = crm.goals.history(g, every="month")
    line = ax.lines[0]
    assert list(line.get_xdata()) == [s.date for s in samples]
    assert list(line.get_ydata()) == [s.cumulative for s in samples] == [2, 3, 3]
    target = ax.lines[1]
    assert set(target.get_ydata()) == {6}                 # a horizontal line at the target
    assert target.get_linestyle() == "--"
    assert ax.get_title() == "Talks in Q1" and ax.get_ylabel() == "interactions"
    assert ax.get_ylim()[0] == 0                          # from zero: the gap to the target reads true
    assert "target 6 interactions" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_a_goal_plot_of_money_uses_the_exact_amounts(crm: netcrm.CRM) -> None:
    meetup = crm.events.add("Paris.rb", starts=dt.datetime(2027, 3, 4, 19, tzinfo=PARIS))
    crm.events.add_expense(meetup, Decimal("12.50"), "EUR")
    crm.events.add_expense(meetup, "0.10", "EUR")
    g = crm.goals.add("Budget", metric="spend", at_most=Decimal("80"), currency="EUR", event=meetup)
    ax = crm.goals.plot(g, every="day")
    assert list(ax.lines[0].get_ydata()) == [12.6] * len(crm.goals.history(g, every="day"))
    assert set(ax.lines[1].get_ydata()) == {80.0}
    assert ax.get_ylabel() == "EUR"
    assert "target <= 80.00 EUR" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_a_goal_plot_draws_on_the_axes_it_is_given(crm: netcrm.CRM) -> None:
    g = crm.goals.add("Events", metric="events", at_least=2, period="2027-03")
    fig, (left, right) = plt.subplots(1, 2)
    assert crm.goals.plot(g, ax=right, as_of=dt.datetime(2027, 3, 31, tzinfo=UTC)) is right
    assert not left.lines and right.lines
    assert list(right.lines[0].get_ydata()) == [0] * len(right.lines[0].get_ydata())
    with pytest.raises(ValueError, match="every"):
        crm.goals.plot(g, every="fortnight")


def test_growth_counts_people_from_their_first_meeting_else_from_when_they_were_added(
        crm: netcrm.CRM, clock: FixedClock) -> None:
    clock.now = dt.datetime(2026, 12, 15, 9, tzinfo=UTC)
    crm.contacts.add(display_name="Old friend")                       # added in December
    clock.now = dt.datetime(2027, 1, 31, 23, 30, tzinfo=UTC)          # 31 Jan UTC, 1 Feb in Paris
    crm.contacts.add(display_name="Late night")
    clock.now = dt.datetime(2027, 3, 10, 9, tzinfo=UTC)
    meetup = crm.events.add("Meetup", starts=dt.datetime(2027, 1, 20, 19, tzinfo=PARIS))
    ada = crm.contacts.add(display_name="Ada")                        # added in March ...
    crm.events.met(meetup, ada, first_meeting=True)                   # ... first met in January
    crm.contacts.add(display_name="Grace")                            # added in March
    clock.now = NOW
    ax = crm.contacts.plot_growth()
    assert isinstance(ax, Axes)
    line = ax.lines[0]
    assert list(line.get_xdata()) == [dt.date(2026, 12, 31), dt.date(2027, 1, 31), dt.date(2027, 2, 28),
                                      dt.date(2027, 3, 31)]
    assert list(line.get_ydata()) == [1, 2, 3, 4]


def test_growth_by_week_and_day_runs_to_today(crm: netcrm.CRM, clock: FixedClock) -> None:
    clock.now = dt.datetime(2027, 3, 2, 9, tzinfo=UTC)                # a Tuesday
    crm.contacts.add(display_name="Ada")
    crm.contacts.add(display_name="Grace")
    clock.now = dt.datetime(2027, 3, 9, 9, tzinfo=UTC)
    crm.contacts.add(display_name="Linus")
    clock.now = NOW                                                   # Saturday 20 March
    weeks = crm.contacts.plot_growth(every="week").lines[0]
    assert list(weeks.get_xdata()) == [dt.date(2027, 3, 7), dt.date(2027, 3, 14), dt.date(2027, 3, 21)]
    assert list(weeks.get_ydata()) == [2, 3, 3]
    days = crm.contacts.plot_growth(every="day").lines[0]
    assert len(days.get_xdata()) == 19 and days.get_xdata()[-1] == dt.date(2027, 3, 20)
    assert days.get_ydata()[0] == 2 and days.get_ydata()[7] == 3 and days.get_ydata()[-1] == 3
    with pytest.raises(ValueError, match="every"):
        crm.contacts.plot_growth(every="year")


def test_growth_of_an_empty_network_is_an_empty_plot(crm: netcrm.CRM) -> None:
    ax = crm.contacts.plot_growth()
    assert isinstance(ax, Axes) and len(ax.lines[0].get_ydata()) == 0


def test_without_matplotlib_the_error_says_what_to_install(crm: netcrm.CRM, monkeypatch: pytest.MonkeyPatch) -> None:
    g = crm.goals.add("Events", metric="events", at_least=2, period="2027")
    crm.contacts.add(display_name="Ada")
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)   # what an import sees when it is not installed
    for call, what in ((lambda: crm.goals.plot(g), "plot()"), (lambda: crm.contacts.plot_growth(), "plot_growth()")):
        with pytest.raises(ImportError) as info:
            call()
        assert what in str(info.value) and "apt install python3-matplotlib" in str(info.value)


def test_the_readme_analysis_example_runs(crm: netcrm.CRM, clock: FixedClock, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Analysis in pandas and plots\n.*?```python\n(.*?)```", readme, re.S | re.M)
    assert match, "README.md has no python block under '## Analysis in pandas and plots'"
    ada = crm.contacts.add(display_name="Ada", tags=["math"])
    crm.interactions.log("coffee", ada, at=dt.datetime(2027, 2, 1, 10, tzinfo=PARIS))
    crm.follow_ups.schedule(ada, "Thank Ada", due=dt.date(2027, 3, 29))
    new_people = crm.goals.add("New people", metric="new_contacts", at_least=60, period="2027")
    monkeypatch.chdir(tmp_path)
    exec(compile(match.group(1), "README.md", "exec"),
         {"crm": crm, "new_people": new_people, "datetime": dt.datetime, "timezone": dt.timezone})
    assert (tmp_path / "network.png").stat().st_size > 0
