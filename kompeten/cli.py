"""The `kompeten` console script: Django's manage.py plus our own two-word subcommands.

`kompeten import employees FILE` runs the management command `import_employees`; in general a
first word that is not a command itself is joined with the second (`plan solve` → `plan_solve`).
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


def _resolve(argv: list[str]) -> list[str]:
    if len(argv) < 3 or argv[1].startswith("-"):
        return argv
    from django.core.management import get_commands

    commands = get_commands()
    joined = f"{argv[1]}_{argv[2]}".replace("-", "_")
    if argv[1] not in commands and joined in commands:
        return [argv[0], joined, *argv[3:]]
    if argv[1] in commands and joined in commands and not argv[2].startswith("-"):
        # e.g. `kompeten report cycle 2026` when `report` also exists
        return [argv[0], joined, *argv[3:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    import django
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    django.setup()
    execute_from_command_line(_resolve(argv))


if __name__ == "__main__":
    main()
