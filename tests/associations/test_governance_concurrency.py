"""Concurrent appointments against real PostgreSQL (threads with their own connections): the
term and person locks serialise them, so a rule holds even when two staff save at once."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from associations import services
from associations.models import Body, Office, Role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*calls):
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


@pytest.fixture(autouse=True)
def slow_checks(monkeypatch):
    """Widen the race: each appointment pauses between its rule checks and its insert, so
    without the locks both threads would pass the checks."""
    original = services._check_office

    def checked_then_pause(**kwargs):
        original(**kwargs)
        time.sleep(0.5)

    monkeypatch.setattr(services, "_check_office", checked_then_pause)


def _council(association):
    return services.term_create(
        body=Body.COUNCIL,
        association=association,
        number=1,
        starts_on=date(2024, 1, 1),
        ends_on=date(2029, 1, 1),
        actor=None,
    )


def test_two_chairs_at_once_one_refused(writers):
    term = _council(writers)
    a, b = PersonFactory(), PersonFactory()
    results = run_together(
        lambda: services.office_appoint(term=term, person=a, role=Role.CHAIR, actor=None),
        lambda: services.office_appoint(term=term, person=b, role=Role.CHAIR, actor=None),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert errors[0].code == "office_limit"
    assert Office.objects.filter(term=term, role=Role.CHAIR).count() == 1


def test_same_person_chair_of_two_associations_at_once(writers, photographers):
    zj, sy = _council(writers), _council(photographers)
    person = PersonFactory()
    results = run_together(
        lambda: services.office_appoint(term=zj, person=person, role=Role.CHAIR, actor=None),
        lambda: services.office_appoint(term=sy, person=person, role=Role.CHAIR, actor=None),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "office_cross_association"
    assert Office.objects.filter(person=person).count() == 1
