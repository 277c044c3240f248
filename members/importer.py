"""Import of existing member rosters (会员名册) from Excel: all or nothing.

``roster_import`` reads the workbook with :func:`members.roster.read_roster`, maps every
row to a Person and a Membership of the chosen association, and either writes
everything in one transaction or, when any row has a problem, writes nothing and
returns a report listing every problem (Excel row, column as written in the file,
what is wrong and how to fix it).

Rules:
- Duplicates are found by ID number (the HMAC blind index ``Person.id_hash``). A person
  who already exists is reused: identity fields stay as recorded, empty contact fields
  are filled from the file. A person who already has a membership in the association
  is reported as skipped, so importing the same file twice creates nothing new.
- Every row needs an ID number (``Person.id_number`` cannot be stored empty, and
  without it duplicates could not be found); a row without one is an error.
- ``Membership.legacy_number`` keeps the roster's member number; ``Membership.number``
  stays empty (the portal's own counter assigns numbers at approval).
- Only mobile numbers go into ``Person.phone``; a landline is reported as a warning
  (with the number) and the phone is left empty.
- Bulk inserts skip ``save()`` and signals, so auditlog records nothing per row: the
  import itself is written as ONE audit event, a ``LogEntry`` on the Association with
  action CREATE, ``changes`` holding a readable Chinese summary and ``additional_data``
  the file name, row counts, source (网页导入 or 命令行导入). Besides, one entry per
  created person and membership (and per reused person whose empty contact fields were
  filled) is bulk-inserted, pointing at that event, so each member's audit history shows
  where the record came from.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import Association, Town

from .models import EducationLevel, EthnicGroup, Membership, Person, PoliticalStatus
from .roster import COLUMNS, MOBILE_RE, RosterRow, RowError, read_roster
from .services import identity_values, name_values

__all__ = ["ImportReport", "roster_import", "SOURCE_COMMAND", "SOURCE_WEB"]

BATCH_SIZE = 1000
# pg_advisory_xact_lock key: roster imports run one at a time, so two imports of the
# same people cannot both decide to create them.
_LOCK_KEY = 7_312_026_08

SOURCE_WEB = "网页导入"
SOURCE_COMMAND = "命令行导入"

# Person text fields filled from the roster, with the roster field they come from.
_TEXT_FIELDS = {
    "work_unit": "work_unit",
    "job_title": "title",
    "native_place": "native_place",
    "pen_name": "pen_name",
    "representative_works": "works",
}
# Contact fields of a reused person that are filled when empty (identity fields never).
_FILL_FIELDS = (
    "phone",
    "work_unit",
    "job_title",
    "native_place",
    "pen_name",
    "representative_works",
    "town",
    "political_status",
    "education",
)
# Preferred entry when a roster value matches several reference entries.
_AMBIGUOUS_PREFERENCE = {"研究生": "研究生（硕士）"}
_TOWN_SUFFIXES = ("街道", "镇", "乡")
# Fields written into the per-record audit entries (as auditlog would; never the ID
# number itself, only its masked form).
_PERSON_LOG_FIELDS = (
    "name",
    "gender",
    "ethnic_group",
    "birth_date",
    "id_masked",
    *_FILL_FIELDS,
)
_MEMBERSHIP_LOG_FIELDS = ("person", "association", "legacy_number", "status", "joined_on")


@dataclass
class ImportReport:
    association: Association
    file_name: str = ""
    dry_run: bool = False
    rows_read: int = 0
    created_people: int = 0
    reused_people: int = 0
    created_memberships: int = 0
    skipped: list[RowError] = field(default_factory=list)  # already a member
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0
    log_entry_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)


@dataclass
class _Plan:
    row: RosterRow
    person: Person  # unsaved Person built from the row
    joined_on: date
    existing_id: int | None = None  # matched person
    skip: bool = False


class _Reference:
    """Name lookups of the reference lists, loaded once per import."""

    def __init__(self):
        self.ethnic = {}
        for item in EthnicGroup.objects.filter(active=True):
            self.ethnic[item.name] = item
            if len(item.name) > 1 and item.name.endswith("族"):
                self.ethnic.setdefault(item.name[:-1], item)
        self.political = list(PoliticalStatus.objects.filter(active=True))
        self.education = list(EducationLevel.objects.filter(active=True))
        self.towns = {}
        self.town_list = list(Town.objects.all())
        for town in self.town_list:
            self.towns[town.name] = town
            for suffix in _TOWN_SUFFIXES:
                if town.name.endswith(suffix) and len(town.name) > len(suffix):
                    self.towns.setdefault(town.name[: -len(suffix)], town)
        self._cache: dict[tuple[str, str], object] = {}

    def choice(self, kind: str, value: str):
        """A PoliticalStatus/EducationLevel by name: exact, else the one entry whose name
        starts with or contains the value (民盟 -> 民盟盟员, 博士 -> 研究生（博士）)."""
        key = (kind, value)
        if key not in self._cache:
            items = self.political if kind == "political" else self.education
            found = next((i for i in items if i.name == value), None)
            if found is None:
                matches = [i for i in items if i.name.startswith(value)] or [
                    i for i in items if value in i.name
                ]
                if len(matches) == 1:
                    found = matches[0]
                elif matches:
                    preferred = _AMBIGUOUS_PREFERENCE.get(value)
                    found = next((i for i in matches if i.name == preferred), None)
            self._cache[key] = found
        return self._cache[key]

    def names(self, kind: str) -> str:
        items = self.political if kind == "political" else self.education
        return "、".join(i.name for i in items)

    def town_names(self) -> str:
        return "、".join(t.name for t in self.town_list)


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def _header(result, field_name: str) -> str:
    if field_name in result.columns:
        return result.columns[field_name]
    return next(c.header for c in COLUMNS if c.field == field_name)


def _map_row(row: RosterRow, *, ref: _Reference, result, errors, warnings, today) -> _Plan | None:
    """Build the unsaved Person of a row; add problems to ``errors``/``warnings``."""
    before = len(errors)

    def problem(field_name, message):
        errors.append(RowError(row.excel_row, _header(result, field_name), message))

    def warn(field_name, message):
        warnings.append(RowError(row.excel_row, _header(result, field_name), message))

    values = {
        **name_values(row.name),
        **identity_values(row.id_number),
        "gender": row.gender,
        "birth_date": row.birth_date,
    }
    name_max = _max_length(Person, "name")
    if len(values["name"]) > name_max:
        problem(
            "name",
            _("The name has %(count)d characters; at most %(max)d are allowed.")
            % {"count": len(values["name"]), "max": name_max},
        )

    # 民族 (required by the member record)
    if not row.ethnic_group:
        problem(
            "ethnic_group",
            _(
                "The ethnic group is empty. Fill it in, e.g. %(examples)s (the %(suffix)s "
                "may be left out)."
            )
            % {"examples": "汉族、布依族、苗族", "suffix": "族"},
        )
    else:
        ethnic = ref.ethnic.get(row.ethnic_group) or ref.ethnic.get(row.ethnic_group + "族")
        if ethnic is None:
            problem(
                "ethnic_group",
                _(
                    "The ethnic group %(value)s is not in the list. Use the name of one of "
                    "the 56 ethnic groups, e.g. %(examples)s (the %(suffix)s may be left "
                    "out), or %(other)s."
                )
                % {
                    "value": row.ethnic_group,
                    "examples": "汉族、布依族、苗族",
                    "suffix": "族",
                    "other": "其他",
                },
            )
        else:
            values["ethnic_group"] = ethnic

    # 政治面貌, 文化程度
    if row.political_status:
        item = ref.choice("political", row.political_status)
        if item is None:
            problem(
                "political_status",
                _("The political status %(value)s is not in the list. Use one of: %(allowed)s.")
                % {"value": row.political_status, "allowed": ref.names("political")},
            )
        else:
            values["political_status"] = item
    if row.education:
        item = ref.choice("education", row.education)
        if item is None:
            problem(
                "education",
                _("The education level %(value)s is not in the list. Use one of: %(allowed)s.")
                % {"value": row.education, "allowed": ref.names("education")},
            )
        else:
            values["education"] = item
            if row.education in _AMBIGUOUS_PREFERENCE:
                warn(
                    "education",
                    _(
                        "%(value)s was recorded as %(recorded)s; correct it in the member "
                        "record if the person holds a doctorate."
                    )
                    % {"value": row.education, "recorded": item.name},
                )

    # 乡镇（街道）
    if row.town:
        town = ref.towns.get(row.town)
        if town is None:
            problem(
                "town",
                _("The town or street %(value)s is not in the list. Use one of: %(allowed)s.")
                % {"value": row.town, "allowed": ref.town_names()},
            )
        else:
            values["town"] = town

    # 联系电话: mobile numbers only.
    if row.phone:
        if MOBILE_RE.match(row.phone):
            values["phone"] = row.phone
        else:
            warn(
                "phone",
                _(
                    "%(phone)s is a landline; only mobile numbers are kept in the member "
                    "record, so the phone was left empty. Add a mobile number later."
                )
                % {"phone": row.phone},
            )

    for model_field, roster_field in _TEXT_FIELDS.items():
        text = getattr(row, roster_field)
        limit = _max_length(Person, model_field)
        if text and limit and len(text) > limit:
            problem(
                roster_field,
                _("The text has %(count)d characters; at most %(max)d are allowed. Shorten it.")
                % {"count": len(text), "max": limit},
            )
        values[model_field] = text

    if len(row.legacy_number) > _max_length(Membership, "legacy_number"):
        problem(
            "legacy_number",
            _("The member number has %(count)d characters; at most %(max)d are allowed.")
            % {"count": len(row.legacy_number), "max": _max_length(Membership, "legacy_number")},
        )

    # 入会时间: the first day of the year (or month) when only that is known.
    if row.joined_on:
        joined_on = row.joined_on
    elif row.joined_year:
        joined_on = date(row.joined_year, row.joined_month or 1, 1)
    else:
        joined_on = today
        warn(
            "joined",
            _(
                "The joining date is missing; the date of the import was recorded. "
                "Correct it in the member record."
            ),
        )

    if not row.id_number:
        problem(
            "id_number",
            _(
                "The ID number is missing. The portal tells members apart by their ID "
                "number, so every row needs one: enter the 18-character number."
            ),
        )

    if len(errors) > before:
        return None
    return _Plan(row=row, person=Person(**values), joined_on=joined_on)


def _logged(value) -> str:
    """A value as auditlog writes it in ``changes`` (str(); None -> "None")."""
    return str(value)


def _created_changes(obj, fields) -> dict:
    changes = {}
    for name in fields:
        value = getattr(obj, obj._meta.get_field(name).attname)
        if value not in (None, ""):
            changes[name] = ["None", _logged(value)]
    return changes


def _record_entries(*, people, filled, memberships, association, actor, summary_id, now):
    """One audit entry per created person and membership and per person whose empty
    contact fields were filled, so each member's history shows the import."""
    types = ContentType.objects.get_for_models(Person, Membership)
    extra = {"event": "roster_import", "import_entry": summary_id}
    common = {
        "actor": actor,
        "actor_email": getattr(actor, "email", None) or None,
        "timestamp": now,
        "additional_data": extra,
    }
    names = {p.pk: p.name for p in people}
    names.update((p.pk, p.name) for p in filled)
    entries = [
        LogEntry(
            content_type=types[Person],
            object_pk=str(person.pk),
            object_id=person.pk,
            object_repr=person.name,
            action=LogEntry.Action.CREATE,
            changes=_created_changes(person, _PERSON_LOG_FIELDS),
            **common,
        )
        for person in people
    ]
    entries += [
        LogEntry(
            content_type=types[Person],
            object_pk=str(person.pk),
            object_id=person.pk,
            object_repr=person.name,
            action=LogEntry.Action.UPDATE,
            changes=person.import_changes,
            **common,
        )
        for person in filled
    ]
    entries += [
        LogEntry(
            content_type=types[Membership],
            object_pk=str(membership.pk),
            object_id=membership.pk,
            object_repr=f"{names.get(membership.person_id, '')} · {association.name}",
            action=LogEntry.Action.CREATE,
            changes=_created_changes(membership, _MEMBERSHIP_LOG_FIELDS),
            **common,
        )
        for membership in memberships
    ]
    LogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def _match(plans: list[_Plan], association: Association, report: ImportReport) -> list:
    """Find existing people (by ID number) and memberships; mark skipped rows. Returns
    the existing Person objects that get empty contact fields filled."""
    hashes = [p.person.id_hash for p in plans]
    existing: dict[str, Person] = {}
    for start in range(0, len(hashes), 5000):
        for person in Person.objects.filter(id_hash__in=hashes[start : start + 5000]).only(
            "id", "id_hash", "name", *_FILL_FIELDS
        ):
            existing[person.id_hash] = person
    member_ids = set()
    ids = [p.id for p in existing.values()]
    for start in range(0, len(ids), 5000):
        member_ids.update(
            Membership.objects.filter(
                association=association, person_id__in=ids[start : start + 5000]
            ).values_list("person_id", flat=True)
        )
    to_fill = {}
    for plan in plans:
        person = plan.person
        found = existing.get(person.id_hash)
        if found is None:
            continue
        plan.existing_id = found.id
        if found.id in member_ids:
            plan.skip = True
            continue
        if found.name != person.name:
            report.warnings.append(
                RowError(
                    plan.row.excel_row,
                    "",
                    _(
                        "A person with this ID number is already in the portal as "
                        "%(recorded)s; that record (and its name) was kept."
                    )
                    % {"recorded": found.name},
                )
            )
        changes = {}
        for name in _FILL_FIELDS:
            attname = Person._meta.get_field(name).attname
            new = getattr(person, attname)
            old = getattr(found, attname)
            if new and not old:
                setattr(found, attname, new)
                changes[name] = [_logged(old), _logged(new)]
        if changes:
            found.import_changes = changes
            to_fill[found.id] = found
    for plan in plans:
        if plan.skip:
            report.skipped.append(
                RowError(
                    plan.row.excel_row,
                    "",
                    _("%(name)s is already a member of %(association)s; row skipped.")
                    % {"name": plan.person.name, "association": association.name},
                )
            )
    return list(to_fill.values())


