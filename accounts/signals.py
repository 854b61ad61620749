"""Signal handlers of the accounts app."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added

from home.models import StakeholderOrganisation

from . import two_factor
from .models import AccountProfile


@receiver(authenticator_added, dispatch_uid="accounts_authenticator_added")
def authenticator_set_up(sender, request=None, user=None, authenticator=None, **kw):
    """Count setting up an authenticator app as the session's second factor.

    Setting up an authenticator app takes a code from it: the session has given its
    second factor.
    """
    if (
        request is not None
        and authenticator is not None
        and authenticator.type == Authenticator.Type.TOTP
        and request.user == user
    ):
        two_factor.mark_passed(request)


@receiver(post_save, sender=StakeholderOrganisation, dispatch_uid="accounts_org")
def organisation_created(sender, instance, created=False, raw=False, **kwargs):
    """Let the account act for an organisation it proposed, once it exists.

    An organisation an account proposed exists now (an editor confirmed it, or
    approved an entry that names it): the account acts for it.
    """
    if created and not raw:
        AccountProfile.objects.filter(
            organisation__isnull=True, proposed_organisation__iexact=instance.name
        ).exclude(proposed_organisation="").update(
            organisation=instance, proposed_organisation=""
        )
