"""Importing notices live from Find a Tender and Contracts Finder, a page at a time.

What the two services document (read on 22 November 2026):

- Find a Tender, `GET https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages`
  (www.find-tender.service.gov.uk/apidocumentation/1.0/GET-ocdsReleasePackages): parameters `limit`
  (1 to 100, default 100), `cursor` (token for the next set of results, `[A-Za-z0-9=]*`, at most 300
  characters), `updatedFrom` and `updatedTo` (when the notice was last updated, `YYYY-MM-DDTHH:MM:SS`,
  19 characters, so no time zone: we send UTC) and `stages` (`planning,tender,award`). The answer is an
  OCDS release package. Open Contracting's Kingfisher Collect reads this service as a "links" feed,
  taking the next page's `cursor` from the package's `links.next`.
- Contracts Finder, `GET https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search`
  (www.contractsfinder.service.gov.uk/apidocumentation/Notices/1/GET-Published-Notice-OCDS-Search):
  parameters `publishedFrom` and `publishedTo` (ISO 8601; "latest edit and first publication in current
  stage"), `stages` (comma-separated: planning, tender, award, implementation), `limit` (1 to 100,
  default 100) and `cursor` (`[A-Za-z0-9=]{0,300}`). The answer is an OCDS release package, paged by
  `links.next`. Its documentation says a client sending too many requests is refused with 403 and a
  "request rate limit may have been exceeded" page, and should wait five minutes.

What their answers look like, beyond the documentation (read from Kingfisher Collect, which decodes
Contracts Finder's pages as ISO-8859-1 and notes Find a Tender's `1e9999`, and from a recorded
Contracts Finder answer of October 2022):

- Contracts Finder's answers are ISO-8859-1, not UTF-8 (Kingfisher Collect decodes them so), so a
  pound sign is the single byte 0xA3; read as UTF-8, as `requests` does when no charset is named, the
  page would lose it. A body is therefore read as UTF-8 when it is valid UTF-8, else as Windows-1252
  (the superset of ISO-8859-1 that adds the curly quotes), else as ISO-8859-1, which reads any byte,
  whatever the Content-Type header says.
- `links.next` is the next page's full address: the request's own query plus `cursor`. Contracts
  Finder leaves it unescaped (`publishedTo=2022-10-20T09:43:52+01:00`, `cursor=...=`), so a `+` in it
  is a plus, not a space as form decoding would read it; a cursor may be percent-encoded
  (`MTAwMA%3D%3D`). Contracts Finder's cursor is the Base64 of the query and the next position.
- Find a Tender writes `1e9999` for "no limit" (`maximumLotsBidPerSupplier`). Read as a float that is
  infinity, which no JSON encoder writes back, so the release would be rejected for one field: a number
  too large for a float is kept as the text the service wrote.
- Clients of Find a Tender report that it reads `updatedFrom` as UK local time; we send UTC, which in
  British Summer Time asks for an hour more than needed, never less.

Rate limits are answered by waiting and asking again: 429 and 503 from either service, and Contracts
Finder's 403, wait for `Retry-After` (seconds or an HTTP date) where the service gives one, else a
default, at most `MAX_RETRIES` times per page. Each page is stored in its own transaction together with
the cursor for the page after it (`FeedCursor`), so a run that stops half way loses nothing and the next
run carries on from the next page. When a pass reaches the last page the cursor is cleared and the next
run asks only for notices changed since this pass began (less an hour's overlap: storing is idempotent).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

import requests
from django.conf import settings
from django.utils import timezone

from culturehub.core.importers import ImportFileError
from culturehub.core.models import ImportRun

from .importer import notices_import_items
from .models import FeedCursor, Source
from .ocds import finite_or_text, release_item

TIMEOUT_SECONDS = (10, 120)
PAGE_LIMIT = 100
STAGES = "planning,tender,award"
MAX_RETRIES = 5
MAX_WAIT_SECONDS = 15 * 60  # a service asking for a longer wait is told to be tried later
OVERLAP = timedelta(hours=1)
# The documented cursor is [A-Za-z0-9=]; '+' and '/' are Base64's too, '-', '_' and '%' its URL-safe forms.
CURSOR_PATTERN = re.compile(r"[A-Za-z0-9=_\-%+/]{1,300}")
# Tried in turn: JSON's own encoding, then what Contracts Finder writes (see the module's docstring).
ENCODINGS = ("utf-8-sig", "cp1252")


class LiveFeedError(ImportFileError):
    """The service could not be read; the message says what happened and what to do."""


@dataclass(frozen=True)
class Service:
    source: str
    name: str
    url_setting: str
    default_url: str
    from_param: str
    # Status codes that mean "too many requests: wait", and the wait when no Retry-After is given.
    wait_statuses: tuple[int, ...]
    default_wait: dict[int, int]

    @property
    def url(self) -> str:
        return getattr(settings, self.url_setting, "") or self.default_url


SERVICES = {
    Source.FIND_A_TENDER.value: Service(
        source=Source.FIND_A_TENDER.value, name="Find a Tender", url_setting="FIND_A_TENDER_API_URL",
        default_url="https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages",
        from_param="updatedFrom", wait_statuses=(429, 503), default_wait={429: 60, 503: 60},
    ),
    Source.CONTRACTS_FINDER.value: Service(
        source=Source.CONTRACTS_FINDER.value, name="Contracts Finder", url_setting="CONTRACTS_FINDER_API_URL",
        default_url="https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
        from_param="publishedFrom", wait_statuses=(403, 429, 503), default_wait={403: 300, 429: 60, 503: 60},
    ),
}


@dataclass
class Page:
    releases: list
    next_cursor: str
    url: str


class LiveClient:
    """Pages through one service's release packages, waiting out its rate limits."""

    def __init__(self, service: Service, *, session=None, sleep: Callable[[float], None] = time.sleep,
                 progress: Callable[[str], None] | None = None):
        self.service = service
        self.session = session or requests.Session()
        self.sleep = sleep
        self.progress = progress or (lambda message: None)

    def params(self, *, updated_from: datetime, cursor: str) -> dict[str, str | int]:
        params: dict[str, str | int] = {
            self.service.from_param: updated_from.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "stages": STAGES,
            "limit": PAGE_LIMIT,
        }
        if cursor:
            params["cursor"] = cursor
        return params

    def fetch(self, *, updated_from: datetime, cursor: str) -> Page:
        params = self.params(updated_from=updated_from, cursor=cursor)
        response = self._get(params)
        address = getattr(response, "url", "") or self.service.url
        text = decoded(response.content or b"")
        package = read_package(text)
        if not isinstance(package, dict) or not isinstance(package.get("releases"), list):
            raise LiveFeedError(
                f"{self.service.name} answered {address} with something that is not an OCDS release package "
                f"(it begins {_start(text)!r}). Check the address ({self.service.url_setting}) and "
                "try again later; nothing from this page was stored."
            )
        return Page(package["releases"], self._next_cursor(package, address), address)

    def _get(self, params: dict) -> requests.Response:
        name = self.service.name
        for attempt in range(MAX_RETRIES + 1):
            try:
                response = self.session.get(
                    self.service.url, params=params, timeout=TIMEOUT_SECONDS,
                    headers={"Accept": "application/json"},
                )
            except requests.RequestException as error:
                if attempt == MAX_RETRIES:
                    raise LiveFeedError(
                        f"Could not reach {name} at {self.service.url} ({error.__class__.__name__}) after "
                        f"{MAX_RETRIES + 1} tries. Check the network connection and run the import again: it "
                        "carries on from the last page stored."
                    ) from error
                wait = 10 * 2**attempt
                self.progress(f"  {name} could not be reached; trying again in {wait} seconds")
                self.sleep(wait)
                continue
            if response.status_code == 200:
                return response
            if response.status_code not in self.service.wait_statuses:
                where = getattr(response, "url", "") or self.service.url
                raise LiveFeedError(
                    f"{name} answered {response.status_code} for {where}. "
                    "Run the import again later: it carries on from the last page stored."
                )
            if attempt == MAX_RETRIES:
                break
            wait = self._wait_seconds(response)
            self.progress(f"  {name} asked us to wait ({response.status_code}); waiting {wait:g} seconds")
            self.sleep(wait)
        raise LiveFeedError(
            f"{name} was still refusing requests ({response.status_code}) after {MAX_RETRIES} waits. "
            "Run the import again later: it carries on from the last page stored."
        )

    def _wait_seconds(self, response) -> float:
        default = self.service.default_wait.get(response.status_code, 60)
        header = (response.headers.get("Retry-After") or "").strip()
        if not header:
            return default
        if header.isdigit():
            wait = float(header)
        else:
            try:
                when = parsedate_to_datetime(header)
            except (TypeError, ValueError):
                return default
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            wait = max(0.0, (when - timezone.now()).total_seconds())
        if wait > MAX_WAIT_SECONDS:
            raise LiveFeedError(
                f"{self.service.name} asked us to wait {wait / 60:.0f} minutes before asking again. Run the "
                "import again later: it carries on from the last page stored."
            )
        return wait

    def _next_cursor(self, package: dict, address: str) -> str:
        links = package.get("links")
        following = links.get("next") if isinstance(links, dict) else None
        if not following:
            return ""
        cursor = query_value(str(following), "cursor")
        if not CURSOR_PATTERN.fullmatch(cursor):
            raise LiveFeedError(
                f"{self.service.name}'s page {address} links to a next page without a usable cursor "
                f"({str(following)[:200]!r}); the pages stored so far are kept."
            )
        return cursor


