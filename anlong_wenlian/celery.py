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
    # Housekeeping: expired sessions and stale login-failure records.
    "housekeeping-daily": {
        "task": "portal.tasks.housekeeping",
        "schedule": crontab(hour=3, minute=15),
    },
}
