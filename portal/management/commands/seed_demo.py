"""Deterministic demo data: the demo accounts and N members spread over associations,
towns, genders, ethnic groups and ages in realistic shares.

Same arguments, same data; a second run creates nothing new (people are identified by
their generated ID numbers' blind index). 100,000 members take well under a minute
(bulk inserts).
"""

from __future__ import annotations

import random
import time
from datetime import date

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import roles
from accounts.services import grant_staff_model_permissions
from associations.models import Association, Town
from members.idcard import make_test_id_number
from members.models import (
    EducationLevel,
    EthnicGroup,
    MemberNumberCounter,
    Membership,
    Person,
    PoliticalStatus,
)
from members.services import identity_values, membership_assign_number, name_values
from portal.bulk import copy_insert

SURNAMES = list("王张李刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦岑龙吕罗潘蒙班黎覃陆杨卢石熊")
SURNAMES += ["欧阳", "司马"]
GIVEN = list("芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅云飞鹏雪峰文斌春燕海波建国志")

# Shares of members per association code (larger for calligraphy, writers, painting…).
ASSOCIATION_WEIGHTS = {
    "ZJ": 15,
    "SC": 10,
    "SF": 18,
    "MS": 14,
    "SY": 14,
    "YY": 10,
    "WD": 8,
    "YS": 4,
    "MJ": 7,
}
ETHNIC_WEIGHTS = {
    "01": 52,
    "09": 28,
    "06": 11,
    "07": 2,
    "03": 2,
    "08": 2,
    "12": 1,
    "37": 1,
    "25": 1,
}
WORK_UNITS = [
    "安龙县第一中学",
    "安龙县文化馆",
    "安龙县人民医院",
    "龙广镇中心小学",
    "个体",
    "安龙县融媒体中心",
    "退休",
    "自由职业",
    "安龙县图书馆",
    "德卧镇人民政府",
]

DEMO_ACCOUNTS = [
    # username, full name, role, association code (secretary or member), gender
    ("staff", "罗文华", roles.STAFF, None, "M"),
    ("sec_writers", "韦晓燕", roles.SECRETARY, "ZJ", "F"),
    ("sec_photo", "岑光明", roles.SECRETARY, "SY", "M"),
    ("member", "龙雪梅", roles.MEMBER, "ZJ", "F"),
]


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _birth_date(rng: random.Random) -> date:
    age = min(88, max(18, int(rng.gauss(52, 13))))
    return date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))


