"""A crawler of the public site, through Django's test client.

From a few start pages it follows every internal link of the HTML pages it
reads and records, for each address, its status and, for HTML pages, whether
they have a title and a meta description. Links of one kind are made by the
same code, so it samples them to stay fast: it requests at most ``per_kind``
addresses of each kind, a kind being the language, the first segment of the
path, its depth and whether it has a query string (``/fr/action-lines/c5/``
and ``/fr/action-lines/c2/`` are of one kind; ``/fr/action-lines/c5/team/``
of another). The admin and the accounts' pages and downloads are only
checked, never read for links; it stops after ``limit`` requests.
"""

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings

from bs4 import BeautifulSoup

# Checked (status only), never read for links.
NOT_FOLLOWED = ("/admin/", "/accounts/", "/my/", "/documents/", "/static/", "/media/")
PREFIXES = {f"/{code}/": code for code, _name in settings.LANGUAGES if code != "en"}


def kind_of(url):
    """Return (language, first segment, depth, has a query) of ``url``."""
    parts = urlsplit(url)
    path = parts.path
    language = "en"
    for prefix, code in PREFIXES.items():
        if path.startswith(prefix):
            language, path = code, path[len(prefix) - 1 :]
    segments = [segment for segment in path.split("/") if segment]
    first = segments[0] if segments else ""
    return language, first, len(segments), bool(parts.query)


@dataclass
class Crawl:
    """What a crawl found: statuses, and the pages lacking a title or description."""

    statuses: dict = field(default_factory=dict)  # url -> status
    found_on: dict = field(default_factory=dict)  # url -> first page linking it
    untitled: list = field(default_factory=list)
    undescribed: list = field(default_factory=list)
    pages_read: int = 0
    requests: int = 0
    exhausted: bool = False  # every link of the sampled kinds was followed

    def broken(self):
        return sorted(
            f"{status} {url} (linked from {self.found_on.get(url, 'the start')})"
            for url, status in self.statuses.items()
            if status >= 400
        )


def internal(href, base):
    """Return the path (and query) of ``href`` if it is on this site, else None."""
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    url = urldefrag(urljoin(base, href)).url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_page(crawl, url, html):
    soup = BeautifulSoup(html, "html.parser")
    title = soup.find("title")
    if title is None or not title.get_text(strip=True):
        crawl.untitled.append(url)
    description = soup.find("meta", attrs={"name": "description"})
    if description is None or not description.get("content", "").strip():
        crawl.undescribed.append(url)
    return [
        element.get("href")
        for element in soup.find_all(["a", "link"])
        if element.name == "a" or "alternate" in (element.get("rel") or [])
    ]


def crawl_site(client, starts, per_kind=4, limit=1000):
    """Crawl from ``starts`` (paths) with ``client``; return a :class:`Crawl`."""
    crawl = Crawl()
    queue = deque(starts)
    seen = set(starts)
    kinds = {}
    while queue and crawl.requests < limit:
        url = queue.popleft()
        kind = kind_of(url)
        if url not in starts and kinds.get(kind, 0) >= per_kind:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        crawl.requests += 1
        response = client.get(url, follow=True)
        crawl.statuses[url] = response.status_code
        for hop, _status in response.redirect_chain:
            target = internal(hop, "http://testserver" + url)
            if target:
                crawl.statuses.setdefault(target, response.status_code)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or not is_html:
            continue
        if urlsplit(url).path.startswith(NOT_FOLLOWED):
            continue
        crawl.pages_read += 1
        final = response.request.get("PATH_INFO", url)
        for href in check_page(crawl, url, response.content.decode()):
            target = internal(href, "http://testserver" + final)
            if target and target not in seen:
                seen.add(target)
                crawl.found_on[target] = url
                queue.append(target)
    crawl.exhausted = not queue
    return crawl
