"""The public API as a whole: every exported name and every public method and property of the
exported classes is documented, with an example where it matters; ``help(netcrm)`` is a useful
page; records print informatively, convert with ``to_dict()`` and compare by value; the examples in
docstrings that need no database run as written (doctest); options are keyword-only.

The walks name every offender, so a new undocumented method fails with its name, not a count.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import doctest
import importlib
import inspect
import json
import pydoc
import warnings
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import pytest

import netcrm

UTC = dt.timezone.utc
PARIS = ZoneInfo("Europe/Paris")

#: The collections of a CRM, as ``crm.<attribute>`` -> class.
COLLECTIONS = {"contacts": netcrm.Contacts, "events": netcrm.Events, "interactions": netcrm.Interactions,
               "goals": netcrm.Goals, "follow_ups": netcrm.FollowUps, "favors": netcrm.Favors,
               "imports": netcrm.Imports}
#: Errors come from the extension; their docstrings are written there, and the module docstring
#: shows how to catch them.
ERRORS = {name for name in netcrm.__all__ if isinstance(getattr(netcrm, name), type)
          and issubclass(getattr(netcrm, name), netcrm.Error)}


def exported() -> Iterator[tuple[str, Any]]:
    for name in netcrm.__all__:
        yield name, getattr(netcrm, name)


def has_example(doc: str | None) -> bool:
    return bool(doc) and (">>>" in doc or "::" in doc)  # type: ignore[operator]


def public_members(cls: type) -> Iterator[tuple[str, Any]]:
    """The public methods and properties a user reaches on ``cls``, its netcrm bases included."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("netcrm"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if inspect.isfunction(value) or isinstance(value, property):
                seen.add(name)
                yield name, value


# -- docstrings and examples --------------------------------------------------------------------------


def test_every_exported_class_and_function_has_a_docstring_with_an_example() -> None:
    missing, no_example = [], []
    for name, obj in exported():
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue  # constants: tuples of names, SCHEMA_VERSION
        doc = inspect.getdoc(obj)
        if not doc or (inspect.isclass(obj) and doc == inspect.getdoc(object)):
            missing.append(name)
        elif name not in ERRORS and not has_example(doc):
            no_example.append(name)
    assert missing == [], f"exported without a docstring: {missing}"
    assert no_example == [], f"exported without an example (>>> or a :: block): {no_example}"


def test_every_public_method_and_property_of_an_exported_class_has_a_docstring() -> None:
    missing = []
    classes = [obj for _, obj in exported() if inspect.isclass(obj)] + [netcrm.CRM]
    for cls in classes:
        for name, member in public_members(cls):
            target = member.fget if isinstance(member, property) else member
            if not (target.__doc__ or "").strip():
                missing.append(f"{cls.__name__}.{name}")
    assert missing == [], f"public methods and properties without a docstring: {sorted(set(missing))}"


def test_every_method_of_the_collections_and_the_crm_shows_an_example() -> None:
    missing = []
    for cls in [netcrm.CRM, *COLLECTIONS.values()]:
        for name, member in public_members(cls):
            if isinstance(member, property):
                continue  # crm.path, crm.time_zone: their docstrings say what they hold
            if not has_example(member.__doc__):
                missing.append(f"{cls.__name__}.{name}")
    assert missing == [], f"collection methods without an example: {missing}"


def test_open_and_default_path_show_an_example() -> None:
    assert has_example(netcrm.open.__doc__)
    assert has_example(netcrm.default_path.__doc__)


def test_help_netcrm_is_a_useful_page() -> None:
    page = pydoc.render_doc(netcrm, renderer=pydoc.plaintext)
    wanted = [f"crm.{attribute}" for attribute in COLLECTIONS] + [
        "netcrm.open", "crm.digest()", "crm.import_file", "crm.export", "to_pandas", "NotFound", "InvalidInput"]
    absent = [w for w in wanted if w not in page]
    assert absent == [], f"help(netcrm) does not mention {absent}"
    # ... and its first screen, the module's docstring, already names them all
    intro = [w for w in wanted if w not in (netcrm.__doc__ or "")]
    assert intro == [], f"netcrm's docstring does not mention {intro}"
    # and each collection's own page lists its methods with their docstrings
    for attribute, cls in COLLECTIONS.items():
        text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
        assert f"crm.{attribute}" in text, cls.__name__


