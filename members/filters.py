"""Search and filters of the member database (django-filter), shared by the list page and
the Excel export. The base queryset is already scoped to the viewer (selectors.member_list);
the association choices are limited to the viewer's associations too."""

from __future__ import annotations

import re
from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from associations.models import Association, Town
from associations.permissions import policy as association_policy
from portal.dates import years_ago

from .models import EthnicGroup, Gender, Membership
from .search import clean_name, name_search_q

AGE_BANDS = [
    ("lt35", _("Under 35"), 0, 35),
    ("35_49", _("35–49"), 35, 50),
    ("50_59", _("50–59"), 50, 60),
    ("60_69", _("60–69"), 60, 70),
    ("70p", _("70 and over"), 70, None),
]

_NUMBER_OR_PHONE = re.compile(r"^[0-9A-Za-z\-_/]+$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def age_band_q(band: str, *, today: date | None = None, prefix: str = "person__") -> Q:
    """Birth-date range of an age band (age in whole years on ``today``); index friendly."""
    today = today or timezone.localdate()
    for code, _label, low, high in AGE_BANDS:
        if code != band:
            continue
        q = Q(**{f"{prefix}birth_date__lte": years_ago(today, low)}) if low else Q()
        if high is not None:
            q &= Q(**{f"{prefix}birth_date__gt": years_ago(today, high)})
        return q
    return Q()


def search_q(text: str) -> Q:
    """Name (1–2 characters from the GIN-indexed terms, longer ones refined with
    ``icontains``), member number or former number (exact), mobile number (exact)."""
    text = clean_name(text)
    if not text:
        return Q()
    if _NUMBER_OR_PHONE.match(text):
        if _MOBILE.match(text):
            return Q(person__phone=text)
        return Q(number=text.upper()) | Q(number=text) | Q(legacy_number=text)
    return name_search_q(text, prefix="person__")


class FastSelect(forms.Select):
    """A <select> built in Python: Django renders each option through a template, which
    costs more than the whole database work of the list page."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) in selected else "", label)
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class YesNoSelect(FastSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])

    def format_value(self, value):
        if value in (True, "true", "True"):
            return ["true"]
        if value in (False, "false", "False"):
            return ["false"]
        return [""]

    def value_from_datadict(self, data, files, name):
        return {"true": True, "false": False}.get(data.get(name))


class MemberFilter(django_filters.FilterSet):
    SORTS = [("pinyin", _("Name (pinyin)")), ("joined", _("Date of joining, newest first"))]

    q = django_filters.CharFilter(
        label=_("Name, member number or mobile"), method="filter_search", max_length=50
    )
    association = django_filters.ModelChoiceFilter(
        label=_("Association"),
        queryset=Association.objects.none(),
        empty_label=_("All"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Membership.Status.choices,
        empty_label=_("All"),
        widget=FastSelect,
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"),
        field_name="person__gender",
        choices=Gender.choices,
        empty_label=_("All"),
        widget=FastSelect,
    )
    ethnic_group = django_filters.ModelChoiceFilter(
        label=_("Ethnic group"),
        field_name="person__ethnic_group",
        queryset=EthnicGroup.objects.filter(active=True),
        empty_label=_("All"),
        widget=FastSelect,
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age"),
        choices=[(code, label) for code, label, _low, _high in AGE_BANDS],
        method="filter_age_band",
        empty_label=_("All"),
        widget=FastSelect,
    )
    town = django_filters.ModelChoiceFilter(
        label=_("Town or street"),
        field_name="person__town",
        queryset=Town.objects.all(),
        empty_label=_("All"),
        widget=FastSelect,
    )
    in_system = django_filters.BooleanFilter(
        label=_("Inside the system"), field_name="person__in_system", widget=YesNoSelect
    )
    new_art_group = django_filters.BooleanFilter(
        label=_("New art group"), field_name="person__new_art_group", widget=YesNoSelect
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, method="filter_sort", empty_label=None, widget=FastSelect
    )

    class Meta:
        model = Membership
        fields: list[str] = []

    def __init__(self, data=None, *args, viewer=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.viewer = viewer
        self.filters["association"].queryset = association_policy.visible_to(
            viewer, Association.objects.all()
        )

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value))

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(age_band_q(value))

    def filter_sort(self, queryset, name, value):
        return queryset  # ordering is applied once in ``filter_queryset``

    @property
    def sort_key(self) -> str:
        value = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        return value or "pinyin"

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.sort_key == "joined":
            return queryset.order_by("-joined_on", "-id")
        if self._is_name_search():
            # Surnames cluster in pinyin order (王 → wang…), so walking the pinyin index
            # until 25 matches are found can read most of the table; sort the (GIN-found)
            # matches instead. Pinyin keys are lower case already, so the order is the same.
            return queryset.order_by(Lower("person__name_pinyin"), "person_id", "id")
        return queryset.order_by("person__name_pinyin", "person_id", "id")

    def _is_name_search(self) -> bool:
        text = clean_name(self.form.cleaned_data.get("q") or "")
        return bool(text) and not _NUMBER_OR_PHONE.match(text)

    @property
    def is_filtered(self) -> bool:
        """Whether any filter narrows the list (sorting does not)."""
        if not self.is_bound or not self.form.is_valid():
            return False
        return any(
            value not in (None, "")
            for key, value in self.form.cleaned_data.items()
            if key != "sort"
        )

    def describe(self) -> dict:
        """The applied filters as plain text (for the export log)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            key: str(value)
            for key, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }
