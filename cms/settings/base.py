"""Production-safe settings shared by every environment.

Environment variables are read here and only here (see README, "Configuration").
Security-critical values have no default: production settings refuse to start
without them.
"""

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "home",
    "action_lines",
    "inventory",
    "reporting",
    "search",
    "demo",
    "ops",
    "accounts",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "axes",
    "csp",
    "django_prometheus",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Counts every request, the operations endpoints' too (ops/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request's id, in every log record of the request (ops/request_id.py).
    "ops.request_id.RequestIdMiddleware",
    # /healthz, /readyz and /metrics, before the host check and the HTTPS
    # redirect: the balancer and Prometheus ask each server directly.
    "ops.middleware.OperationsEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "home.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff whose group requires it pass a second factor before the admin.
    "accounts.middleware.AdminTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Latency and responses by view (django-prometheus).
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in attempts from a locked-out user or address.
    "axes.backends.AxesStandaloneBackend",
    # The admin's sign-in, by user name.
    "django.contrib.auth.backends.ModelBackend",
    # Stakeholder accounts' sign-in, by e-mail address, outside the admin only.
    "accounts.backends.AccountBackend",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Database: DATABASE_URL is required in production; dev and test default to SQLite.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the six official UN languages, for the interface and
# for content. A page not (yet) translated into a language is served in English
# under that language's prefix, with a notice (home/page_languages.py).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("zh-hans", "中文"),
    ("ar", "العربية"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# Uploaded files (documents, images, their renditions) are in MEDIA_ROOT, or,
# with several servers, in an S3-compatible bucket that all of them share
# (django-storages' S3Storage; the credentials come from boto3's usual
# sources: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the host's role).
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
MEDIA_S3_ENDPOINT_URL = env("MEDIA_S3_ENDPOINT_URL", default="")
MEDIA_S3_REGION = env("MEDIA_S3_REGION", default="")


def media_storage(
    bucket=MEDIA_S3_BUCKET, endpoint_url=MEDIA_S3_ENDPOINT_URL, region=MEDIA_S3_REGION
):
    """Return the ``default`` storage: the bucket if one is named, else MEDIA_ROOT."""
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            # No ACL is sent: objects are as private as the bucket (buckets
            # are, unless made public; stores that refuse ACLs accept this).
            # Documents are served by the site's own view, which applies their
            # collection's privacy; other files (image renditions) by signed
            # addresses that expire.
            "default_acl": None,
            "querystring_auth": True,
            # Two uploads of "report.pdf" are two files, as on a disk.
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="WSIS platform <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "WSIS implementation"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no remote assets: the site works offline
WAGTAIL_ENABLE_UPDATE_CHECK = False  # nor remote calls from the admin (its CSP)
WAGTAILADMIN_NOTIFICATION_USE_HTML = False
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_FINDERS = []  # no calls to remote oEmbed providers
# Uploads: documents are checked against their extension's file signature
# (home.uploads) and only PDF and plain text are ever shown inline; everything
# else is served as an attachment. No SVG images (they can carry script).
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.uploads.CheckedDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Translations (wagtail-localize). "Translate this page" makes a linked copy in
# the other content language (same translation_key) as a draft, never live: it
# is published through the same workflow as its source (team review, Secretariat
# approval, report editorial review). It is edited in Wagtail's own editor, where
# it can be submitted to that workflow; "Start synced translation" opts a page
# into wagtail-localize's segment editor, which can only publish (for those who
# may publish the page) or save drafts. No machine translation: no remote calls.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "simple"

# Search: the database backend unless an Elasticsearch-family cluster is given.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
SEARCH_BACKEND = env("SEARCH_BACKEND", default="opensearch3")
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", default="wsis")
# Once the engine has failed (refused, timed out), each process answers searches
# from the database for this many seconds before trying the engine again, rather
# than making every visitor wait for the timeout of an engine that hangs.
SEARCH_ENGINE_RETRY_AFTER = env.int("SEARCH_ENGINE_RETRY_AFTER", default=30)
# Each of Wagtail's backends talks to its engine through the engine's Python
# client of the same major version; with another one it fails on the first
# request without saying why, so the settings refuse to load instead.
SEARCH_CLIENTS = {
    # backend: (client distribution, its major version, how to install it)
    "opensearch2": ("opensearch-py", 2, "pip install 'opensearch-py>=2,<3'"),
    "opensearch3": ("opensearch-py", 3, "pip install ."),
    "elasticsearch8": ("elasticsearch", 8, "pip install '.[elasticsearch8]'"),
    "elasticsearch9": ("elasticsearch", 9, "pip install '.[elasticsearch9]'"),
}


def sqlite_for_concurrent_writers(database, q_cluster):
    """On SQLite, the web server and the django-q2 worker share one file.

    With write-ahead logging they read while one writes, and each request's
    transaction takes the write lock when it begins (``IMMEDIATE``), so a request
    that read and then writes waits for another writer instead of failing with
    "database is locked". Returns the worker settings: one worker on SQLite.
    """
    if not database["ENGINE"].endswith("sqlite3"):
        return q_cluster
    database["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    return {**q_cluster, "workers": 1}


def check_search_client(backend):
    if backend not in SEARCH_CLIENTS:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND={backend!r} is not one of "
            f"{', '.join(SEARCH_CLIENTS)} (see README, Configuration)."
        )
    distribution, major, install = SEARCH_CLIENTS[backend]
    try:
        installed = version(distribution)
    except PackageNotFoundError:
        installed = None
    if installed is None or installed.split(".")[0] != str(major):
        found = f"{installed} is installed" if installed else "it is not installed"
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND={backend} needs the {distribution} client {major}.x, "
            f"but {found}. Install it with: {install} (see README, Configuration)."
        )