def _summary(report: ImportReport, source: str, actor) -> str:
    who = actor.get_username() if actor is not None else "系统"
    return (
        f"{source}：文件“{report.file_name}”，读取{report.rows_read}行，"
        f"新建人员{report.created_people}人，沿用已有人员{report.reused_people}人，"
        f"新建会籍{report.created_memberships}条，跳过{report.skipped_count}行"
        f"（已是会员），提示{len(report.warnings)}条；操作人：{who}"
    )


def roster_import(
    *,
    fileobj,
    association: Association,
    actor,
    dry_run: bool = False,
    file_name: str = "",
    source: str = SOURCE_WEB,
    today: date | None = None,
) -> ImportReport:
    """Import the roster in ``fileobj`` into ``association``: everything or nothing.

    ``actor``: the user doing it (None for the command line). ``dry_run``: check and
    count only, write nothing. ``source``: recorded in the audit event.
    """
    started = time.monotonic()
    today = today or timezone.localdate()
    file_name = file_name or getattr(fileobj, "name", "") or ""
    report = ImportReport(association=association, file_name=str(file_name), dry_run=dry_run)

    result = read_roster(fileobj, today=today)
    report.warnings.extend(result.warnings)
    errors = list(result.errors)
    report.rows_read = len(result.rows) + len({e.row for e in result.errors if e.row})
    if any(e.row == 0 for e in result.errors):
        report.errors = errors  # the file itself could not be read
        report.seconds = time.monotonic() - started
        return report

    plans: list[_Plan] = []
    if result.rows and "ethnic_group" not in result.columns:
        errors.append(
            RowError(
                result.header_row or 0,
                "民族",
                _(
                    "The roster has no %(column)s column, which every member record "
                    "needs. Add the column (see the import template) and fill it in."
                )
                % {"column": "民族"},
            )
        )
    else:
        ref = _Reference()
        for row in result.rows:
            plan = _map_row(
                row, ref=ref, result=result, errors=errors, warnings=report.warnings, today=today
            )
            if plan is not None:
                plans.append(plan)
    names = [n for n in (association.name, association.short_name) if n]
    if result.unit and not any(n in result.unit or result.unit in n for n in names):
        report.warnings.append(
            RowError(
                0,
                "",
                _(
                    "The file says it was filled in by %(unit)s, but it is being imported "
                    "into %(association)s. Check that this is the right association."
                )
                % {"unit": result.unit, "association": association.name},
            )
        )
    if not errors and not result.rows:
        errors.append(
            RowError(
                0,
                "",
                _("The roster has no member rows. Fill in one row per member under the header."),
            )
        )

    if errors:
        report.errors = sorted(errors, key=lambda e: e.row)
        report.seconds = time.monotonic() - started
        return report

    report.warnings.sort(key=lambda e: e.row)
    if dry_run:
        _execute(plans, association, report, actor=actor, source=source, write=False)
    else:
        try:
            with transaction.atomic():
                _execute(plans, association, report, actor=actor, source=source, write=True)
        except IntegrityError:
            report.created_people = report.reused_people = report.created_memberships = 0
            report.skipped = []
            report.written = False
            report.errors = [
                RowError(
                    0,
                    "",
                    _(
                        "Someone else changed the same member records while this file was "
                        "being imported; nothing was written. Import the file again."
                    ),
                )
            ]
    report.seconds = time.monotonic() - started
    return report


