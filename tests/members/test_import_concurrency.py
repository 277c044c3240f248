"""Two imports of the same roster at the same moment: one creates, the other skips."""

import threading
from pathlib import Path

import pytest
from django.db import connection

from members.importer import roster_import
from members.models import Membership, Person

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "writers-roster-2026.xlsx"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_imports_do_not_double(writers):
    barrier = threading.Barrier(2)
    reports, failures = [], []

    def work():
        try:
            barrier.wait(timeout=30)
            with SAMPLE.open("rb") as fileobj:
                reports.append(roster_import(fileobj=fileobj, association=writers, actor=None))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert all(r.ok for r in reports), [r.errors for r in reports]
    assert sorted(r.created_memberships for r in reports) == [0, 60]
    assert sorted(r.skipped_count for r in reports) == [0, 60]
    assert Person.objects.count() == 60
    assert Membership.objects.filter(association=writers).count() == 60