# Shards and replicas of every index the platform creates (on the next
# update_index for existing ones). One node: 1 and 0. Three nodes: 1 to 3 shards
# and 1 replica, so that every shard survives the loss of any one node.
SEARCH_SHARDS = env.int("SEARCH_SHARDS", default=1)
SEARCH_REPLICAS = env.int("SEARCH_REPLICAS", default=0)
if SEARCH_SHARDS < 1 or SEARCH_REPLICAS < 0:
    raise ImproperlyConfigured(
        "SEARCH_SHARDS must be 1 or more and SEARCH_REPLICAS 0 or more."
    )


def search_backend_settings(urls, backend, index_prefix, shards=1, replicas=0):
    """Wagtail's backend settings for an Elasticsearch-family cluster.

    ``urls`` lists the cluster's nodes; the client spreads requests over them
    and, when one fails to answer, marks it dead and sends the request to the
    next, so a request fails only when every node did (and only then does the
    inventory rest the engine, SEARCH_ENGINE_RETRY_AFTER). A dead node is tried
    again after 2 s, then 4, 8… up to 64 s while it stays dead. With several
    nodes a timeout is retried on the next node too (it is how an unreachable
    host fails); with one node it is not, so an engine that hangs costs one
    timeout, and a refused connection is retried once.
    """
    urls = list(urls)
    several = len(urls) > 1
    retries = {
        "max_retries": len(urls) - 1 if several else 1,
        "retry_on_timeout": several,
    }
    # Four connections per node leave room for the bulk indexer's parallel
    # requests (inventory.bulk_index).
    if backend.startswith("opensearch"):
        # opensearch-py rests a node dead_timeout * 2 ** min(failures - 1, cutoff).
        client = {"pool_maxsize": 4, "dead_timeout": 2, "timeout_cutoff": 5}
    else:
        client = {
            "connections_per_node": 4,
            "dead_node_backoff_factor": 2,
            "max_dead_node_backoff": 64,
        }
    return {
        "BACKEND": f"wagtail.search.backends.{backend}",
        "URLS": urls,
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": 10,
        # Pages, images and documents are indexed through the index outbox
        # (search.outbox), as inventory entries are: Wagtail's own updates only
        # log the engine's errors, and the change would be lost.
        "AUTO_UPDATE": False,
        # Applied whenever an index is created: update_index creates new ones
        # (the inventory's bulk rebuild too, inventory.bulk_index) and swaps
        # the aliases, so a change takes effect on the next update_index.
        "INDEX_SETTINGS": {
            "settings": {
                "index": {"number_of_shards": shards, "number_of_replicas": replicas}
            }
        },
        "OPTIONS": {**client, **retries},
    }


