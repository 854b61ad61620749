"""The language versions of a public page: switcher, hreflang alternates, lang/dir.

The site speaks the six UN languages (``LANGUAGES``), for the interface and for
content (``WAGTAIL_CONTENT_LANGUAGES``): each locale has its own tree under the
root, made of the pages translated so far. A page's versions share its
``translation_key``, so a single query finds every live version of the page and
of its ancestors, in every locale; it is kept on the request, and the
``<head>``'s alternates, the language switcher and the content's ``lang``
attribute all use it.

Where a language has no live version of the page, the link is the English page
under the language's prefix, ``/es/action-lines/c5/``: the home page routes what
its language's tree lacks through the default tree (``HomePage.route``), so the
English page is served with the interface in that language, its content marked
``lang="en"`` and a notice that it is not yet translated. This holds whether the
language has no page of its own yet or part of its tree is translated.

An alias (a copy Wagtail keeps in step with its source, made for the untranslated
parents of a translated page) shows its source's content: it counts as a page
of that language for ``lang``, and is no language version for ``hreflang``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url as django_translate_url
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import get_language, get_language_info

from wagtail.models import Page

CACHE_ATTRIBUTE = "_wsis_page_languages"
# Languages that write the names of languages in lower case ("en français").
LOWER_CASE_LANGUAGE_NAMES = {"fr", "es", "ru"}


def default_language():
    return settings.LANGUAGE_CODE


def text_direction(language_code):
    try:
        return "rtl" if get_language_info(language_code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def translate_url(url, from_language, to_language):
    """``url``, served in ``from_language``, with ``to_language``'s prefix."""
    # Django resolves the path in the active language: activate the URL's own.
    with translation.override(from_language):
        return django_translate_url(url, to_language)


@dataclass
class PageLanguages:
    """Every live version of a page and of its ancestors, by locale."""

    page: Page
    rows: list
    request: object

    def __post_init__(self):
        self.by_pk = {row.pk: row for row in self.rows}
        steplen = Page.steplen
        own_paths = {
            self.page.path[: steplen * depth]: depth
            for depth in range(2, self.page.depth + 1)
        }
        # The translation key of the page (depth = page.depth) and its ancestors.
        self.key_at_depth = {
            own_paths[row.path]: row.translation_key
            for row in self.rows
            if row.path in own_paths
        }
        self.key_at_depth.setdefault(self.page.depth, self.page.translation_key)
        self.versions = {}
        for row in self.rows:
            self.versions[(row.translation_key, row.locale.language_code)] = row

    # --- What the visitor reads --------------------------------------------

    def content_language_of(self, row):
        """Return the language of what ``row`` shows (an alias shows its source's)."""
        if row.alias_of_id and row.alias_of_id in self.by_pk:
            return self.by_pk[row.alias_of_id].locale.language_code
        return row.locale.language_code

    @property
    def content_language(self):
        row = self.by_pk.get(self.page.pk)
        if row is not None:
            return self.content_language_of(row)
        return self.page.locale.language_code  # a preview, not live yet

    # --- Addresses ----------------------------------------------------------

    def url_of(self, row):
        return row.get_url(self.request) or ""

    @cached_property
    def suffix(self):
        """Return what follows the page's address in the request's path, a sub-route."""
        if self.request is None:
            return ""
        own = self.by_pk.get(self.page.pk) or self.page
        base = self.url_of(own)
        if not base or base.startswith(("http://", "https://")):
            return ""
        # The page as served here: under another language's prefix, maybe.
        served = translate_url(base, own.locale.language_code, get_language())
        path = self.request.path
        if path in (base, served):
            return ""
        # The longest first: the home page's "/" starts every path, "/fr/" too.
        for url in sorted({base, served}, key=len, reverse=True):
            if path.startswith(url):
                return path[len(url) :]
        return ""

    @cached_property
    def query(self):
        if self.request is None:
            return ""
        query = self.request.META.get("QUERY_STRING", "")
        return f"?{query}" if query else ""

    def version(self, language, depth=None):
        key = self.key_at_depth.get(depth or self.page.depth)
        return self.versions.get((key, language)) if key else None

    def nearest(self, language):
        """Return the deepest of the page's ancestors with a version in ``language``."""
        for depth in range(self.page.depth - 1, 1, -1):
            row = self.version(language, depth)
            if row is not None:
                return row
        return None

    def link(self, language):
        """Where the switcher's ``language`` link goes from this page."""
        same_page = self.version(language)
        if same_page is not None:
            return self.url_of(same_page) + self.suffix + self.query
        # Not translated (yet): the default tree under the language's prefix.
        default = default_language()
        base = self.version(default)
        tail = self.suffix + self.query
        if base is None:
            base, tail = self.nearest(default), ""
        if base is None:
            return ""
        return translate_url(self.url_of(base), default, language) + tail

    def alternates(self):
        """Hreflang alternates: each language version of the page, and x-default."""
        request = self.request
        found = {}
        for row in self.rows:
            if row.translation_key != self.page.translation_key or row.alias_of_id:
                continue
            url = self.url_of(row)
            if url:
                found[row.locale.language_code] = request.build_absolute_uri(
                    url + self.suffix
                )
        if not found:
            return []
        order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
        alternates = [
            {"hreflang": code, "href": found[code]}
            for code in sorted(found, key=lambda code: order.get(code, len(order)))
        ]
        default = found.get(default_language())
        if default is None:
            own = self.by_pk.get(self.page.pk)
            default = found.get(own.locale.language_code) if own else None
        if default:
            alternates.append({"hreflang": "x-default", "href": default})
        return alternates


