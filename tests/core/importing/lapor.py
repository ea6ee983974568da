"""A small SP4N-LAPOR! export (semicolon CSV) for the import wizard's page tests, and a client
signed in as a user."""

from __future__ import annotations

import io

from django.test import Client

from kompeten.core.models import User

HEADER = "ID Tracking;Tanggal Laporan;Instansi Terdisposisi;Status;Tanggal Selesai;Sumber"


def lapor_csv(*lines: str) -> io.BytesIO:
    """The export with ``lines`` under its header, named ``lapor.csv``."""
    f = io.BytesIO((HEADER + "\n" + "\n".join(lines) + "\n").encode())
    f.name = "lapor.csv"
    return f


def lapor_line(n: int, unit: str = "Dinas Alfa Kota Uji", status: str = "Selesai") -> str:
    """Complaint ``#n``, received 2 March 2025, resolved on 10 March when "Selesai"."""
    done = "10/03/2025 15:00" if status == "Selesai" else ""
    return f"#{n};02/03/2025 09:00;{unit};{status};{done};Website"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
