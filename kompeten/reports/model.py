"""The report model: a report's data as one typed, immutable dataset, and its cache.

A programme's report is collected once (:func:`kompeten.reports.assemble.build_programme`) into
a :class:`Report`; the HTML page, the PDF, the XLSX workbook, the JSON export and the evidence
pages all render that one object. :func:`programme_report` keeps it in Django's cache under the
programme, the before/after windows, the day, the language and the **data version** of the
instansi, so a second page, a download or an evidence page does not collect it again.

The data version (docs/reports.md, "The report model and its cache") is the pair of

1. a **write token** in the cache, replaced by a fresh random value whenever a statement
   writes to a table of the apps a report reads from. A database execute wrapper (Django's
   instrumentation hook, installed on every connection) sees every INSERT, UPDATE and DELETE —
   from ``save()``, ``bulk_create``, ``bulk_update``, ``QuerySet.update``/``delete`` and raw SQL
   alike — and replaces the token once per savepoint when the write happens and once more
   when its transaction commits, so a report computed from the old data in between is never
   found under the final token; and
2. **insert watermarks**: the largest primary key of each of those tables, read in one query
   (an index lookup each), for rows written outside this code (a restore, a SQL session).

Reading data first takes the version, then the data, so a cached report is never older than
its key. The day and the language are in the key too (default windows and censoring move with
the day), and an entry lives at most an hour (a follow-up falling due during the day).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection, connections, models, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone, translation

if TYPE_CHECKING:
    from kompeten.learning.models import Programme
    from kompeten.reports.impact import Windows


# --- the typed dataset -----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One table of a report: every row it prints, numbers unrounded."""

    slug: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "headers": list(self.headers),
            "rows": [list(r) for r in self.rows],
        }


@dataclass(frozen=True)
class Figure:
    """A chart (server-rendered SVG) and the slug of the table it draws."""

    slug: str
    title: str
    svg: str
    table: str

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "title": self.title, "svg": self.svg, "table": self.table}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    facts: tuple[Mapping[str, Any], ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()
    gaps: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "paragraphs": list(self.paragraphs),
            "facts": [dict(f) for f in self.facts],
            "tables": [t.as_dict() for t in self.tables],
            "figures": [f.as_dict() for f in self.figures],
            "gaps": list(self.gaps),
        }


@dataclass(frozen=True)
class RowScope:
    """What the evidence pages need to list the rows behind a programme report's figures
    without collecting the report again: the programme, the windows and the service units
    the public-service section compared (ids only)."""

    programme_id: int
    instansi_id: int
    period_start: date
    period_end: date
    before: tuple[date, date] | None = None
    after: tuple[date, date] | None = None
    today: date | None = None
    trained_service_units: tuple[int, ...] = ()
    comparison_service_units: tuple[int, ...] = ()


