"""Dates and periods of the governance jobs (associations/jobs.py): settings with defaults.

Override in settings, e.g. ``DUTY_REGISTRATION_OPENS = "11-15"``.
"""

import datetime

from django.conf import settings

# The yearly duty registration (ORG-05) opens on this day ("MM-DD") for that year.
DEFAULT_DUTY_REGISTRATION_OPENS = "12-01"
# Holders who have not filed are reminded this many days after the opening.
DEFAULT_DUTY_REGISTRATION_REMINDER_DAYS = 30
# The job stops announcing and reminding this many days after the opening.
DEFAULT_DUTY_REGISTRATION_WINDOW_DAYS = 90
# Staff are warned this many days before five years have passed since the last congress or
# the start of an association's council term.
DEFAULT_CONGRESS_DUE_WARNING_DAYS = 180
DEFAULT_CONGRESS_PERIOD_YEARS = 5


def month_day(value: str, year: int) -> datetime.date:
    """``"12-01"`` in ``year`` → 1 December of that year (29 February → 28 in other years)."""
    month, day = (int(part) for part in value.split("-"))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return datetime.date(year, month, 28)


def duty_registration_opens(year: int) -> datetime.date:
    return month_day(
        getattr(settings, "DUTY_REGISTRATION_OPENS", DEFAULT_DUTY_REGISTRATION_OPENS), year
    )


def duty_registration_reminder_days() -> int:
    return getattr(
        settings, "DUTY_REGISTRATION_REMINDER_DAYS", DEFAULT_DUTY_REGISTRATION_REMINDER_DAYS
    )


def duty_registration_window_days() -> int:
    return getattr(settings, "DUTY_REGISTRATION_WINDOW_DAYS", DEFAULT_DUTY_REGISTRATION_WINDOW_DAYS)


def congress_due_warning_days() -> int:
    return getattr(settings, "CONGRESS_DUE_WARNING_DAYS", DEFAULT_CONGRESS_DUE_WARNING_DAYS)


def congress_period_years() -> int:
    return getattr(settings, "CONGRESS_PERIOD_YEARS", DEFAULT_CONGRESS_PERIOD_YEARS)
