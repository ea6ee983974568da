"""The zone Kompeten reads calendar days in: WIB (Waktu Indonesia Barat, UTC+7, no daylight
saving), Sawahlunto's zone and ``settings.TIME_ZONE``.

Keputusan Presiden Nomor 41 Tahun 1987 divides Indonesia into three zones: WIB (UTC+7), WITA
(UTC+8) and WIT (UTC+9). Every moment is kept aware (UTC in the database); its calendar day,
month or working day is taken in this zone, by the pages, the imports, the planner, the SLA
clock and the reports alike. A Pemda in WITA or WIT will need a zone per instansi: this is the
one place that change starts from.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
