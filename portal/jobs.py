"""The job framework (JOB-03): a registry of periodic jobs and the one way to run them.

A job is a service function ``(*, now, dry_run) -> JobResult`` that finds what is due and
acts, registered with ``@job("name")`` in an app's ``jobs.py`` (found automatically).
:func:`run_job` records every run in :class:`portal.models.JobRun`, catches and records
errors, and holds a PostgreSQL advisory lock on the job's name for the length of the run,
so two runs of the same job at the same moment never both act: the second is recorded as
skipped ("already running"). The lock belongs to the database session, so a worker that
dies mid-run releases it and the next run can start.

Celery beat calls the task ``portal.tasks.run_job`` with the job's name; staff run jobs
from /dashboard/jobs/ and operators with ``python manage.py runjob NAME [--dry-run]``.
"""

import hashlib
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .models import JobRun

logger = logging.getLogger(__name__)


@dataclass
class JobResult:
    """What one run did: items acted on, items found but left alone, error messages."""

    done: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[..., JobResult]
    description: str = ""  # translatable (gettext_lazy)


REGISTRY: dict[str, Job] = {}
_discovered = False


def job(name: str, *, description: str = ""):
    """Register ``func(*, now, dry_run) -> JobResult`` as the job ``name``."""

    def decorator(func):
        REGISTRY[name] = Job(name=name, func=func, description=description)
        return func

    return decorator


def unregister(name: str) -> None:
    REGISTRY.pop(name, None)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True


def all_jobs() -> list[Job]:
    _discover()
    return [REGISTRY[name] for name in sorted(REGISTRY)]


def get_job(name: str) -> Job:
    _discover()
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY)) or "-"
        raise KeyError(f"Unknown job {name!r}; known jobs: {known}") from None


def lock_key(name: str) -> int:
    """A signed 64-bit key for pg_try_advisory_lock, stable across processes."""
    digest = hashlib.blake2b(f"portal.jobs:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _try_lock(key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def _unlock(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run_job(
    name: str,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    trigger: str = JobRun.Trigger.COMMAND,
    actor=None,
) -> JobRun:
    """Run the job ``name`` once and return its recorded run.

    ``now`` is the moment the job reasons about (defaults to the current time; tests pass
    another). A failing job is recorded as failed with its traceback, never raised.
    """
    registered = get_job(name)
    now = now or timezone.now()
    base = {"job": name, "dry_run": dry_run, "trigger": trigger, "actor": actor}
    key = lock_key(name)
    if not _try_lock(key):
        moment = timezone.now()
        return JobRun.objects.create(
            **base,
            started_at=moment,
            finished_at=moment,
            status=JobRun.Status.SKIPPED,
            note="already running",
        )
    try:
        # Holding the lock, no other run of this job is alive: a row still "running" is
        # the record of a run whose worker died. Close it so staff see what happened.
        JobRun.objects.filter(job=name, status=JobRun.Status.RUNNING).update(
            status=JobRun.Status.FAILED,
            finished_at=timezone.now(),
            note="interrupted: the process running it stopped",
        )
        run = JobRun.objects.create(**base, started_at=timezone.now())
        try:
            if dry_run:
                result = _dry_run(registered, now)
            else:
                result = registered.func(now=now, dry_run=False)
        except Exception:  # noqa: BLE001 - every failure is recorded on the run
            logger.exception("Job %s failed", name)
            run.status = JobRun.Status.FAILED
            run.errors = traceback.format_exc()[-8000:]
        else:
            run.done, run.skipped = result.done, result.skipped
            run.errors = "\n".join(str(e) for e in result.errors)[-8000:]
            run.status = JobRun.Status.FAILED if result.errors else JobRun.Status.OK
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "done", "skipped", "errors", "finished_at"])
        return run
    finally:
        _unlock(key)


