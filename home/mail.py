"""The platform's e-mails: plain-text templates whose first line is the subject.

E-mails go out in their recipient's language: the interface language a visitor
used when they sent the form that the e-mail answers (stored with it), or a
user's preferred language (Wagtail's account settings). Background tasks run
with no visitor, so the language is always given explicitly. Their links lead to
the site in that language too (``site_url``).

A subject is always one line, whatever the values rendered into it, and a mail
that cannot be sent is logged before the error goes on to the caller.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy
from django.utils.module_loading import import_string

from wagtail.models import Page

from .page_languages import page_address, translate_url
from .validators import one_line

logger = logging.getLogger(__name__)


def site_url(target, language=None):
    """Return the absolute address of ``target`` for a link in an e-mail.

    A page, or a path of the site as ``reverse()`` gives it in the active language.

    The address is worked out when the e-mail is rendered, in the language it is
    rendered in (``render_mail`` and Wagtail's notifications render each e-mail
    in its recipient's language), unless ``language`` is given: a public address
    gets that language's prefix (English has none; the admin's addresses have
    none), and a page is its version in that language (``page_address``).
    """
    built_in = translation.get_language() or settings.LANGUAGE_CODE

    def address():
        wanted = mail_language(language or translation.get_language())
        if isinstance(target, Page):
            path = page_address(target, wanted)
        else:
            path = translate_url(target, built_in, wanted)
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path

    return lazy(address, str)()


def visitor_language():
    """Return the interface language of the current request.

    The interface language of the current request, to store with what the visitor
    sends (so that later e-mails about it are in that language).
    """
    return translation.get_language() or settings.LANGUAGE_CODE


def mail_language(code):
    """``code`` if the interface speaks it, else the default language."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def user_language(user):
    """Return a user's preferred language (from Wagtail's settings) or the default."""
    profile = getattr(user, "wagtail_userprofile", None)
    return mail_language(profile.preferred_language if profile else "")


def users_by_language(users):
    """{language: [e-mail address]} of the active users with an address."""
    addresses = defaultdict(list)
    for user in (
        users.filter(is_active=True)
        .exclude(email="")
        .select_related("wagtail_userprofile")
    ):
        addresses[user_language(user)].append(user.email)
    return dict(addresses)


def recipient_preference(address, kind, language):
    """(whether ``address`` takes e-mails of ``kind``, in which language).

    A stakeholder account with this verified address decides both: which kinds
    it wants (moderation decisions, team news, meeting reminders, the yearly
    call) and its preferred language (MAIL_RECIPIENT_PREFERENCES names the
    function that says so: the accounts app's). Any other address gets every
    e-mail, in ``language``.
    """
    hook = getattr(settings, "MAIL_RECIPIENT_PREFERENCES", "")
    if not hook or not address:
        return True, language
    return import_string(hook)(address, kind, language)


def render_mail(template, context, language=None):
    """Render (subject, body) from ``template`` in ``language``.

    (subject, body) rendered from ``template`` in ``language`` (by default the
    current one: the visitor's, for an e-mail sent while answering them).
    """
    with translation.override(mail_language(language or visitor_language())):
        text = render_to_string(template, context).strip()
    subject, _sep, body = text.partition("\n")
    # A header never carries a line break, even from a value stored before the
    # one-line fields refused them.
    return one_line(subject), body.strip() + "\n"


def send_templated_mail(template, context, recipients, language=None):
    subject, body = render_mail(template, context, language)
    recipients = list(recipients)
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("E-mail %s to %s not sent", template, ", ".join(recipients))
        raise
