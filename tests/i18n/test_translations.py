"""The interface speaks the six UN languages.

Every string is marked, every catalog is complete and compiled, and a translation can
never break a page.

- Templates: no visible text (nor alt, title, aria-label, placeholder, button
  value) outside ``{% translate %}`` / ``{% blocktranslate %}``.
- Catalogs (locale/<lang>/LC_MESSAGES/django.po): each has exactly French's
  msgids; French is complete and has no fuzzy entry; the others' completeness is
  reported (``pytest -rP``) and must stay above MIN_COMPLETENESS.
- Each .mo holds exactly the translated entries of its .po (run
  ``manage.py compilemessages --ignore=.venv --ignore=.cache`` after editing).
- Every translation keeps the msgid's placeholders; pages render translated.
"""

import datetime
import html.parser
import re
from pathlib import Path

from django.conf import settings

import polib
import pytest

from tests.helpers.i18n import template_files

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
LANGUAGES = ["fr", "es", "ru", "zh_Hans", "ar"]
REFERENCE = "fr"
# Below this, a language is not worth offering; fr must be complete.
MIN_COMPLETENESS = 90

# --- Templates ----------------------------------------------------------------------

# Text that may appear untranslated in a template: symbols and codes that read the
# same in every language. Keep it short; anything with words belongs in the catalog.
ALLOWED_TEXT = {
    "✓",  # the selected-facet mark
}
HUMAN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-placeholder"}
LETTER = re.compile(r"[^\W\d_]")
MARK = "§"  # stands for a translated or computed piece; not a letter

COMMENTS = [
    re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL),
    re.compile(r"\{#.*?#\}", re.DOTALL),
]
# Blocks whose content fills an attribute that is not read (base.html's body class).
NOT_TEXT_BLOCKS = re.compile(
    r"\{%\s*block\s+body_class\s*%\}.*?\{%\s*endblock\b.*?%\}", re.DOTALL
)
BLOCKTRANSLATE = re.compile(
    r"\{%-?\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}",
    re.DOTALL,
)
TRANSLATE = re.compile(r"\{%\s*trans(?:late)?\s.*?%\}", re.DOTALL)
VARIABLE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
TAG = re.compile(r"\{%.*?%\}", re.DOTALL)
# A string literal given to an include or a with: {% include "x" with title="…" %}.
LITERAL_IN_TAG = re.compile(r"""\{%\s*(?:include|with)\b(?P<args>.*?)%\}""", re.DOTALL)
LITERAL = re.compile(r"""(?P<call>_\()?(?P<q>["'])(?P<text>.*?)(?P=q)""")


def strip_django(source):
    """The template with translated pieces and variables as MARK, tags removed."""
    for comment in COMMENTS:
        source = comment.sub("", source)
    source = NOT_TEXT_BLOCKS.sub("", source)
    source = BLOCKTRANSLATE.sub(MARK, source)
    source = TRANSLATE.sub(MARK, source)
    source = VARIABLE.sub(MARK, source)
    return TAG.sub("", source)


