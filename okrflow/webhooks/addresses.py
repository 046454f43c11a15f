"""Which URLs a webhook may be sent to: http(s), and not at this server or a private network."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 500


def is_public(address: str) -> bool:
    """Return True for an address on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def own_address() -> tuple[str, int | None]:
    base = urlsplit(settings.OKRFLOW_BASE_URL)
    return (base.hostname or "").lower(), base.port or (443 if base.scheme == "https" else 80)


def check_webhook_url(url: str, *, resolve: bool = True) -> str:
    """Return the URL cleaned, or raise ValidationError saying what is wrong with it."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Enter the URL that should receive the events."))
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(_("The URL is too long (at most 500 characters)."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(_("This is not a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError(_("Only http:// and https:// URLs can receive webhooks."))
    host = (parts.hostname or "").lower()
    if not host:
        raise ValidationError(_("The URL needs a host name."))
    if parts.username or parts.password:
        raise ValidationError(_("Put no user name or password in the URL."))
    port = port or (443 if parts.scheme == "https" else 80)
    own_host, own_port = own_address()
    served_hosts = {h.lower() for h in settings.ALLOWED_HOSTS if not h.startswith(".")}
    # With private addresses allowed (a test, an intranet), only okrflow's own port is refused.
    if (host, port) == (own_host, own_port) or (
        host in served_hosts and not settings.WEBHOOK_ALLOW_PRIVATE
    ):
        raise ValidationError(_("A webhook cannot point at okrflow itself."))
    if resolve and not settings.WEBHOOK_ALLOW_PRIVATE:
        for address in resolve_host(host, port):
            if not is_public(address):
                raise ValidationError(
                    _("This URL leads to a private or local address, which webhooks may not reach.")
                )
    return url


def resolve_host(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise ValidationError(_("The host name of this URL cannot be found.")) from None
    return sorted({str(info[4][0]) for info in found})
