"""Stakeholder accounts in tests.

Made as allauth makes them (a user, a verified primary address, a profile).
"""

import re

PASSWORD = "correct horse battery staple"  # UserFactory's
LINK = re.compile(r"https?://\S+")


def make_account(email, password=PASSWORD, verified=True, **profile):
    from allauth.account.models import EmailAddress

    from accounts.profiles import ensure_profile
    from tests.factories import UserFactory

    local = email.split("@")[0].replace(".", "-")
    user = UserFactory(username=f"account-{local}", email=email)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    account = ensure_profile(user, language="en")
    for name, value in profile.items():
        setattr(account, name, value)
    account.save()
    return user


def links_in(mail):
    return LINK.findall(mail.body)
