"""Concurrency of reviews and member numbers against real PostgreSQL (threads, each with its
own connection and transaction)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from accounts import roles
from members import services
from members.models import Application, ApplicationStep, MemberNumberCounter, Membership
from tests.factories import MembershipFactory, UserFactory
from tests.members.apply_support import (  # noqa: F401 - fixtures
    make_applicant,
    make_referee,
    private_media_fixture,
    submitted,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
S = Application.Status


def run_together(*calls):
    """Run the calls in threads released at the same moment; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _federation_stage(writers, sec_writers, n=1, *, referees=None):
    referees = referees or [
        make_referee(writers, "韦文华", "AL-ZJ-2020-0001", "c_ref1"),
        make_referee(writers, "罗春燕", "AL-ZJ-2020-0002", "c_ref2"),
    ]
    apps = []
    for i in range(n):
        user = make_applicant(username=f"c_app{i}", phone=f"1370000{i:04d}")
        app = submitted(user, writers, referees, seq=2 * i + 1)
        services.application_decide(
            application=app,
            actor=sec_writers,
            decision="approve",
            reason="同意",
            expected_status=S.ASSOCIATION_REVIEW,
        )
        apps.append(app)
    return apps


def test_two_reviewers_at_once_one_wins_nothing_doubled(writers, sec_writers, staff_user):
    (app,) = _federation_stage(writers, sec_writers)
    other_staff = UserFactory(username="t_staff2", full_name="另一位干部", roles=[roles.STAFF])

    def approve(actor):
        return lambda: services.application_decide(
            application=app,
            actor=actor,
            decision="approve",
            reason=f"{actor.full_name}同意",
            expected_status=S.FEDERATION_REVIEW,
        )

    results = run_together(approve(staff_user), approve(other_staff))
    errors = [r for r in results if isinstance(r, Exception)]
    wins = [r for r in results if isinstance(r, Application)]
    assert len(wins) == 1 and len(errors) == 1, results
    error = errors[0]
    assert isinstance(error, ValidationError) and error.code == "conflict"
    winner = wins[0]
    step = ApplicationStep.objects.filter(application=app, to_status=S.APPROVED).get()
    message = error.messages[0]
    assert step.actor.full_name in message  # who handled it
    assert str(Application.Status.APPROVED.label) in message or "approved" in message.lower()
    assert (
        Membership.objects.filter(person__id_hash=winner.id_hash, association=writers).count() == 1
    )
    assert (
        ApplicationStep.objects.filter(application=app, from_status=S.FEDERATION_REVIEW).count()
        == 1
    )
    year = timezone.localdate().year
    assert MemberNumberCounter.objects.get(association=writers, year=year).last == 1


def test_approve_and_reject_at_once(writers, sec_writers, staff_user):
    (app,) = _federation_stage(writers, sec_writers)
    other_staff = UserFactory(username="t_staff3", full_name="第三位干部", roles=[roles.STAFF])
    results = run_together(
        lambda: services.application_decide(
            application=app,
            actor=staff_user,
            decision="approve",
            reason="同意",
            expected_status=S.FEDERATION_REVIEW,
        ),
        lambda: services.application_decide(
            application=app,
            actor=other_staff,
            decision="reject",
            reason="不同意",
            expected_status=S.FEDERATION_REVIEW,
        ),
    )
    assert sum(isinstance(r, Application) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    app.refresh_from_db()
    assert app.status in (S.APPROVED, S.REJECTED)
    assert (app.membership_id is not None) == (app.status == S.APPROVED)
    assert app.steps.filter(from_status=S.FEDERATION_REVIEW).count() == 1


def test_concurrent_final_approvals_get_distinct_numbers(writers, sec_writers, staff_user):
    apps = _federation_stage(writers, sec_writers, n=4)
    results = run_together(
        *[
            (
                lambda a=a: services.application_decide(
                    application=a,
                    actor=staff_user,
                    decision="approve",
                    reason="同意",
                    expected_status=S.FEDERATION_REVIEW,
                )
            )
            for a in apps
        ]
    )
    assert all(isinstance(r, Application) for r in results), results
    numbers = sorted(
        Membership.objects.filter(applications__in=apps).values_list("number", flat=True)
    )
    year = timezone.localdate().year
    assert numbers == [f"AL-ZJ-{year}-{i:04d}" for i in range(1, 5)]


def test_concurrent_number_assignment_on_a_fresh_counter(writers):
    memberships = [
        MembershipFactory(association=writers, number=None, joined_on=timezone.localdate())
        for _ in range(6)
    ]
    assert not MemberNumberCounter.objects.exists()
    results = run_together(
        *[(lambda m=m: services.membership_assign_number(membership=m)) for m in memberships]
    )
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 6
    year = timezone.localdate().year
    assert MemberNumberCounter.objects.get(association=writers, year=year).last == 6


def test_connection_is_real_postgresql():
    assert connection.vendor == "postgresql"
