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
        # Staff live in these admin changelists too.
        ("admin: people", "staff", reverse("admin:members_person_changelist")),
        ("admin: people, search 王", "staff", reverse("admin:members_person_changelist") + "?q=王"),
        ("admin: memberships", "staff", reverse("admin:members_membership_changelist")),
        ("admin: applications", "staff", reverse("admin:members_application_changelist")),
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
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


# -- annual_registration (MEM-07): the yearly job over every member -----------------------

REGISTRATION_TARGET_S = 60


def _give_every_member_an_account(tag: str) -> int:
    """The worst case for the job: every seeded person has an account with an e-mail
    address, so every member gets an inbox message and an e-mail (bulk, no password hash)."""
    from members.models import Person

    User = get_user_model()
    people = list(Person.objects.filter(user__isnull=True).values_list("id", flat=True))
    users = User.objects.bulk_create(
        (
            User(username=f"bench_reg_{tag}_{pk}", email=f"m{pk}@bench.invalid", password="!")
            for pk in people
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_person AS p SET user_id = v.u "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS v(p, u) WHERE p.id = v.p",
            [people, [u.pk for u in users]],
        )
        cursor.execute("ANALYZE")
    return len(users)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_annual_registration():
    """`annual_registration` opening the year (rows + messages) and a second run at the same
    moment (nothing to do), at each size; target: under 60 s at 100,000 members."""
    import datetime

    from django.utils import timezone

    from members.models import AnnualRegistration, Membership
    from notifications.models import ReminderLog
    from portal.jobs import run_job

    lines = ["", "make bench — annual_registration (every member has an account and e-mail)"]
    for size in SIZES:
        _seed(size)
        _give_every_member_an_account(str(size))
        year = timezone.localdate().year + 1
        moment = timezone.make_aware(datetime.datetime(year, 1, 1, 2, 30))
        active = Membership.objects.filter(status=Membership.Status.ACTIVE).count()
        t0 = time.perf_counter()
        first = run_job("annual_registration", now=moment)
        opened = time.perf_counter() - t0
        t0 = time.perf_counter()
        second = run_job("annual_registration", now=moment)
        again = time.perf_counter() - t0
        assert first.status == "ok" and second.status == "ok" and second.done == 0
        rows = AnnualRegistration.objects.filter(year=year).count()
        messages = ReminderLog.objects.filter(kind="annual_registration", period=str(year)).count()
        ok = "ok" if opened < REGISTRATION_TARGET_S else "MISSED"
        lines.append(
            f"  {size:>7,} members: {active:,} active, {rows:,} registrations, "
            f"{messages:,} messages in {opened:.1f} s; second run {again:.1f} s | {ok}"
        )
    lines.append(f"target: under {REGISTRATION_TARGET_S} s at {SIZES[-1]:,} members")
    print("\n".join(lines))
