"""My teams and My meetings.

The teams' own records (join requests, meeting registrations), linked to an account by
the account that made them (``AccountJoinRequest``, ``AccountRegistration``) and by the
account's verified addresses (what someone sent with that address through the public
forms).
"""

from django.db.models import Q

from action_lines.forms import JoinTeamForm, MeetingRegistrationForm, save_form
from action_lines.models import MeetingRegistration, TeamMembershipRequest

from .claims import verified_addresses
from .models import AccountJoinRequest, AccountRegistration


def _addresses(user):
    return [address.lower() for address in verified_addresses(user)]


def join_requests(user):
    return TeamMembershipRequest.objects.filter(
        Q(account_link__user=user) | Q(email__in=_addresses(user))
    ).distinct()


def registrations(user):
    return MeetingRegistration.objects.filter(
        Q(account_link__user=user) | Q(email__in=_addresses(user))
    ).distinct()


def profile_is_complete(profile):
    """Return what the teams' forms ask, the profile says.

    A name, an organisation, a stakeholder type and a country.
    """
    return bool(
        profile.name
        and profile.organisation_label
        and profile.stakeholder_type
        and profile.country
    )


def profile_data(request):
    profile = request.account_profile
    organisation = (
        profile.organisation.name
        if profile.organisation_id
        else profile.proposed_organisation
    )
    return {
        "name": profile.name,
        "person_name": profile.name,
        "organisation": organisation,
        "organisation_name": organisation,
        "email": request.user.email,
        "stakeholder_type": profile.stakeholder_type,
        "country": profile.country,
    }


def join(request, team):
    """Make a join request from the profile, through the team's own form.

    A join request made from the profile, through the team's own form (its checks,
    its e-mail to the facilitators); the form, with any errors.
    """
    form = JoinTeamForm(profile_data(request), team=team)
    joined = save_form(form)
    if joined is not None:
        AccountJoinRequest.objects.create(request=joined, user=request.user)
    return joined, form


def register(request, meeting, attendance):
    """Register from the profile, through the meeting's own form.

    A registration made from the profile, through the meeting's own form (capacity,
    confirmation with the .ics); the form, with any errors.
    """
    form = MeetingRegistrationForm(
        {**profile_data(request), "attendance": attendance}, meeting=meeting
    )
    registration = save_form(form)
    if registration is not None:
        AccountRegistration.objects.create(registration=registration, user=request.user)
    return registration, form
