"""Every message flashed to a reader goes through gettext.

The string scan (test_string_scan.py) reads the pages a GET shows; a flash message appears only
after a POST, so it is checked here in the source: a literal (or an f-string) handed to
``messages.success/info/warning/error`` or to the form-view helpers' message arguments would
reach an English reader in Indonesian.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "kompeten"
FLASH = {"debug", "info", "success", "warning", "error"}
# helper → (position of its message argument, its message keywords)
HELPERS = {
    "save_form": (3, {"success"}),
    "form_page": (3, {"success"}),
    "act_and_return": (2, {"success"}),
    "post_form_and_return": (None, {"success", "invalid"}),
}


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != ""
    )


def _name(func: ast.expr) -> tuple[str | None, str]:
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return owner, func.attr
    if isinstance(func, ast.Name):
        return None, func.id
    return None, ""


def untranslated_messages(source: str) -> list[int]:
    """Lines of ``source`` where a literal message is flashed."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        owner, name = _name(node.func)
        message_args: list[ast.expr] = []
        if owner == "messages" and name in FLASH and len(node.args) >= 2:
            message_args.append(node.args[1])
        elif name in HELPERS:
            position, keywords = HELPERS[name]
            if position is not None and len(node.args) > position:
                message_args.append(node.args[position])
            message_args += [k.value for k in node.keywords if k.arg in keywords]
        lines += [node.lineno for arg in message_args if _literal(arg)]
    return lines


def test_the_check_finds_a_literal_message() -> None:
    assert untranslated_messages('messages.success(request, "Disimpan.")') == [1]
    assert untranslated_messages('messages.error(request, f"Salah: {e}")') == [1]
    assert untranslated_messages('save_form(r, f, save, "Disimpan.", then)') == [1]
    assert untranslated_messages('post_form_and_return(r, f, a, p, success="A", invalid=x)') == [1]
    assert untranslated_messages('messages.success(request, gettext("Disimpan."))') == []
    assert untranslated_messages('messages.error(request, " ".join(exc.messages))') == []


def test_every_flashed_message_goes_through_gettext() -> None:
    found = [
        f"{path.relative_to(ROOT.parent)}:{line}"
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        for line in untranslated_messages(path.read_text(encoding="utf-8"))
    ]
    assert found == []
