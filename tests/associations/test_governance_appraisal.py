"""Appraisal (ORG-08): metrics from the portal's data, survey figures, weights, ranking, the
secretary's sign-off and staff finalising."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from associations import appraisal as scoring
from associations import services
from associations.models import Appraisal, ContactLog
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def _matrix_expect(name):
    if name == "associations:federation_appraisal":
        return {
            "anonymous": "login",
            "member": 404,
            "sec_writers": 404,
            "sec_photo": 404,
            "staff": 200,
        }
    return {"anonymous": "login", "member": 404, "sec_writers": 200, "sec_photo": 404, "staff": 200}


@pytest.mark.parametrize(
    "name,kwargs",
    [("associations:federation_appraisal", {}), ("associations:appraisal", {"code": "ZJ"})],
)
@pytest.mark.parametrize("role", ["anonymous", "member", "sec_writers", "sec_photo", "staff"])
def test_appraisal_role_matrix(name, kwargs, role, role_users, client_for):
    r = client_for(role_users[role]).get(reverse(name, kwargs=kwargs))
    want = _matrix_expect(name)[role]
    if want == "login":
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    else:
        assert r.status_code == want


def test_scoring_scales_against_the_best_and_uses_weights(settings):
    settings.APPRAISAL_WEIGHTS = {k: 0 for k in scoring.DEFAULT_WEIGHTS} | {
        "members_gained": 1,
        "members_lost": 1,
    }
    scores = scoring.score_all(
        {1: {"members_gained": 10, "members_lost": 0}, 2: {"members_gained": 5, "members_lost": 4}}
    )
    assert scores[1] == 100 and scores[2] == 25


def test_ranked_table_sign_off_and_finalise(
    writers, photographers, sec_writers, staff_user, client_for, django_assert_max_num_queries
):
    for i in range(4):
        MembershipFactory(association=writers, joined_on=date(YEAR, 3, 1 + i))
    MembershipFactory(association=photographers, joined_on=date(YEAR, 3, 1))
    m = MembershipFactory(association=writers, joined_on=date(2020, 1, 1))
    ContactLog.objects.create(
        association=writers,
        membership=m,
        contacted_on=date(YEAR, 5, 1),
        channel="visit",
        topic="走访",
        logged_by=staff_user,
    )
    staff = client_for(staff_user)
    url = reverse("associations:federation_appraisal") + f"?year={YEAR}"
    with django_assert_max_num_queries(25):
        r = staff.get(url)
    rows = r.context["rows"]
    assert rows[0].association.code == "ZJ" and rows[0].rank == 1
    # Finalising before the secretary's sign-off is refused.
    r = staff.post(url, {"action": "finalise", "association": "ZJ"})
    assert r.status_code == 400
    assert not Appraisal.objects.filter(status="final").exists()
    r = staff.post(
        url,
        {
            "action": "survey",
            "association": "ZJ",
            "awareness": 80,
            "participation": 70,
            "satisfaction": 90,
        },
    )
    assert r.status_code == 302
    assert (
        staff.post(
            url,
            {
                **{"action": "survey", "association": "ZJ"},
                "awareness": 120,
                "participation": 1,
                "satisfaction": 1,
            },
        ).status_code
        == 400
    )
    sec = client_for(sec_writers)
    own = reverse("associations:appraisal", kwargs={"code": "ZJ"}) + f"?year={YEAR}"
    body = sec.get(own).content.decode()
    assert "安龙县作家协会" in body and "安龙县摄影家协会" not in body
    assert sec.post(own, {"action": "sign"}).status_code == 302
    # Staff may not sign on the secretary's behalf.
    assert client_for(staff_user).post(own, {"action": "sign"}).status_code == 403
    staff = client_for(staff_user)
    assert staff.post(url, {"action": "finalise", "association": "ZJ"}).status_code == 302
    appraisal = Appraisal.objects.get(association=writers, year=YEAR)
    assert appraisal.status == "final" and appraisal.metrics["members_gained"] == 4
    assert appraisal.metrics["contacts"] == 1 and appraisal.score > 0
    with pytest.raises(ValidationError) as info:
        services.appraisal_set_survey(
            association=writers, year=YEAR, awareness=1, participation=1, satisfaction=1, actor=None
        )
    assert info.value.code == "appraisal_final"
