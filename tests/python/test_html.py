"""How contacts, the contacts collection, events, goal progress and goal reports look in Jupyter
(_repr_html_): readable tables with the values in them, and every user string escaped, so a
contact named "<script>" is shown as text and never runs."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import UTC, FixedClock

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
EVIL = '<script>alert("x")</script>'
EVIL_ATTR = '"><img src=x onerror=alert(1)>'


class Tags(HTMLParser):
    """The start tags of a piece of HTML and its text, as a browser would read them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_safe(markup: str) -> Tags:
    """Only our own tags, none of the user's; the user's text is there as text."""
    parsed = Tags(markup)
    assert set(parsed.tags) <= {"div", "strong", "br", "table", "thead", "tbody", "tr", "th", "td", "progress"}, \
        parsed.tags
    return parsed


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def crm(tmp_path: Path, clock: FixedClock) -> Iterator[netcrm.CRM]:
    with netcrm.open(tmp_path / "html.db", clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c


def test_a_contact_shows_its_fields(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(netcrm.Contact("Ada Lovelace", organization="Analytical Engines", title="Countess",
                                          emails=["ada@engines.example"], phones=["+44 20 7946 0000"],
                                          tags=["math", "vip"], birthday=netcrm.PartialDate(12, 10),
                                          how_met="Babbage's salon"))
    markup = ada._repr_html_()
    text = "".join(assert_safe(markup).text)
    for value in ("Ada Lovelace", f"(#{ada.id})", "Countess at Analytical Engines", "ada@engines.example",
                  "+44 20 7946 0000", "math, vip", "--12-10", "Babbage's salon"):
        assert value in text, value


def test_a_contact_named_script_is_shown_as_text(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact(EVIL, organization=EVIL_ATTR, title="R&D", tags=[EVIL],
                                        emails=["x@example.com"], notes=[netcrm.Note(EVIL)]))
    markup = c._repr_html_()
    assert "<script" not in markup and "<img" not in markup
    assert html.escape(EVIL) in markup and "R&amp;D" in markup
    text = "".join(assert_safe(markup).text)
    assert EVIL in text and EVIL_ATTR in text                 # shown, as text


def test_the_collection_shows_a_count_and_the_first_twenty_by_name(crm: netcrm.CRM) -> None:
    for i in range(25):
        crm.contacts.add(display_name=f"Person {i:02d}", organization="Acme", emails=[f"p{i}@acme.example"])
    markup = crm.contacts._repr_html_()
    parsed = assert_safe(markup)
    assert "25 contacts (the first 20 by name)" in "".join(parsed.text)
    rows = re.findall(r"<tr>(.*?)</tr>", markup)
    assert len(rows) == 1 + 20                                # the header and 20 people
    assert "Person 00" in rows[1] and "Person 19" in rows[20] and "Person 20" not in markup
    assert "p0@acme.example" in rows[1]


def test_the_collection_escapes_every_cell_and_counts_one_contact(crm: netcrm.CRM) -> None:
    crm.contacts.add(display_name=EVIL, organization=EVIL_ATTR, title=EVIL, tags=[EVIL], emails=["a@b.example"],
                     phones=["+33 6 12 34 56 78"])
    markup = crm.contacts._repr_html_()
    assert "<script" not in markup and "<img" not in markup
    text = "".join(assert_safe(markup).text)
    assert "1 contact" in text and "1 contacts" not in text
    assert text.count(EVIL) == 3 and EVIL_ATTR in text


def test_an_empty_collection_says_so(crm: netcrm.CRM) -> None:
    assert "0 contacts" in "".join(assert_safe(crm.contacts._repr_html_()).text)


def test_an_event_shows_when_where_and_what_it_cost(crm: netcrm.CRM) -> None:
    e = crm.events.add(f"Meetup {EVIL}", kind="meetup", location=EVIL_ATTR, notes=f"line one\n{EVIL}",
                       starts=dt.datetime(2027, 3, 28, 19, 0, tzinfo=PARIS),
                       ends=dt.datetime(2027, 3, 28, 22, 30, tzinfo=PARIS), tags=["design"])
    crm.events.add_expense(e, Decimal("12.50"), "EUR", category="ticket", note=EVIL)
    crm.events.add_expense(e, "3.80", "EUR", category="travel")
    markup = crm.events.get(e)._repr_html_()
    assert "<script" not in markup and "<img" not in markup
    text = "".join(assert_safe(markup).text)
    for value in (f"Meetup {EVIL}", "(meetup)", "2027-03-28 19:00–22:30 Europe/Paris", EVIL_ATTR, "design",
                  "12.50 EUR ticket", "16.30 EUR", "line one", EVIL):
        assert value in text, value


def test_goal_progress_and_reports_are_tables(crm: netcrm.CRM) -> None:
    meetup = crm.events.add("Paris.rb", starts=dt.datetime(2027, 3, 4, 19, tzinfo=PARIS))
    crm.events.add_expense(meetup, "20.00", "EUR")
    ada = crm.contacts.add(display_name="Ada", tags=["potential-client"])
    crm.events.met(meetup, ada)
    crm.goals.add(EVIL, metric="contacts_met", at_least=4, event=meetup, tags=["potential-client"])
    crm.goals.add("Budget", metric="spend", at_most=Decimal("80"), currency="EUR", event=meetup)
    report = crm.goals.report(event=meetup)
    markup = report._repr_html_()
    assert "<script" not in markup
    parsed = assert_safe(markup)
    text = "".join(parsed.text)
    assert "Paris.rb (2027-03-04): 1 of 2 goals met" in text
    assert EVIL in text and "25%" in text and "not met" in text
    assert "20.00" in text and "<= 80.00" in text and "EUR" in text
    assert parsed.tags.count("progress") == 2
    one = report.goals[1]._repr_html_()
    one_text = "".join(assert_safe(one).text)
    assert "Budget" in one_text and "met" in one_text and "25%" in one_text


def test_a_plan_goal_says_whether_it_is_on_pace(crm: netcrm.CRM) -> None:
    g = crm.goals.add("Coffees", metric="interactions", at_least=10, period="2027-03")
    text = "".join(assert_safe(crm.goals.progress(g)._repr_html_()).text)
    assert "off pace (expected" in text                       # 0 of 10 with two thirds of March gone
    empty = crm.goals.report(period="2026")._repr_html_()
    assert "0 of 0 goals met" in "".join(assert_safe(empty).text)
