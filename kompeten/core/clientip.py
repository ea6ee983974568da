"""The client's address, as every rate limit and the login lockout count it.

Behind a reverse proxy (nginx) every request comes from the proxy: ``REMOTE_ADDR`` is
127.0.0.1 and every citizen would share one bucket. The proxy names the real client in
``X-Forwarded-For`` — but anyone can send that header, so it is believed only when the request
comes from a proxy listed in ``KOMPETEN_TRUSTED_PROXIES`` (IP addresses or CIDR networks,
comma-separated; empty by default, which ignores the header).

Each proxy appends the address it received the request from, so the list reads
``client, proxy1, proxy2`` and only its right end was written by proxies we trust. The client is
the right-most address that is not itself a trusted proxy: a client who sends its own
``X-Forwarded-For: 1.2.3.4`` only adds entries on the left, which are never reached.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core import checks
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Parse ``KOMPETEN_TRUSTED_PROXIES`` entries; ValueError naming the bad entry."""
    networks = []
    for entry in entries:
        text = str(entry).strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(
                f"KOMPETEN_TRUSTED_PROXIES: {text!r} is not an IP address or network"
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def trusted_networks() -> tuple[Network, ...]:
    return _trusted(tuple(getattr(settings, "KOMPETEN_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> Address | None:
    """An address as a proxy writes it: plain, ``[v6]``, ``[v6]:port`` or ``v4:port``."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port (an IPv6 address has several colons)
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address for rate limits and the lockout (see the module docstring)."""
    remote_text = str(request.META.get("REMOTE_ADDR", "") or "")
    networks = trusted_networks()
    remote = _address(remote_text)
    if not networks or remote is None or not _is_trusted(remote, networks):
        return str(remote) if remote is not None else remote_text
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    nearest = remote
    for entry in reversed(forwarded.split(",")):
        if not entry.strip():
            continue
        address = _address(entry)
        if address is None:
            # not written by a proxy we trust: the nearest trusted hop stands for the client
            return str(nearest)
        if not _is_trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest)  # every hop is a trusted proxy: the request came from inside


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxies(
    app_configs: object = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """``kompeten check --deploy``: production runs behind a proxy (docs/operations.md); without
    a trusted proxy every client would share the proxy's rate-limit bucket and lockout address."""
    if trusted_networks():
        return []
    return [
        checks.Warning(
            "KOMPETEN_TRUSTED_PROXIES is empty: behind nginx or a load balancer every client "
            "counts as the proxy's address (one rate-limit bucket, one lockout address).",
            hint="Set it to the proxy's addresses, e.g. KOMPETEN_TRUSTED_PROXIES=127.0.0.1,::1 "
            "for nginx on the same machine (docs/security.md). Serving clients directly, "
            "without a proxy: ignore this warning.",
            id="kompeten.W001",
        )
    ]
