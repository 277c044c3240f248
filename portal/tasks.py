from celery import shared_task

from . import services


@shared_task(name="portal.tasks.housekeeping", acks_late=True)
def housekeeping() -> dict:
    result = services.housekeeping_run()
    return {
        "sessions_deleted": result.sessions_deleted,
        "lockouts_cleared": result.lockouts_cleared,
    }


@shared_task(name="portal.tasks.run_job", acks_late=True)
def run_job(name: str, dry_run: bool = False, trigger: str = "beat", actor_id=None) -> dict:
    """Run a registered job (portal.jobs); beat passes the job's name as the argument."""
    from django.contrib.auth import get_user_model

    from . import jobs

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    run = jobs.run_job(name, dry_run=dry_run, trigger=trigger, actor=actor)
    return {
        "job": name,
        "run": run.pk,
        "status": run.status,
        "done": run.done,
        "skipped": run.skipped,
    }