def test_the_docstring_examples_that_need_no_database_run_as_written() -> None:
    globs = {"datetime": dt, "decimal": decimal, **{name: obj for name, obj in exported()}}
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    ran = 0
    modules = ["netcrm", "netcrm.contact", "netcrm.crm", "netcrm.digest", "netcrm.events", "netcrm.favors",
               "netcrm.follow_ups", "netcrm.goals", "netcrm.importing", "netcrm.interactions"]
    for module_name in modules:
        module = importlib.import_module(module_name)
        for test in finder.find(module, module_name, globs=dict(globs)):
            result = runner.run(test, out=lambda _: None)
            ran += result.attempted
    summary = runner.summarize(verbose=False)
    assert summary.failed == 0, f"{summary.failed} docstring examples fail; run python -m doctest on the module"
    assert ran > 30  # the walk found the examples: not vacuous


# -- keyword-only options ---------------------------------------------------------------------------

#: The positional parameters each public method takes: its subjects. Everything else is keyword-only.
POSITIONAL = {
    "CRM.import_file": ["path"], "CRM.import_text": ["text"], "CRM.export": ["path"], "CRM.restore": ["source"],
    "Contacts.add": ["contact"], "Contacts.get": ["contact"], "Contacts.find": ["contact"],
    "Contacts.update": ["contact"], "Contacts.remove": ["contact"], "Contacts.delete": ["contact"],
    "Contacts.add_note": ["contact", "text"], "Contacts.search": ["query"],
    "Contacts.merge": ["survivor", "other"], "Contacts.merge_history": ["contact"],
    "Events.add": ["name"], "Events.get": ["event"], "Events.find": ["event"], "Events.update": ["event"],
    "Events.remove": ["event"], "Events.add_expense": ["event", "amount", "currency"],
    "Events.remove_expense": ["expense"], "Events.met": ["event", "contact"],
    "Events.remove_attendee": ["event", "contact"], "Events.attendees": ["event"], "Events.attended": ["contact"],
    "Events.first_met": ["contact"],
    "Interactions.log": ["kind", "contacts"], "Interactions.get": ["interaction"],
    "Interactions.find": ["interaction"], "Interactions.update": ["interaction"],
    "Interactions.remove": ["interaction"], "Interactions.with_contact": ["contact"],
    "Interactions.last": ["contact"], "Interactions.not_heard_from": ["days"],
    "Goals.add": ["name"], "Goals.get": ["goal"], "Goals.find": ["goal"], "Goals.update": ["goal"],
    "Goals.remove": ["goal"], "Goals.progress": ["goal"], "Goals.evaluate": ["goal"], "Goals.history": ["goal"],
    "Goals.to_pandas": ["goal"], "Goals.plot": ["goal"],
    "FollowUps.schedule": ["contact", "reason"], "FollowUps.get": ["follow_up"], "FollowUps.find": ["follow_up"],
    "FollowUps.remove": ["follow_up"], "FollowUps.complete": ["follow_up"], "FollowUps.snooze": ["follow_up"],
    "FollowUps.reschedule": ["follow_up", "due"], "FollowUps.cancel": ["follow_up"],
    "FollowUps.reopen": ["follow_up"], "FollowUps.history": ["follow_up"], "FollowUps.upcoming": ["days"],
    "FollowUps.going_cold": ["days"], "FollowUps.warmth": ["contact"], "FollowUps.add_rule": ["kind"],
    "FollowUps.get_rule": ["rule"], "FollowUps.update_rule": ["rule"], "FollowUps.remove_rule": ["rule"],
    "FollowUps.set_holidays": ["calendar", "days"], "FollowUps.holidays": ["calendar"],
    "Favors.give": ["contact", "kind"], "Favors.receive": ["contact", "kind"], "Favors.add": ["favor"],
    "Favors.get": ["favor"], "Favors.find": ["favor"], "Favors.update": ["favor"], "Favors.remove": ["favor"],
    "Favors.introduce": ["first", "second"], "Favors.introduced_to": ["contact"],
    "Favors.favors_of": ["introduction"], "Favors.remove_introduction": ["introduction"],
    "Favors.ask": ["contact", "text"], "Favors.close_ask": ["ask", "status"], "Favors.asks": ["contact"],
    "Favors.balance": ["contact"],
    "Imports.get": ["batch"], "Imports.report": ["batch"], "Imports.changes": ["batch"], "Imports.undo": ["batch"],
}