def _execute(plans, association, report: ImportReport, *, actor, source: str, write: bool):
    if write:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    to_fill = _match(plans, association, report)
    new_people = [p for p in plans if not p.skip and p.existing_id is None]
    reused = [p for p in plans if not p.skip and p.existing_id is not None]
    report.created_people = len(new_people)
    report.reused_people = len(reused)
    report.created_memberships = len(new_people) + len(reused)
    if not write:
        return

    now = timezone.now()
    people = [p.person for p in new_people]
    for person in people:
        person.created_at = person.updated_at = now
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    if to_fill:
        for person in to_fill:
            person.updated_at = now
        Person.objects.bulk_update(to_fill, [*_FILL_FIELDS, "updated_at"], batch_size=BATCH_SIZE)
    memberships = [
        Membership(
            person_id=plan.person.pk if plan.existing_id is None else plan.existing_id,
            association=association,
            legacy_number=plan.row.legacy_number,
            status=Membership.Status.ACTIVE,
            joined_on=plan.joined_on,
            created_at=now,
            updated_at=now,
        )
        for plan in new_people + reused
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    report.written = True

    entry = LogEntry.objects.log_create(
        association,
        force_log=True,
        action=LogEntry.Action.CREATE,
        actor=actor,
        changes={"会员名册导入": [None, _summary(report, source, actor)]},
        additional_data={
            "event": "roster_import",
            "source": source,
            "file_name": report.file_name,
            "rows_read": report.rows_read,
            "created_people": report.created_people,
            "reused_people": report.reused_people,
            "filled_people": len(to_fill),
            "created_memberships": report.created_memberships,
            "skipped": report.skipped_count,
            "warnings": len(report.warnings),
        },
    )
    report.log_entry_id = entry.pk
    _record_entries(
        people=people,
        filled=to_fill,
        memberships=memberships,
        association=association,
        actor=actor,
        summary_id=entry.pk,
        now=now,
    )
