"""An account's profile, and the language its e-mails are written in.

The language is Wagtail's own user setting (``UserProfile.preferred_language``),
which every e-mail of the platform already reads (home.mail.user_language).
Wagtail's workflow e-mails, written for admin users, are turned off for
accounts: they hear about their entries through the inventory's own e-mails.
"""

from django.db import transaction

from wagtail.users.models import UserProfile

from home.mail import user_language, visitor_language

from .models import AccountProfile


@transaction.atomic
def ensure_profile(user, language=None):
    """Return the account's profile, created (in the visitor's language) if missing."""
    profile, created = AccountProfile.objects.get_or_create(user=user)
    if created:
        UserProfile.objects.update_or_create(
            user=user,
            defaults={
                "preferred_language": language or visitor_language(),
                "submitted_notifications": False,
                "approved_notifications": False,
                "rejected_notifications": False,
                "updated_comments_notifications": False,
            },
        )
    return profile


def preferred_language(user):

    return user_language(user)


def set_preferred_language(user, language):
    UserProfile.objects.update_or_create(
        user=user, defaults={"preferred_language": language}
    )