@dataclass(frozen=True)
class Report:
    """A programme's or a cycle's report. ``extra`` holds the kind's own JSON-able parts (a
    cycle's ``code``, ``metrics`` and ``comparison``); ``figures`` the headline figures of the
    JSON export; ``evidence`` the numbers the recommendation rules read."""

    kind: str
    scope: str
    title: str
    subtitle: str
    period_start: str
    period_end: str
    sections: tuple[Section, ...]
    recommendations: tuple[Mapping[str, Any], ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)
    figures: Mapping[str, Any] = field(default_factory=dict)
    generated: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    rows: RowScope | None = None
    data_version: str = ""

    # -- reading ----------------------------------------------------------------------------

    def tables(self) -> Iterator[tuple[Section, Table]]:
        for s in self.sections:
            for t in s.tables:
                yield s, t

    def table(self, slug: str) -> tuple[Table, Figure | None] | None:
        """The table with this slug and the chart drawn from it, or None."""
        for s, t in self.tables():
            if t.slug == slug:
                return t, next((f for f in s.figures if f.table == slug), None)
        return None

    # -- the JSON-able form (stored with a cycle, hashed for a generated file) --------------

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "scope": self.scope,
            **dict(self.extra),
            "title": self.title,
            "subtitle": self.subtitle,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "sections": [s.as_dict() for s in self.sections],
            "recommendations": [dict(r) for r in self.recommendations],
            "evidence": dict(self.evidence),
            "generated": self.generated,
        }
        if self.figures:
            out["figures"] = dict(self.figures)
        return out

    @functools.cached_property
    def data_hash(self) -> str:
        """SHA-256 of the data without its generation time (identical data, identical hash)."""
        return dict_hash(self.as_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        known = {
            "kind",
            "scope",
            "title",
            "subtitle",
            "period_start",
            "period_end",
            "sections",
            "recommendations",
            "evidence",
            "figures",
            "generated",
        }
        return cls(
            kind=str(data.get("kind", "")),
            scope=str(data.get("scope", "")),
            title=str(data.get("title", "")),
            subtitle=str(data.get("subtitle", "")),
            period_start=str(data.get("period_start", "")),
            period_end=str(data.get("period_end", "")),
            sections=tuple(section_from_dict(s) for s in data.get("sections", ())),
            recommendations=tuple(data.get("recommendations", ())),
            evidence=dict(data.get("evidence", {})),
            figures=dict(data.get("figures", {})),
            generated=str(data.get("generated") or ""),
            extra={k: v for k, v in data.items() if k not in known},
        )


def section_from_dict(s: Mapping[str, Any]) -> Section:
    return Section(
        key=s["key"],
        title=s["title"],
        paragraphs=tuple(s.get("paragraphs", ())),
        facts=tuple(s.get("facts", ())),
        tables=tuple(
            Table(t["slug"], t["title"], tuple(t["headers"]), tuple(tuple(r) for r in t["rows"]))
            for t in s.get("tables", ())
        ),
        figures=tuple(
            Figure(f["slug"], f["title"], f["svg"], f["table"]) for f in s.get("figures", ())
        ),
        gaps=tuple(s.get("gaps", ())),
    )


def dict_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of what the report says in numbers, whatever the language of its prose: every
    number, date and flag of its figures, tables, evidence and metrics, in their places, with
    the text around them left out (a report read in English has the hash of the same report in
    Indonesian), and without its generation time."""
    body = _without_text({k: v for k, v in data.items() if k != "generated"})
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _without_text(value: Any) -> Any:
    """``value`` with every string left out (dates and numbers kept, lists keep their places
    as None, so a number does not move to another column)."""
    if isinstance(value, Mapping):
        return {k: _without_text(v) for k, v in value.items() if not isinstance(v, str)}
    if isinstance(value, list | tuple):
        return [None if isinstance(v, str) else _without_text(v) for v in value]
    return value


def as_report(data: Report | Mapping[str, Any]) -> Report:
    return data if isinstance(data, Report) else Report.from_dict(data)


# --- the data version ------------------------------------------------------------------------

# The apps whose rows a report reads. Not the reports app itself (narratives and the logo are
# read per request, outside the cached model), not core (users, audit log) or scheduling.
INPUT_APPS = ("learning", "participation", "evaluation", "people", "service")
TOKEN_KEY = "report-data-token"  # noqa: S105 - a cache key, no secret
REPORT_CACHE_SECONDS = 3600  # also bounds how late a follow-up falling due today is counted
# The public survey's hot path: an SKM answer is only ever inserted there, and its insert raises
# the table's watermark, so the busiest endpoint writes no token (the fold into the rollups,
# a few seconds later and once for many answers, does).
INSERTS_SEEN_BY_WATERMARK = frozenset({"service_skmresponse"})
WRITE = re.compile(r"\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+[\"`]?(\w+)", re.I)


def input_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in INPUT_APPS and not m._meta.proxy and m._meta.managed
    ]


@functools.cache
def input_tables() -> frozenset[str]:
    return frozenset(m._meta.db_table for m in input_models())


def watermarked_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every input model with an integer primary key."""
    out = []
    for m in input_models():
        pk = m._meta.pk
        if isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            out.append((m._meta.db_table, str(pk.column)))
    return sorted(out)


@functools.cache
def watermark_sql() -> str:
    q = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({q(col)}) FROM {q(table)})"  # noqa: S608 - names from the model registry
        for table, col in watermarked_tables()
    ]
    return "SELECT " + ", ".join(parts)


