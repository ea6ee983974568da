"""The menu links to the API tokens page (admin only) and to the notifications (everyone)."""

from __future__ import annotations

from django.urls import reverse


def test_the_admin_sees_the_integrations_link_and_everyone_the_notifications(world, client):
    tokens = reverse("api_tokens:list")
    notifications = reverse("participation:notifications")
    client.force_login(world.alice)
    page = client.get(reverse("people:employee_list")).content.decode()
    assert f'href="{tokens}"' in page and f'href="{notifications}"' in page
    for user in (world.bob, world.dave, world.pia):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert f'href="{tokens}"' not in page
        assert f'href="{notifications}"' in page