if ELASTICSEARCH_URL:
    check_search_client(SEARCH_BACKEND)
    WAGTAILSEARCH_BACKENDS = {
        "default": search_backend_settings(
            [url.strip() for url in ELASTICSEARCH_URL.split(",") if url.strip()],
            SEARCH_BACKEND,
            f"{SEARCH_INDEX_PREFIX}_",
            shards=SEARCH_SHARDS,
            replicas=SEARCH_REPLICAS,
        )
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"},
    }

# Background work: django-q2, its queue in the database (the ORM broker) in
# every environment. A cluster takes a task under a lease and deletes it only
# once it has run: a qcluster that dies (killed, its host lost) leaves its tasks
# to be handed out again to another when the lease ends (Q_RETRY). django-q2's
# Redis broker has no such receipt: the tasks a dying cluster had taken, running
# or prefetched, would be lost. Schedules are locked in the database too, so
# several clusters run each scheduled task once (on PostgreSQL).
REDIS_URL = env("REDIS_URL", default="")
Q_TIMEOUT = env.int("Q_TIMEOUT", default=300)
Q_RETRY = env.int("Q_RETRY", default=360)
if Q_RETRY <= Q_TIMEOUT:
    raise ImproperlyConfigured(
        "Q_RETRY must be longer than Q_TIMEOUT: a task still running when its "
        "lease ends would be handed to a second worker."
    )
Q_CLUSTER = {
    "name": "wsis",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": Q_TIMEOUT,
    "retry": Q_RETRY,
    "max_attempts": 5,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": _("Background tasks"),
    "orm": "default",
}

# Wagtail's own background tasks (index and reference updates) go to django-q2.
TASKS = {"default": {"BACKEND": "home.task_backend.DjangoQBackend"}}

# Platform settings
MEETING_REMINDER_HOURS = env.int("MEETING_REMINDER_HOURS", default=24)
# Reporting cycle: 1 (annual) or 2 (biennial, A/RES/80/173) calendar years.
INVENTORY_CYCLE_YEARS = env.int("INVENTORY_CYCLE_YEARS", default=1)
INVENTORY_CYCLE_ANCHOR_YEAR = env.int("INVENTORY_CYCLE_ANCHOR_YEAR", default=2006)
INVENTORY_CONTRIBUTION_DEADLINE = env(
    "INVENTORY_CONTRIBUTION_DEADLINE", default="02-28"
)
INVENTORY_REMINDER_DAYS = [30, 7, 1]
# Freshness: reporting cycles without an update after which an entry is flagged
# and its submitter asked; days they have to answer before it becomes inactive.
INVENTORY_FRESHNESS_CYCLES = env.int("INVENTORY_FRESHNESS_CYCLES", default=2)
INVENTORY_FRESHNESS_GRACE_DAYS = env.int("INVENTORY_FRESHNESS_GRACE_DAYS", default=90)
# Requests per client (an IPv4 address, or an IPv6 /64): submissions, update
# links, join requests, meeting registrations and password-reset e-mails per
# hour (password resets also per recipient); the API, the CSV export, the
# inventory search page and the site search per minute (home/ratelimit.py). The
# counters live in the cache: production shares it between processes (Redis).
INVENTORY_SUBMIT_RATE_LIMIT = env.int("INVENTORY_SUBMIT_RATE_LIMIT", default=10)
# Status lookups per hour: enough for a submitter, too few to try references.
INVENTORY_STATUS_RATE_LIMIT = env.int("INVENTORY_STATUS_RATE_LIMIT", default=30)
PUBLIC_FORM_RATE_LIMIT = env.int("PUBLIC_FORM_RATE_LIMIT", default=20)
INVENTORY_API_RATE_LIMIT = env.int("INVENTORY_API_RATE_LIMIT", default=120)
INVENTORY_EXPORT_RATE_LIMIT = env.int("INVENTORY_EXPORT_RATE_LIMIT", default=20)
INVENTORY_SEARCH_RATE_LIMIT = env.int("INVENTORY_SEARCH_RATE_LIMIT", default=60)
SITE_SEARCH_RATE_LIMIT = env.int("SITE_SEARCH_RATE_LIMIT", default=60)
PASSWORD_RESET_RATE_LIMIT = env.int("PASSWORD_RESET_RATE_LIMIT", default=5)
# PDF previews of draft reports per address and hour (each takes seconds of CPU;
# published reports' PDFs are rendered once and served from storage).
REPORT_PDF_PREVIEW_RATE_LIMIT = env.int("REPORT_PDF_PREVIEW_RATE_LIMIT", default=20)

