"""Run the designation register's data migration on DATABASE_URL.

Runs the designation register's data migration on the database of DATABASE_URL (a fresh
SQLite file): migrates to just before it, stores rounds and candidates as they were,
migrates on, and prints what became of them as JSON. Used by
tests/action_lines/test_designation.py in a process of its own.
"""

import datetime
import json

import django

BEFORE = [("action_lines", "0003_recipient_languages")]
AFTER = [("action_lines", "0004_designation_steps_and_council_advice")]


def main():
    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    page_model = apps.get_model("wagtailcore", "Page")
    line_model = apps.get_model("action_lines", "ActionLinePage")
    organisation_model = apps.get_model("home", "StakeholderOrganisation")
    round_model = apps.get_model("action_lines", "DesignationRound")
    candidate_model = apps.get_model("action_lines", "DesignationCandidate")
    content_type = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="action_lines", model="actionlinepage"
    )[0]
    root = page_model.objects.get(depth=1)
    line = line_model.objects.create(
        title="C5",
        code="C5",
        slug="c5",
        path=root.path + "0099",
        depth=2,
        url_path="/c5/",
        locale_id=root.locale_id,
        content_type=content_type,
    )
    organisation = organisation_model.objects.create(
        name="ITU", stakeholder_type="international", locale_id=root.locale_id
    )
    rounds = {
        status: round_model.objects.create(
            action_line=line,
            title=status,
            status=status,
            recommendation_date=datetime.date(2015, 12, 16),
        )
        for status in ("open", "recommended", "designated", "closed")
    }
    candidates = {
        (council, resources): candidate_model.objects.create(
            round=rounds["designated"],
            organisation=organisation,
            role="lead",
            response="accepts",
            needs_council_advice=council,
            needs_extra_resources=resources,
        ).pk
        for council in (True, False)
        for resources in (True, False)
    }

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    round_model = apps.get_model("action_lines", "DesignationRound")
    candidate_model = apps.get_model("action_lines", "DesignationCandidate")
    found = {
        "conditions": {
            f"{council} {resources}": candidate_model.objects.get(pk=pk).conditions
            for (council, resources), pk in candidates.items()
        },
        "rounds": {
            r.title: [
                r.status,
                r.recommendation_sent_on.isoformat()
                if r.recommendation_sent_on
                else None,
            ]
            for r in round_model.objects.all()
        },
    }
    print(json.dumps(found))  # noqa: T201 - read by the test


if __name__ == "__main__":
    main()
