"""The client key: a daily-rotating keyed hash of the client's network, never the address itself.

The address is read from the request, reduced to its network (an IPv4 address, or the /64 an IPv6
client normally holds), hashed with HMAC-SHA256 under the server's secret key and today's date, and
truncated. The key is used only as part of cache keys for rate limits, which expire within minutes.
Nothing here stores or logs the address; the portal view stores it only when the office turned that
on (Office.portal_stores_client_address), through `client_ip`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

KEY_LENGTH = 20  # hex characters: 80 bits, plenty to keep clients apart, useless to enumerate addresses


def client_ip(request: HttpRequest) -> str:
    """The client's address as the server sees it, honouring SAOHEI_PORTAL_PROXY_COUNT proxies."""
    address = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "SAOHEI_PORTAL_PROXY_COUNT", 0))
    if proxies > 0:
        hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return address


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(request: HttpRequest) -> str:
    """A short keyed hash of the client's network and today's date (UTC); cached on the request."""
    cached = getattr(request, "_saohei_client_key", None)
    if isinstance(cached, str):
        return cached
    day = timezone.now().strftime("%Y-%m-%d")
    digest = salted_hmac(
        "saohei.portal.client-key", f"{day}|{_network(client_ip(request))}", algorithm="sha256"
    ).hexdigest()[:KEY_LENGTH]
    request._saohei_client_key = digest  # type: ignore[attr-defined]
    return digest
