"""Apply the English translation table to the catalogue and compile it.

The msgids are Bahasa Indonesia; English lives in ``locale/en_translations.json``
(msgid -> msgstr, or msgid -> [singular, plural] for plural entries; an entry with a
msgctxt is keyed ``"<context>\\u0004<msgid>"``). The table is the source of truth, so the
catalogue can be regenerated at any time and the table re-applied:

    DEBUG=true KOMPETEN_VAR_DIR=$(mktemp -d) .venv/bin/kompeten makemessages -l en \\
        --ignore=.venv --ignore=bench --ignore=tests
    .venv/bin/python locale/translate_en.py                # apply, report, compile
    .venv/bin/python locale/translate_en.py --dump-missing /tmp/missing.json
    .venv/bin/python locale/translate_en.py --check        # exit 1 if anything is missing

``--dump-missing`` writes the untranslated msgids as a JSON object ready to be filled in
and merged into the table (``--merge FILE`` merges a filled-in file into the table).
Entries the table lacks are reported and left empty (a fuzzy guess by msgmerge is
cleared, never shipped). Placeholders (``%(name)s``, ``{name}``, ``%s``, ``%d``) must
match between msgid and msgstr, otherwise the entry is reported and not applied.

Compiling uses GNU ``msgfmt --check-format`` when it is installed (what Django's
``compilemessages`` runs) and a small pure-Python .mo writer otherwise, so the committed
``django.mo`` can be rebuilt on a machine without gettext. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PO_PATH = HERE / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
TABLE_PATH = HERE / "en_translations.json"

HEADER_FIXES = {
    "Project-Id-Version": "Kompeten",
    "Last-Translator": "Kompeten maintainers",
    "Language-Team": "English",
    "Language": "en",
}

# printf-style (named or positional) and str.format placeholders; "%%" is a literal percent.
_PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*\}"
)


# --- .po parsing ------------------------------------------------------------------------


def _unquote(text: str) -> str:
    body = text.strip()
    if not (body.startswith('"') and body.endswith('"')):
        raise ValueError(f"not a quoted .po string: {text!r}")
    out: list[str] = []
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    chars = iter(body[1:-1])
    for ch in chars:
        if ch == "\\":
            nxt = next(chars)
            out.append(escapes.get(nxt, "\\" + nxt))
        else:
            out.append(ch)
    return "".join(out)


def _quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)  # every '#' line, verbatim
    key_lines: list[str] = field(default_factory=list)  # msgctxt/msgid/msgid_plural, verbatim
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)  # one item, or one per plural form
    obsolete: bool = False

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def fuzzy(self) -> bool:
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy

    def unfuzz(self) -> None:
        kept = []
        for line in self.comments:
            if line.startswith("#|"):
                continue  # previous msgid from msgmerge's fuzzy match
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            kept.append(line)
        self.comments = kept


def _block_fields(block: str, entry: Entry) -> list[tuple[str, list[str], list[str]]]:
    """One .po block's comments into ``entry``; its keyword fields as (keyword, raw lines,
    unquoted values), continuation lines joined to the field they continue."""
    fields: list[tuple[str, list[str], list[str]]] = []
    for line in block.splitlines():
        if line.startswith("#~"):
            entry.obsolete = True
            entry.comments.append(line)
        elif line.startswith("#"):
            entry.comments.append(line)
        elif line.startswith('"'):
            fields[-1][1].append(line)
            fields[-1][2].append(_unquote(line))
        elif line.strip():
            keyword, _, rest = line.partition(" ")
            fields.append((keyword, [line], [_unquote(rest)]))
    return fields


def _set_field(entry: Entry, keyword: str, raw: list[str], value: str) -> None:
    if keyword in ("msgctxt", "msgid", "msgid_plural"):
        setattr(entry, keyword, value)
        entry.key_lines += raw
    elif keyword.startswith("msgstr"):
        entry.msgstr.append(value)
    else:
        raise ValueError(f"unknown .po keyword {keyword!r}")


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        entry = Entry()
        fields = _block_fields(block, entry)
        if not entry.obsolete:
            for keyword, raw, values in fields:
                _set_field(entry, keyword, raw, "".join(values))
        entries.append(entry)
    return entries


def _msgstr_lines(keyword: str, value: str) -> list[str]:
    if "\n" not in value.rstrip("\n"):
        return [f"{keyword} {_quote(value)}"]
    parts = value.splitlines(keepends=True)
    return [f'{keyword} ""', *(_quote(p) for p in parts)]


def render_po(entries: list[Entry]) -> str:
    blocks = []
    for entry in entries:
        if entry.obsolete:
            continue  # makemessages drops obsolete entries too
        lines = [*entry.comments, *entry.key_lines]
        if entry.msgid_plural is None:
            lines += _msgstr_lines("msgstr", entry.msgstr[0] if entry.msgstr else "")
        else:
            for i, value in enumerate(entry.msgstr or ["", ""]):
                lines += _msgstr_lines(f"msgstr[{i}]", value)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# --- applying the table -----------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def _fix_header(entry: Entry) -> None:
    entry.unfuzz()
    lines = entry.msgstr[0].splitlines(keepends=True)
    for i, line in enumerate(lines):
        name = line.split(":", 1)[0]
        if name in HEADER_FIXES:
            lines[i] = f"{name}: {HEADER_FIXES[name]}\n"
    entry.msgstr[0] = "".join(lines)


def apply_table(entries: list[Entry], table: dict[str, str | list[str]]) -> dict[str, list[str]]:
    report: dict[str, list[str]] = {"missing": [], "bad": [], "kept": []}
    for entry in entries:
        if entry.obsolete:
            continue
        if entry.msgid == "" and entry.msgctxt is None:
            _fix_header(entry)
            continue
        value = table.get(entry.key)
        if value is None:
            if entry.translated:
                report["kept"].append(entry.key)  # translated by hand in the .po
            else:
                entry.msgstr = ["", ""] if entry.msgid_plural is not None else [""]
                entry.unfuzz()
                report["missing"].append(entry.key)
            continue
        forms = [value] if isinstance(value, str) else list(value)
        if entry.msgid_plural is None:
            forms = forms[:1]
        elif len(forms) == 1:
            forms = forms * 2
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        wanted = {tuple(placeholders(s)) for s in sources}
        if not all(f.strip() for f in forms) or any(
            tuple(placeholders(f)) not in wanted for f in forms
        ):
            report["bad"].append(entry.key)
            continue
        entry.msgstr = forms
        entry.unfuzz()
    return report


# --- compiling --------------------------------------------------------------------------


def write_mo(entries: list[Entry], path: Path) -> None:
    """GNU .mo file: header, two (length, offset) tables sorted by msgid, then the strings."""
    pairs = []
    for entry in entries:
        if entry.obsolete or (entry.msgid and not entry.translated):
            continue
        source = entry.key
        if entry.msgid_plural is not None:
            source += "\0" + entry.msgid_plural
        target = "\0".join(entry.msgstr)
        if not entry.msgid:  # like msgfmt: the header without POT-Creation-Date
            target = re.sub(r"(?m)^POT-Creation-Date:.*\n", "", target)
        pairs.append((source.encode(), target.encode()))
    pairs.sort()
    count = len(pairs)
    ids_at = 7 * 4
    strs_at = ids_at + count * 8
    data_at = strs_at + count * 8
    id_table, str_table, blob = [], [], b""
    for raw_id, _ in pairs:
        id_table.append((len(raw_id), data_at + len(blob)))
        blob += raw_id + b"\0"
    for _, raw_str in pairs:
        str_table.append((len(raw_str), data_at + len(blob)))
        blob += raw_str + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, ids_at, strs_at, 0, data_at)
    out += b"".join(struct.pack("<2I", *row) for row in id_table + str_table)
    path.write_bytes(out + blob)


def compile_mo(entries: list[Entry]) -> str:
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        subprocess.run(  # noqa: S603 - fixed arguments, our own files
            [msgfmt, "--check-format", "-o", str(MO_PATH), str(PO_PATH)], check=True
        )
        return "msgfmt"
    write_mo(entries, MO_PATH)
    return "pure Python"


# --- command line -----------------------------------------------------------------------


def load_table() -> dict[str, str | list[str]]:
    if not TABLE_PATH.exists():
        return {}
    table: dict[str, str | list[str]] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return table


def save_table(table: dict[str, str | list[str]]) -> None:
    text = json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=1)
    TABLE_PATH.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump-missing", metavar="FILE", help="write untranslated msgids as JSON")
    parser.add_argument("--merge", metavar="FILE", help="merge a filled-in JSON into the table")
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if incomplete")
    args = parser.parse_args(argv)

    table = load_table()
    if args.merge:
        extra = json.loads(Path(args.merge).read_text(encoding="utf-8"))
        table.update({k: v for k, v in extra.items() if v})
        save_table(table)
        print(f"table: {len(table)} entries after merging {args.merge}")

    entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    report = apply_table(entries, table)
    if args.dump_missing:
        todo = {}
        for entry in entries:
            if entry.key in report["missing"] or entry.key in report["bad"]:
                todo[entry.key] = ["", ""] if entry.msgid_plural is not None else ""
        Path(args.dump_missing).write_text(
            json.dumps(todo, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {len(todo)} untranslated msgids to {args.dump_missing}")

    live = [e for e in entries if not e.obsolete and e.msgid]
    print(
        f"{len(live)} messages: {len(live) - len(report['missing']) - len(report['bad'])} "
        f"translated, {len(report['missing'])} missing from the table, "
        f"{len(report['bad'])} rejected (empty or placeholders differ), "
        f"{len(report['kept'])} kept from the .po"
    )
    stale = set(table) - {e.key for e in live}
    if stale:
        print(f"({len(stale)} table entries are not in the catalogue now; kept for later)")
    for kind in ("missing", "bad"):
        for key in report[kind]:
            print(f"  {kind}: {key!r}")
    if args.check or args.dump_missing:
        return 1 if report["missing"] or report["bad"] else 0

    PO_PATH.write_text(render_po(entries), encoding="utf-8")
    how = compile_mo(entries)
    print(f"wrote {PO_PATH.relative_to(HERE.parent)} and compiled {MO_PATH.name} ({how})")
    return 1 if report["missing"] or report["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