class Command(BaseCommand):
    help = "Create deterministic demo data and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300, help="number of demo members")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, members: int, seed: int, **options):
        t0 = time.monotonic()
        grant_staff_model_permissions()
        with disable_auditlog():
            created_accounts = self._accounts()
            created_people, created_memberships = self._members(members, seed)
        created_terms = self._leadership()
        self.stdout.write(
            f"seed_demo: {created_accounts} accounts, {created_people} people, "
            f"{created_memberships} memberships, {created_terms} terms created "
            f"in {time.monotonic() - t0:.1f}s"
        )

    # -- accounts ---------------------------------------------------------------------------
    @transaction.atomic
    def _accounts(self) -> int:
        User = get_user_model()
        password = make_password(settings.DEMO_PASSWORD)
        created = 0
        admin, made = User.objects.get_or_create(
            username="admin",
            defaults={
                "full_name": "系统管理员",
                "is_staff": True,
                "is_superuser": True,
                "password": password,
                "email": "admin@anlong-wenlian.local",
            },
        )
        created += made
        ethnic = {e.code: e for e in EthnicGroup.objects.all()}
        towns = list(Town.objects.order_by("sort_order"))
        for i, (username, full_name, role, code, gender) in enumerate(DEMO_ACCOUNTS):
            user, made = User.objects.get_or_create(
                username=username,
                defaults={
                    "full_name": full_name,
                    "password": password,
                    "is_staff": role == roles.STAFF,
                    "email": f"{username}@anlong-wenlian.local",
                    "phone": f"1380859{i:04d}",
                },
            )
            created += made
            user.groups.add(*self._groups([role] + ([roles.MEMBER] if code else [])))
            if code is None:
                continue
            association = Association.objects.get(code=code)
            birth = date(1970 + i * 3, 3 + i, 8 + i)
            number = make_test_id_number("522328", birth, 100 + i * 2 + (1 if gender == "M" else 0))
            person, _ = Person.objects.get_or_create(
                user=user,
                defaults={
                    **name_values(full_name),
                    **identity_values(number),
                    "gender": gender,
                    "ethnic_group": ethnic["09" if i % 2 else "01"],
                    "birth_date": birth,
                    "phone": user.phone,
                    "email": user.email,
                    "town": towns[i % len(towns)],
                    "work_unit": "安龙县文化馆",
                    "political_status": PoliticalStatus.objects.get(code="13"),
                    "education": EducationLevel.objects.get(code="21"),
                    "bio": "安龙本土文艺工作者。",
                },
            )
            membership, made = Membership.objects.get_or_create(
                person=person,
                association=association,
                defaults={"joined_on": date(2015 + i, 6, 1)},
            )
            if made:
                membership_assign_number(membership=membership)
            # Secretaries get their scope from the 秘书长 office (see _leadership).
        return created

    # -- leadership --------------------------------------------------------------------------
    def _leadership(self) -> int:
        """A current council term with 主席, 3 副主席 and 秘书长 for every association (the
        demo secretaries hold 秘书长 of theirs, which gives their scope), and the presidium.
        Appointed through the services, so the rules of the reform plan hold."""
        from django.db.models import Count

        from associations.models import Body, Role, Term
        from associations.services import office_appoint, term_create

        admin = get_user_model().objects.get(username="admin")
        starts, ends = date(2023, 6, 1), date(2028, 5, 31)
        created = 0
        used: set[int] = set()
        secretaries = {
            code: Person.objects.get(user__username=username)
            for username, _n, role, code, _g in DEMO_ACCOUNTS
            if role == roles.SECRETARY
        }
        for association in Association.objects.filter(code__in=ASSOCIATION_WEIGHTS):
            if Term.objects.filter(body=Body.COUNCIL, association=association).exists():
                continue
            term = term_create(
                body=Body.COUNCIL,
                association=association,
                number=3,
                starts_on=starts,
                ends_on=ends,
                actor=admin,
            )
            created += 1
            candidates = list(
                Person.objects.filter(
                    memberships__association=association,
                    memberships__status=Membership.Status.ACTIVE,
                    user__isnull=True,
                    birth_date__gte=date(1962, 1, 1),
                    birth_date__lte=date(1990, 1, 1),
                )
                .annotate(n=Count("memberships"))
                .filter(n=1)
                .exclude(id__in=used)
                .order_by("id")[:5]
            )
            roles_to_fill = [Role.CHAIR, Role.VICE_CHAIR, Role.VICE_CHAIR, Role.VICE_CHAIR]
            for person, role in zip(candidates, roles_to_fill, strict=False):
                office_appoint(term=term, person=person, role=role, actor=admin, today=starts)
                used.add(person.id)
            # 秘书长 needs a login (the office gives the scope): only the demo secretaries.
            secretary = secretaries.get(association.code)
            if secretary is not None:
                office_appoint(
                    term=term,
                    person=secretary,
                    role=Role.SECRETARY_GENERAL,
                    actor=admin,
                    today=starts,
                )
        if not Term.objects.filter(body=Body.PRESIDIUM).exists():
            term = term_create(
                body=Body.PRESIDIUM, number=9, starts_on=starts, ends_on=ends, actor=admin
            )
            created += 1
            people = list(
                Person.objects.filter(user__isnull=True, birth_date__gte=date(1962, 1, 1))
                .exclude(id__in=used)
                .order_by("id")[:7]
            )
            for i, person in enumerate(people):
                role = Role.CHAIR if i == 0 else Role.PART_TIME_VICE_CHAIR
                office_appoint(term=term, person=person, role=role, actor=admin, today=starts)
        return created

    def _groups(self, names):
        from django.contrib.auth.models import Group

        return Group.objects.filter(name__in=names)

    # -- members ----------------------------------------------------------------------------
    def _members(self, count: int, seed: int) -> tuple[int, int]:
        rng = random.Random(seed)
        associations = {a.code: a for a in Association.objects.filter(code__in=ASSOCIATION_WEIGHTS)}
        ethnic = {e.code: e for e in EthnicGroup.objects.all()}
        towns = list(Town.objects.order_by("sort_order"))
        town_weights = [4 if t.kind == "street" else 2 for t in towns]
        political = list(PoliticalStatus.objects.all())
        education = list(EducationLevel.objects.all())
        existing = set(
            Person.objects.filter(id_hash__isnull=False).values_list("id_hash", flat=True)
        )
        people: list[Person] = []
        plans: list[tuple[str, list[tuple[str, date]]]] = []
        seen_numbers: set[str] = set()
        for i in range(count):
            birth = _birth_date(rng)
            female = rng.random() < 0.42
            seq = (i % 499) * 2 + (0 if female else 1)
            number = make_test_id_number("522328", birth, seq)
            surname = rng.choice(SURNAMES)
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
            codes = [_weighted(rng, ASSOCIATION_WEIGHTS)]
            if rng.random() < 0.05:
                codes.append(_weighted(rng, ASSOCIATION_WEIGHTS))
            joins = [
                (c, date(rng.randint(max(1985, birth.year + 18), 2026), rng.randint(1, 12), 1))
                for c in dict.fromkeys(codes)
            ]
            eth = _weighted(rng, ETHNIC_WEIGHTS)
            town = rng.choices(towns, weights=town_weights)[0]
            in_system = rng.random() < 0.45
            new_art = rng.random() < 0.12
            pol = rng.choice(political)
            edu = rng.choice(education)
            unit = rng.choice(WORK_UNITS)
            phone = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
            if number in seen_numbers:
                continue  # same birth date and sequence twice: skip deterministically
            seen_numbers.add(number)
            ident = identity_values(number)
            if ident["id_hash"] in existing:
                continue
            people.append(
                Person(
                    **name_values(surname + given),
                    **ident,
                    gender="F" if female else "M",
                    ethnic_group=ethnic[eth],
                    birth_date=birth,
                    phone=phone,
                    town=town,
                    political_status=pol,
                    education=edu,
                    work_unit=unit,
                    in_system=in_system,
                    new_art_group=new_art,
                )
            )
            plans.append((ident["id_hash"], joins))
        if not people:
            return 0, 0
        with transaction.atomic():
            copy_insert(Person, people)
            ids = dict(
                Person.objects.filter(id_hash__in=[h for h, _ in plans]).values_list(
                    "id_hash", "id"
                )
            )
            counters = {
                (c.association_id, c.year): c
                for c in MemberNumberCounter.objects.select_for_update().filter(
                    association__in=associations.values()
                )
            }
            memberships = []
            for id_hash, joins in plans:
                for code, joined in joins:
                    association = associations[code]
                    key = (association.id, joined.year)
                    counter = counters.get(key)
                    if counter is None:
                        counter = MemberNumberCounter.objects.create(
                            association=association, year=joined.year, last=0
                        )
                        counters[key] = counter
                    counter.last += 1
                    memberships.append(
                        Membership(
                            person_id=ids[id_hash],
                            association=association,
                            joined_on=joined,
                            number=association.member_number_format.format(
                                code=code, year=joined.year, seq=counter.last
                            ),
                        )
                    )
            copy_insert(Membership, memberships)
            MemberNumberCounter.objects.bulk_update(
                list(counters.values()), ["last"], batch_size=1000
            )
        return len(people), len(memberships)
