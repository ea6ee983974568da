"""Ids written into pages are never localised: with USE_THOUSAND_SEPARATOR an id of 10095 would
render as "10.095" in Indonesian and come back as a value no view can read (it did, on
PostgreSQL, where ids run high)."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BARE_ID = re.compile(r"\{\{ [a-z_.]*(?:\.pk|\.id|batch_id|unit_id|trainer_id|run_id|\bid) \}\}")


def test_an_id_rendered_through_stringformat_has_no_separator() -> None:
    with translation.override("id"):
        assert Template("{{ n }}").render(Context({"n": 10095})) == "10.095"
        assert Template('{{ n|stringformat:"d" }}').render(Context({"n": 10095})) == "10095"


def test_no_template_writes_a_bare_id() -> None:
    bare = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in BARE_ID.finditer(path.read_text(encoding="utf-8"))
    ]
    assert bare == []
