r"""Load profile of the public site, for bench/load_bench.py (locust, headless).

Visitors search the inventory (random filters from the contract's query string,
text queries, later pages), read entries and action lines and call the JSON API;
one submitter posts exactly one entry per second through /inventory/submit/.

bench/load_bench.py writes the input (LOAD_BENCH_DATA: entry ids, reporting
years, countries, action-line page paths) and reads back LOAD_BENCH_RESULTS:
every request's name, start, duration and outcome, the API's engine_degraded
flag, and the tracking reference of every accepted submission. It can also run
on its own against a served site:

    LOAD_BENCH_DATA=data.json LOAD_BENCH_RESULTS=out.json \
        locust -f bench/locustfile.py --headless -u 20 -t 60s --host http://127.0.0.1:8000
"""

import json
import os
import random
import re
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import gevent.pool
from locust import FastHttpUser, between, constant_throughput, events, task

DATA = json.loads(open(os.environ["LOAD_BENCH_DATA"]).read())  # noqa: SIM115
RESULTS = os.environ.get("LOAD_BENCH_RESULTS", "")
STARTED = os.environ.get("LOAD_BENCH_STARTED", "")

ACTION_LINES = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C7-EGOV", "C7-EBUS",
                "C7-ELEARN", "C7-EHEALTH", "C7-EEMPLOY", "C7-EENV", "C7-EAGRI",
                "C7-ESCI", "C8", "C9", "C10", "C11"]  # fmt: skip
REGIONS = ["africa", "americas", "arab-states", "asia-pacific", "cis", "europe"]
STAKEHOLDERS = ["government", "private-sector", "civil-society",
                "international-organization", "academia", "technical-community",
                "other"]  # fmt: skip
STATUSES = ["planned", "ongoing", "completed"]
TYPES = ["project", "programme", "training", "conference", "website", "guideline",
         "toolkit", "other"]  # fmt: skip
SORTS = ["relevance", "newest", "title"]
WORDS = ["broadband", "cybersecurity", "digital skills", "telemedicine",
         "e-government", "open data", "community networks", "distance learning",
         "e-waste", "media literacy", "spectrum", "digital identity", "youth",
         "rural", "women", "mobile payments", "local content", "regional cooperation",
         "child online protection", "ethics of AI", "library", "farmer", "climate",
         "school connectivity", "national ICT strategy"]  # fmt: skip

SAMPLES = []  # (name, start, milliseconds, error or "")
DEGRADED = []  # (start, engine_degraded) of every API answer
REFERENCES = []  # tracking references of the accepted submissions
FIELD_ERROR = re.compile(r'id="id_(\w+)_error">([^<]*)<')
CSRF_COOKIE = re.compile(r"csrftoken=([^;,\s]+)")


@events.request.add_listener
def record(name, response_time, exception, start_time=None, **_kwargs):
    SAMPLES.append(
        (
            name,
            start_time or time.time() - response_time / 1000,
            response_time,
            f"{type(exception).__name__}: {exception}"[:300] if exception else "",
        )
    )


@events.test_start.add_listener
def started(**_kwargs):
    if STARTED:
        with open(STARTED, "w") as handle:
            handle.write(str(time.time()))


@events.quitting.add_listener
def save(**_kwargs):
    if RESULTS:
        with open(RESULTS, "w") as handle:
            json.dump(
                {"samples": SAMPLES, "degraded": DEGRADED, "references": REFERENCES},
                handle,
            )


