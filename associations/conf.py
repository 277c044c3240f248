"""Governance rules that vary between bodies: settings with the reform plan's defaults.

Override in settings, e.g. ``ASSOCIATION_OFFICE_LIMITS = {"vice_chair": 4}``.
"""

from django.conf import settings

# Offices of one association council held at the same time (reform plan §2(2)1).
DEFAULT_ASSOCIATION_OFFICE_LIMITS = {
    "chair": 1,
    "vice_chair": 3,
    "secretary_general": 1,
    "deputy_secretary_general": 2,
}
# The federation presidium: 1 chair and 5–7 part-time vice-chairs.
DEFAULT_PRESIDIUM_OFFICE_LIMITS = {"chair": 1, "part_time_vice_chair": 7}
DEFAULT_PRESIDIUM_MIN_PART_TIME_VICE_CHAIRS = 5
DEFAULT_OFFICER_AGE_LIMIT = 70
# Days ahead in which ending offices and terms show on the dashboards.
DEFAULT_GOVERNANCE_ENDING_SOON_DAYS = 60
# The presidium meets at least this often (months).
DEFAULT_PRESIDIUM_MEETING_MONTHS = 6


def association_office_limits() -> dict:
    return {
        **DEFAULT_ASSOCIATION_OFFICE_LIMITS,
        **getattr(settings, "ASSOCIATION_OFFICE_LIMITS", {}),
    }


def presidium_office_limits() -> dict:
    return {**DEFAULT_PRESIDIUM_OFFICE_LIMITS, **getattr(settings, "PRESIDIUM_OFFICE_LIMITS", {})}


def presidium_min_part_time_vice_chairs() -> int:
    return getattr(
        settings, "PRESIDIUM_MIN_PART_TIME_VICE_CHAIRS", DEFAULT_PRESIDIUM_MIN_PART_TIME_VICE_CHAIRS
    )


def officer_age_limit() -> int:
    return getattr(settings, "OFFICER_AGE_LIMIT", DEFAULT_OFFICER_AGE_LIMIT)


def ending_soon_days() -> int:
    return getattr(settings, "GOVERNANCE_ENDING_SOON_DAYS", DEFAULT_GOVERNANCE_ENDING_SOON_DAYS)


def presidium_meeting_months() -> int:
    return getattr(settings, "PRESIDIUM_MEETING_MONTHS", DEFAULT_PRESIDIUM_MEETING_MONTHS)


# Associations that are organised and functioning receive a yearly grant from this year.
DEFAULT_FUNDING_FROM_YEAR = 2022


def funding_from_year() -> int:
    return getattr(settings, "FUNDING_FROM_YEAR", DEFAULT_FUNDING_FROM_YEAR)


# Congress composition targets (ORG-04), in per cent of the delegates. The reform plan names
# the groups but not the figures: each federation sets its own in settings.
DEFAULT_CONGRESS_TARGETS = {
    "grassroots": 30,
    "young_middle": 40,
    "ethnic_minority": 30,
    "women": 30,
    "new_art_group": 10,
}
# "Young and middle-aged": at most this age on the day of the congress.
DEFAULT_YOUNG_MIDDLE_AGE_MAX = 45
# GB 3304 code of the Han majority and of "other" (neither counts as an ethnic minority).
HAN_CODE, OTHER_ETHNIC_CODE = "01", "97"


def congress_targets() -> dict:
    return {**DEFAULT_CONGRESS_TARGETS, **getattr(settings, "CONGRESS_COMPOSITION_TARGETS", {})}


def young_middle_age_max() -> int:
    return getattr(settings, "CONGRESS_YOUNG_MIDDLE_AGE_MAX", DEFAULT_YOUNG_MIDDLE_AGE_MAX)
