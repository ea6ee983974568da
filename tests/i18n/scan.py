"""Crawl the pages a user reaches and find UI text in the wrong language or internal codes.

`crawl(client, start)` follows the links of every page a signed-in user can open (GET only, same
site, no downloads, no sign-out), at most a few URLs per URL name; `findings(text, language)`
names what a reader of that language should not see:

- in Indonesian: English words that are never Indonesian (``the``, ``and``, ``medium``…),
  Python values (``None``, ``True``), identifiers (``low_relevance``, ``waktu_peserta``), solver
  statuses (``OPTIMAL``) and confidence codes (``LOW``/``MED``);
- in English: Indonesian function words (``yang``, ``dan``, ``belum``…) outside the data.

Data is not UI: names of people, units, programmes and what users typed are in the language
they were written in. Text equal to, or made of, stored values is removed before the check
(`DataText`), so that "Dinas Kependudukan dan Pencatatan Sipil" is not an Indonesian sentence
in the English UI.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

ENGLISH_ONLY = frozenset(
    [
        "the",
        "and",
        "with",
        "of",
        "is",
        "are",
        "was",
        "were",
        "this",
        "that",
        "which",
        "from",
        "into",
        "not",
        "none",
        "yes",
        "day",
        "days",
        "medium",
        "small",
        "large",
        "high",
        "low",
        "moderate",
        "very",
        "weak",
        "strong",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "participants",
        "participant",
        "units",
        "score",
        "scores",
        "average",
        "report",
        "reports",
        "answers",
        "answered",
        "respondents",
        "questionnaire",
        "trained",
        "untrained",
        "before",
        "after",
        "change",
        "should",
        "could",
        "would",
        "there",
        "their",
        "they",
        "these",
        "those",
        "been",
        "being",
        "have",
        "has",
        "had",
        "will",
    ]
)
INDONESIAN_ONLY = frozenset(
    [
        "yang",
        "dan",
        "tidak",
        "untuk",
        "dengan",
        "belum",
        "sudah",
        "pada",
        "dari",
        "ini",
        "itu",
        "atau",
        "oleh",
        "dalam",
        "akan",
        "adalah",
        "dapat",
        "sebagai",
        "tahun",
        "bulan",
        "hari",
        "minggu",
        "peserta",
        "pegawai",
        "rata-rata",
        "jumlah",
        "belum",
        "sesudah",
        "sebelum",
        "tercapai",
        "terlatih",
        "pembanding",
        "unit-unit",
        "disimpan",
        "ditolak",
        "silakan",
        "tanggal",
        "nilai",
        "pilih",
        "simpan",
        "batal",
        "kembali",
        "lihat",
        "unduh",
        "ubah",
        "hapus",
        "tambah",
        "cari",
        "semua",
    ]
)
# Words the Indonesian UI uses on purpose (the domain's own loanwords and product names).
INDONESIAN_ALLOWED = frozenset(
    [
        "pre-test",
        "post-test",
        "gain",
        "likert",
        "google",
        "forms",
        "excel",
        "e-skm",
        "online",
        "offline",
        "email",
        "e-mail",
        "login",
        "logout",
        "dashboard",
        "kiosk",
        "qr",
        "pdf",
        "xlsx",
        "csv",
        "api",
        "token",
    ]
)
CODE = re.compile(r"\b(?:None|True|False|OPTIMAL|FEASIBLE|INFEASIBLE|UNKNOWN|LOW|MED|HIGH)\b")
PYTHON_VALUE = re.compile(r"(?:^\s*|[:=]\s*)(None|True|False)\b(?!\s*/|\s+[a-z])")
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'-]*")
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "code", "pre", "textarea"})
DOWNLOAD = re.compile(
    r"(?:\.(?:pdf|xlsx|csv|ics|svg|png|zip|json)$|[?&](?:export|format|download)=)"
)


class _Text(HTMLParser):
    """Visible text nodes (and titles, placeholders, aria-labels, alt texts) and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._data_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skip += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("title", "placeholder", "aria-label", "alt"):
            if values.get(name):
                self.nodes.append(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.nodes.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


# JSON fields of these apps hold generated prose (stored reports, planner results, dashboard
# snapshots): that is UI text, checked, not data to be skipped.
JSON_SKIPPED_APPS = frozenset({"reports", "scheduling", "core"})


def _strings(value: object) -> Iterator[str]:
    """The short strings inside a stored JSON value (objectives, options, names)."""
    if isinstance(value, str):
        if 3 <= len(value) <= 300:
            yield " ".join(value.split())
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def official_terms() -> set[str]:
    """The regulations' own Indonesian names, used as they are in both languages (the SKM
    unsur of PermenPANRB 14/2017 and Kepmenpan 25/2004, the forms of competency development
    of Peraturan LAN 10/2018)."""
    import importlib
    import pkgutil

    import kompeten.standards
    from kompeten.standards.ikm import VERSIONS
    from kompeten.standards.ip_asn import TrainingKind
    from kompeten.standards.jp import JP_FORMS

    terms = {u.name for version in VERSIONS.values() for u in version.unsur}
    terms |= {form.label for form in JP_FORMS.forms.values()}
    terms |= {kind.label for kind in TrainingKind}
    # the citations of the regulations themselves ("PermenPANRB Nomor 38 Tahun 2018 …")
    for info in pkgutil.iter_modules(kompeten.standards.__path__):
        module = importlib.import_module(f"kompeten.standards.{info.name}")
        for value in vars(module).values():
            citation = getattr(value, "regulation", None)
            if isinstance(citation, str):
                terms.update(part.strip() for part in citation.split(";"))
    return terms


@dataclass
class DataText:
    """The stored text values of the database, to tell data from UI text."""

    values: set[str] = field(default_factory=set)
    by_word: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> DataText:
        data = cls()
        for model in apps.get_models():
            names = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not f.choices
                and f.name not in {"password"}
            ]
            if not names:
                continue
            for row in model._default_manager.values_list(*names).iterator(chunk_size=5000):
                for value in row:
                    if value and isinstance(value, str) and len(value) >= 3:
                        data.values.add(" ".join(value.split()))
        for model in apps.get_models():
            if model._meta.app_label in JSON_SKIPPED_APPS:
                continue
            fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
            ]
            for field_name in fields:
                for value in model._default_manager.values_list(field_name, flat=True).iterator(
                    chunk_size=2000
                ):
                    data.values.update(_strings(value))
        data.values.update(official_terms())
        for value in sorted(data.values, key=len, reverse=True):
            first = WORD.search(value)
            if first:
                data.by_word[first.group(0).lower()].append(value)
        return data

    def strip(self, text: str) -> str:
        """``text`` without the stored values it contains, the longest first (so that
        "Etika dan Integritas ASN" goes whole, not "Integritas" out of it)."""
        if text in self.values:
            return ""
        candidates = {
            value
            for word in {w.lower() for w in WORD.findall(text)}
            for value in self.by_word.get(word, ())
            if value in text
        }
        out = text
        for value in sorted(candidates, key=len, reverse=True):
            out = out.replace(value, " ")
        return out


