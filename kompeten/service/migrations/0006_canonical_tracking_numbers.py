"""Store LAPOR! tracking numbers as LAPOR! writes them, ``#5886753``.

Earlier imports stored a recap's ``5886753`` as written, so a later export's ``#5886753`` made a
second complaint. Each stored number is rewritten to its canonical form unless that form is
already taken in the instansi (both spellings already stored: the pair is left for a person to
merge, never merged by a migration).
"""

import re

from django.db import migrations

_LAPOR_NUMBER = re.compile(r"#? ?(\d+)")


def _canonical(written: str) -> str:
    # a copy of Complaint.canonical_number as of this migration (migrations do not import
    # model code that may change later)
    text = " ".join(str(written).split())
    match = _LAPOR_NUMBER.fullmatch(text)
    return f"#{match.group(1)}" if match else text


def canonicalise(apps, schema_editor):  # type: ignore[no-untyped-def]
    Complaint = apps.get_model("service", "Complaint")
    taken = set(Complaint.objects.values_list("instansi_id", "tracking_number"))
    for pk, instansi_id, number in Complaint.objects.values_list(
        "pk", "instansi_id", "tracking_number"
    ).iterator():
        canonical = _canonical(number)
        if canonical == number or (instansi_id, canonical) in taken:
            continue
        Complaint.objects.filter(pk=pk).update(tracking_number=canonical)
        taken.discard((instansi_id, number))
        taken.add((instansi_id, canonical))


class Migration(migrations.Migration):
    dependencies = [("service", "0005_kiosk_devices")]

    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