class VisibleText(html.parser.HTMLParser):
    """Collects the text a person reads or hears: text nodes and human attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden_depth += 1
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in HUMAN_ATTRIBUTES and value:
                self.found.append((f"{tag}[{name}]: ", value))
        is_button = tag == "input" and attrs.get("type") in ("submit", "button")
        if is_button and attrs.get("value"):
            self.found.append(("input[value]: ", attrs["value"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.hidden_depth -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.found.append(("", data.strip()))


def untranslated_text(path):
    """The pieces of ``path`` a visitor sees that are not marked for translation."""
    source = path.read_text(encoding="utf-8")
    problems = [
        f"literal in tag: {match.group('text')}"
        for tag in LITERAL_IN_TAG.finditer(source)
        for match in LITERAL.finditer(tag.group("args"))
        # a path or an identifier ("group") has no space; words have
        if not match.group("call") and " " in match.group("text").strip()
    ]
    text = strip_django(source)
    if path.suffix == ".txt":  # e-mails: every line is read
        pieces = [("", line.strip()) for line in text.splitlines() if line.strip()]
    else:
        parser = VisibleText()
        parser.feed(text)
        parser.close()
        pieces = parser.found
    for where, piece in pieces:
        words = piece.replace(MARK, " ").strip()
        if words not in ALLOWED_TEXT and LETTER.search(words):
            problems.append(where + piece)
    return problems


def test_the_template_scan_finds_untranslated_text(tmp_path):
    """The checker itself.

    It flags text, human attributes and literals, and ignores translated text,
    variables, comments, scripts and styles.
    """
    template = tmp_path / "sample.html"
    template.write_text(
        "{% load i18n %}{# a comment #}<h1>{% translate 'Hello' %}</h1>"
        "<p>{% blocktranslate with n=x %}{{ n }} <b>items</b>"
        "{% endblocktranslate %}</p>"
        "<p>{{ page.title }} — {{ page.code }}</p>"
        "<script>const label = 'Not visible';</script><style>a::after{}</style>"
        '<img src="x.png" alt="A logo"><a title="{{ t }}" aria-label="Go home">✓</a>'
        "<p>Plain words</p>{% include 'x.html' with heading=\"Some title\" %}"
        '<input type="submit" value="Send">'
    )
    assert untranslated_text(template) == [
        "literal in tag: Some title",
        "img[alt]: A logo",
        "a[aria-label]: Go home",
        "Plain words",
        "input[value]: Send",
    ]
    mail = tmp_path / "mail.txt"
    mail.write_text("{% load i18n %}{% translate 'Subject' %}\nDear {{ name }},\n")
    assert untranslated_text(mail) == ["Dear §,"]


def test_every_template_string_is_marked_for_translation():
    files = template_files()
    assert len(files) > 40, "the templates were not found"
    problems = {
        str(path.relative_to(BASE_DIR)): found
        for path in files
        if (found := untranslated_text(path))
    }
    assert problems == {}, "Untranslated text in templates (wrap it in {% translate %})"


# --- Catalogs -----------------------------------------------------------------------


def catalog(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def active(po):
    return [entry for entry in po if not entry.obsolete]


def is_translated(entry):
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_every_language_has_a_catalog_and_a_compiled_catalog():
    for language in LANGUAGES:
        folder = LOCALE_DIR / language / "LC_MESSAGES"
        assert (folder / "django.po").is_file(), language
        assert (folder / "django.mo").is_file(), language


def test_catalogs_have_the_same_msgids_and_report_completeness():
    reference = {key(entry) for entry in active(catalog(REFERENCE))}
    report = []
    for language in LANGUAGES:
        entries = active(catalog(language))
        msgids = {key(entry) for entry in entries}
        assert not reference - msgids, (language, "missing", reference - msgids)
        assert not msgids - reference, (language, "not in fr", msgids - reference)
        done = sum(1 for entry in entries if is_translated(entry))
        percent = 100 * done / len(entries)
        report.append(f"{language:8} {done:4}/{len(entries)} ({percent:.1f}%)")
        assert percent >= MIN_COMPLETENESS, report[-1]
    print("Translation completeness:\n" + "\n".join(report))  # noqa: T201 - the report


def test_french_is_complete_and_not_fuzzy():
    po = catalog("fr")
    assert not po.metadata_is_fuzzy
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=2;")
    fuzzy = [entry.msgid for entry in active(po) if "fuzzy" in entry.flags]
    untranslated = [entry.msgid for entry in active(po) if not is_translated(entry)]
    assert fuzzy == []
    assert untranslated == []


def compiled(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
    return entry.msgstr


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_is_in_sync_with_its_source(language):
    """The .mo holds the .po's translated entries, translated the same."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    expected = {
        key(entry): compiled(entry) for entry in active(po) if is_translated(entry)
    }
    actual = {key(entry): compiled(entry) for entry in mo if entry.msgid}
    stale = {k for k in expected.keys() & actual.keys() if expected[k] != actual[k]}
    assert not expected.keys() - actual.keys(), "not compiled: run compilemessages"
    assert not actual.keys() - expected.keys(), "compiled but gone from the .po"
    assert not stale, f"changed since compiled: {sorted(stale)[:5]}"
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


