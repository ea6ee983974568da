"""Every role's pages on the whole demo, in Indonesian and in English: no word of the other
language in the UI, no internal code or Python value (tests/i18n/scan.py says what counts).

Builds the demo once for the module (the same `build_demo` as `kompeten demo`) and follows the
links each persona's pages offer, as a reader clicking through would.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from kompeten.core.models import User
from kompeten.demo import build
from tests.demo.built import demo_for_the_module
from tests.i18n.scan import DataText, crawl, findings

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_for_the_module(django_db_blocker, tmp_path_factory):
        yield DataText.load(), [username for _role, username, _note in build.demo_logins()]


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_page_of_any_role_shows_the_other_language_or_a_code(demo, language) -> None:
    data, usernames = demo
    assert len(usernames) == 6  # admin, pengelola, fasilitator, pimpinan, atasan, pegawai
    problems: list[str] = []
    pages = 0
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url, nodes in crawl(client, ["/"], per_name=1, limit=250):
            pages += 1
            problems.extend(f"{username} {f}" for f in findings(nodes, language, data, url))
    assert pages > 150
    assert problems == [], "\n".join(problems)
