"""Dates and periods of the membership jobs (members/jobs.py): settings with defaults.

Override in settings, e.g. ``APPLICATION_REVIEW_DAYS = 10``.
"""

from django.conf import settings

# An application waiting this many days at one review stage reminds its reviewers; twice as
# long, federation staff as well.
DEFAULT_APPLICATION_REVIEW_DAYS = 15


def application_review_days() -> int:
    return getattr(settings, "APPLICATION_REVIEW_DAYS", DEFAULT_APPLICATION_REVIEW_DAYS)


# The yearly registration (MEM-07) opens on this day ("MM-DD") for that year; members who
# have not confirmed are reminded after these numbers of days, and flagged as not registered
# after the deadline ("MM-DD").
DEFAULT_ANNUAL_REGISTRATION_OPENS = "01-01"
DEFAULT_ANNUAL_REGISTRATION_REMINDER_DAYS = (30, 60)
DEFAULT_ANNUAL_REGISTRATION_DEADLINE = "03-31"


def _month_day(value: str, year: int):
    from associations.jobs_conf import month_day

    return month_day(value, year)


def annual_registration_opens(year: int):
    return _month_day(
        getattr(settings, "ANNUAL_REGISTRATION_OPENS", DEFAULT_ANNUAL_REGISTRATION_OPENS), year
    )


def annual_registration_deadline(year: int):
    return _month_day(
        getattr(settings, "ANNUAL_REGISTRATION_DEADLINE", DEFAULT_ANNUAL_REGISTRATION_DEADLINE),
        year,
    )


def annual_registration_reminder_days() -> tuple[int, ...]:
    return tuple(
        sorted(
            getattr(
                settings,
                "ANNUAL_REGISTRATION_REMINDER_DAYS",
                DEFAULT_ANNUAL_REGISTRATION_REMINDER_DAYS,
            )
        )
    )
