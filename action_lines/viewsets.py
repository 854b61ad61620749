"""Snippet viewsets of the facilitator designation register."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin

from home.scoped_admin import ScopedSnippetViewSet

from .admin_forms import DesignationRoundForm
from .models import DesignationRound
from .rounds import MOVE_PERMISSION, TRANSITIONS, TransitionRefused, check, move


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional. Shown with this step in the round's history, in the admin "
            "and on the public site."
        ),
    )


class RoundStepView(BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirms and makes one transition of a round (action_lines.rounds).

    Only the Secretariat moves rounds: anyone else in the admin gets a 403 and
    the round stays as it was. A transition the rules refuse comes back with
    the reasons, and nothing changes.
    """

    model = DesignationRound
    template_name = "action_lines/admin/round_step.html"
    header_icon = "clipboard-list"
    edit_url_name = None
    history_url_name = None
    breadcrumbs_items = []

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(MOVE_PERMISSION):
            return TemplateResponse(
                request, "action_lines/admin/round_step_forbidden.html", status=403
            )
        self.transition = TRANSITIONS.get(kwargs["transition"])
        if self.transition is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.transition.label)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.edit_url, "label": str(self.object)},
            {"url": "", "label": str(self.transition.label)},
        ]

    @property
    def edit_url(self):
        return reverse(self.edit_url_name, args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            round=self.object,
            transition=self.transition,
            edit_url=self.edit_url,
            history_url=reverse(self.history_url_name, args=[self.object.pk]),
            problems=kwargs.get("problems", check(self.object, self.transition)),
            form=kwargs.get("form") or StepForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = StepForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            moved = move(
                self.object, self.transition, request.user, form.cleaned_data["note"]
            )
        except TransitionRefused as refused:
            return self.render_to_response(
                self.get_context_data(form=form, problems=refused.messages)
            )
        messages.success(
            request,
            gettext("“%(round)s” is now at the step “%(status)s”.")
            % {"round": moved, "status": moved.get_status_display()},
        )
        return redirect(self.edit_url)


class DesignationRoundViewSet(ScopedSnippetViewSet):
    """The Secretariat's register: one round per designation process."""

    model = DesignationRound
    icon = "clipboard-list"
    menu_label = _("Facilitator designations")
    menu_name = "designations"
    menu_order = 300
    add_to_admin_menu = True
    list_display = [
        "title",
        "action_line",
        "status",
        "opened_on",
        "recommendation_date",
    ]
    list_filter = ["status", "action_line"]
    search_fields = ["title"]
    ordering = ["-opened_on"]
    # A copy would carry the step of its original past the transitions.
    copy_view_enabled = False
    # Viewsets ignore a ``base_form_class`` attribute: the edit handler carries it.
    edit_handler = ObjectList(
        DesignationRound.panels, base_form_class=DesignationRoundForm
    )

    @property
    def step_view(self):
        return self.construct_view(RoundStepView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                f"move/<{self.pk_path_converter}:pk>/<slug:transition>/",
                self.step_view,
                name="move",
            ),
        ]
