"""Valid, unique NIPs for fictional people (shared by the demo generator and the tests)."""

from __future__ import annotations

import random
from datetime import date


class NipFactory:
    """Hands out unique 18-digit NIPs that pass the Perka BKN 22/2007 checks."""

    def __init__(self, seed: int = 1, *, wrap: bool = False) -> None:
        """``wrap``: after serial 999 of a prefix start again at 001 — only for test suites,
        whose database is emptied between tests, so a NIP need be unique within one test."""
        self.wrap = wrap
        self.random = random.Random(seed)
        self.used: set[str] = set()
        self.serials: dict[str, int] = {}

    def pns(self, birth: date, tmt_year: int, tmt_month: int, sex: str) -> str:
        prefix = f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{1 if sex == 'L' else 2}"
        return self._with_serial(prefix)

    def pppk(self, birth: date, appointment_year: int, sex: str) -> str:
        # NI PPPK: birth date, appointment year, PPPK marker "21", sex digit, serial (MED).
        prefix = f"{birth:%Y%m%d}{appointment_year:04d}21{1 if sex == 'L' else 2}"
        return self._with_serial(prefix)

    def _with_serial(self, prefix: str) -> str:
        serial = self.serials.get(prefix, 0) + 1
        if serial > 999 and self.wrap:
            serial = 1
        elif serial > 999:
            raise ValueError(f"no serial left for {prefix}")
        self.serials[prefix] = serial
        nip = f"{prefix}{serial:03d}"
        self.used.add(nip)
        return nip