def import_live(*, source: str, since: datetime | None = None, session=None,
                sleep: Callable[[float], None] = time.sleep, progress: Callable[[str], None] | None = None,
                user=None, max_pages: int | None = None) -> list[ImportRun]:
    """Import one service's notices page by page, carrying on from the saved cursor; one run per page.

    `since` starts a fresh pass from that time, whatever was saved. With no `since` and no earlier
    run there is nowhere to start from, which is said rather than guessed."""
    service = SERVICES[source]
    say = progress or (lambda message: None)
    client = LiveClient(service, session=session, sleep=sleep, progress=say)
    feed, _ = FeedCursor.objects.get_or_create(source=source)
    if since is not None:
        feed.cursor, feed.updated_from = "", since
    elif feed.updated_from is None:
        raise LiveFeedError(
            f"There is no earlier import from {service.name} to carry on from: give --since DATE for the "
            "first one (for example --since 2026-11-01)."
        )
    cursor, updated_from = feed.cursor, feed.updated_from
    pass_started = timezone.now()
    say(
        f"Importing from {service.name}: "
        + (f"carrying on from the saved cursor (notices changed since {updated_from:%Y-%m-%d %H:%M} UTC)"
           if cursor else f"notices changed since {updated_from:%Y-%m-%d %H:%M} UTC")
    )
    runs: list[ImportRun] = []
    number = 0
    while max_pages is None or number < max_pages:
        number += 1
        page = client.fetch(updated_from=updated_from, cursor=cursor)
        if page.next_cursor and page.next_cursor == cursor:
            raise LiveFeedError(
                f"{service.name} gave the same cursor twice ({cursor[:40]}); stopped rather than loop."
            )
        finished = not page.next_cursor or not page.releases

        def remember(run, page=page, finished=finished):
            # Saved inside the page's transaction: the page and the place after it stand or fall together.
            feed.cursor = "" if finished else page.next_cursor
            feed.updated_from = pass_started - OVERLAP if finished else updated_from
            feed.last_page_at = timezone.now()
            feed.save()

        items = [release_item(release, f"page {number}, release {index}")
                 for index, release in enumerate(page.releases, start=1)]
        run = notices_import_items(
            items=items, location=page.url, release_source=source, after_store=remember, user=user,
        )
        runs.append(run)
        if run.status == ImportRun.Status.FAILED:
            raise LiveFeedError(f"Page {number} from {service.name} could not be stored: {run.message}")
        say(f"  page {number}: {len(page.releases):,} releases; {run.message}")
        if finished:
            say(f"{service.name}: reached the last page; the next run asks for notices changed since "
                f"{feed.updated_from:%Y-%m-%d %H:%M} UTC.")
            break
        cursor = page.next_cursor
    return runs


def decoded(body: bytes) -> str:
    """The body as text, in the first encoding that reads it; ISO-8859-1 reads any byte."""
    for encoding in ENCODINGS:
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("iso-8859-1")


def read_package(text: str):
    """The JSON in the text, or None; a number beyond a float (or NaN) is kept as its text."""
    try:
        return json.loads(text, parse_float=finite_or_text, parse_constant=str)
    except ValueError:
        return None


def query_value(address: str, name: str) -> str:
    """A query parameter of a link, percent-decoded but with '+' kept as a plus (see the docstring)."""
    for part in urlsplit(address).query.split("&"):
        key, _, value = part.partition("=")
        if unquote(key) == name:
            return unquote(value)
    return ""


def _start(text: str) -> str:
    return " ".join(text.split())[:80]
