"""The pytest plugin that declares a test run (registered under ``pytest11`` in pyproject.toml).

Settings relax a few things for tests only (a fast password hasher, a local-memory cache, static
files without collectstatic) when ``KOMPETEN_TESTING`` is true. Nothing else turns it on: merely
importing pytest in a production process does not. This module runs when pytest loads its
plugins, before pytest-django reads the settings; the variable is inherited by the processes a
test starts, which set it to ``false`` themselves where they must behave as in production.

The tests read the command line in Bahasa Indonesia, the default: a developer's
``KOMPETEN_LANGUAGE=en`` is not inherited by the test run or the processes it starts (a test of
the English command line sets it itself).
"""

from __future__ import annotations

import os

os.environ.setdefault("KOMPETEN_TESTING", "true")
os.environ.pop("KOMPETEN_LANGUAGE", None)
