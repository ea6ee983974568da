"""The `kompeten` console script: Django's manage.py plus our own two-word subcommands.

`kompeten import employees FILE` runs the management command `import_employees`; in general a
first word that is not a command itself is joined with the second (`plan solve` → `plan_solve`).

The command line speaks ``settings.KOMPETEN_LANGUAGE`` (Bahasa Indonesia, or English with
``KOMPETEN_LANGUAGE=en``): it is activated here, once, before any command is loaded, so that
the commands' messages, their ``--help`` and Django's own commands all follow it. A command
called from code (``call_command``) speaks its caller's language.
"""

from __future__ import annotations

import os
import sys

# One BLAS/OpenMP thread per process, set before numpy is imported: the statistics run small
# regressions (the DiD's 480 × 52 design), which OpenBLAS threads slow down on busy cores
# (1,7 s instead of 0,05 s measured on the 2-core host); parallelism comes from processes.
# An operator's own setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


class GroupHelp(Exception):
    """`kompeten import` (or `kompeten import --help`, or an unknown kind): list the kinds."""

    def __init__(self, text: str, *, asked: bool) -> None:
        super().__init__(text)
        self.text = text
        self.asked = asked


def _group_help(word: str, given: str | None, members: list[str], commands: dict[str, str]) -> str:
    from django.core.management import load_command_class
    from django.utils.translation import gettext as _

    lines = []
    if given is not None and not given.startswith("-"):
        lines.append(
            _("Jenis '{given}' tidak dikenal untuk 'kompeten {word}'.").format(
                given=given, word=word
            )
        )
    lines.append(
        _("Pemakaian: kompeten {word} JENIS [opsi …]; jenis yang tersedia:").format(word=word)
    )
    width = max(len(name) - len(word) - 1 for name in members)
    for name in members:
        kind = name[len(word) + 1 :].replace("_", "-")
        first_line = str(load_command_class(commands[name], name).help or "").strip().split("\n")[0]
        lines.append(f"  {kind:<{width}}  {first_line}")
    lines.append(_("Bantuan satu jenis: kompeten {word} JENIS --help").format(word=word))
    return "\n".join(lines)


def _resolve(argv: list[str]) -> list[str]:
    if len(argv) < 2 or argv[1].startswith("-"):
        return argv
    from django.core.management import get_commands

    commands = get_commands()
    if argv[1] not in commands:
        members = sorted(name for name in commands if name.startswith(f"{argv[1]}_"))
        given = argv[2] if len(argv) > 2 else None
        if members and (given is None or f"{argv[1]}_{given}".replace("-", "_") not in commands):
            asked = given in ("-h", "--help")
            raise GroupHelp(_group_help(argv[1], given, members, commands), asked=asked)
    if len(argv) < 3:
        return argv
    joined = f"{argv[1]}_{argv[2]}".replace("-", "_")
    if argv[1] not in commands and joined in commands:
        return [argv[0], joined, *argv[3:]]
    if argv[1] in commands and joined in commands and not argv[2].startswith("-"):
        # e.g. `kompeten report cycle 2026` when `report` also exists
        return [argv[0], joined, *argv[3:]]
    return argv


def activate_language() -> None:
    """Speak the command line's language (``settings.KOMPETEN_LANGUAGE``) from here on."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.KOMPETEN_LANGUAGE)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    import django
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    django.setup()
    activate_language()
    try:
        resolved = _resolve(argv)
    except GroupHelp as help_:
        print(help_.text, file=sys.stdout if help_.asked else sys.stderr)
        raise SystemExit(0 if help_.asked else 2) from None
    execute_from_command_line(resolved)


if __name__ == "__main__":
    main()
