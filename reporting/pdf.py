"""The report as PDF, with WeasyPrint, from the print template.

Rendering takes seconds of CPU, so a published report's PDF is rendered once
per published revision, in the background (``reporting.tasks``), stored, and
served from storage (``ReportPDF``). Only an editor's preview of a draft renders
within a request, under a rate limit.

WeasyPrint fetches what the HTML links to; it is given the site's static files
(the print stylesheet) and nothing else: no request leaves the server, and the
render needs no running web server.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.handlers.wsgi import WSGIRequest
from django.template.loader import render_to_string
from django.utils import translation

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesFetcher(URLFetcher):
    """Resolves the site's static URLs to their files; refuses every other URL."""

    def fetch(self, url, headers=None):
        path = urlsplit(url).path
        static_url = urlsplit(settings.STATIC_URL).path
        if not path.startswith(static_url):
            raise ValueError(f"Only static files are fetched: {url}")
        name = path.removeprefix(static_url)
        found = finders.find(name)
        if found:
            with open(found, "rb") as file:
                body = file.read()
        elif staticfiles_storage.exists(name):  # collected, with a hashed name
            with staticfiles_storage.open(name) as file:
                body = file.read()
        else:
            raise ValueError(f"No such static file: {url}")
        mime_type = "text/css" if name.endswith(".css") else "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def render_pdf(report, request):
    """Return the PDF of ``report`` as it is in memory (a revision, or a draft)."""
    context = report.get_context(request, printing=True)
    context["pdf"] = True
    html = render_to_string("reporting/report_print.html", context, request=request)
    return weasyprint.HTML(
        string=html,
        base_url=request.build_absolute_uri("/"),
        url_fetcher=StaticFilesFetcher(),
    ).write_pdf()


def render_revision_pdf(revision):
    """Return the PDF of a published revision, rendered without a visitor.

    In the report's own language, with its links pointing at its site.
    """
    report = revision.as_object()
    # The request Wagtail's previews simulate: the page's own address.
    request = WSGIRequest(report._get_dummy_headers())
    request.user = AnonymousUser()
    with translation.override(report.locale.language_code):
        return render_pdf(report, request)
