"""GET a URL for a data source: checked addresses only, a time and a size cap, redirects re-checked.

The host name is resolved once, every address is checked (`guard.checked_addresses`), and the
connection is made to a checked address, so a name that resolves elsewhere a moment later
(DNS rebinding) cannot slip past. A redirect is followed only to an address that passes the
same check; the source's own headers (a token) are not sent to another host.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from okrflow.datasources.guard import checked_addresses
from okrflow.engine.source_values import (
    CONNECTION,
    HTTP_ERROR,
    PERMISSION_DENIED,
    REFUSED,
    TIMEOUT,
    TOO_BIG,
    SourceProblem,
)

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "okrflow-data-source/1"


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connect to the address that was checked, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    """Return the body of a 2xx answer to GET `url`, or raise SourceProblem."""
    timeout = float(settings.DATA_SOURCE_TIMEOUT_SECONDS)
    limit = int(settings.DATA_SOURCE_MAX_BYTES)
    deadline = time.monotonic() + timeout
    own_headers = dict(headers or {})
    first_host = (urlsplit(url).hostname or "").lower()
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        sent = own_headers if host == first_host else {}
        status, location, body = get_once(url, sent, deadline, limit)
        if status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        if status in (401, 403):
            raise SourceProblem(PERMISSION_DENIED, f"HTTP {status}")
        if not 200 <= status < 300:
            raise SourceProblem(HTTP_ERROR, f"HTTP {status}")
        return body
    raise SourceProblem(HTTP_ERROR, f"more than {MAX_REDIRECTS} redirects")


def get_once(
    url: str, headers: dict[str, str], deadline: float, limit: int
) -> tuple[int, str, bytes]:
    """One GET: (status, Location, body read up to the limit)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise SourceProblem(REFUSED, "not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise SourceProblem(REFUSED, "only http:// and https:// URLs")
    if parts.username or parts.password:
        raise SourceProblem(REFUSED, "no user name or password in the URL; use a header")
    host = parts.hostname or ""
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = checked_addresses(host, port)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SourceProblem(TIMEOUT, "")
    connection = connection_class(host, port, addresses[0], remaining)
    try:
        connection.request(
            "GET",
            target,
            headers={"User-Agent": USER_AGENT, "Accept": "*/*", **headers},
        )
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.getheader("Location") or "", b""
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise SourceProblem(TOO_BIG, f"{declared} bytes, at most {limit}")
        body = read_capped(response, deadline, limit)
        return response.status, "", body
    except TimeoutError:
        raise SourceProblem(TIMEOUT, f"after {settings.DATA_SOURCE_TIMEOUT_SECONDS} s") from None
    except (OSError, http.client.HTTPException) as error:
        raise SourceProblem(CONNECTION, f"{host}: {error or type(error).__name__}") from None
    finally:
        connection.close()


def read_capped(response: http.client.HTTPResponse, deadline: float, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise SourceProblem(TIMEOUT, f"after {settings.DATA_SOURCE_TIMEOUT_SECONDS} s")
        chunk = response.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise SourceProblem(TOO_BIG, f"more than {limit} bytes")
        chunks.append(chunk)
