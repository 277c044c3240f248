"""Upload form of the roster import page (staff)."""

from __future__ import annotations

import zipfile

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from associations.models import Association

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# An .xlsx is a zip; refuse one that unpacks to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


def check_xlsx(upload) -> None:
    """Raise ValidationError unless ``upload`` looks like a usable .xlsx file."""
    name = upload.name or ""
    if not name.lower().endswith(".xlsx"):
        raise forms.ValidationError(
            _(
                "Only Excel workbooks in .xlsx format can be imported; this file is "
                "%(name)s. Open it in Excel or WPS and save it as .xlsx."
            )
            % {"name": name},
            code="bad_type",
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s; at most %(max)s can be uploaded. Split the roster.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise forms.ValidationError(
            _(
                "The file is not a valid .xlsx workbook. If it is an old .xls file or "
                "a renamed file, open it in Excel or WPS and save it as .xlsx."
            ),
            code="bad_type",
        ) from exc
    finally:
        upload.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise forms.ValidationError(
            _("The workbook is too large when unpacked. Split the roster into smaller files."),
            code="too_large",
        )


class RosterImportForm(forms.Form):
    association = forms.ModelChoiceField(
        label=gettext_lazy("Association"),
        queryset=Association.objects.order_by("sort_order", "id"),
        empty_label=gettext_lazy("Choose the association"),
        help_text=gettext_lazy("The members in the file join this association."),
    )
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx)"),
        help_text=gettext_lazy(
            "At most 10 MB. Title rows above the header and the total line at the bottom "
            "may stay in the file."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_xlsx(upload)
        return upload
