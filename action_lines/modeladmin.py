"""wagtail-modeladmin screens for team records: join requests and registrations.

Both are classic list/filter/export screens. A facilitator sees the records of
their own teams only; the Secretariat sees every team's, read-only; only a
team's facilitators accept or decline its join requests (docs/mechanism.md §4).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import HistoryView, InstanceSpecificView

from django_q.tasks import async_task

from home.models import StakeholderOrganisation
from home.roles import sees_every_team
from home.scoped_admin import scoped_list_filter

from .choices import RequestStatus
from .models import (
    MeetingPage,
    MeetingRegistration,
    TeamMembership,
    TeamMembershipRequest,
)
from .permissions import facilitated_teams, is_team_facilitator


class TeamRecordPermissionHelper(PermissionHelper):
    """Records of a team are visible to its facilitators and to the Secretariat."""

    team_path = "team"

    def team_of(self, obj):
        for part in self.team_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def user_has_model_permission(self, user, action):
        """Return the full codename of ``action`` ("view", "change"…) for modeladmin.

        ``action`` is "view", "change"…: modeladmin wants the full codename.
        """
        return self.user_has_specific_permission(user, self.get_perm_codename(action))

    def user_can_list(self, user):
        return self.user_has_model_permission(user, "view")

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return user.is_superuser

    def user_can_inspect_obj(self, user, obj):
        if not self.user_has_model_permission(user, "view"):
            return False
        return sees_every_team(user) or is_team_facilitator(user, self.team_of(obj))


class MembershipRequestPermissionHelper(TeamRecordPermissionHelper):
    def user_can_decide(self, user, obj):
        if not obj.is_pending:
            return False
        return user.is_superuser or (
            self.user_has_model_permission(user, "change")
            and is_team_facilitator(user, obj.team)
        )


class MembershipRequestButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, **kwargs):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, **kwargs)
        if self.permission_helper.user_can_decide(self.request.user, obj):
            buttons.insert(
                0,
                {
                    "url": self.url_helper.get_action_url("decide", obj.pk),
                    "label": _("Accept or decline"),
                    "classname": "button button-small",
                    "title": _("Accept or decline this request"),
                },
            )
        return buttons


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RequestStatus.ACCEPTED, _("Accept: the organisation becomes a member")),
            (RequestStatus.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the requester"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent by e-mail with the decision."),
    )


def decide_membership_request(membership_request, decision, note, user):
    """Record the decision; an accepted organisation becomes a member of the team."""
    with transaction.atomic():
        locked = TeamMembershipRequest.objects.select_for_update().get(
            pk=membership_request.pk
        )
        if not locked.is_pending:
            return False
        locked.status = decision
        locked.decision_note = note
        locked.decided_by = user
        locked.decided_at = timezone.now()
        if decision == RequestStatus.ACCEPTED:
            organisation = StakeholderOrganisation.objects.filter(
                name__iexact=locked.organisation_name.strip(),
                locale=locked.team.locale,
            ).first() or StakeholderOrganisation.objects.create(
                name=locked.organisation_name.strip(),
                stakeholder_type=locked.stakeholder_type,
                country=locked.country,
                locale=locked.team.locale,
            )
            locked.organisation = organisation
            TeamMembership.objects.get_or_create(
                team=locked.team, organisation=organisation
            )
        locked.save()
        log(
            instance=locked,
            action="wagtail.edit",
            user=user,
            title=str(locked),
            data={"decision": decision},
        )
        transaction.on_commit(
            lambda: async_task(
                "action_lines.tasks.notify_membership_decision", locked.pk
            )
        )
    return True


class DecideView(InstanceSpecificView):
    """Accept or decline one pending join request."""

    page_title = _("Join request")

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_decide(user, self.instance)

    def get(self, request, *args, **kwargs):
        return self.render(DecisionForm())

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        decided = decide_membership_request(
            self.instance,
            form.cleaned_data["decision"],
            form.cleaned_data["note"],
            request.user,
        )
        if not decided:
            raise PermissionDenied
        if form.cleaned_data["decision"] == RequestStatus.ACCEPTED:
            messages.success(
                request,
                _("%(organisation)s is now a member of %(team)s.")
                % {
                    "organisation": self.instance.organisation_name,
                    "team": self.instance.team.title,
                },
            )
        else:
            messages.success(request, _("The request was declined."))
        return redirect(self.index_url)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            "action_lines/admin/decide_membership_request.html",
            self.get_context_data(form=form),
            status=status,
        )


# Django's related-field list filters ask the admin site for the related model's
# ordering; django.contrib.admin is not installed, so wagtail-modeladmin's default
# (Django's admin site) raises LookupError. An empty site answers "not registered".
RELATED_FILTER_SITE = AdminSite(name="team_records")


class TeamRecordHistoryView(HistoryView):
    """wagtail-modeladmin's history screen checks no permission of its own.

    It shows a record's log to whoever may also inspect the record, and no one else.
    """

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)


class TeamRecordsModelAdmin(ModelAdmin):
    history_view_class = TeamRecordHistoryView
    # Also what the CSV export writes for an empty value: "-" would get the
    # formula guard's apostrophe.
    empty_value_display = "—"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.admin_site = RELATED_FILTER_SITE
        # A filter on the team or the meeting offers only those the user may see
        # (another team's draft meeting is not theirs to read).
        self.list_filter = scoped_list_filter(self.model, self.list_filter)


class TeamScopedModelAdmin(TeamRecordsModelAdmin):
    team_lookup = "team"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_team(request.user):
            return queryset
        return queryset.filter(
            **{f"{self.team_lookup}__in": facilitated_teams(request.user)}
        )


class TeamMembershipRequestAdmin(TeamScopedModelAdmin):
    model = TeamMembershipRequest
    menu_label = _("Join requests")
    menu_icon = "group"
    menu_order = 100
    permission_helper_class = MembershipRequestPermissionHelper
    button_helper_class = MembershipRequestButtonHelper
    inspect_view_enabled = True
    list_display = (
        "organisation_name",
        "person_name",
        "team",
        "stakeholder_type",
        "country_name",
        "status",
        "created_at",
    )
    list_filter = ("status", "team", "stakeholder_type")
    search_fields = ("organisation_name", "person_name", "email")
    list_export = (
        "team",
        "organisation_name",
        "person_name",
        "email",
        "stakeholder_type",
        "country",
        "status",
        "created_at",
        "decided_at",
    )
    export_filename = "join-requests"
    inspect_view_fields = (
        "team",
        "organisation_name",
        "person_name",
        "email",
        "stakeholder_type",
        "country",
        "message",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "decision_note",
    )
    decide_view_class = DecideView

    def decide_view(self, request, instance_pk):
        return self.decide_view_class.as_view(
            model_admin=self, instance_pk=instance_pk
        )(request)

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                self.url_helper.get_action_url_pattern("decide"),
                self.decide_view,
                name=self.url_helper.get_action_url_name("decide"),
            ),
        )


class RegistrationPermissionHelper(TeamRecordPermissionHelper):
    def team_of(self, obj):
        return obj.meeting.get_team()


class MeetingRegistrationAdmin(TeamRecordsModelAdmin):
    model = MeetingRegistration
    menu_label = _("Meeting registrations")
    menu_icon = "date"
    menu_order = 200
    permission_helper_class = RegistrationPermissionHelper
    inspect_view_enabled = True
    list_display = ("name", "organisation", "meeting", "attendance", "created_at")
    list_filter = ("meeting", "attendance", "stakeholder_type")
    search_fields = ("name", "email", "organisation")
    list_export = (
        "meeting",
        "name",
        "email",
        "organisation",
        "stakeholder_type",
        "country",
        "attendance",
        "created_at",
    )
    export_filename = "meeting-registrations"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("meeting")
        if sees_every_team(request.user):
            return queryset
        meeting_ids = []
        for team in facilitated_teams(request.user):
            meeting_ids += MeetingPage.objects.descendant_of(team).values_list(
                "pk", flat=True
            )
        return queryset.filter(meeting_id__in=meeting_ids)


class TeamRecordsAdminGroup(ModelAdminGroup):
    menu_label = _("Teams")
    menu_icon = "group"
    menu_order = 250
    items = (TeamMembershipRequestAdmin, MeetingRegistrationAdmin)
