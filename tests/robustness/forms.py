"""The POST forms of a page, read from its HTML, and the hostile bodies sent to each.

Every body is built from the form's own field names, so a new form is covered without touching
this file. Two bodies per kind of garbage:

- ``all``: every field the form names (hidden ones and buttons included) holds the garbage;
- ``typed``: the fields the garbage is meant for (text for long text, NUL and script; numbers,
  choices and hidden ids for numbers and ids; dates for dates) hold it, every other field a
  plausible value (the page's own, else one of the field's type), so that a form otherwise
  valid carries the garbage past the form into the action.

A form with a file field also gets a non-file, an empty file and a file that is not what its
name says, its other fields plausible.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

TEXT_TYPES = frozenset({"text", "search", "email", "url", "tel", "password", "textarea"})
DATE_TYPES = frozenset({"date", "datetime-local", "month", "week", "time"})
DATE_NAME = re.compile(r"tanggal|date|waktu|mulai|selesai|start|end|_at$|sampai|dari|periode")
BUTTONS = frozenset({"submit", "button", "image", "reset"})
PLAUSIBLE = {
    "number": "1",
    "range": "1",
    "date": "2026-05-04",
    "datetime-local": "2026-05-04T09:00",
    "time": "09:00",
    "month": "2026-05",
    "week": "2026-W19",
    "email": "uji@example.go.id",
    "url": "https://example.go.id/",
    "tel": "081234567890",
    "password": "Sandi-Uji-2026!",
    "color": "#336699",
}


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or "textarea" / "select"
    value: str  # as the page filled it (a select: its selected or first non-empty option)
    checked: bool = False
    accept: str = ""
    hint: str = ""  # min/max/placeholder, to recognise a date typed as text

    @property
    def is_file(self) -> bool:
        return self.kind == "file"

    @property
    def is_hidden(self) -> bool:
        return self.kind == "hidden" or self.kind in BUTTONS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_TYPES and not self.is_date

    @property
    def is_date(self) -> bool:
        if self.kind in DATE_TYPES:
            return True
        if self.kind not in ("text", ""):
            return False
        return bool(DATE_NAME.search(self.name.lower()) or re.search(r"\d{4}-\d{2}", self.hint))

    @property
    def holds_number(self) -> bool:
        """A number or an id: a number field, a choice, or a hidden field or box holding digits."""
        if self.kind in ("number", "range", "select"):
            return True
        return self.kind in ("hidden", "checkbox", "radio") and self.value.isdigit()


@dataclass
class Form:
    target: str  # the path (and query) it posts to
    page: str  # the page it was found on
    role: str  # the persona who saw it
    fields: list[Field] = field(default_factory=list)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({f.name for f in self.fields}))


class PostForms(HTMLParser):
    """The POST forms of a page with their fields (csrf tokens aside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[Field]]] = []
        self._form: tuple[str, list[Field]] | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            post = found.get("method", "").lower() == "post"
            self._form = (found.get("action", ""), []) if post else None
            return
        name = found.get("name", "")
        if self._form is None or not name or name == "csrfmiddlewaretoken":
            if tag == "option" and self._select is not None:
                self._option(found)
            return
        hint = " ".join(found.get(k, "") for k in ("min", "max", "placeholder"))
        if tag == "input":
            kind = found.get("type", "text").lower() or "text"
            checked = "checked" in found
            value = found.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._add(Field(name, kind, value, checked, found.get("accept", ""), hint))
        elif tag == "button":
            self._add(Field(name, "submit", found.get("value", "")))
        elif tag == "textarea":
            self._textarea = self._add(Field(name, "textarea", "", hint=hint))
        elif tag == "select":
            self._select = self._add(Field(name, "select", ""))

    def _add(self, f: Field) -> Field:
        assert self._form is not None
        self._form[1].append(f)
        return f

    def _option(self, found: dict[str, str]) -> None:
        assert self._select is not None
        value = found.get("value", "")
        if "selected" in found or (not self._select.value and value):
            self._select.value = value
            self._select.checked = self._select.checked or "selected" in found

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # the newline right after <textarea> is not part of its value (as in a browser)
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def parse(html: str) -> list[tuple[str, list[Field]]]:
    parser = PostForms()
    parser.feed(html)
    return parser.forms


