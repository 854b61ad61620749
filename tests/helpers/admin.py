"""The admin's page forms and its refusals.

POST data of the page forms, as the edit view submits it, built with Wagtail's
``wagtail.test.utils.form_data`` helpers from the page's current values, so a
test only names the fields it changes.
"""

from django.urls import reverse

from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from tests.factories import (
    PERIOD_END,
    PERIOD_START,
)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_url(model, parent):
    meta = model._meta
    return reverse(
        "wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk]
    )


def _promote_and_settings(page):
    return {
        "slug": page.slug,
        "seo_title": page.seo_title,
        "search_description": page.search_description,
        "go_live_at": "",
        "expire_at": "",
    }


def team_page_data(page, **changes):
    """The team page's edit form; rich-text values are given as HTML."""
    values = {
        "title": page.title,
        "purpose": page.purpose,
        "how_to_join": page.how_to_join,
        "contact_name": page.contact_name,
        "contact_email": page.contact_email,
        **changes,
    }
    for name in ("purpose", "how_to_join"):
        values[name] = rich_text(values[name])
    return nested_form_data({**_promote_and_settings(page), **values})


def modalities_page_data(page, **changes):
    """The modalities' edit form, with empty stream fields unless given."""
    values = {
        "title": page.title,
        "membership_openness": page.membership_openness,
        "membership_notes": page.membership_notes,
        "meeting_cadence": page.meeting_cadence,
        "meeting_notes": page.meeting_notes,
        "decision_rule": page.decision_rule,
        "decision_notes": page.decision_notes,
        "working_languages": list(page.working_languages),
        "communication_channels": streamfield([]),
        "subgroups": streamfield([]),
        "reporting_calendar": streamfield([]),
        "focal_point_name": page.focal_point_name,
        "focal_point_email": page.focal_point_email,
        "focal_point_organisation": page.focal_point_organisation_id or "",
        **changes,
    }
    languages = values.pop("working_languages")
    data = nested_form_data({**_promote_and_settings(page), **values})
    data["working_languages"] = languages
    return data


def action_line_page_data(page, **changes):
    """The action line's edit form, keeping its indicative facilitators."""
    facilitators = [
        {"id": item.pk, "organisation": item.organisation_id, "role": item.role}
        for item in page.indicative_facilitators.all()
    ]
    values = {
        "title": page.title,
        "code": page.code,
        "summary": page.summary,
        "description": streamfield([]),
        "plan_of_action_reference": page.plan_of_action_reference,
        "plan_of_action_text": page.plan_of_action_text,
        "indicative_facilitators": inline_formset(
            facilitators, initial=len(facilitators)
        ),
        **changes,
    }
    values["plan_of_action_text"] = rich_text(values["plan_of_action_text"])
    sdgs = [str(sdg) for sdg in values.pop("sdgs", page.sdgs)]
    data = nested_form_data({**_promote_and_settings(page), **values})
    data["sdgs"] = sdgs
    return data


def meeting_page_data(**values):
    """A new meeting's add form; start and end as typed in the admin."""
    defaults = {
        "title": "Meeting",
        "slug": "",
        "summary": "",
        "start": "",
        "end": "",
        "time_zone": "Europe/Zurich",
        "venue": "Geneva",
        "online_url": "",
        "agenda": streamfield([]),
        "documents": streamfield([]),
        "capacity": "",
        "outcome": rich_text(""),
        "framework_for_teams": rich_text(""),
        "framework_for_inventory": rich_text(""),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data = nested_form_data({**defaults, **values})
    if values.get("registration_open"):
        data["registration_open"] = "on"
    else:
        data.pop("registration_open", None)
    return data


def assert_refused(response):
    """Assert that Wagtail's admin refused the request.

    Wagtail's admin refuses with a 403, or (for a page view) back to the dashboard
    with "Sorry, you do not have permission…".
    """
    from django.urls import reverse

    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


def report_page_data(page=None, **changes):
    """Return POST data of the report's add or edit form.

    POST data of the report's add form, or of its edit form as the editor shows it
    (from the latest revision); rich text given as HTML.
    """
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    highlights = []
    if page is not None:
        page = page.get_latest_revision_as_object()
        highlights = [
            {"id": item.pk or "", "entry": item.entry_id, "note": item.note}
            for item in page.highlights.all()
        ]
    values = {
        "title": page.title if page else "Report for 2025",
        "slug": page.slug if page else "report-2025",
        "period_start": (page.period_start if page else PERIOD_START).isoformat(),
        "period_end": (page.period_end if page else PERIOD_END).isoformat(),
        "addressee": page.addressee if page else "The General Assembly",
        "document_symbol": page.document_symbol if page else "",
        "summary": page.summary if page else "<p>Summary.</p>",
        "narrative": streamfield([]),
        "highlights": inline_formset(highlights, initial=len(highlights)),
        "scope_region": page.scope_region if page else "",
        "scope_action_line": page.scope_action_line if page else "",
        "scope_sdg": (page.scope_sdg or "") if page else "",
        "scope_stakeholder": page.scope_stakeholder if page else "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        **changes,
    }
    values["summary"] = rich_text(values["summary"])
    # A checkbox: sent only when ticked.
    if values.pop("team_sections", page.team_sections if page else False):
        values["team_sections"] = "on"
    return nested_form_data(values)
