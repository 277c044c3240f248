"""Start-up checks for encrypted personal data.

django-fernet-encrypted-fields returns the ciphertext silently when decryption fails
(wrong SECRET_KEY / SALT_KEY), so check that a known value round-trips with the
configured keys, and that a stored ID number decrypts to an ID number.
"""

from django.core.checks import Error, register


@register()
def encrypted_fields_round_trip(app_configs, **kwargs):
    from .models import Person

    field = Person._meta.get_field("id_number")
    canary = "52232819900101123X"
    try:
        stored = field.get_prep_value(canary)
        back = field.to_python(field.from_db_value(stored, None, None))
    except Exception as exc:  # noqa: BLE001 - any failure is a configuration error
        return [Error(f"Encrypted fields do not work: {exc}", id="members.E001")]
    if back != canary:
        return [
            Error(
                "Encrypted ID numbers do not round-trip with the configured keys.",
                hint="Check SECRET_KEY, SECRET_KEY_FALLBACKS and SALT_KEY.",
                id="members.E001",
            )
        ]
    return []


@register("database")
def stored_id_numbers_decrypt(app_configs, **kwargs):
    from django.db import DatabaseError

    from .models import Person

    try:
        sample = Person.objects.exclude(id_number="").only("id_number").order_by("id").first()
    except DatabaseError:
        return []  # no database yet (or not reachable): nothing stored to check
    if sample and (len(sample.id_number) != 18 or sample.id_number.startswith("gAAAA")):
        return [
            Error(
                "Stored ID numbers cannot be decrypted with the configured keys.",
                hint="SECRET_KEY or SALT_KEY changed without SECRET_KEY_FALLBACKS.",
                id="members.E002",
            )
        ]
    return []
