"""The certificate's logo and signatory (name, NIP, jabatan, optional signature image)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.participation.models import CertificateSettings
from kompeten.people.scoping import tenant_id
from kompeten.standards.nip import NipError, normalise_nip, parse_nip

MAX_IMAGE_BYTES = 512 * 1024
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")


def check_image(field: str, filename: str, content: bytes) -> str:
    """The file's lower-case suffix when it is a plain SVG, PNG or JPEG of at most 512 KB;
    otherwise a ``ValidationError`` on ``field`` saying why, in Indonesian."""
    name = filename.lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in IMAGE_SUFFIXES:
        raise ValidationError({field: gettext("Gambar harus berkas SVG, PNG atau JPG.")})
    if len(content) > MAX_IMAGE_BYTES:
        raise ValidationError({field: gettext("Gambar paling besar 512 KB.")})
    if suffix == ".svg" and (b"<script" in content.lower() or b"<svg" not in content.lower()):
        raise ValidationError({field: gettext("Berkas SVG tidak sah atau berisi skrip.")})
    if suffix == ".png" and not content.startswith(b"\x89PNG"):
        raise ValidationError({field: gettext("Isi berkas bukan PNG.")})
    if suffix in (".jpg", ".jpeg") and not content.startswith(b"\xff\xd8"):
        raise ValidationError({field: gettext("Isi berkas bukan JPG.")})
    return suffix


def settings_for(instansi_id: int) -> CertificateSettings | None:
    return CertificateSettings.objects.filter(instansi_id=instansi_id).first()


@transaction.atomic
def do_set_certificate_logo(*, actor: User, filename: str, content: bytes) -> CertificateSettings:
    suffix = check_image("logo", filename, content)
    row, _ = CertificateSettings.objects.get_or_create(instansi_id=tenant_id(actor))
    row.logo.save(f"logo-{row.instansi_id}{suffix}", ContentFile(content), save=False)
    row.save(update_fields=["logo", "updated"])
    audit.record(actor=actor, action="certificate.logo", obj=row, summary="Logo sertifikat")
    return row


def _signatory_nip(nip: str, errors: dict[str, str]) -> str:
    """The signatory's NIP as its 18 digits ("" when left empty); a NIP that does not parse
    puts its reason in ``errors`` and gives whatever digits were read."""
    digits = ""
    if nip.strip():
        try:
            digits = normalise_nip(nip)
            parse_nip(digits)
        except NipError as exc:
            errors["signatory_nip"] = gettext("NIP penanda tangan tidak sah: {reason}").format(
                reason=exc.message
            )
    return digits


def _require_all_or_none(name: str, nip: str, title: str, errors: dict[str, str]) -> None:
    """Name, NIP and jabatan go together: when some are filled, each empty one gets an error
    (unless that field has one already)."""
    filled = [bool(name), bool(nip.strip()), bool(title)]
    if any(filled) and not all(filled):
        for field, ok, label in (
            ("signatory_name", filled[0], gettext("nama")),
            ("signatory_nip", filled[1], "NIP"),
            ("signatory_title", filled[2], gettext("jabatan")),
        ):
            if not ok:
                errors.setdefault(
                    field,
                    gettext("Isi {what} penanda tangan, atau kosongkan ketiganya.").format(
                        what=label
                    ),
                )


@transaction.atomic
def do_set_certificate_signatory(
    *,
    actor: User,
    name: str,
    nip: str,
    title: str,
    place: str = "",
    signature: tuple[str, bytes] | None = None,
    remove_signature: bool = False,
) -> CertificateSettings:
    """Name, NIP and jabatan of whoever signs the certificates (all three, or none to print no
    signatory), the place of issue, and optionally a signature image (SVG, PNG or JPG)."""
    name, title, place = name.strip(), title.strip(), place.strip()
    errors: dict[str, str] = {}
    digits = _signatory_nip(nip, errors)
    _require_all_or_none(name, nip, title, errors)
    for field, value, limit in (
        ("signatory_name", name, 120),
        ("signatory_title", title, 200),
        ("place", place, 80),
    ):
        if len(value) > limit:
            errors[field] = gettext("Paling banyak {n} karakter.").format(n=limit)
    suffix = ""
    if signature is not None:
        try:
            suffix = check_image("signature", *signature)
        except ValidationError as exc:
            errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    row, _ = CertificateSettings.objects.get_or_create(instansi_id=tenant_id(actor))
    before = {
        "name": row.signatory_name,
        "nip": row.signatory_nip,
        "title": row.signatory_title,
        "place": row.place,
    }
    row.signatory_name, row.signatory_nip, row.signatory_title = name, digits, title
    row.place = place
    fields = ["signatory_name", "signatory_nip", "signatory_title", "place", "updated"]
    if signature is not None:
        row.signature.save(f"ttd-{row.instansi_id}{suffix}", ContentFile(signature[1]), save=False)
        fields.append("signature")
    elif remove_signature and row.signature:
        row.signature.delete(save=False)
        fields.append("signature")
    row.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="certificate.signatory",
        obj=row,
        before=before,
        after={"name": name, "nip": digits, "title": title, "place": place},
    )
    return row
