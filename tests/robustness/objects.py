"""Real objects of every kind the pages show, in the `world` fixture's instansi, and the URL
arguments that reach them.

The arguments reuse the authorization matrix's tables: `FOREIGN` (URL name → arguments from a
dict of objects) of tests/security/test_matrix_foreign_objects.py is given the same dict built
here in the world's own instansi (there it is a second city), and `MATRIX` supplies the
arguments it declares. `EXTRA` covers what neither table builds (complaints, duties, the
planner's runs, kiosks, tokens, certificates, cycles, imports, the public pages' codes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kompeten.core.accounts import do_issue_password_links
from kompeten.core.importing.declare import declarations
from kompeten.core.models import ImportRun, PendingRow
from kompeten.evaluation.actions.instruments import do_new_version
from kompeten.evaluation.actions.roi import BenefitInput, do_add_benefit
from kompeten.learning.actions import akp
from kompeten.learning.actions.programmes import do_add_cost_item
from kompeten.learning.models import CostCategory
from kompeten.participation.actions.enrolment import do_invite
from kompeten.participation.actions.jp import ExternalInput, do_submit_external_certificate
from kompeten.participation.models import Certificate
from kompeten.people.actions import do_close_unit
from kompeten.people.models import UnitKind
from kompeten.reports.actions import do_generate_cycle
from kompeten.reports.models import Recommendation
from kompeten.scheduling.actions.duties import DutyInput, do_create_duty
from kompeten.scheduling.actions.feeds import do_create_feed
from kompeten.scheduling.actions.planning import do_start_plan_run
from kompeten.scheduling.actions.rules import RuleInput, do_create_peak, do_create_staffing_rule
from kompeten.service.actions import do_create_complaint
from kompeten.service.actions.complaints import ComplaintInput
from kompeten.service.actions.kiosk import do_issue_kiosk_code
from tests.api.helpers import make_token
from tests.conftest import World
from tests.core.importing.lapor import lapor_csv, lapor_line
from tests.factories import make_unit
from tests.participation.builders import at, dave_completes, make_batch, make_programme
from tests.security.matrix import MATRIX
from tests.security.test_matrix_foreign_objects import FOREIGN, city_objects
from tests.security.walk import all_urls
from tests.service.helpers import jkt

Objects = dict[str, Any]
Kwargs = dict[str, Any]
QUERY = "?"  # the key of arguments that carries a query string to add to the path

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _learning(world: World) -> Objects:
    """The objects FOREIGN's arguments name, built as the foreign-object matrix builds them,
    and a programme cost."""
    o = city_objects(world)
    o["cost"] = do_add_cost_item(o["programme"], category=CostCategory.VENUE, amount="3500000")
    return o


def _scheduling(world: World, o: Objects) -> Objects:
    tuesday = date(2030, 3, 12)
    rule = do_create_staffing_rule(
        unit=world.layanan,
        data=RuleInput(
            label="Loket pagi",
            weekdays="01234",
            start_time=time(8),
            end_time=time(12),
            min_present=1,
        ),
        actor=world.alice,
    )
    peak = do_create_peak(
        instansi_id=world.instansi.pk,
        unit=None,
        label="Masa sibuk uji",
        start_date=tuesday,
        end_date=tuesday + timedelta(days=3),
        penalty=2,
        actor=world.alice,
    )
    duty = do_create_duty(
        employee=world.dave_emp,
        data=DutyInput(kind="cuti", start=at(tuesday, 0), end=at(tuesday + timedelta(days=1), 0)),
        actor=world.alice,
    )
    run = do_start_plan_run(
        instansi_id=world.instansi.pk, batch_ids=[o["batch"].pk], actor=world.alice, time_limit=5
    )
    return {
        "rule": rule,
        "peak": peak,
        "duty": duty,
        "plan_run": run,
        "feed": do_create_feed(user=world.dave, kind="pegawai"),
    }


def _service(world: World, o: Objects) -> Objects:
    complaint = do_create_complaint(
        instansi=world.instansi,
        data=ComplaintInput(
            tracking_number="P-1",
            unit_id=world.alfa.pk,
            category="informasi",
            received_at=jkt(2026, 3, 17, 9),
            officer_nip=world.dave_emp.nip,
        ),
        allowed_units={world.alfa.pk},
        actor=world.alice,
    )
    device, _code = do_issue_kiosk_code(o["service_unit"], name="Tablet loket", actor=world.alice)
    return {"complaint": complaint, "kiosk": device}


def _participation(world: World) -> Objects:
    external = do_submit_external_certificate(
        employee=world.dave_emp,
        data=ExternalInput(
            title="Pelatihan Kepemimpinan Pengawas",
            organiser="BPSDM Provinsi",
            form="pkp",
            start_date=date(2026, 3, 2),
            end_date=date(2026, 7, 10),
            amount=Decimal(761),
            unit="jp",
        ),
        file=SimpleUploadedFile("sttpp.pdf", PDF),
        actor=None,
    )
    enrolment = dave_completes(world, "Etika ASN", date(2026, 4, 7))
    later = make_batch(make_programme(world.instansi, "Kearsipan"), [(date(2026, 5, 5), 8, 12)])
    return {
        "external": external,
        "certificate": Certificate.objects.get(enrolment=enrolment),
        "invitation": do_invite(batch=later, employee=world.dave_emp, actor=world.alice),
    }


def _reports(world: World, o: Objects) -> Objects:
    cycle = do_generate_cycle(instansi=world.instansi, code="2026-S1", actor=world.alice)
    recommendation = cycle.recommendations.first() or Recommendation.objects.create(
        instansi=world.instansi, cycle=cycle, rule_id="uji", text="Rekomendasi uji."
    )
    return {"cycle": cycle, "recommendation": recommendation}


def upload_complaints(client: Client, mixed: bool = False) -> str:
    """The token of a real upload of a small SP4N-LAPOR! export through the import wizard."""
    lines = [lapor_line(1), lapor_line(2, unit="Dinas Gamma" if mixed else "Dinas Alfa Kota Uji")]
    response = client.post("/impor/complaints/", {"file": lapor_csv(*lines)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 2)[-2]


def _imports(world: World) -> Objects:
    """A committed import with a row kept pending (its run and pending row), and a fresh token."""
    client = Client()
    client.force_login(world.alice)
    token = upload_complaints(client, mixed=True)
    response = client.post(f"/impor/complaints/{token}/simpan/", {"partial": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return {
        "import_run": ImportRun.objects.order_by("-pk").first(),
        "pending_row": PendingRow.objects.order_by("-pk").first(),
        "token": upload_complaints(client),
    }


def _accounts(world: World) -> Objects:
    [(_user, secret)] = do_issue_password_links(
        users=[world.dave], purpose="activation", actor=world.alice
    )
    return {
        "link_secret": secret,
        "reset_uid": urlsafe_base64_encode(force_bytes(world.carol.pk)),
        "reset_token": default_token_generator.make_token(world.carol),
        "api_token": make_token(world.instansi, actor=world.alice)[0],
    }


def _drafts(world: World, o: Objects) -> Objects:
    """Objects in the state where their page offers its other forms: a campaign not yet open, a
    closed unit, a draft version of the reaction questionnaire, a benefit estimated by the
    participants."""
    closed = make_unit(world.instansi, "Bidang Lama", parent=world.alfa, kind=UnitKind.BAGIAN)
    return {
        "draft_campaign": akp.do_create_campaign(
            instansi=world.instansi,
            name="AKP Berikut",
            year=timezone.now().year + 1,
            opens_at=timezone.now() + timedelta(days=30),
            closes_at=timezone.now() + timedelta(days=60),
            actor=world.alice,
        ),
        "closed_unit": do_close_unit(unit=closed, actor=world.alice),
        "draft_instrument": do_new_version(o["scenario"].instruments["reaksi"], actor=world.alice),
        "benefit": do_add_benefit(
            o["programme"],
            data=BenefitInput(
                kind="moneter", name="Jam kerja dihemat", isolation="estimasi", amount_per_year=1
            ),
            actor=world.alice,
        ),
    }


def build(world: World) -> Objects:
    o = _learning(world)
    o.update(_drafts(world, o))
    o.update(_scheduling(world, o))
    o.update(_service(world, o))
    o.update(_participation(world))
    o.update(_reports(world, o))
    o.update(_imports(world))
    o.update(_accounts(world))
    return o


def _pk(key: str) -> Callable[[Objects], list[Kwargs]]:
    return lambda o: [{"pk": o[key].pk}]


# URL name → the arguments of the objects above, for what FOREIGN and MATRIX do not build.
EXTRA: dict[str, Callable[[Objects], list[Kwargs]]] = {
    "account_link": lambda o: [{"secret": o["link_secret"]}],
    "password_reset_confirm": lambda o: [{"uidb64": o["reset_uid"], "token": o["reset_token"]}],
    "api_tokens:revoke": _pk("api_token"),
    "imports:pending_edit": _pk("pending_row"),
    "imports:result": _pk("import_run"),
    "imports:upload": lambda o: [{"key": d.key} for d in declarations()],
    **{
        f"imports:{v}": lambda o: [{"key": "complaints", "token": o["token"]}]
        for v in ("mapping", "preview", "problems", "commit", "cancel")
    },
    **{
        f"people:import_{v}": lambda o: [{"token": o["token"]}]
        for v in ("mapping", "preview", "confirm", "error_report", "cancel")
    },
    "people:employee_export": lambda o: [{"fmt": "csv"}, {"fmt": "xlsx"}],
    "service:manage_kiosks": _pk("service_unit"),
    "service:manage_kiosk_revoke": lambda o: [
        {"pk": o["service_unit"].pk, "device_pk": o["kiosk"].pk}
    ],
    "service:complaint_detail": _pk("complaint"),
    "service:complaint_flag": lambda o: [
        {"pk": o["complaint"].pk, "flag": flag} for flag in ("buka-kembali", "eskalasi")
    ],
    "survey": lambda o: [{"code": o["service_unit"].code}],
    "survey_thanks": lambda o: [{"code": o["service_unit"].code}],
    "survey_service": lambda o: [{"code": o["service_unit"].code, "service_code": "ktp"}],
    "survey_kiosk": lambda o: [{"code": o["service_unit"].code}],
    "survey_kiosk_thanks": lambda o: [{"code": o["service_unit"].code}],
    "learning:competency_detail": _pk("competency"),
    "learning:campaign_detail": lambda o: [
        {"pk": o["campaign"].pk},
        {"pk": o["draft_campaign"].pk},
    ],
    "people:unit_detail": lambda o: [{"pk": o["w2"].layanan.pk}, {"pk": o["closed_unit"].pk}],
    "evaluation:instrument_detail": lambda o: [
        {"pk": o["instrument"].pk},
        {"pk": o["draft_instrument"].pk},
    ],
    # the tabs and searches whose page holds the forms
    "evaluation:programme": lambda o: [
        {"pk": o["programme"].pk, QUERY: f"tab={tab}"} for tab in ("l1", "l2", "l3", "l4", "l5")
    ],
    "participation:participant_search": lambda o: [{"pk": o["batch"].pk, QUERY: "q=Erin"}],
    "learning:cost_delete": _pk("cost"),
    "scheduling:duty_delete": _pk("duty"),
    "scheduling:rule_deactivate": _pk("rule"),
    "scheduling:peak_delete": _pk("peak"),
    **{f"scheduling:plan_{v}": _pk("plan_run") for v in ("detail", "preview", "apply", "replan")},
    "scheduling:feed_revoke": _pk("feed"),
    "scheduling:ical_feed": lambda o: [{"token": o["feed"].token}],
    "participation:batch_edit": _pk("batch"),
    "participation:attendance_count": _pk("session"),
    "participation:review": _pk("external"),
    "participation:external_file": _pk("external"),
    "participation:certificate_pdf": lambda o: [{"number": o["certificate"].number}],
    "certificate_verify": lambda o: [{"number": o["certificate"].number}],
    "reports:programme_download": lambda o: [
        {"pk": o["programme"].pk, "fmt": fmt} for fmt in ("xlsx", "json")
    ],
    "reports:cycle": lambda o: [{"code": o["cycle"].code}],
    "reports:cycle_download": lambda o: [{"code": o["cycle"].code, "fmt": "xlsx"}],
    "reports:recommendation": _pk("recommendation"),
    **{f"participation:{v}": _pk("invitation") for v in ("accept", "decline")},
}


def url_arguments(name: str, route: str, o: Objects) -> list[Kwargs | None]:
    """The arguments to request ``name`` with: real objects where a table names them, none for a
    route without arguments, else the walk's placeholders (None)."""
    if name in EXTRA:
        return list(EXTRA[name](o))
    if name in FOREIGN:
        return [FOREIGN[name](o)]
    access = MATRIX.get(name)
    if access is not None and access.kwargs is not None:
        return [access.kwargs(o["w2"])]
    return [None]


def routes() -> list[tuple[str, str]]:
    return [(u.name, u.route) for u in all_urls()]