# --- Django's and Wagtail's own strings ---------------------------------------------

# LOCALE_PATHS comes first: a msgid of ours that Django or an installed app also
# has replaces their translation everywhere (the admin included), and any later
# change to our wording would change theirs. So none of our msgids is one of
# theirs: where the project says what they say, it has its own msgid through a
# context ({% translate "Search" context "site search" %}, pgettext_lazy), or uses
# their string through their own API (Django's month names).
DJANGO_CODES = {"fr": "fr", "es": "es", "ru": "ru", "zh_Hans": "zh-hans", "ar": "ar"}


def their_catalogs(language):
    """The compiled catalogs Django merges with ours for ``language``.

    Its own and each installed app's that is not part of the project, found as
    Django finds them (gettext's locale fallbacks included).
    """
    import gettext

    import django
    from django.apps import apps
    from django.utils.translation import to_locale

    project = BASE_DIR.resolve()
    roots = [Path(django.__file__).parent / "conf" / "locale"] + [
        Path(app.path) / "locale"
        for app in apps.get_app_configs()
        if Path(app.path).resolve().parent != project
    ]
    locale = to_locale(DJANGO_CODES[language])
    return sorted(
        {
            Path(found)
            for root in roots
            if root.is_dir()
            for found in gettext.find("django", str(root), [locale], all=True)
        }
    )


def shared_msgids(ours, catalog_files):
    """{(msgctxt, msgid) of ``ours`` also in one of ``catalog_files``: [files]}."""
    wanted = {(entry.msgctxt, entry.msgid) for entry in ours}
    shared = {}
    for path in catalog_files:
        for entry in polib.mofile(str(path)):
            if (entry.msgctxt, entry.msgid) in wanted:
                shared.setdefault((entry.msgctxt, entry.msgid), []).append(path)
    return shared