@dataclass(frozen=True)
class Finding:
    url: str
    token: str
    text: str

    def __str__(self) -> str:
        return f"{self.url}: {self.token!r} in {self.text[:120]!r}"


def findings(nodes: Iterable[str], language: str, data: DataText, url: str = "") -> list[Finding]:
    found: list[Finding] = []
    for node in nodes:
        text = data.strip(node)
        if not text.strip():
            continue
        if language == "id":
            for match in CODE.finditer(text):
                found.append(Finding(url, match.group(0), node))
            for match in IDENTIFIER.finditer(text):
                found.append(Finding(url, match.group(0), node))
            words = {w.lower() for w in WORD.findall(text)} - INDONESIAN_ALLOWED
            for word in sorted(words & ENGLISH_ONLY):
                found.append(Finding(url, word, node))
        else:
            # "None yet" is English; a Python value shows alone or after a field name
            for match in PYTHON_VALUE.finditer(text):
                found.append(Finding(url, match.group(1), node))
            for match in IDENTIFIER.finditer(text):
                found.append(Finding(url, match.group(0), node))
            words = {w.lower() for w in WORD.findall(text)}
            for word in sorted(words & INDONESIAN_ONLY):
                found.append(Finding(url, word, node))
    return found


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(
    client, start: Iterable[str], per_name: int = 2, limit: int = 400
) -> Iterator[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """(url, text nodes) of every page reached from ``start`` with status 200 and HTML."""
    queue = list(start)
    seen: set[str] = set()
    taken: dict[str, int] = defaultdict(int)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        yield url, parser.nodes
        for href in parser.links:
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if DOWNLOAD.search(href) or "logout" in href or "keluar" in href:
                continue
            if parts.path.startswith(("/django-admin/", "/static/", "/media/", "/api/")):
                continue
            name = _url_name(parts.path)
            if name is None or href in seen:
                continue
            if taken[name] >= per_name:
                continue
            taken[name] += 1
            queue.append(href)
