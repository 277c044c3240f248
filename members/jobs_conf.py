"""Dates and periods of the membership jobs (members/jobs.py): settings with defaults.

Override in settings, e.g. ``APPLICATION_REVIEW_DAYS = 10``.
"""

from django.conf import settings

# An application waiting this many days at one review stage reminds its reviewers; twice as
# long, federation staff as well.
DEFAULT_APPLICATION_REVIEW_DAYS = 15


def application_review_days() -> int:
    return getattr(settings, "APPLICATION_REVIEW_DAYS", DEFAULT_APPLICATION_REVIEW_DAYS)
