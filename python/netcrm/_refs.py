"""How every collection reads "a record or its id" (one rule, one wording of the errors), and how
it pages through its records.

A stored record (a :class:`Contact`, an :class:`Event`, a follow-up ...) or its ``int`` id is
accepted wherever a record is named; a ``bool`` is not an id (``True`` is 1 to Python, never to
us), and a record that was never saved has no id yet.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, TypeVar

T = TypeVar("T")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in ("a", "e", "i", "o", "u") else "a"


def record_id(ref: object, noun: str, cls: type | None = None, *, hint: str = "add it first",
              field: str = "") -> int:
    """The id of ``ref``: an ``int``, or a saved record of class ``cls`` (any object with an
    ``id`` when ``cls`` is None). ``noun`` names it in errors ("contact", "follow-up"), ``hint``
    says what to do with an unsaved one, ``field`` names the argument when a call takes several.

    >>> record_id(7, "contact")
    7
    >>> record_id(True, "contact")
    Traceback (most recent call last):
    TypeError: expected a contact id (int) or a contact object, not bool
    """
    prefix = f"{field}: " if field else ""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref
    kind = cls.__name__ if cls is not None else f"{noun} object"
    wrong = TypeError(f"{prefix}expected {_article(noun)} {noun} id (int) or {_article(kind)} {kind}, "
                      f"not {type(ref).__name__}")
    if cls is not None and not isinstance(ref, cls):
        raise wrong
    ident = getattr(ref, "id", ...)
    if ident is ...:
        raise wrong
    if ident is None:
        raise ValueError(f"{prefix}this {noun} has not been saved yet" + (f": {hint}" if hint else ""))
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise wrong
    return ident


def paged(fetch: Callable[[int, int], list[Any]], convert: Callable[[Any], T], page: int = 500) -> Iterator[T]:
    """Every record of a collection, read ``page`` at a time (``fetch(limit, offset)``), so that
    iterating a large one does not load it into memory at once.

    >>> list(paged(lambda limit, offset: [1, 2, 3][offset:offset + limit], str, page=2))
    ['1', '2', '3']
    """
    offset = 0
    while True:
        batch = fetch(page, offset)
        yield from (convert(d) for d in batch)
        if len(batch) < page:
            return
        offset += page