def as_filled(fields: list[Field]) -> dict[str, str | None]:
    """The fields by name as the page filled them, files left out: a checked box or a selected
    radio sends its value, an unchecked one is named with ``None`` (a browser would not send
    it)."""
    filled: dict[str, str | None] = {}
    for f in fields:
        if f.is_file:
            continue
        if f.kind in ("checkbox", "radio") and not f.checked:
            filled.setdefault(f.name, None)
        else:
            filled[f.name] = f.value
    return filled


Value = str | list[str] | SimpleUploadedFile
Body = dict[str, Value]


def plausible(form: Form) -> Body:
    """What a careful user would send: the page's values, else one of each field's type; the
    first button of a name, the checked (else first) box of a name; no file."""
    body: dict[str, list[str]] = {}
    unchecked: dict[str, str] = {}
    for f in form.fields:
        if f.is_file or (f.kind in BUTTONS and f.name in body):
            continue
        if f.kind in ("checkbox", "radio"):
            if f.checked:
                body.setdefault(f.name, []).append(f.value)
            else:
                unchecked.setdefault(f.name, f.value)
            continue
        value = f.value
        if not value and not f.is_hidden:
            value = PLAUSIBLE.get(f.kind) or (PLAUSIBLE["date"] if f.is_date else "Uji")
        body.setdefault(f.name, []).append(value)
    for name, value in unchecked.items():
        body.setdefault(name, [value])
    return {k: v[0] if len(v) == 1 else v for k, v in body.items()}


# kind → (the garbage, the fields it is meant for)
Target = Callable[[Field], bool]
GARBAGE: dict[str, tuple[str, Target]] = {
    "long_text": ("panjang " * 625, lambda f: f.is_text),  # 5,000 characters
    "nul": ("a\x00b", lambda f: f.is_text),
    "negative": ("-1", lambda f: f.holds_number),
    "huge": ("99999999999999999999", lambda f: f.holds_number),
    "not_a_number": ("sepuluh", lambda f: f.holds_number),
    "impossible_date": ("31-02-2025", lambda f: f.is_date),
    "date_word": ("kemarin", lambda f: f.is_date),
    "missing_id": ("999999", lambda f: f.holds_number and f.kind not in ("number", "range")),
    "script": ("<script>alert(1)</script>", lambda f: f.is_text),
}


def _file(form: Form, f: Field, content: bytes) -> SimpleUploadedFile:
    """A file named as the field asks (its first extension, else by its media type)."""
    accepted = [a.strip().lower() for a in f.accept.split(",") if a.strip()]
    extension = next((a for a in accepted if a.startswith(".")), "")
    if not extension:
        extension = ".png" if any("image" in a for a in accepted) else ".xlsx"
        extension = ".pdf" if any("pdf" in a for a in accepted) else extension
    return SimpleUploadedFile(f"uji{extension}", content)


FILES: dict[str, Callable[[Form, Field], Value]] = {
    "file_not_file": lambda form, f: "bukan berkas",
    "file_empty": lambda form, f: _file(form, f, b""),
    "file_junk": lambda form, f: _file(form, f, b"PK\x03\x04 ini bukan berkas yang dijanjikan"),
}


def bodies(form: Form) -> list[tuple[str, Body]]:
    """(label, body) of every hostile body for ``form``; files are fresh for each call."""
    out: list[tuple[str, Body]] = []
    base = plausible(form)
    names = form.names
    for kind, (garbage, meant_for) in GARBAGE.items():
        out.append((f"{kind}/all", dict.fromkeys(names, garbage)))
        targeted = {f.name for f in form.fields if meant_for(f) and not f.is_file}
        if targeted:
            out.append((f"{kind}/typed", {**base, **dict.fromkeys(targeted, garbage)}))
    for kind, make in FILES.items():
        files = {f.name: make(form, f) for f in form.fields if f.is_file}
        if files:
            out.append((kind, {**base, **files}))
    return out


def aims_at_visible(form: Form, label: str) -> bool:
    """The body ``label`` puts its garbage in a field a user fills in: a file, or a ``typed``
    body's field that is not hidden, a button or a box (a browser sends those as the page wrote
    them)."""
    kind, _, mode = label.partition("/")
    if kind in FILES:
        return any(f.is_file for f in form.fields)
    if mode != "typed" or kind not in GARBAGE:
        return False
    meant_for = GARBAGE[kind][1]
    return any(
        meant_for(f) and not f.is_hidden and f.kind not in ("checkbox", "radio")
        for f in form.fields
    )
