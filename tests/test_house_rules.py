"""Rules of the house that no linter enforces: no function over 80 lines; every date or time
field on a page, and every field picking several objects, is kompeten.core.forms' own (they
hold the supported years, and refuse an id no database key can hold); every whole-number field
on a form says its largest value (a number past a column's range is a 500 on save); calendar
days are read in one zone, kompeten.standards.local_time's, never in a ZoneInfo of a module's own;
a refusal (ValidationError, an import's FieldError) says its message through gettext, never in a
bare Indonesian literal that a reader of the English UI would see untranslated; and so does the
command line (what a management command writes, raises or shows in its help, and what the
modules it calls print or raise for it: backup and restore, the demo's progress, the planner's
summary, the IKM table's errors).

ruff enforces complexity (C901, PLR0912, PLR0915; limits in pyproject.toml), but a long function
of simple statements passes those. Eighty lines is about what one screen shows: a function a
reader cannot see whole is split along its natural seams (CONTRIBUTING.md, "Functions").
Migrations are generated code and are left out.
"""

from __future__ import annotations

import ast
import subprocess
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 80


def _python_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode == 0 and listed.stdout.strip():
        names = listed.stdout.split()
    else:  # not a git checkout (an unpacked release): every file below the project's folders
        names = [
            str(p.relative_to(ROOT))
            for folder in ("kompeten", "tests", "bench", "locale")
            for p in (ROOT / folder).rglob("*.py")
        ]
    return [ROOT / n for n in names if "/migrations/" not in n and (ROOT / n).exists()]


def long_functions(source: str, max_lines: int = MAX_FUNCTION_LINES) -> list[tuple[str, int, int]]:
    """(name, first line, length) of each function in ``source`` longer than ``max_lines``,
    counted from its ``def`` to its last line, docstring included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > max_lines:
                found.append((node.name, node.lineno, length))
    return found


def test_the_rule_counts_a_function_from_def_to_its_last_line() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(80))
    assert long_functions(f"def f():\n{body}") == [("f", 1, 81)]
    assert long_functions(f"def f():\n{body}", max_lines=81) == []
    nested = f"class A:\n    def m(self):\n{body.replace('    ', '        ')}"
    assert long_functions(nested) == [("m", 2, 81)]


def test_no_function_is_longer_than_80_lines() -> None:
    files = _python_files()
    assert len(files) > 100  # the walk found the project
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {name} ({length} lines)"
        for path in files
        for name, line, length in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "split these along their natural seams:\n" + "\n".join(offenders)


OWN_FIELDS = {"DateField", "DateTimeField", "SplitDateTimeField", "ModelMultipleChoiceField"}


def call_lines(source: str, accept: Callable[[ast.Call], bool]) -> list[int]:
    """The lines of the calls in ``source`` that ``accept`` picks."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and accept(node)
    ]


