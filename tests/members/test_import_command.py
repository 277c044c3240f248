"""`manage.py import_members`: import, dry run, template and exit codes."""

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from members.models import Membership, Person
from members.roster import TEMPLATE_HEADERS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "writers-roster-2026.xlsx"


def run(*args):
    out = io.StringIO()
    call_command("import_members", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("association", ["ZJ", "zj", "安龙县作家协会", "作家协会"])
def test_import_by_code_or_name(association, writers):
    output = run(str(SAMPLE), "--association", association)
    assert Membership.objects.filter(association=writers).count() == 60
    assert "60" in output


def test_second_run_skips_everyone(writers):
    run(str(SAMPLE), "--association", "ZJ")
    output = run(str(SAMPLE), "--association", "ZJ")
    assert Person.objects.count() == 60
    assert ": 60;" in output or "60" in output
    assert Membership.objects.filter(association=writers).count() == 60


def test_dry_run_writes_nothing(writers):
    run(str(SAMPLE), "--association", "ZJ", "--dry-run")
    assert Person.objects.count() == 0


def test_problems_exit_1_and_write_nothing(writers, tmp_path):
    workbook = openpyxl.load_workbook(SAMPLE)
    workbook.active["F13"] = "522322199206246128"
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_members", str(bad), "--association", "ZJ", stdout=out)
    assert excinfo.value.returncode == 1
    assert "13" in out.getvalue() and "身份证号码" in out.getvalue()
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "args",
    [
        [str(SAMPLE)],  # no association
        [str(SAMPLE), "--association", "XX"],  # unknown association
        ["/nonexistent/roster.xlsx", "--association", "ZJ"],
        [],  # no file
    ],
)
def test_usage_errors_exit_2(args, writers):
    with pytest.raises(CommandError) as excinfo:
        run(*args)
    assert excinfo.value.returncode == 2
    assert Person.objects.count() == 0


def test_template_is_written(tmp_path):
    target = tmp_path / "template.xlsx"
    run("--template", str(target))
    headers = [c.value for c in openpyxl.load_workbook(target)["会员名册"][1]]
    assert headers == list(TEMPLATE_HEADERS)


def test_real_process_exit_codes(tmp_path):
    """The shell sees the exit codes (these two paths need no database)."""
    target = tmp_path / "t.xlsx"
    ok = subprocess.run(
        [sys.executable, "manage.py", "import_members", "--template", str(target)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr.decode()
    assert target.is_file()
    usage = subprocess.run(
        [sys.executable, "manage.py", "import_members"], cwd=ROOT, capture_output=True, timeout=120
    )
    assert usage.returncode == 2
