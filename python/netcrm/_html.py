"""How contacts, events and goal reports look in Jupyter (their ``_repr_html_``).

Plain HTML with no style sheet, like the digest's: a heading line and a table, so a notebook's own
theme applies. Every piece of user text goes through :func:`html.escape`: a contact named
``<script>`` shows as text, never as markup.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from .contact import Contact
    from .events import Event
    from .goals import GoalProgress, GoalReport

#: How many contacts the collection's table shows.
CONTACTS_SHOWN = 20


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of cells already escaped (the headers are ours and escaped here anyway)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fields(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column table of field name and escaped value, the empty ones left out."""
    rows = "".join(f"<tr><th style=\"text-align:left\">{esc(k)}</th><td>{v}</td></tr>" for k, v in pairs if v)
    return f"<table><tbody>{rows}</tbody></table>" if rows else ""


def _lines(values: Iterable[object]) -> str:
    return "<br>".join(esc(v) for v in values)


def contact(c: Contact) -> str:
    head = f"<strong>{esc(c.display_name)}</strong>" + (f" (#{c.id})" if c.id is not None else "")
    role = " at ".join(p for p in (c.title, c.organization) if p)
    return (f"<div class=\"netcrm-contact\">{head}" + (f"<br>{esc(role)}" if role else "") + _fields([
        ("email", _lines(c.emails)), ("phone", _lines(c.phones)), ("url", _lines(c.urls)), ("im", _lines(c.ims)),
        ("address", _lines(c.addresses)), ("birthday", "" if c.birthday is None else esc(c.birthday)),
        ("tags", esc(", ".join(c.tags))), ("met", esc(c.how_met)),
        ("introduced by", "" if c.introduced_by is None else f"#{c.introduced_by}"),
        ("notes", _lines(c.notes)),
    ]) + "</div>")


def contacts(shown: Sequence[Contact], total: int) -> str:
    what = f"{total} contact{'s' if total != 1 else ''}"
    if total > len(shown):
        what += f" (the first {len(shown)} by name)"
    rows = [(str(c.id), esc(c.display_name), esc(c.organization), esc(c.title),
             esc(c.emails[0].value) if c.emails else "", esc(c.phones[0].value) if c.phones else "",
             esc(", ".join(c.tags))) for c in shown]
    table = _table(("id", "name", "organization", "title", "email", "phone", "tags"), rows) if rows else ""
    return f"<div class=\"netcrm-contacts\"><strong>{esc(what)}</strong>{table}</div>"


def event(e: Event) -> str:
    head = f"<strong>{esc(e.name)}</strong>" + (f" ({esc(e.kind)})" if e.kind else "") + \
        (f" #{e.id}" if e.id is not None else "")
    starts, ends = e.local_starts, e.local_ends  # on the event's wall clock
    when = starts.strftime("%Y-%m-%d %H:%M")
    if ends is not None:
        when += "–" + ends.strftime("%H:%M" if ends.date() == starts.date() else "%Y-%m-%d %H:%M")
    if e.time_zone:
        when += f" {e.time_zone}"
    spent = ", ".join(f"{amount} {currency}" for currency, amount in e.spent().items())
    return f"<div class=\"netcrm-event\">{head}" + _fields([
        ("when", esc(when)), ("where", esc(e.location)), ("tags", esc(", ".join(e.tags))),
        ("expenses", _lines(e.expenses)), ("spent", esc(spent)), ("notes", esc(e.notes).replace("\n", "<br>")),
    ]) + "</div>"


def _progress_cells(p: GoalProgress) -> list[str]:
    cmp = "" if p.goal.comparison == ">=" else p.goal.comparison + " "
    value = p._show(p.value)
    pct = "" if p.value is None else f"{p.fraction * 100:.0f}%"
    bar = f"<progress value=\"{min(max(p.fraction, 0.0), 1.0):.3f}\" max=\"1\"></progress> {pct}" \
        if p.value is not None else ""
    pace = "" if p.on_pace is None else ("on pace" if p.on_pace else f"off pace (expected {esc(p._show(p.expected))})")
    return [esc(p.goal.name), esc(value), esc(cmp + p._show(p.target)), esc(p.goal.currency or p.unit), bar,
            "met" if p.met else "not met", pace]


_GOAL_HEADERS = ("goal", "value", "target", "unit", "progress", "", "pace")


def goal_progress(p: GoalProgress) -> str:
    return f"<div class=\"netcrm-goal\">{_table(_GOAL_HEADERS, [_progress_cells(p)])}</div>"


def goal_report(r: GoalReport) -> str:
    head = f"<strong>{esc(r.title)}</strong>: {r.met} of {len(r.goals)} goals met"
    table = _table(_GOAL_HEADERS, [_progress_cells(p) for p in r.goals]) if r.goals else ""
    return f"<div class=\"netcrm-goal-report\">{head}{table}</div>"
