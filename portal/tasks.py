from celery import shared_task

from . import services


@shared_task(name="portal.tasks.housekeeping", acks_late=True)
def housekeeping() -> dict:
    result = services.housekeeping_run()
    return {
        "sessions_deleted": result.sessions_deleted,
        "lockouts_cleared": result.lockouts_cleared,
    }
