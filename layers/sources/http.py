"""HTTP for the public data services: limits, retries, paging and a disk cache.

Everything the clients of :mod:`layers.sources.gemeente` download goes through one
:class:`HttpClient`:

* a connect timeout and a read timeout (the longest wait for the next bytes), an overall
  deadline per layer, a maximum response size and a maximum number of pages
  (:class:`HttpSettings`); each limit ends with a one-line :class:`~layers.errors.DataError`
  naming the URL and the limit;
* retries with exponential back-off on HTTP 429 and 5xx, on connection errors and on
  timeouts (``Retry-After`` honoured up to ``max_backoff``);
* paging along OGC API ``next`` links (or any ``next_url`` function), with a loop check;
* a disk cache (:class:`DiskCache`) keyed by the full URL, one file per page, written
  atomically: a second run downloads nothing and an interrupted run resumes after the last
  page it finished; ``offline=True`` uses the cache only.

Standard library only (``urllib``): proxies from the environment (``HTTPS_PROXY``) work as in
any other Python program. Qt-free; cancellation through ``feedback.is_cancelled()`` between
requests and between the chunks of a response.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from layers.errors import DataError
from layers.feedback import CancelledError
from layers.texts import Translatable

__all__ = ["CancelledError", "DiskCache", "HttpClient", "HttpError", "HttpSettings", "Page", "default_cache_dir"]

USER_AGENT = "beter-benutten (gisapp ophalen)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class HttpSettings:
    """Limits and retry behaviour; every number has a unit in its name or doc.

    Parameters
    ----------
    connect_timeout : seconds to open the connection (TCP and TLS).
    read_timeout : seconds to wait for the next bytes of an answer (the 3D BAG API can take
        15 s before its first byte).
    layer_deadline : seconds one layer (all its pages, retries included) may take.
    max_response_bytes : largest single answer.
    max_pages : most pages one layer may have.
    retries : extra attempts after a failed request (HTTP 429/5xx, connection errors, timeouts).
    backoff : seconds before the first retry; doubled each time, at most ``max_backoff``.
    """

    connect_timeout: float = 15.0
    read_timeout: float = 120.0
    layer_deadline: float = 3600.0
    max_response_bytes: int = 256 * 1024 * 1024
    max_pages: int = 5000
    retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 60.0

    def __post_init__(self):
        for name in ("connect_timeout", "read_timeout", "layer_deadline", "backoff", "max_backoff"):
            if not getattr(self, name) >= 0:
                raise ValueError(Translatable("{name} moet 0 of meer zijn, niet {value}", name=name, value=getattr(self, name)))
        if self.max_response_bytes < 1 or self.max_pages < 1 or self.retries < 0:
            raise ValueError(Translatable("max_response_bytes en max_pages moeten minstens 1 zijn, retries 0 of meer"))


class HttpError(DataError):
    """The server answered with an HTTP error status (``status``) after the retries."""

    def __init__(self, message: str, url: str, status: int):
        self.status = status
        super().__init__(message, path=url)


def default_cache_dir() -> Path:
    """``$BB_CACHE_DIR``, else the user's cache folder: ``%LOCALAPPDATA%`` (Windows),
    ``~/Library/Caches`` (macOS), ``$XDG_CACHE_HOME`` or ``~/.cache``; plus ``beter-benutten/http``."""
    configured = os.environ.get("BB_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "beter-benutten" / "http"


@dataclass
class Page:
    """One answer: its body, the headers that matter, and where it came from."""

    url: str
    body: bytes
    headers: dict[str, str]
    from_cache: bool
    opgehaald: str  # ISO date of the download (the original one for a cached page)

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DataError(Translatable("de server gaf geen geldige JSON terug"), path=self.url) from exc


class DiskCache:
    """Answers on disk, one body and one small JSON (URL, headers, date) per URL.

    Files are written to a temporary name and renamed, so a run killed while writing leaves
    no half page behind.
    """

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder).expanduser() if folder is not None else default_cache_dir()

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        base = self.folder / key[:2] / key
        return base.with_suffix(".body"), base.with_suffix(".json")

    def has(self, url: str) -> bool:
        """Whether an answer for ``url`` is stored."""
        return self._paths(url)[1].exists()

    def get(self, url: str) -> Page | None:
        body_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or meta.get("size") != len(body):
            return None
        return Page(url, body, dict(meta.get("headers") or {}), True, str(meta.get("opgehaald", "")))

    def put(self, page: Page) -> None:
        body_path, meta_path = self._paths(page.url)
        try:
            body_path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(body_path, page.body)
            meta = {"url": page.url, "size": len(page.body), "headers": page.headers, "opgehaald": page.opgehaald}
            _atomic_write(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            raise DataError(Translatable("kan de cache niet schrijven ({reason}); kies een andere map met --cache",
                                         reason=exc.strerror), path=self.folder) from exc


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")  # two fetches may share a cache
    tmp.write_bytes(data)
    os.replace(tmp, path)


def with_params(url: str, params: dict[str, Any] | None) -> str:
    """``url`` with ``params`` added to its query (None values left out; ``,:/`` kept readable)."""
    if not params:
        return url
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None}, safe=",:/")
    if not query:
        return url
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + query


def ogc_next_link(document: Any) -> str | None:
    """The ``rel=next`` link of an OGC API Features page, or None."""
    if not isinstance(document, dict):
        return None
    for link in document.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


@dataclass
class HttpStats:
    """What a client did: pages downloaded and read from the cache."""

    downloaded: int = 0
    from_cache: int = 0
    bytes_downloaded: int = 0
    urls: list[str] = field(default_factory=list)


class HttpClient:
    """Downloads with limits, retries and the cache (see the module docstring).

    Parameters
    ----------
    settings : limits; default :class:`HttpSettings`.
    cache : a :class:`DiskCache`, or None for no cache (then ``offline`` cannot work).
    offline : use only the cache; a page not in it is a ``DataError``.
    fresh_since : ISO date; a cached page downloaded before it is downloaded again (``--vernieuwen``
        passes today, so an interrupted refresh still resumes the same day).
    feedback : object with ``is_cancelled()`` (and ``progress``/``message``), or None.
    sleep : how to wait between retries (tests pass a recorder).
    """

    def __init__(
        self,
        settings: HttpSettings | None = None,
        cache: DiskCache | None = None,
        *,
        offline: bool = False,
        fresh_since: str | None = None,
        feedback: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if offline and cache is None:
            raise ValueError(Translatable("offline werken kan alleen met een cache"))
        self.settings = settings or HttpSettings()
        self.cache = cache
        self.offline = offline
        self.fresh_since = fresh_since
        self.feedback = feedback
        self.stats = HttpStats()
        self._sleep = sleep
        self._tls: ssl.SSLContext | None = None  # made once: loading the system's CA store takes ~0.1 s

    # ------------------------------------------------------------------ one request

    def get(self, url: str, params: dict[str, Any] | None = None, *, deadline: float | None = None,
            accept: str = "application/geo+json, application/json;q=0.9") -> Page:
        """One answer from the cache or the server (``deadline``: ``time.monotonic()`` limit)."""
        full = with_params(url, params)
        _check_scheme(full)
        if self.cache is not None:
            cached = self.cache.get(full)
            if cached is not None and (self.offline or not self.fresh_since or cached.opgehaald >= self.fresh_since):
                self.stats.from_cache += 1
                return cached
        if self.offline:
            raise DataError(Translatable("staat niet in de cache en er wordt offline gewerkt; haal eerst op zonder --offline"), path=full)
        page = self._download(full, accept, deadline)
        if self.cache is not None:
            self.cache.put(page)
        self.stats.downloaded += 1
        self.stats.bytes_downloaded += len(page.body)
        self.stats.urls.append(full)
        return page

    def is_cached(self, url: str, params: dict[str, Any] | None = None) -> bool:
        """Whether the answer for ``url`` (with ``params``) is in the cache."""
        if self.cache is None:
            return False
        full = with_params(url, params)
        if not self.fresh_since or self.offline:
            return self.cache.has(full)
        cached = self.cache.get(full)
        return cached is not None and cached.opgehaald >= self.fresh_since

    def get_json(self, url: str, params: dict[str, Any] | None = None, *, deadline: float | None = None) -> tuple[Any, Page]:
        page = self.get(url, params, deadline=deadline)
        return page.json(), page

    def _download(self, url: str, accept: str, deadline: float | None) -> Page:
        s = self.settings
        attempt = 0
        while True:
            self._check_cancelled()
            try:
                return self._once(url, accept, deadline)
            except _Retryable as exc:
                if attempt >= s.retries:
                    raise exc.error from None
                wait = min(s.max_backoff, s.backoff * (2**attempt))
                if exc.retry_after is not None:
                    wait = min(s.max_backoff, max(wait, exc.retry_after))
                if deadline is not None and time.monotonic() + wait > deadline:
                    raise exc.error from None
                attempt += 1
                if self.feedback is not None and hasattr(self.feedback, "message"):
                    self.feedback.message(Translatable("{error}; nieuwe poging {attempt} van {retries} over {wait:g} s",
                                                        error=exc.error.message, attempt=attempt, retries=s.retries, wait=wait))
                self._wait(wait)

    def _wait(self, seconds: float) -> None:
        """Sleep ``seconds`` in short steps, so a cancel is seen within a quarter of a second."""
        end = time.monotonic() + seconds
        remaining = seconds
        while remaining > 0:
            self._check_cancelled()
            self._sleep(min(0.25, remaining))
            remaining = end - time.monotonic() if self._sleep is time.sleep else remaining - 0.25

    def _once(self, url: str, accept: str, deadline: float | None) -> Page:
        s = self.settings
        read_timeout = s.read_timeout
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _deadline_error(url, s)
            read_timeout = min(read_timeout, remaining)
        if self._tls is None and url.lower().startswith("https:"):
            self._tls = ssl.create_default_context()
        opener = urllib.request.build_opener(
            _TimeoutHTTPHandler(read_timeout), _TimeoutHTTPSHandler(read_timeout, self._tls)
        )
        request = urllib.request.Request(url, headers={"Accept": accept, "Accept-Encoding": "gzip", "User-Agent": USER_AGENT})
        try:
            response = opener.open(request, timeout=s.connect_timeout or None)
        except urllib.error.HTTPError as exc:
            retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            exc.close()
            error = HttpError(Translatable("de server antwoordde met HTTP {code} ({reason})", code=exc.code, reason=str(exc.reason)),
                              url, exc.code)
            if exc.code in _RETRY_STATUS:
                raise _Retryable(error, retry_after) from None
            raise error from None
        except (urllib.error.URLError, TimeoutError, socket.timeout, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (TimeoutError, socket.timeout)) or isinstance(exc, (TimeoutError, socket.timeout)):
                message = Translatable("geen antwoord binnen de tijdslimiet (connect_timeout {connect:g} s, read_timeout {read:g} s)",
                                       connect=s.connect_timeout, read=read_timeout)
            else:
                message = Translatable("de server is niet bereikbaar ({reason}); controleer de netwerkverbinding, of werk met "
                                       "--offline als alles al in de cache staat", reason=_short(reason))
            raise _Retryable(DataError(message, path=url), None) from None
        with response:
            headers = {k.lower(): v for k, v in response.headers.items() if k.lower() in ("content-crs", "content-type", "last-modified", "date")}
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > s.max_response_bytes:
                raise _too_large(url, s.max_response_bytes)
            body = _Body(url, s.max_response_bytes, response.headers.get("Content-Encoding", ""))
            while True:
                self._check_cancelled()
                if deadline is not None and time.monotonic() > deadline:
                    raise _deadline_error(url, s)
                try:
                    chunk = response.read1(_CHUNK)
                except (TimeoutError, socket.timeout):
                    message = Translatable("de server stopte halverwege met zenden (read_timeout {read:g} s)", read=read_timeout)
                    raise _Retryable(DataError(message, path=url), None) from None
                except (OSError, http.client.HTTPException) as exc:
                    message = Translatable("de verbinding viel weg tijdens het downloaden ({reason})", reason=_short(exc))
                    raise _Retryable(DataError(message, path=url), None) from None
                if not chunk:
                    break
                body.add(chunk)
        return Page(url, body.finish(), headers, False, date.today().isoformat())

    def _check_cancelled(self) -> None:
        if self.feedback is not None and self.feedback.is_cancelled():
            raise CancelledError(Translatable("downloaden afgebroken door gebruiker"))

    # ------------------------------------------------------------------ paging

    def pages(
        self,
        url: str,
        params: dict[str, Any] | None = None,
        *,
        next_url: Callable[[Any], str | None] = ogc_next_link,
        deadline: float | None = None,
    ) -> Iterator[tuple[Any, Page]]:
        """The JSON pages of a paged answer, following ``next_url(document)`` until it is None.

        Raises ``DataError`` past ``max_pages``, past ``layer_deadline`` (counted from the first
        page unless ``deadline`` is given) and when a ``next`` link points at a page seen before.
        """
        s = self.settings
        deadline = deadline if deadline is not None else time.monotonic() + s.layer_deadline
        seen: set[str] = set()
        current: str | None = with_params(url, params)
        count = 0
        while current:
            if current in seen:
                raise DataError(Translatable("de 'next'-links van de server lopen in een kring (deze pagina kwam al eerder)"),
                                path=current)
            seen.add(current)
            count += 1
            if count > s.max_pages:
                raise DataError(Translatable("meer dan {pages} pagina's (limiet max_pages)", pages=s.max_pages), path=url)
            # a cached page never counts against the deadline
            document, page = self.get_json(current, deadline=None if self.is_cached(current) else deadline)
            yield document, page
            current = next_url(document)


class _Body:
    """An answer's bytes as they arrive, gunzipped when the server compressed them; the size
    limit counts the decompressed bytes (a small gzip can unpack to gigabytes)."""

    def __init__(self, url: str, limit: int, encoding: str):
        self.url = url
        self.limit = limit
        self.size = 0
        self.chunks: list[bytes] = []
        self.gunzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding.strip().lower() == "gzip" else None

    def add(self, chunk: bytes) -> None:
        if self.gunzip is None:
            self._keep(chunk)
            return
        data = self._inflate(chunk)
        self._keep(data)
        while self.gunzip.unconsumed_tail:
            self._keep(self._inflate(self.gunzip.unconsumed_tail))

    def finish(self) -> bytes:
        if self.gunzip is not None:
            self._keep(self.gunzip.flush())
        return b"".join(self.chunks)

    def _inflate(self, data: bytes) -> bytes:
        try:
            return self.gunzip.decompress(data, self.limit - self.size + 1)
        except zlib.error as exc:
            raise DataError(Translatable("het gecomprimeerde antwoord is beschadigd ({reason})", reason=str(exc)), path=self.url) from None

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise _too_large(self.url, self.limit)
        if data:
            self.chunks.append(data)


def _deadline_error(url: str, s: HttpSettings) -> DataError:
    return DataError(Translatable("downloaden duurde langer dan {seconds:g} s voor deze laag (limiet layer_deadline)",
                                  seconds=s.layer_deadline), path=url)


def _too_large(url: str, limit: int) -> DataError:
    return DataError(Translatable("het antwoord is groter dan {limit} bytes (limiet max_response_bytes)", limit=limit), path=url)


def _check_scheme(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(Translatable("'{url}' is geen http(s)-adres", url=url))


def _short(reason: Any) -> str:
    text = str(getattr(reason, "strerror", None) or reason)
    return text.splitlines()[0][:200] if text else type(reason).__name__


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class _Retryable(Exception):
    def __init__(self, error: DataError, retry_after: float | None):
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def _connection_class(base: type, read_timeout: float) -> Callable[..., Any]:
    """A connection class opening with the request's timeout (the connect timeout) and then
    waiting at most ``read_timeout`` for every read."""

    class _Connection(base):  # type: ignore[misc, valid-type]
        def connect(self):
            super().connect()
            self.sock.settimeout(read_timeout or None)

    return _Connection


class _TimeoutHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float):
        super().__init__()
        self._connection = _connection_class(http.client.HTTPConnection, read_timeout)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _TimeoutHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float, tls: ssl.SSLContext | None):
        self._tls = tls
        super().__init__(context=tls)
        self._connection = _connection_class(http.client.HTTPSConnection, read_timeout)

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._tls)