def forms_field(call: ast.Call) -> str:
    """The field a call ``forms.X(...)`` declares ("" for any other call)."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.attr if func.value.id == "forms" else ""
    return ""


def django_date_fields(source: str) -> list[int]:
    """Lines that declare one of Django's own fields that kompeten.core.forms replaces
    (``forms.DateField(``, ``forms.ModelMultipleChoiceField(`` …)."""
    return call_lines(source, lambda call: forms_field(call) in OWN_FIELDS)


def test_the_date_field_rule_sees_djangos_fields_and_not_ours() -> None:
    source = (
        "a = forms.DateField()\nb = DateField()\nc = models.DateField()\nd = forms.DateTimeField()\n"
        "e = forms.ModelMultipleChoiceField(queryset=None)\n"
    )
    assert django_date_fields(source) == [1, 4, 5]


def package_offenders(rule: Callable[[str], list[int]], exempt: Path | None = None) -> list[str]:
    """``path:line`` of every line the rule finds in the kompeten package (but ``exempt``)."""
    return [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _python_files()
        if path.parts[len(ROOT.parts)] == "kompeten" and path != exempt
        for line in rule(path.read_text(encoding="utf-8"))
    ]


def test_every_date_and_multiple_choice_field_is_the_houses_own() -> None:
    offenders = package_offenders(django_date_fields, ROOT / "kompeten" / "core" / "forms.py")
    assert offenders == [], "use kompeten.core.forms' own field:\n" + "\n".join(offenders)


def unbounded_integer_fields(source: str) -> list[int]:
    """Lines declaring ``forms.IntegerField(...)`` without a ``max_value``."""
    return call_lines(
        source,
        lambda call: (
            forms_field(call) == "IntegerField"
            and not any(k.arg == "max_value" for k in call.keywords)
        ),
    )


def test_the_integer_rule_sees_a_field_without_its_largest_value() -> None:
    source = "a = forms.IntegerField(min_value=1)\nb = forms.IntegerField(max_value=9)\n"
    assert unbounded_integer_fields(source) == [1]


def test_every_whole_number_field_on_a_form_says_its_largest_value() -> None:
    offenders = package_offenders(unbounded_integer_fields)
    assert offenders == [], "give these a max_value:\n" + "\n".join(offenders)


def zone_literals(source: str) -> list[int]:
    """Lines building a ``ZoneInfo`` of their own from a written zone name."""
    return call_lines(
        source,
        lambda call: (
            getattr(call.func, "id", getattr(call.func, "attr", None)) == "ZoneInfo"
            and bool(call.args)
            and isinstance(call.args[0], ast.Constant)
        ),
    )


def test_the_zone_rule_sees_a_written_zone() -> None:
    source = 'a = ZoneInfo("Asia/Jakarta")\nb = zoneinfo.ZoneInfo("UTC")\nc = ZoneInfo(name)\n'
    assert zone_literals(source) == [1, 2]


def test_calendar_days_are_read_in_the_one_local_zone() -> None:
    offenders = package_offenders(zone_literals, ROOT / "kompeten" / "standards" / "local_time.py")
    assert offenders == [], "import kompeten.standards.local_time.JAKARTA:\n" + "\n".join(offenders)


REFUSALS = {"ValidationError", "FieldError"}
# Pure, Django-free packages: their messages are translated by the callers that show them.
NO_GETTEXT = ("kompeten/standards/", "kompeten/stats/")


def _bare_text(node: ast.expr) -> bool:
    """A message written as a plain string or an f-string (also as a dict value or list item)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Dict):
        return any(_bare_text(value) for value in node.values)
    if isinstance(node, ast.List):
        return any(_bare_text(item) for item in node.elts)
    return False


def untranslated_refusals(source: str) -> list[int]:
    """Lines raising ``ValidationError(...)``/``FieldError(...)`` with a message not wrapped in
    gettext: a string literal or an f-string, directly or as a dict value or list element."""
    return call_lines(
        source,
        lambda call: (
            getattr(call.func, "id", getattr(call.func, "attr", None)) in REFUSALS
            and bool(call.args)
            and _bare_text(call.args[0])
        ),
    )


def test_the_refusal_rule_sees_a_bare_message_and_not_a_translated_one() -> None:
    source = (
        'a = ValidationError("Kode wajib diisi.")\n'
        'b = exceptions.ValidationError(f"Status {s!r} tidak dikenal.")\n'
        'c = ValidationError({"code": "Kode wajib diisi."})\n'
        'd = ValidationError(["Tidak ada baris data."])\n'
        'e = imp.FieldError(f"Nilai {v} tidak dikenal.", accepted=())\n'
        'f = ValidationError(gettext("Kode wajib diisi."))\n'
        'g = ValidationError({"code": _("Kode {c} sudah dipakai.").format(c=c)})\n'
        "h = ValidationError(errors)\n"
        'i = ValidationError([gettext("Tidak ada baris data.")], code="empty")\n'
    )
    assert untranslated_refusals(source) == [1, 2, 3, 4, 5]


def test_every_refusal_is_said_in_the_readers_language() -> None:
    offenders = [
        o for o in package_offenders(untranslated_refusals) if not o.startswith(NO_GETTEXT)
    ]
    assert offenders == [], "wrap these messages in gettext:\n" + "\n".join(offenders)


# --- the command line speaks KOMPETEN_LANGUAGE (kompeten/cli.py) -----------------------------
# What scripts read (JSON, CSV, tokens, file names) is written from a variable or a function's
# result, never from a literal with words in it, so it needs no exception here.
COMMAND_FILES = ("kompeten/core/importing/command.py",)
# Modules that print a command's lines or raise the errors it passes on (folders end with "/").
CLI_MODULES = (
    "kompeten/core/backup.py",
    "kompeten/demo/",
    "kompeten/scheduling/plan_cli.py",
    "kompeten/service/ikm_cli.py",
    "kompeten/service/tabular.py",
)
# The errors whose message a command shows as it is.
CLI_ERRORS = {"CommandError", "BackupError", "CliError", "TableError"}
# What is written to the console: ``self.stdout``, ``out``, ``err``, ``self.out`` …
CONSOLES = {"stdout", "stderr", "out", "err"}


def _words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _bare_cli_text(node: ast.expr) -> bool:
    """Words written as a literal: a string or f-string with letters, a literal's ``.format()``,
    a concatenation or a conditional holding one, or one of these in ``self.style.X(...)``.
    Strings without letters ("", "\\n", "  ", f"  {name}") are layout, not text."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _words(str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _bare_cli_text(node.left) or _bare_cli_text(node.right)
    if isinstance(node, ast.IfExp):
        return _bare_cli_text(node.body) or _bare_cli_text(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner = node.func.value
        if node.func.attr == "format":
            return _bare_cli_text(owner)
        if isinstance(owner, ast.Attribute) and owner.attr == "style" and node.args:
            return _bare_cli_text(node.args[0])
    return False


def _console(node: ast.expr) -> bool:
    """``stdout``, ``self.stdout``, ``out``, ``self.out``, ``err`` …: a console's stream."""
    return getattr(node, "id", getattr(node, "attr", None)) in CONSOLES


def _cli_texts(tree: ast.AST) -> list[ast.expr]:
    """What a command shows: the first argument of a console's ``write`` (``self.stdout``,
    ``out``), ``print``, the demo's ``say`` and the errors of CLI_ERRORS, ``help=`` of
    ``add_argument`` and a class's ``help = …``."""
    texts: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            texts += [
                item.value
                for item in node.body
                if isinstance(item, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "help" for t in item.targets)
            ]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = getattr(func, "id", getattr(func, "attr", None))
        writes = name == "write" and isinstance(func, ast.Attribute) and _console(func.value)
        if (writes or name in {"print", "say", *CLI_ERRORS}) and node.args:
            texts.append(node.args[0])
        if name == "add_argument":
            texts += [k.value for k in node.keywords if k.arg == "help"]
    return texts


def untranslated_cli_texts(source: str) -> list[int]:
    """Lines of a command's texts written as bare literals instead of through gettext."""
    return sorted(t.lineno for t in _cli_texts(ast.parse(source)) if _bare_cli_text(t))


def test_the_command_line_rule_sees_a_bare_text_and_not_a_translated_one() -> None:
    source = (
        "class Command(KompetenCommand):\n"
        '    help = "Cadangkan basis data."\n'
        "    def handle(self):\n"
        '        self.stdout.write(f"{n} baris diimpor")\n'
        '        self.stderr.write("Menyusun data laporan…")\n'
        '        raise CommandError("Tidak ada yang disimpan:\\n" + "\\n".join(lines))\n'
        '        self.stdout.write(self.style.SUCCESS(f"{path} ({size:,} bita)"))\n'
        '        parser.add_argument("--out", help="Berkas tujuan.")\n'
        '        self.stdout.write("Sumber: {s}".format(s=s))\n'
        '        self.stdout.write("DITERAPKAN" if applied else _("UJI COBA"))\n'
        '        self.stdout.write(_("{n} baris diimpor").format(n=n))\n'
        '        self.stdout.write("")\n'
        '        self.stdout.write(f"  {role:<32} {username}")\n'
        '        self.stdout.write("  " + _("ditolak: {r}").format(r=r))\n'
        '        raise CommandError(_("Tidak ada yang disimpan:") + "\\n" + "\\n".join(lines))\n'
        "        self.stdout.write(out, ending='')\n"
        '        parser.add_argument("--out", help=_("Berkas tujuan."))\n'
        '        buffer.write("tidak dari perintah ini")\n'
        '        raise BackupError(f"Berkas {path} tidak ada.")\n'
        '        print(f"{n} of {m} needs placed", file=err)\n'
        '        ctx.say("  dasbor pimpinan dihitung")\n'
        '        out.write(f"    ({wall:.1f} s, CPU {cpu:.1f} s)\\n")\n'
        '        raise TableError(gettext("Berkas {path} tidak ditemukan").format(path=p))\n'
        "        print(line, file=summary)\n"
        '        out.write(text + "\\n")\n'
        '        ctx.say(gettext("laporan siklus {code}").format(code=code))\n'
    )
    assert untranslated_cli_texts(source) == [2, 4, 5, 6, 7, 8, 9, 10, 19, 20, 21, 22]


def test_the_command_line_says_its_texts_in_its_language() -> None:
    files = [
        p
        for p in _python_files()
        if "/management/commands/" in p.relative_to(ROOT).as_posix()
        or p.relative_to(ROOT).as_posix() in COMMAND_FILES
        or p.relative_to(ROOT).as_posix().startswith(CLI_MODULES)
    ]
    assert len(files) > 30  # the walk found the commands
    found = {p.relative_to(ROOT).as_posix() for p in files}
    assert {m for m in CLI_MODULES if m.endswith(".py")} <= found  # and the modules they call
    assert "kompeten/demo/build.py" in found
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        if path.parts[len(ROOT.parts)] == "kompeten"
        for line in untranslated_cli_texts(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "say these through gettext (kompeten/core/commands.py):\n" + "\n".join(
        offenders
    )
