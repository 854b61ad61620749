"""Times in the site's time zone, as the tests write them."""

import datetime

from django.utils import timezone


def aware(year, month, day, hour=12):
    """A time of the site's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour))
