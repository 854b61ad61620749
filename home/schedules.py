"""django-q2 schedules of the platform, kept in step after every migrate."""

from django_q.models import Schedule

SCHEDULES = [
    # (name, function, schedule type, minutes between runs)
    (
        "Meeting reminders",
        "action_lines.tasks.send_meeting_reminders",
        Schedule.HOURLY,
        None,
    ),
    (
        "Search index catch-up",
        "search.tasks.flush_index_updates",
        Schedule.MINUTES,
        1,
    ),
    (
        "Inventory freshness cycle",
        "inventory.tasks.run_freshness_cycle",
        Schedule.DAILY,
        None,
    ),
    (
        "Annual contribution reminders",
        "inventory.tasks.send_contribution_reminders",
        Schedule.DAILY,
        None,
    ),
    (
        "Saved search digests",
        "accounts.tasks.send_digests",
        Schedule.DAILY,
        None,
    ),
]


def ensure_schedules():
    for name, func, schedule_type, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": schedule_type,
                "minutes": minutes,
                "repeats": -1,
            },
        )
