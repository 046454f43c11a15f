"""Send one HTTP POST: a timeout on connect and read, no redirect followed, 1 KB of answer kept."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

RESPONSE_KEPT = 1024


@dataclass
class Outcome:
    succeeded: bool
    response_code: int | None
    duration_ms: int
    error: str
    response_excerpt: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: a receiver could send us on to an address we would not have posted to."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST `body` to `url`; a 2xx answer is a success, anything else a failure with its reason."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.monotonic()
    code: int | None = None
    error = ""
    excerpt = b""
    try:
        with OPENER.open(request, timeout=timeout) as response:
            code = response.status
            excerpt = response.read(RESPONSE_KEPT)
    except urllib.error.HTTPError as answer:
        code = answer.code
        error = f"HTTP {answer.code}"
        try:
            excerpt = answer.read(RESPONSE_KEPT)
        except (OSError, ValueError):
            excerpt = b""
    except TimeoutError:
        error = f"timed out after {timeout:g} s"
    except urllib.error.URLError as problem:
        reason = problem.reason
        error = (
            f"timed out after {timeout:g} s" if isinstance(reason, TimeoutError) else str(reason)
        )
    except (OSError, ValueError) as problem:
        error = str(problem) or problem.__class__.__name__
    duration = int((time.monotonic() - started) * 1000)
    succeeded = code is not None and 200 <= code < 300
    return Outcome(
        succeeded=succeeded,
        response_code=code,
        duration_ms=duration,
        error=error[:300],
        response_excerpt=excerpt.decode("utf-8", "replace")[:RESPONSE_KEPT],
    )