def _dry_run(registered: Job, now) -> JobResult:
    """Run with dry_run=True inside a transaction that is always rolled back.

    Jobs honour dry_run themselves; the rollback makes sure a dry run never leaves a write
    behind, and on_commit callbacks (queued e-mails) are dropped with it.
    """
    with transaction.atomic():
        result = registered.func(now=now, dry_run=True)
        transaction.set_rollback(True)
    return result


def recent_runs(limit: int = 50):
    return JobRun.objects.select_related("actor").order_by("-started_at", "-id")[:limit]


# Jobs of the portal app ----------------------------------------------------------------


@job(
    "housekeeping",
    description=_("Delete expired sessions and login failures whose lock-out has passed"),
)
def housekeeping(*, now, dry_run) -> JobResult:
    """Expired sessions and login-failure records whose cool-off has passed."""
    from . import services

    result = services.housekeeping_run(now=now)
    return JobResult(done=result.sessions_deleted + result.lockouts_cleared)


# The schedule, described for people ---------------------------------------------------

RUN_JOB_TASK = "portal.tasks.run_job"
_WEEKDAYS = {
    "0": _("Sunday"),
    "1": _("Monday"),
    "2": _("Tuesday"),
    "3": _("Wednesday"),
    "4": _("Thursday"),
    "5": _("Friday"),
    "6": _("Saturday"),
    "7": _("Sunday"),
}


def describe_schedule(schedule) -> str:
    """A crontab or interval in words, in the active language (Chinese on Chinese pages)."""
    from celery.schedules import crontab
    from celery.schedules import schedule as interval

    if isinstance(schedule, crontab):
        minute, hour, dow, dom, month = (
            str(getattr(schedule, f"_orig_{part}"))
            for part in ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
        )
        if minute.isdigit() and hour.isdigit():
            at = f"{int(hour):02d}:{int(minute):02d}"
            if dow == dom == month == "*":
                return _("Every day at %(time)s") % {"time": at}
            if dow == month == "*" and dom.isdigit():
                return _("Every month on day %(day)s at %(time)s") % {"day": dom, "time": at}
            if dow == "*" and dom.isdigit() and month.isdigit():
                return _("Every year on %(month)s/%(day)s at %(time)s") % {
                    "month": month,
                    "day": dom,
                    "time": at,
                }
            if dom == month == "*" and dow in _WEEKDAYS:
                return _("Every %(weekday)s at %(time)s") % {
                    "weekday": _WEEKDAYS[dow],
                    "time": at,
                }
        if minute.isdigit() and hour == dow == dom == month == "*":
            return _("Every hour at minute %(minute)s") % {"minute": minute}
        return _("Cron expression %(expr)s") % {"expr": f"{minute} {hour} {dom} {month} {dow}"}
    seconds = None
    if isinstance(schedule, interval):
        seconds = schedule.run_every.total_seconds()
    elif hasattr(schedule, "total_seconds"):
        seconds = schedule.total_seconds()
    elif isinstance(schedule, int | float):
        seconds = float(schedule)
    if seconds is not None:
        return _("Every %(minutes)s minutes") % {"minutes": f"{seconds / 60:g}"}
    return str(schedule)


@dataclass(frozen=True)
class ScheduledEntry:
    key: str
    job: str
    description: str
    when: str
    last_run: JobRun | None


def schedule_entries(beat_schedule: dict) -> list[ScheduledEntry]:
    """The beat schedule's entries with their job, timing in words and last run."""
    _discover()
    rows = []
    names = []
    for key, entry in beat_schedule.items():
        args = entry.get("args") or ()
        name = args[0] if entry.get("task") == RUN_JOB_TASK and args else entry.get("task", "")
        names.append(name)
        rows.append((key, name, entry.get("schedule")))
    last = {}
    for run in (
        JobRun.objects.filter(job__in=names).order_by("job", "-started_at", "-id").distinct("job")
    ):
        last[run.job] = run
    return [
        ScheduledEntry(
            key=key,
            job=name,
            description=str(REGISTRY[name].description) if name in REGISTRY else "",
            when=describe_schedule(sched),
            last_run=last.get(name),
        )
        for key, name, sched in rows
    ]