def test_the_comparison_finds_a_msgid_that_django_also_has(tmp_path):
    """The checker itself.

    A msgid Django translates is found, the same msgid with a context of ours is
    not, and neither is a msgid of our own.
    """
    files = their_catalogs("fr")
    django_catalog = Path(__import__("django").__file__).parent / "conf" / "locale"
    assert django_catalog / "fr" / "LC_MESSAGES" / "django.mo" in files
    assert any("wagtail" in str(path) for path in files)
    ours = [
        polib.POEntry(msgid="January", msgstr="janvier"),
        polib.POEntry(msgctxt="meeting month", msgid="January", msgstr="janvier"),
        polib.POEntry(msgid="Join this team", msgstr="Rejoindre cette équipe"),
    ]
    assert list(shared_msgids(ours, files)) == [(None, "January")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_msgid_of_ours_is_one_of_django_or_wagtails(language):
    shared = shared_msgids(active(catalog(language)), their_catalogs(language))
    found = {
        f"{context}|{msgid}" if context else msgid: sorted(
            str(path).rpartition("site-packages/")[2] for path in paths
        )
        for (context, msgid), paths in shared.items()
    }
    assert found == {}, "give ours a context, or use their string through their API"


# --- Placeholders -------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[sdif]|\{\w*\}")


class AnyValue(dict):
    def __missing__(self, name):
        return 1


def placeholders(text):
    return set(PLACEHOLDER.findall(text)) | {
        match.group(0) for match in PLACEHOLDER.finditer(text)
    }


def placeholder_problems(entry):
    """What could break when this translation is shown (empty list: nothing)."""
    wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
    forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    problems = []
    for form in forms:
        found = placeholders(form)
        # A plural form may leave the number out ("نشاطان", two activities);
        # it may never add a placeholder. Singular messages keep them all.
        if found - wanted or (not entry.msgid_plural and found != wanted):
            problems.append(f"placeholders {sorted(found)} ≠ {sorted(wanted)}")
        if "python-format" in entry.flags:
            try:
                form % AnyValue()
            except (TypeError, ValueError, KeyError) as error:
                problems.append(f"{error}")
        if "\n" in form and "\n" not in entry.msgid:
            problems.append("a line break the msgid has not (e-mail subjects)")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_msgid(language):
    problems = {
        entry.msgid: found
        for entry in active(catalog(language))
        if is_translated(entry) and (found := placeholder_problems(entry))
    }
    assert problems == {}


def test_the_placeholder_check_catches_a_broken_translation():
    broken = polib.POEntry(
        msgid="Page %(number)s of %(total)s",
        msgstr="Page %(numero)s sur %(total)s",
        flags=["python-format"],
    )
    assert placeholder_problems(broken)
    dropped = polib.POEntry(msgid="Dear %(name)s,", msgstr="Bonjour,")
    assert placeholder_problems(dropped)
    lone_percent = polib.POEntry(
        msgid="%(total)s done", msgstr="%(total)s % fait", flags=["python-format"]
    )
    assert placeholder_problems(lone_percent)


# --- Pages --------------------------------------------------------------------------


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "expected"),
    [
        (
            "/fr",
            "fr",
            "ltr",
            ["Aller au contenu principal", "Rejoindre cette équipe", "Membres"],
        ),
        (
            "/ar",
            "ar",
            "rtl",
            ["تخطي إلى المحتوى الرئيسي", "الانضمام إلى هذا الفريق", "الأعضاء"],
        ),
        ("/zh-hans", "zh-hans", "ltr", ["跳到主要内容", "加入此团队", "成员"]),
    ],
)
def test_team_page_renders_in_the_visitors_language(
    client, tree, prefix, lang, direction, expected
):
    html = get(client, prefix + tree.c5_team.url)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    for text in expected:
        assert text in html, text
    assert "Join this team" not in html
    assert "Skip to main content" not in html


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/fr", ["Inventaire-bilan des activités du SMSI", "Pertinence"]),
        ("/ar", ["سجل جرد أنشطة القمة العالمية لمجتمع المعلومات", "الصلة"]),
        ("/zh-hans", ["信息社会世界峰会活动盘点清单", "相关性"]),
    ],
)
def test_inventory_search_renders_in_the_visitors_language(
    client, db, prefix, expected
):
    html = get(client, prefix + "/inventory/")
    for text in expected:
        assert text in html, text
    assert "Sort by" not in html


def test_meeting_page_and_forms_render_in_french(client, tree):
    # Both addresses in English first: a request leaves French active, and
    # English pages then take the /fr/ prefix themselves.
    meeting_url, team_url = tree.c5_meeting.url, tree.c5_team.url
    html = get(client, "/fr" + meeting_url)
    assert "Ajouter à l'agenda (.ics)" in html
    assert "Inscription" in html
    team = get(client, "/fr" + team_url)
    assert "Choisissez un pays" in team  # a form's own label, from Python
    assert "(requis)" in team


def test_english_stays_the_default(client, tree):
    html = get(client, tree.c5_team.url)
    assert '<html lang="en" dir="ltr">' in html
    assert "Join this team" in html


def wagtail_says(language, msgid):
    """``msgid`` as Wagtail's admin catalog translates it."""
    import wagtail.admin

    folder = Path(wagtail.admin.__file__).parent / "locale" / language / "LC_MESSAGES"
    found = polib.mofile(str(folder / "django.mo")).find(msgid)
    return found.msgstr


