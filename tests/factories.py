"""Shared factories. Reference data (towns, code lists, associations) comes from the data
migrations, so factories look it up instead of creating it."""

from datetime import date

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import User
from associations.models import Association, Town
from members.idcard import make_test_id_number
from members.models import EthnicGroup, Membership, Person
from members.services import identity_values, name_values


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    password = factory.django.Password("Test-pass-2026!")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def _id_number(n):
    birth = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    return make_test_id_number("522328", birth, (n * 2 + 1) % 1000), birth


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        exclude = ("seq_id",)

    seq_id = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"王{'芳明华丽'[n % 4]}{n}")
    gender = "M"
    ethnic_group = factory.LazyFunction(lambda: EthnicGroup.objects.get(code="01"))
    id_number = factory.LazyAttribute(lambda o: _id_number(o.seq_id)[0])
    birth_date = factory.LazyAttribute(lambda o: _id_number(o.seq_id)[1])
    town = factory.LazyFunction(lambda: Town.objects.order_by("sort_order").first())
    phone = factory.Sequence(lambda n: f"139{n:08d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.update(identity_values(kwargs.pop("id_number", "")))
        kwargs.update(name_values(kwargs["name"]))
        return super()._create(model_class, *args, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    association = factory.LazyFunction(lambda: Association.objects.get(code="ZJ"))
    joined_on = date(2020, 5, 1)
    number = factory.Sequence(lambda n: f"AL-T-{n:06d}")


__all__ = ["UserFactory", "PersonFactory", "MembershipFactory", "settings"]
