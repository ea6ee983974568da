#!/usr/bin/env bash
# Fuzz the API against its own OpenAPI schema (schemathesis): no 5xx, responses match the schema.
# Starts gunicorn on 127.0.0.1 with a fresh SQLite database, a small organisation and a token
# holding every scope; bounded by SCHEMATHESIS_MAX_EXAMPLES and SCHEMATHESIS_MAX_TIME.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${SCHEMATHESIS_PORT:-8765}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-25}
MAX_TIME=${SCHEMATHESIS_MAX_TIME:-180}
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export KOMPETEN_VAR_DIR="$WORK"
export DATABASE_URL="sqlite:///$WORK/schemathesis.sqlite3"
export DEBUG=false
export SECRET_KEY="schemathesis-only-$(date +%s)-not-a-real-secret-0123456789abcdef"
export SECURE_SSL_REDIRECT=false
export ALLOWED_HOSTS=127.0.0.1
export KOMPETEN_API_RATE_LIMIT=0
export KOMPETEN_TASKS_IMMEDIATE=true

.venv/bin/kompeten migrate --no-input -v 0
TOKEN=$(.venv/bin/kompeten shell -v 0 -c '
from datetime import date, datetime, timedelta
from django.utils import timezone
from kompeten.api.actions import do_create_api_token
from kompeten.people.apiutil import ALL_SCOPES
from kompeten.core.models import Instansi
from kompeten.demo.nips import NipFactory
from kompeten.people import actions
from kompeten.people.validation import EmployeeInput

instansi = Instansi.objects.create(name="Pemerintah Kota Uji Skema", code="uji-skema", is_synthetic=True)
root = actions.do_create_unit(instansi=instansi, code="KOTA", name="Pemerintah Kota Uji", kind="lainnya")
units = [actions.do_create_unit(instansi=instansi, code=c, name=n, kind="dinas", parent=root)
         for c, n in (("ALFA", "Dinas Alfa"), ("BETA", "Dinas Beta"))]
nips = NipFactory(seed=7)
for i, unit in enumerate(units * 3):
    birth = date(1980 + i, 1 + i, 10 + i)
    actions.do_create_employee(instansi=instansi, data=EmployeeInput(
        nip=nips.pns(birth, 2010, 3, "L"), name=f"Pegawai Uji {i}", sex="L", birth_date=birth,
        status="PNS", golongan="III/b", jabatan_kind="pelaksana", jabatan_name="Pengadministrasi",
        education="S-1", unit_id=unit.pk))
# Something behind every resource, so that the fuzzer reaches past 404 (ids start at 1).
from decimal import Decimal
from zoneinfo import ZoneInfo
from kompeten.learning.actions.batches import BatchInput, SessionInput, do_add_sessions, do_create_batch
from kompeten.learning.actions.programmes import ProgrammeInput, do_create_programme
from kompeten.participation.actions.enrolment import do_invite
from kompeten.people.models import Employee
from kompeten.service.actions import do_create_service, do_create_service_unit
jkt = ZoneInfo("Asia/Jakarta")
programme = do_create_programme(instansi=instansi, data=ProgrammeInput(
    code="PP-1", title="Pelayanan Prima", learning_type="pelatihan", total_jp=Decimal("8"),
    year=2026, target_units=[], target_jp_deficit=False))
day = date(2026, 12, 1)
batch = do_create_batch(programme, data=BatchInput(code="A1", name="Angkatan 1", capacity=10,
    start_date=day, end_date=day, location="Aula", trainers=[]))
do_add_sessions(batch, sessions=[SessionInput(
    start=datetime(2026, 12, 1, 8, tzinfo=jkt), end=datetime(2026, 12, 1, 16, tzinfo=jkt))])
for employee in Employee.objects.filter(instansi=instansi)[:3]:
    do_invite(batch=batch, employee=employee, actor=None, notify=False, check_clash=False)
service_unit = do_create_service_unit(unit=units[0], code="layanan-alfa", name="Layanan Dinas Alfa")
do_create_service(service_unit=service_unit, code="ktp", name="KTP-el")
_, secret = do_create_api_token(instansi=instansi, name="schemathesis", scopes=list(ALL_SCOPES),
                                expires_at=timezone.now() + timedelta(days=1), actor=None)
print(secret)
' | tail -n 1)

.venv/bin/gunicorn kompeten.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 50); do
  if curl -fsS "http://127.0.0.1:$PORT/api/openapi.json" >/dev/null 2>&1; then break; fi
  sleep 0.2
done

status=0
ROOT=$(pwd)
# Run from the scratch directory: schemathesis keeps its example database in ./.schemathesis.
(cd "$WORK" && "$ROOT/.venv/bin/schemathesis" run "http://127.0.0.1:$PORT/api/openapi.json" \
  --checks not_a_server_error,response_schema_conformance \
  --header "Authorization: Bearer $TOKEN" \
  --max-examples "$MAX_EXAMPLES" \
  --max-time "$MAX_TIME" \
  --request-timeout 30 \
  --workers 2 \
  --suppress-health-check all \
  ${SCHEMATHESIS_SEED:+--seed "$SCHEMATHESIS_SEED"}) || status=$?

if [ "$status" -ne 0 ]; then
  echo "--- server log ---"
  tail -n 200 "$WORK/server.log"
fi
exit "$status"
