"""Say which e-mails a stakeholder account wants, and in which language.

The e-mails a stakeholder account wants, and in which language
(home.mail.recipient_preference asks here, through MAIL_RECIPIENT_PREFERENCES).
"""

from allauth.account.models import EmailAddress

from home.mail import user_language

from .models import MAIL_KINDS, AccountProfile


def preference_for(address, kind, language):
    """(wanted, language) for an e-mail of ``kind`` to ``address``.

    The account whose verified address it is decides; any other address gets it as
    before. allauth keeps addresses in lower case: the look-up uses its index.
    """
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown kind of e-mail: {kind}")
    found = (
        EmailAddress.objects.filter(email=address.strip().lower(), verified=True)
        .select_related("user__wagtail_userprofile")
        .first()
    )
    if found is None:
        return True, language
    profile = AccountProfile.objects.filter(user_id=found.user_id).first()
    if profile is None:  # a staff address, not a stakeholder account
        return True, language
    return profile.wants(kind), user_language(found.user)