def watermarks() -> tuple[int, ...]:
    """The largest primary key of every input table, in one query (an index lookup each)."""
    with connection.cursor() as cursor:
        cursor.execute(watermark_sql())
        row = cursor.fetchone()
    return tuple(int(v or 0) for v in row)


def token() -> str:
    value = cache.get(TOKEN_KEY)
    if value is None:  # never written, or evicted: a new token (the old reports go unused)
        cache.add(TOKEN_KEY, uuid.uuid4().hex, None)
        value = cache.get(TOKEN_KEY) or "missing"
    return str(value)


def bump() -> None:
    cache.set(TOKEN_KEY, uuid.uuid4().hex, None)


def data_version() -> str:
    """The data version: the write token and the insert watermarks."""
    parts = (token(), watermarks())
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:20]


class _Bump:
    """The commit-time token replacement (recognisable in the connection's on-commit list,
    which Django empties on rollback and prunes on a savepoint rollback)."""

    def __call__(self) -> None:
        bump()


def signal_write() -> None:
    """Replace the token now (this connection's own reads, and tests, which never commit, see
    the change at once) and again when the transaction commits (another process may have
    cached the old data under the first new token meanwhile). Once per savepoint: an action
    writing a thousand rows replaces it twice, not 2,000 times."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        bump()
        return
    sids = set(conn.savepoint_ids)
    for registered, func, _robust in conn.run_on_commit:
        if isinstance(func, _Bump) and registered == sids:
            return
    bump()
    transaction.on_commit(_Bump())


def watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Mapping[str, Any]
) -> Any:
    """A database execute wrapper (Django's instrumentation hook): after an INSERT, UPDATE or
    DELETE of an input table — by ``save()``, ``bulk_create``, ``bulk_update``,
    ``QuerySet.update``/``delete`` or raw SQL alike — replace the write token."""
    result = execute(sql, params, many, context)
    match = WRITE.match(sql) if isinstance(sql, str) else None
    if match is not None and match.group(1) in input_tables():
        inserted = match.group(0).lstrip()[:1].lower() == "i"
        if not (inserted and match.group(1) in INSERTS_SEEN_BY_WATERMARK):
            signal_write()
    return result


def install_watch(connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver (connected in ``ReportsConfig.ready``)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def connect_signals() -> None:
    """Watch every database connection's writes, this one included."""
    connection_created.connect(install_watch, dispatch_uid="reports-data-version")
    for conn in connections.all(initialized_only=True):
        install_watch(conn)


# --- the cache -------------------------------------------------------------------------------


# Part of every key: a deploy that changes these classes, or what the report writes in them
# (2: prose in the active language; 3: a hit's sentence written from its evidence, and the
# recommendations, objective verdicts and impact labels in the active language), never reads
# another layout's pickles.
SCHEMA = 3


def windows_key(windows: Windows | None) -> str:
    if windows is None:
        return "bawaan"
    return f"{windows.before.start}_{windows.before.end}_{windows.after.start}_{windows.after.end}"


def programme_key(programme_id: int, windows: Windows | None, today: date, version: str) -> str:
    language = translation.get_language() or "id"
    return (
        f"report:{SCHEMA}:programme:{programme_id}:{windows_key(windows)}:{today}:{language}:"
        f"{version}"
    )


def programme_report(
    programme: Programme, windows: Windows | None = None, today: date | None = None
) -> Report:
    """The programme's report, from the cache when its data version has not moved."""
    from kompeten.reports.assemble import build_programme

    today = today or timezone.localdate()
    version = data_version()
    key = programme_key(programme.pk, windows, today, version)
    report = cache.get(key)
    if isinstance(report, Report):
        return report
    report = build_programme(programme, windows, today, data_version=version)
    report.data_hash  # noqa: B018 - computed once, kept with the cached report
    cache.set(key, report, REPORT_CACHE_SECONDS)
    return report
