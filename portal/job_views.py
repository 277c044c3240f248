"""Staff page of the scheduled jobs: the schedule, the last runs, and "run now"."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require_staff

from . import jobs
from .models import JobRun
from .tasks import run_job as run_job_task


@login_required
def jobs_page(request):
    require_staff(request.user)
    from anlong_wenlian.celery import app

    return render(
        request,
        "portal/jobs.html",
        {
            "schedule": jobs.schedule_entries(app.conf.beat_schedule),
            "registered": jobs.all_jobs(),
            "runs": jobs.recent_runs(50),
        },
    )


@login_required
@require_POST
def job_run_now(request):
    require_staff(request.user)
    name = request.POST.get("job", "")
    names = {registered.name for registered in jobs.all_jobs()}
    if name not in names:
        messages.error(
            request, _("Choose one of the listed jobs; “%(name)s” is not one.") % {"name": name}
        )
        return redirect("portal:jobs")
    dry_run = request.POST.get("dry_run") == "on"
    kwargs = {"dry_run": dry_run, "trigger": JobRun.Trigger.MANUAL, "actor_id": request.user.pk}
    transaction.on_commit(partial(run_job_task.apply_async, args=[name], kwargs=kwargs))
    if dry_run:
        text = _("The job “%(name)s” is queued as a dry run; reload this page to see its result.")
    else:
        text = _("The job “%(name)s” is queued; reload this page in a moment to see its result.")
    messages.success(request, text % {"name": name})
    return redirect("portal:jobs")
