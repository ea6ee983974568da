"""Logs: NIPs in URLs are masked in access logs, and a refusal is one line without a traceback."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from kompeten.core.logging import mask

NIP = "198503142010031002"


@pytest.mark.parametrize(
    "written",
    [NIP, "19850314 201003 1 002", "19850314%20201003%201%20002", "19850314+201003+1+002"],
)
def test_a_nip_in_a_query_string_is_masked_however_it_is_encoded(written):
    masked = mask(f"GET /pegawai/?q={written} HTTP/1.1")
    assert "201003" not in masked and "2010031002" not in masked
    assert masked.startswith("GET /pegawai/?q=1985")


def test_the_runserver_access_log_masks_nips():
    logger = logging.getLogger("django.server")
    out = io.StringIO()
    # swap the stream without setStream(): it flushes the old stream, which pytest's capture
    # of an earlier test may have closed already
    handlers = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
    assert handlers, "django.server has no stream handler"
    streams = [(h, h.stream) for h in handlers]
    for handler in handlers:
        handler.stream = out
    try:
        logger.info('"%s" %s %s', f"GET /pegawai/?q={NIP} HTTP/1.1", "200", "512")
    finally:
        for handler, old in streams:
            handler.stream = old
    assert "/pegawai/?q=1985" in out.getvalue()
    assert NIP not in out.getvalue()


def test_the_gunicorn_access_log_masks_nips():
    from gunicorn.config import Config

    from kompeten.core.access_log import GunicornLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    glog = GunicornLogger(cfg)
    out = io.StringIO()
    for handler in glog.access_log.handlers:
        handler.setStream(out)  # type: ignore[attr-defined]

    class Resp:
        status = "200 OK"
        sent = 10
        headers: list[tuple[str, str]] = []
        response_length = 10

    class Req:
        headers: list[tuple[str, str]] = []

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/pegawai/?q={NIP}",
        "PATH_INFO": "/pegawai/",
        "QUERY_STRING": f"q={NIP}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
    }
    import datetime

    glog.access(Resp(), Req(), environ, datetime.timedelta(seconds=0.01))
    line = out.getvalue()
    assert "/pegawai/?q=1985" in line
    assert NIP not in line


def test_a_refusal_is_logged_as_one_warning_line_without_a_traceback(world, client, caplog):
    client.force_login(world.dave)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/audit/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and not record.exc_text
    message = record.getMessage()
    assert "\n" not in message
    assert "/audit/" in message
    assert world.dave.username not in message  # the username is dave's NIP: masked
    assert f"user={world.dave.pk}" in message


def test_the_refusal_line_names_the_reason(world, caplog):
    from kompeten.core.logging import QuietRefusalFilter

    request = RequestFactory().get("/x/")
    request.user = world.bob
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden (Permission denied): %s",
        ("/x/",),
        None,
    )
    try:
        raise PermissionDenied("Bukan unit Anda")
    except PermissionDenied:
        import sys

        record.exc_info = sys.exc_info()
    record.status_code = 403
    record.request = request
    assert QuietRefusalFilter().filter(record)
    assert record.exc_info is None
    assert "Bukan unit Anda" in record.getMessage()
    assert f"user={world.bob.pk}" in record.getMessage()
