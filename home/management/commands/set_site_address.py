"""Point the default Wagtail Site at the address the development server serves.

Page URLs outside a request's own links (calendar files, Wagtail's full URLs)
come from the Site record, which the migrations create as ``localhost`` on port
80; ``make run PORT=…`` serves elsewhere. This sets the record to the address
of WAGTAILADMIN_BASE_URL (the one e-mails link to), so both agree. For local
development only; in production the Site is set in the admin (Settings → Sites).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site


class Command(BaseCommand):
    help = (
        "Development only: set the default site's hostname and port to those of "
        "WAGTAILADMIN_BASE_URL (or --url). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=None,
            help="The address served, e.g. http://127.0.0.1:8001 "
            "(default: WAGTAILADMIN_BASE_URL).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "For local development only (DEBUG is off): set the site's address "
                "in the admin, Settings → Sites."
            )
        url = urlsplit(options["url"] or settings.WAGTAILADMIN_BASE_URL)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise CommandError(f"Not an http(s) address: {url.geturl()!r}.")
        port = url.port or (443 if url.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default site: run `manage.py migrate`.")
        if (site.hostname, site.port) == (url.hostname, port):
            self.stdout.write(f"The site is already at {site.root_url}.")
            return
        site.hostname, site.port = url.hostname, port
        site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"The site is now at {site.root_url}.")
