"""The Term admin with its Office inline: saves go through the services, so the rules hold
and a broken rule is shown on its row with nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from associations import services
from associations.models import Body, Office, Role, Term
from associations.permissions import managed_association_ids
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

START, END = date(2024, 1, 1), date(2029, 1, 1)


def _term_data(term):
    return {
        "body": term.body,
        "association": term.association_id or "",
        "number": term.number,
        "starts_on": term.starts_on.isoformat(),
        "ends_on": term.ends_on.isoformat(),
        "notes": term.notes,
    }


def _inline(term, rows, existing=()):
    data = {
        "offices-TOTAL_FORMS": len(existing) + len(rows),
        "offices-INITIAL_FORMS": len(existing),
        "offices-MIN_NUM_FORMS": 0,
        "offices-MAX_NUM_FORMS": 1000,
    }
    for i, office in enumerate(existing):
        data[f"offices-{i}-id"] = office.pk
        data[f"offices-{i}-term"] = term.pk
        data[f"offices-{i}-ends_on"] = office.ends_on.isoformat()
    for j, row in enumerate(rows, start=len(existing)):
        data[f"offices-{j}-term"] = term.pk
        for key, value in row.items():
            data[f"offices-{j}-{key}"] = value
    return data


def _post(client, term, rows=(), existing=(), overrides=None):
    data = {**_term_data(term), **_inline(term, list(rows), existing), **(overrides or {})}
    return client.post(reverse("admin:associations_term_change", args=[term.pk]), data)


def _row_codes(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return [e.code for form in formset.forms for e in form.non_field_errors().as_data()]


@pytest.fixture
def term(writers):
    return services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=1,
        starts_on=START,
        ends_on=END,
        actor=None,
    )


def test_admin_add_term_and_term_constraint_message(staff_user, writers, client_for):
    c = client_for(staff_user)
    url = reverse("admin:associations_term_add")
    assert c.get(url).status_code == 200
    bad = {
        "body": "council",
        "association": writers.pk,
        "number": 1,
        "starts_on": "2026-01-01",
        "ends_on": "2025-01-01",
    }
    r = c.post(url, bad)
    assert r.status_code == 200 and not Term.objects.exists()
    r = c.post(url, {**bad, "ends_on": "2031-01-01"})
    assert r.status_code == 302 and Term.objects.count() == 1


def test_admin_appoints_through_services(staff_user, term, client_for):
    c = client_for(staff_user)
    vice = [PersonFactory() for _ in range(3)]
    r = _post(c, term, [{"person": p.pk, "role": Role.VICE_CHAIR} for p in vice])
    assert r.status_code == 302, _row_codes(r)
    offices = Office.objects.filter(term=term)
    assert offices.count() == 3
    assert all(o.starts_on == START and o.ends_on == END for o in offices)


def test_admin_fourth_vice_chair_refused_on_its_row(staff_user, term, client_for):
    for _ in range(3):
        services.office_appoint(term=term, person=PersonFactory(), role=Role.VICE_CHAIR, actor=None)
    existing = list(Office.objects.filter(term=term))
    r = _post(
        client_for(staff_user),
        term,
        [{"person": PersonFactory().pk, "role": Role.VICE_CHAIR}],
        existing=existing,
    )
    assert r.status_code == 200
    assert "office_limit" in _row_codes(r)
    assert Office.objects.filter(term=term).count() == 3


def test_admin_two_chairs_in_one_save_refused_entirely(staff_user, term, client_for):
    r = _post(
        client_for(staff_user),
        term,
        [
            {"person": PersonFactory().pk, "role": Role.CHAIR},
            {"person": PersonFactory().pk, "role": Role.CHAIR},
        ],
    )
    assert r.status_code == 200 and "office_limit" in _row_codes(r)
    assert not Office.objects.exists()


def test_admin_missing_justification(staff_user, term, client_for):
    row = {"person": PersonFactory().pk, "role": Role.CHAIR, "cadre": "on"}
    r = _post(client_for(staff_user), term, [row])
    assert "office_justification_required" in _row_codes(r)
    r = _post(client_for(staff_user), term, [{**row, "justification": "具备艺术专业背景"}])
    assert r.status_code == 302 and Office.objects.get().cadre


def test_admin_end_and_delete_hand_over_scope(staff_user, term, writers, client_for):
    user = UserFactory(username="admin_sec")
    office = services.office_appoint(
        term=term,
        person=PersonFactory(user=user),
        role=Role.SECRETARY_GENERAL,
        actor=None,
        today=date(2026, 1, 1),
    )
    assert managed_association_ids(user) == [writers.id]
    c = client_for(staff_user)
    data = _inline(term, [], existing=[office])
    data["offices-0-DELETE"] = "on"
    r = c.post(
        reverse("admin:associations_term_change", args=[term.pk]),
        {**_term_data(term), **data},
    )
    assert r.status_code == 302
    assert not Office.objects.exists()
    assert managed_association_ids(type(user).objects.get(pk=user.pk)) == []


def test_admin_office_changelist_is_read_only(staff_user, client_for):
    c = client_for(staff_user)
    assert c.get(reverse("admin:associations_office_changelist")).status_code == 200
    assert c.get(reverse("admin:associations_office_add")).status_code == 403


def test_admin_ends_an_office_early(staff_user, term, client_for):
    office = services.office_appoint(
        term=term, person=PersonFactory(), role=Role.DIRECTOR, actor=None
    )
    data = _inline(term, [], existing=[office])
    data["offices-0-ends_on"] = "2026-03-01"
    data["offices-0-ended_reason"] = "本人辞职"
    r = client_for(staff_user).post(
        reverse("admin:associations_term_change", args=[term.pk]), {**_term_data(term), **data}
    )
    assert r.status_code == 302
    office.refresh_from_db()
    assert office.ends_on == date(2026, 3, 1) and office.ended_reason == "本人辞职"
    # Extending beyond the original end is refused on its row.
    data["offices-0-ends_on"] = "2030-01-01"
    r = client_for(staff_user).post(
        reverse("admin:associations_term_change", args=[term.pk]), {**_term_data(term), **data}
    )
    assert r.status_code == 200 and "office_end_extends" in _row_codes(r)
