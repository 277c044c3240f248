"""Celery application and the beat schedule (kept in code, run by exactly one beat).

Each periodic job is a thin task calling a service that finds what is due and acts, so it is
idempotent and can also run by hand (`python manage.py runjob NAME`).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anlong_wenlian.settings")

app = Celery("anlong_wenlian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every entry runs a registered job (portal.jobs) through portal.tasks.run_job, which
    # records the run and lets only one run of a job act at a time.
    # Housekeeping: expired sessions and stale login-failure records.
    "housekeeping-daily": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(hour=3, minute=15),
        "args": ("housekeeping",),
    },
    # Offices ending in 60/30/7 days → holder, secretaries, staff; ended offices lose scope.
    "term-expiry-daily": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(hour=6, minute=30),
        "args": ("term_expiry",),
    },
    # E-mail/SMS not delivered an hour after the reminder (lost task, retries used up).
    "reminder-requeue": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(minute=40),
        "args": ("reminder_requeue",),
    },
    # Applications waiting at one review stage more than N days → reviewers; 2N → staff.
    "application-review-deadline-daily": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(hour=7, minute=0),
        "args": ("application_review_deadline",),
    },
    # Yearly duty registration of office holders (opens 1 December): notice, reminder, report.
    "duty-registration-daily": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(hour=7, minute=10),
        "args": ("duty_registration",),
    },
    # Last year's appraisal drafts of the associations, refreshed until signed off.
    "association-appraisal-monthly": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(day_of_month=1, hour=4, minute=30),
        "args": ("association_appraisal",),
    },
    # Yearly member registration (opens 1 January): open, remind at 30/60 days, flag after
    # 31 March and list for staff review.
    "annual-registration-daily": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(hour=2, minute=30),
        "args": ("annual_registration",),
    },
    # Congress or association council term nearing five years → staff.
    "congress-due-monthly": {
        "task": "portal.tasks.run_job",
        "schedule": crontab(day_of_month=1, hour=8, minute=0),
        "args": ("congress_due",),
    },
}
