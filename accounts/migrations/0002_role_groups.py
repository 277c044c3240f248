from django.db import migrations

GROUPS = ["文联工作人员", "协会秘书长", "会员", "评委", "联络员"]

# Federation staff work in the admin: they get the model permissions of the record apps.
STAFF_APPS = ["accounts", "associations", "members", "auditlog"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
