"""Stored images as data: URIs for WeasyPrint (certificates, report covers)."""

import base64

from django.core.files import File
from django.core.files.base import ContentFile

from kompeten.core.images import data_uri, image_uri, mime_of


def test_mime_follows_the_file_name_whatever_its_case():
    assert mime_of("logo/Kota.SVG") == "image/svg+xml"
    assert mime_of("logo/kota.png") == "image/png"
    assert mime_of("ttd/kepala.JPG") == "image/jpeg"
    assert mime_of("ttd/kepala.jpeg") == "image/jpeg"


def test_data_uri_carries_the_bytes_in_base64():
    uri = data_uri(b"<svg/>", "image/svg+xml")
    assert uri == "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()


class _Stored(ContentFile):
    """A stand-in for a FieldFile: a name and bytes that ``open`` reads."""

    def open(self, mode="rb"):
        self.seek(0)
        return self


def test_an_unset_image_is_an_empty_string():
    assert image_uri(None) == ""
    assert image_uri(File(None, name="")) == ""  # a FieldFile with no file is falsy too


def test_a_stored_png_becomes_its_data_uri():
    png = b"\x89PNG\r\n\x1a\nrest"
    uri = image_uri(_Stored(png, name="logo/kota.png"))
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png
