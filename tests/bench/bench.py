"""`make bench`: the key pages at 1,000 and at 100,000 seeded members.

Seeds with ``seed_demo`` (COPY), refreshes the planner statistics, then requests each page
20 times through django.test.Client and prints median and p95 time and the query count at
both sizes, and the ratio between them. Not part of ``make test`` (the file is not named
test_*.py); run it as ``make bench`` or ``scripts/test.py -p no:randomly tests/bench/bench.py -s``.

Targets (DESIGN.md): under 100 ms and at most 15 queries per page at 100,000 members.
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

BACKEND = "accounts.backends.UsernameOrPhoneBackend"
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
TARGET_MS = 100
TARGET_QUERIES = 15


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username), backend=BACKEND)
    return client


def _pages():
    from members.models import Membership

    membership = Membership.objects.filter(association__code="ZJ").order_by("id").first()
    database = reverse("members:database_list")
    return [
        ("member list (staff)", "staff", database),
        ("member list (secretary)", "sec_writers", database),
        ("member list by join date", "staff", database + "?sort=joined"),
        ("name search, 1 character", "staff", database + "?q=王"),
        ("name search, 2 characters", "staff", database + "?q=王芳"),
        ("member number search", "staff", database + f"?q={membership.number}"),
        ("member detail (staff)", "staff", reverse("members:member_detail", args=[membership.pk])),
        ("statistics (staff, cached)", "staff", reverse("members:statistics")),
        ("statistics (staff, uncached)", "staff", reverse("members:statistics") + "?uncached"),
        ("staff dashboard", "staff", reverse("portal:staff_dashboard")),
        (
            "secretary dashboard",
            "sec_writers",
            reverse("portal:secretary_dashboard", kwargs={"code": "ZJ"}),
        ),
    ]


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    response = client.get(url)  # warm-up (templates, caches, connection)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    queries = 0
    for _ in range(REQUESTS):
        if url.endswith("?uncached"):
            cache.clear()  # the statistics page keeps its figures for five minutes
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(ctx.captured_queries))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, queries


def _seed(members: int) -> float:
    t0 = time.perf_counter()
    call_command("seed_demo", members=members, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


@pytest.mark.django_db(transaction=True)
def test_bench_key_pages():
    from members.models import Membership, Person

    results: dict[int, dict[str, tuple[float, float, int]]] = {}
    seeded: dict[int, tuple[int, int, float]] = {}
    for size in SIZES:
        seconds = _seed(size)
        seeded[size] = (Person.objects.count(), Membership.objects.count(), seconds)
        clients = {name: _client(name) for name in ("staff", "sec_writers")}
        results[size] = {label: _measure(clients[who], url) for label, who, url in _pages()}

    small, big = SIZES[0], SIZES[-1]
    lines = ["", f"make bench — key pages, {REQUESTS} requests each (times in ms)"]
    for size in SIZES:
        people, memberships, seconds = seeded[size]
        lines.append(
            f"  seeded {size:,}: {people:,} people, {memberships:,} memberships ({seconds:.1f} s)"
        )
    head = (
        f"{'page':<30} | {'median':>7} {'p95':>7} {'q':>3} @ {small // 1000}k | "
        f"{'median':>7} {'p95':>7} {'q':>3} @ {big // 1000}k | {'ratio':>5} | target"
    )
    lines += [head, "-" * len(head)]
    for label, _who, _url in _pages():
        m1, p1, q1 = results[small][label]
        m2, p2, q2 = results[big][label]
        ok = "ok" if m2 < TARGET_MS and q2 <= TARGET_QUERIES else "MISSED"
        lines.append(
            f"{label:<30} | {m1:7.1f} {p1:7.1f} {q1:3d}       | "
            f"{m2:7.1f} {p2:7.1f} {q2:3d}         | {m2 / m1:5.2f} | {ok}"
        )
    lines.append(
        f"target at {big:,}: median < {TARGET_MS} ms and ≤ {TARGET_QUERIES} queries per page; "
        "ratio = median at the large size / median at the small size"
    )
    print("\n".join(lines))