# Sign-in protection (django-axes): five failures lock the user name from that
# address for an hour; the lockout answers 429 with the site's page.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_VERBOSE = False
# django-axes guards the admin's sign-in; stakeholder accounts (/accounts/) have
# allauth's own limits (ACCOUNT_RATE_LIMITS below).
AXES_WHITELIST_CALLABLE = "accounts.backends.outside_admin"

# Stakeholder accounts (django-allauth): sign-in by e-mail address, which must be
# verified; the same answers whether an address has an account or not.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my:home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# User names are made up from the address at sign-up; kept in lower case, they
# are looked up by the table's index (with casing kept, allauth compares them
# case-insensitively, which reads every user).
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WSIS] "
# A field hidden from people that bots fill in: their sign-up pretends to work.
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# allauth's format: "<requests>/<period>/<per>", per "ip" (a client: an IPv4
# address or an IPv6 /64, as home/ratelimit.py counts) or "key" (the e-mail
# address given), comma-separated for several limits.
ACCOUNT_RATE_LIMITS = {
    "signup": env("ACCOUNTS_SIGNUP_RATE_LIMIT", default="10/h/ip"),
    "login": env("ACCOUNTS_LOGIN_RATE_LIMIT", default="30/m/ip"),
    "login_failed": env("ACCOUNTS_LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "reset_password": env(
        "ACCOUNTS_PASSWORD_RESET_RATE_LIMIT", default="20/h/ip,5/h/key"
    ),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) and
# recovery codes. Staff may always turn it on; the groups named here (and those
# the Secretariat ticks in Settings → Staff sign-in) must use it for the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WSIS implementation"
# Staff addresses are set by the Secretariat, not verified by a link; stakeholder
# accounts always have a verified address (ACCOUNT_EMAIL_VERIFICATION).
MFA_ALLOW_UNVERIFIED_EMAIL = True
STAFF_MFA_REQUIRED_GROUPS = env.list("STAFF_MFA_REQUIRED_GROUPS", default=[])
# Which e-mails a stakeholder account wants, and its language (home.mail).
MAIL_RECIPIENT_PREFERENCES = "accounts.preferences.preference_for"
# Claiming an entry by its contact address: how long the e-mailed link works,
# and how many links a client (and an address) may ask for per hour.
ACCOUNTS_CLAIM_LINK_MAX_AGE = env.int("ACCOUNTS_CLAIM_LINK_MAX_AGE", default=3 * 86400)
ACCOUNTS_CLAIM_RATE_LIMIT = env.int("ACCOUNTS_CLAIM_RATE_LIMIT", default=5)
# Saved searches an account may keep (each has a digest and a feed).
ACCOUNTS_MAX_SAVED_SEARCHES = env.int("ACCOUNTS_MAX_SAVED_SEARCHES", default=50)

# Content Security Policy (django-csp) on every public page: no inline script
# or style anywhere on the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# The admin's own policy (home.csp): the strictest Wagtail's admin works under;
# docs/security.md says why each directive is what it is.
ADMIN_CONTENT_SECURITY_POLICY = {
    "URL_PREFIXES": ["/admin/"],
    "REPORT_ONLY": False,
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# /metrics (ops/metrics.py) answers only these addresses or networks, and only
# requests made straight to the server (none relayed by a proxy).
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1/8", "::1"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