def page_languages(request, page):
    """Return the page's :class:`PageLanguages`, computed once per request.

    The page's :class:`PageLanguages`, computed once per request (one query).
    """
    if page is None or not isinstance(page, Page) or not page.pk or page.depth < 2:
        return None
    cache = getattr(request, CACHE_ATTRIBUTE, None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, CACHE_ATTRIBUTE, cache)
    if page.pk not in cache:
        steplen = Page.steplen
        paths = [page.path[: steplen * depth] for depth in range(2, page.depth + 1)]
        keys = Page.objects.filter(path__in=paths).values("translation_key")
        rows = list(
            Page.objects.live()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .order_by("path")
        )
        cache[page.pk] = PageLanguages(page=page, rows=rows, request=request)
    return cache[page.pk]


def language_links(request, page):
    """One link per interface language, keeping the visitor on the same page."""
    current = get_language()
    languages = page_languages(request, page)
    links = []
    for code, name in settings.LANGUAGES:
        url = languages.link(code) if languages is not None else ""
        if not url and request is not None:
            # Not a page (search, inventory): the same address in that language.
            url = translate_url(request.get_full_path(), current, code)
        links.append(
            {"code": code, "name": name, "url": url or "/", "current": code == current}
        )
    return links


def content_language(request, page):
    """Return the language of the page's content, and whether the interface differs.

    ``interface_name`` is the interface language's name in that language, for
    the notice that the page is not yet translated into it.
    """
    interface = get_language() or default_language()
    languages = page_languages(request, page)
    code = languages.content_language if languages is not None else interface
    try:
        interface_name = str(get_language_info(interface)["name_translated"])
    except KeyError:
        interface_name = interface
    if interface in LOWER_CASE_LANGUAGE_NAMES:
        interface_name = interface_name.lower()
    return {
        "code": code,
        "direction": text_direction(code),
        "differs": code.lower() != interface.lower(),
        "interface_name": interface_name,
    }


def alternates(request, page):
    languages = page_languages(request, page)
    if languages is None or request is None:
        return []
    return languages.alternates()


def own_path(page):
    """``page``'s path as its own language serves it (French pages under /fr/)."""
    with translation.override(page.locale.language_code):
        parts = page.get_url_parts()
    return parts[2] if parts else ""


def page_address(page, language):
    """Return the path at which a reader of ``language`` reads ``page``.

    The path at which a reader of ``language`` reads ``page``, for a link from
    outside the site (an e-mail):

    - the page's version in that language, if it has one;
    - otherwise the default-language page under its prefix (served there with
      a notice that it is not yet translated);
    - otherwise (a page without a default-language version) the page itself.
    """
    languages = page_languages(None, page)
    if languages is not None:
        version = languages.version(language)
        if version is not None:
            return own_path(version)
        default = languages.version(default_language())
        if default is not None:
            return translate_url(own_path(default), default_language(), language)
    return own_path(page)


class InterfaceLanguageUrlMixin:
    """Links to pages keep the visitor's language.

    A page in the default language has no prefix. Under another language
    (``/ar/``, ``/fr/``…), links to such pages (navigation, breadcrumbs, form
    actions, redirects), which are those not translated into it yet, get that
    language's prefix, so following them does not switch the interface back to
    English: the page is served there in English with a notice.
    """

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        language = get_language()
        if parts is None or not language or language == default_language():
            return parts
        site_id, root_url, page_path = parts
        localized = any(
            page_path.startswith(f"/{code}/")
            for code, _name in settings.LANGUAGES
            if code != default_language()
        )
        if page_path.startswith("/") and not localized:
            page_path = f"/{language}{page_path}"
        return site_id, root_url, page_path