def test_options_are_keyword_only_after_the_subjects() -> None:
    wrong = []
    for cls in [netcrm.CRM, *COLLECTIONS.values()]:
        for name, member in public_members(cls):
            if isinstance(member, property):
                continue
            params = list(inspect.signature(member).parameters.values())[1:]  # self
            positional = [p.name for p in params
                          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
            expected = POSITIONAL.get(f"{cls.__name__}.{name}", [])
            if positional != expected:
                wrong.append(f"{cls.__name__}.{name}: positional {positional}, expected {expected}")
    for fn, expected in ((netcrm.open, ["path"]), (netcrm.default_path, [])):
        positional = [p.name for p in inspect.signature(fn).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if positional != expected:
            wrong.append(f"{fn.__name__}: positional {positional}, expected {expected}")
    assert wrong == [], "\n".join(wrong)


def test_a_positional_option_is_refused(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada")
    g = crm.goals.add("People", metric="new_contacts", at_least=1, period="2026")
    with pytest.raises(TypeError):
        crm.goals.history(g, "month")  # type: ignore[misc]
    fu = crm.follow_ups.schedule(ada, "Write", due=dt.timedelta(days=1))
    with pytest.raises(TypeError):
        crm.follow_ups.snooze(fu, dt.timedelta(days=1))  # type: ignore[misc]
    with pytest.raises(TypeError):
        crm.digest(crm.now())  # type: ignore[misc]


def test_the_old_name_contacts_delete_still_works_and_says_remove(crm: netcrm.CRM) -> None:
    ada = crm.contacts.add(display_name="Ada")
    with pytest.warns(DeprecationWarning, match=r"crm\.contacts\.remove\(\)"):
        crm.contacts.delete(ada)
    assert ada not in crm.contacts


# -- reprs, conversion, equality ----------------------------------------------------------------------


@pytest.fixture
def crm() -> Iterator[netcrm.CRM]:
    with netcrm.open(":memory:", clock=lambda: dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) as c:
        c.time_zone = "Europe/Paris"
        yield c


@pytest.fixture
def records(crm: netcrm.CRM) -> dict[str, Any]:
    ada = crm.contacts.add(netcrm.Contact("Ada Lovelace", organization="Analytical", emails=["ada@example.com"],
                                          tags=["math"], notes=["Needs a designer"]))
    grace = crm.contacts.add(display_name="Grace Hopper")
    meetup = crm.events.add("Paris.rb", kind="meetup", starts=dt.datetime(2026, 3, 1, 19, 0, tzinfo=PARIS))
    crm.events.add_expense(meetup, "12.50", "EUR", category="ticket")
    report = crm.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dan Brown\r\nEND:VCARD\r\n", source="dan.vcf")
    return {
        "contact": ada,
        "event": crm.events.get(meetup),
        "attendance": crm.events.met(meetup, ada),
        "interaction": crm.interactions.log("coffee", [ada, grace], notes="Ada needs a designer"),
        "goal": crm.goals.add("Cards", metric="contacts_met", at_least=5, event=meetup),
        "favor": crm.favors.give(ada, "advice"),
        "introduction": crm.favors.introduce(ada, grace),
        "ask": crm.favors.ask(grace, "a designer"),
        "follow_up": crm.follow_ups.schedule(ada, "Thank Ada", due=dt.date(2026, 3, 5)),
        "rule": crm.follow_ups.add_rule("cadence", every="2 weeks", tag="math"),
        "report": report,
        "batch": crm.imports.get(report.batch),
        "digest": crm.digest(),
    }


@pytest.mark.parametrize(("kind", "shows"), [
    ("contact", lambda r: [f"id={r.id}", "'Ada Lovelace'", "Analytical"]),
    ("event", lambda r: [f"id={r.id}", "'Paris.rb'", "meetup", "2026-03-01 19:00"]),
    ("attendance", lambda r: [f"event={r.event}", f"contact={r.contact}"]),
    ("interaction", lambda r: [f"id={r.id}", "'coffee'", "Europe/Paris", "Ada needs"]),
    ("goal", lambda r: ["'Cards'", "contacts_met >= 5", f"id={r.id}"]),
    ("favor", lambda r: [f"id={r.id}", "'advice'", f"#{r.contact}"]),
    ("introduction", lambda r: [f"id={r.id}", f"#{r.first}", f"#{r.second}"]),
    ("ask", lambda r: [f"id={r.id}", "'a designer'", "open"]),
    ("follow_up", lambda r: [f"#{r.id}", "Thank Ada", "2026-03-05 09:00", "open"]),
    ("rule", lambda r: [f"#{r.id}", "cadence", "2 weeks", "'math'"]),
    ("report", lambda r: [f"batch={r.batch}", "'dan.vcf'", "added=1"]),
    ("batch", lambda r: [f"id={r.id}", "'dan.vcf'", "added=1"]),
    ("digest", lambda r: [r.today.isoformat(), "due", "Europe/Paris"]),
])
def test_the_reprs_of_the_main_records_say_which_record_it_is(
        records: dict[str, Any], kind: str, shows: Callable[[Any], list[str]]) -> None:
    record = records[kind]
    text = repr(record)
    absent = [s for s in shows(record) if s not in text]
    assert absent == [], f"repr({kind}) = {text!r} lacks {absent}"
    assert len(text) < 400, f"repr({kind}) is a page: {text!r}"


def test_the_collections_and_the_crm_say_how_many_they_hold(crm: netcrm.CRM, records: dict[str, Any]) -> None:
    assert repr(crm) == "<netcrm.CRM ':memory:': 3 contacts>"
    assert repr(crm.contacts) == "<netcrm.Contacts: 3 contacts>"
    assert repr(crm.events) == "<netcrm.Events: 1 events>"
    assert repr(crm.interactions) == "<netcrm.Interactions: 1 interactions>"
    assert repr(crm.goals) == "<netcrm.Goals: 1 goals>"
    assert repr(crm.favors) == f"<netcrm.Favors: {len(crm.favors)} favours>"
    assert repr(crm.follow_ups) == f"<netcrm.FollowUps: {len(crm.follow_ups)} follow-ups>"
    assert repr(crm.imports) == "<netcrm.Imports: 1 batches>"


def test_every_exported_record_that_prints_also_converts_to_json() -> None:
    lacking = []
    for name, obj in exported():
        if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
            if obj in (netcrm.Name, netcrm.LabeledValue, netcrm.Address, netcrm.Note, netcrm.Property,
                       netcrm.PartialDate):
                continue  # parts of a Contact, converted by Contact.to_dict()
            if not callable(getattr(obj, "to_dict", None)):
                lacking.append(name)
    assert lacking == [], f"records without to_dict(): {lacking}"


def test_to_dict_of_every_main_record_is_plain_json(records: dict[str, Any]) -> None:
    for kind, record in records.items():
        d = record.to_dict()
        assert isinstance(d, dict), kind
        assert json.loads(json.dumps(d)) == d, kind  # nothing a JSON encoder refuses or changes


def test_contact_to_dict_holds_every_field(records: dict[str, Any]) -> None:
    ada: netcrm.Contact = records["contact"]
    d = ada.to_dict()
    assert set(d) == {f.name for f in dataclasses.fields(ada)}
    assert d["emails"] == [{"value": "ada@example.com", "kind": ""}]
    assert d["notes"][0]["text"] == "Needs a designer" and d["notes"][0]["at"].endswith("+00:00")
    assert d["birthday"] is None and d["created_at"] == "2026-03-02T09:00:00+00:00"
    assert netcrm.Contact("X", birthday=netcrm.PartialDate(4, 15)).to_dict()["birthday"] == "--04-15"


def test_import_batch_to_dict_holds_every_field(records: dict[str, Any]) -> None:
    batch: netcrm.ImportBatch = records["batch"]
    d = batch.to_dict()
    assert set(d) == {f.name for f in dataclasses.fields(batch)}
    assert d["source"] == "dan.vcf" and d["added"] == 1 and d["undone_at"] is None
    assert d["finished_at"] == batch.finished_at.isoformat()


def test_records_compare_by_value(crm: netcrm.CRM, records: dict[str, Any]) -> None:
    again = {
        "contact": crm.contacts.get(records["contact"]),
        "event": crm.events.get(records["event"]),
        "interaction": crm.interactions.get(records["interaction"]),
        "goal": crm.goals.get(records["goal"]),
        "favor": crm.favors.get(records["favor"]),
        "follow_up": crm.follow_ups.get(records["follow_up"]),
        "rule": crm.follow_ups.get_rule(records["rule"]),
        "batch": crm.imports.get(records["batch"].id),
        "report": crm.imports.report(records["report"].batch),
        "digest": crm.digest(),
    }
    differ = [kind for kind, record in again.items() if record is records[kind] or record != records[kind]]
    assert differ == [], f"read twice, these do not compare equal: {differ}"
    changed = dataclasses.replace(records["goal"], name="Other")
    assert changed != records["goal"]


def test_the_collections_answer_in(crm: netcrm.CRM, records: dict[str, Any]) -> None:
    for attribute, kind in (("contacts", "contact"), ("events", "event"), ("interactions", "interaction"),
                            ("goals", "goal"), ("favors", "favor"), ("follow_ups", "follow_up")):
        collection = getattr(crm, attribute)
        record = records[kind]
        assert record in collection and record.id in collection, attribute
        assert 10_000 not in collection and "1" not in collection and True not in collection, attribute


def test_deprecation_warnings_are_not_raised_by_the_current_names(crm: netcrm.CRM) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        crm.contacts.remove(crm.contacts.add(display_name="Ada"))
