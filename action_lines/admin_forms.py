"""Admin forms of the designation register."""

from wagtail.admin.forms import WagtailAdminModelForm

from .choices import RoundStatus
from .rounds import Advice, Candidate, RoundFacts, problems


class DesignationRoundForm(WagtailAdminModelForm):
    """The round as the Secretariat edits it.

    The step is not in the form: a new round starts with open consultations, and
    whatever is saved must keep to the rules of the round's current step
    (action_lines.rounds), so that an edit cannot do what a transition would refuse.
    """

    def is_valid(self):
        if not super().is_valid():
            return False
        if not hasattr(self, "rule_problems"):  # is_valid() may be asked twice
            self.rule_problems = problems(self.facts(), self.status())
            for message in self.rule_problems:
                self.add_error(None, message)
        return not self.rule_problems

    def status(self):
        if self.instance._state.adding:
            return RoundStatus.OPEN
        return self.instance.status

    def rows(self, relation):
        formset = self.formsets[relation]
        for form in formset.forms:
            if formset.can_delete and formset._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", None)
            if data and data.get("organisation") is not None:
                yield data

    def facts(self):
        data = self.cleaned_data
        return RoundFacts(
            candidates=[
                Candidate(row["organisation"], row["response"], row.get("conditions"))
                for row in self.rows("candidates")
            ],
            advice=[
                Advice(row["organisation"], row["date"], row["outcome"])
                for row in self.rows("council_advice")
            ],
            designations=[row["organisation"] for row in self.rows("designations")],
            recommendation_date=data.get("recommendation_date"),
            recommendation_text=data.get("recommendation_text") or "",
            recommendation_document=data.get("recommendation_document"),
        )

    def save(self, commit=True):
        if self.instance._state.adding:
            self.instance.status = RoundStatus.OPEN
            self.instance.recommendation_sent_on = None
        return super().save(commit=commit)