class FormDefaults(HTMLParser):
    """What a browser would send for the page's first POST form left as it is.

    Text inputs and textareas with their values, checked boxes, selected options (a
    single select without one sends its first option).
    """

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self.select, self.textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form = True
        if not self.in_form or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = (a["name"], "multiple" in a, [])
        elif tag == "option" and self.select:
            self.select[2].append((a.get("value") or "", "selected" in a))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.fields += [(name, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


def random_filters():
    """One to three random filters of the contract's query string."""
    choices = {
        "action_line": lambda: random.choice(ACTION_LINES),
        "region": lambda: random.choice(REGIONS),
        "country": lambda: random.choice(DATA["countries"]),
        "stakeholder": lambda: random.choice(STAKEHOLDERS),
        "status": lambda: random.choice(STATUSES),
        "type": lambda: random.choice(TYPES),
        "year": lambda: random.choice(DATA["years"]),
        "sdg": lambda: random.randint(1, 17),
    }
    params = [
        (facet, choices[facet]())
        for facet in random.sample(sorted(choices), random.choice([1, 1, 2, 2, 3]))
    ]
    if random.random() < 0.3:
        params.append(("sort", random.choice(SORTS)))
    if random.random() < 0.3:
        params.append(("page", random.randint(2, 5)))
    return params


def text_query():
    params = [("q", random.choice(WORDS))]
    if random.random() < 0.4:
        params += random_filters()
    elif random.random() < 0.3:
        params.append(("page", random.randint(2, 3)))
    return params


class Visitor(FastHttpUser):
    """Someone browsing the public site; short pauses between pages."""

    wait_time = between(0.05, 0.5)

    def get(self, path, name, check=None):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif check is not None:
                problem = check(response)
                if problem:
                    response.failure(problem)

    @task(4)
    def search_filters(self):
        self.get("/inventory/?" + urlencode(random_filters()), "search (filters)")

    @task(3)
    def search_text(self):
        self.get("/inventory/?" + urlencode(text_query()), "search (text)")

    @task(3)
    def entry(self):
        self.get(f"/inventory/entries/{random.choice(DATA['entries'])}/", "entry page")

    @task(1)
    def action_line(self):
        self.get(random.choice(DATA["action_lines"]), "action line page")

    @task(3)
    def api(self):
        params = random_filters() if random.random() < 0.7 else text_query()
        self.get("/api/inventory/?" + urlencode(params), "api", check=self.api_answer)

    @staticmethod
    def api_answer(response):
        try:
            body = response.json()
        except ValueError:
            return "not JSON"
        if not {"count", "page", "results", "facets"} <= set(body):
            return f"keys missing: {sorted(body)}"
        DEGRADED.append((time.time(), bool(body.get("engine_degraded"))))
        return ""


class Submitter(FastHttpUser):
    """Exactly one submitter, posting one new entry per second.

    Each POST runs in its own greenlet and the task returns at once, so a slow
    answer does not delay the next submission: one per second whatever the
    latency.
    """

    fixed_count = 1
    wait_time = constant_throughput(1)
    concurrency = 30  # connections of this user's HTTP session

    def on_start(self):
        self.defaults, self.cookie, self.number = [], "", 0
        self.posts = gevent.pool.Pool()
        # Never follow the redirect (its Location carries the reference). Set once
        # on the user agent: `allow_redirects=False` swaps this setting around each
        # request, which concurrent greenlets would race on.
        self.client.client.redirect_response_codes = frozenset()
        with self.client.get(
            "/inventory/submit/", name="submit form", catch_response=True
        ) as response:
            form = FormDefaults()
            form.feed(response.text or "")
            self.defaults = form.fields
            cookie = CSRF_COOKIE.search(response.headers.get("Set-Cookie", ""))
            if response.status_code != 200 or not cookie:
                response.failure(f"HTTP {response.status_code}, no CSRF cookie")
                return
            # The cookie is `Secure` (production settings): a client talking plain
            # HTTP to 127.0.0.1 must send it back by hand, as browsers do for
            # loopback origins.
            self.cookie = cookie.group(1)

    def on_stop(self):
        self.posts.join(timeout=30)

    @task
    def submit(self):
        self.number += 1
        self.posts.spawn(self.post_entry, self.number)

    def post_entry(self, number):
        codes = random.sample(ACTION_LINES, random.choice([1, 2]))
        # The form's own defaults (CSRF token, preselected options such as the
        # language), then what the submitter fills in.
        fields = {
            "title": f"Load test activity {time.time():.3f} {random.choice(WORDS)}",
            "summary": "An activity submitted by the load benchmark.",
            "description": "First paragraph.\n\nSecond paragraph.",
            "activity_type": random.choice(TYPES),
            "status": random.choice(STATUSES),
            "action_lines": codes,
            "sdgs": [str(random.randint(1, 17))],
            "countries": [random.choice(DATA["countries"])],
            "coverage": "national",
            "stakeholder_type": random.choice(STAKEHOLDERS),
            "organisation_name": f"Load bench organisation {random.randint(1, 50)}",
            "partner_names": "",
            "start_date": "2025-01-15",
            "end_date": "",
            "reporting_year": random.choice(DATA["years"]),
            "website": "",
            "keywords": "load, benchmark",
            "contact_name": "Load Bench",
            "contact_email": f"bench{number}@example.org",
            "homepage": "",  # the honeypot: people leave it empty
        }
        data = [(k, v) for k, v in self.defaults if k not in fields]
        data += [
            (name, item)
            for name, value in fields.items()
            for item in (value if isinstance(value, list) else [value])
        ]
        with self.client.post(
            "/inventory/submit/",
            data=urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.cookie}",
            },
            name="submit",
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            reference = parse_qs(urlsplit(location).query).get("reference", [""])[0]
            if response.status_code == 302 and reference:
                REFERENCES.append(reference)
                response.success()
            else:
                errors = FIELD_ERROR.findall(response.text or "")
                response.failure(f"HTTP {response.status_code} {errors[:3]}")