@pytest.mark.parametrize(
    ("language", "ours"),
    [("fr", "Aller au contenu principal"), ("ru", "Перейти к основному содержанию")],
)
def test_the_admin_keeps_wagtails_wording_and_the_site_ours(
    client_for, tree, language, ours
):
    """The site's skip link says it our way; the admin's, Wagtail's way."""
    from wagtail.users.models import UserProfile

    from tests.factories import UserFactory

    user = UserFactory(username="admin", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = client_for(user)
    theirs = wagtail_says(language, "Skip to main content")
    assert theirs != ours
    admin = get(client, "/admin/")
    assert theirs in admin
    assert ours not in admin
    site = get(client, f"/{language}{tree.c5_team.url}")
    assert ours in site
    assert theirs not in site


# --- E-mails ------------------------------------------------------------------------

MAIL_CONTEXT = {
    "meeting": {
        "title": "C5 work plan meeting",
        "time_zone": "Europe/Zurich",
        "local_start": datetime.datetime(2026, 3, 2, 10, 0),
        "local_end": datetime.datetime(2026, 3, 2, 12, 0),
        "venue": "Geneva",
        "online_url": "https://meet.example.org/c5",
    },
    "registration": {"name": "Ada"},
    "team": {"title": "C5 team", "full_url": "https://wsis.example.org/c5/team/"},
    "request": {
        "status": "accepted",
        "person_name": "Ada",
        "organisation_name": "Example NGO",
        "get_stakeholder_type_display": "Civil society",
        "country_name": "Kenya",
        "message": "Hello",
        "decision_note": "Welcome",
    },
    "entry": {
        "reference": "WSIS-26-ABC234",
        "title": "Rural hubs",
        "contact_name": "Ada",
    },
    "cycle": {"label": "2025", "deadline": datetime.date(2026, 2, 28)},
    "reason": "Out of scope",
    **dict.fromkeys(
        ("url", "admin_url", "status_url", "update_url", "link"),
        "https://wsis.example.org/x/",
    ),
}


def mail_templates():
    return sorted(
        str(path.relative_to(BASE_DIR / "templates"))
        for path in (BASE_DIR / "templates").glob("*/emails/*.txt")
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "zh-hans", "ar"])
def test_emails_render_in_every_language_with_a_one_line_subject(language):
    from django.utils import translation

    from home.mail import render_mail

    templates = mail_templates()
    assert len(templates) >= 9
    for template in templates:
        with translation.override("en"):
            english = render_mail(template, MAIL_CONTEXT)
        with translation.override(language):
            subject, body = render_mail(template, MAIL_CONTEXT)
        assert subject and "\n" not in subject, template
        assert body.strip(), template
        if language != "en":
            assert (subject, body) != english, f"{template} is not translated"


def test_report_figures_are_shown_in_the_visitors_language(client, home_page):
    """Figures are frozen in English; their titles and labels are shown translated."""
    from reporting.assembly import assemble
    from tests.factories import (
        InventoryEntryFactory,
        ReportIndexPageFactory,
        ReportPageFactory,
    )
    from tests.helpers.pages import publish

    InventoryEntryFactory(stakeholder_type="civil-society")
    InventoryEntryFactory(stakeholder_type="civil-society")
    index = publish(ReportIndexPageFactory(parent=home_page))
    report = ReportPageFactory(parent=index)
    report.figures = assemble(report)
    publish(report)
    english = get(client, report.url)
    assert "Activities by stakeholder type" in english
    assert "Civil society" in english
    html = get(client, "/fr" + report.url)
    assert "Annexe 3. Activités par type de partie prenante" in html
    assert "Société civile" in html  # a row label, stored in English
    caption = '<figcaption id="chart-stakeholder-caption">{}</figcaption>'
    assert caption.format("Activités par type de partie prenante") in html
    assert "Chiffres compilés le" in html and "2 fiches publiées" in html
    assert "Activities by" not in html
