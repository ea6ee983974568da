#!/usr/bin/env bash
# From an empty install to the first evaluation report with a BKPSDM's own exports, through the
# CLI only (README.md, "Start with your own data", walks the same path in the browser).
#
#   scripts/first-report.sh DIR [OUT.json]
#
# DIR holds the seven exports as the source systems write them (tests/fixtures/bkpsdm-2025/ is one
# such set): the SIASN employee export, the panitia's attendance list and pre/post recap, the
# Google Forms reaction questionnaire, the SKM exports (Google Forms, e-SKM) and the SP4N-LAPOR!
# export. Set KOMPETEN_VAR_DIR (and DATABASE_URL) for a scratch install; nothing in DIR is edited.
set -euo pipefail
DIR=${1:?usage: scripts/first-report.sh DIR [OUT.json]}
OUT=${2:-report.json}
K=${KOMPETEN:-.venv/bin/kompeten}
PW=$(mktemp); trap 'rm -f "$PW"' EXIT
printf '%s\n' "${ADMIN_PASSWORD:-Rahasia-Sawahlunto-2025}" >"$PW"

one() { compgen -G "$DIR/$1" | head -n 1 || { echo "Tidak ada berkas $1 di $DIR" >&2; exit 1; }; }

"$K" migrate --no-input -v 0
"$K" setup --instansi "Pemerintah Kota Sawahlunto" --code sawahlunto --kind kota \
    --admin admin.bkpsdm --password-file "$PW" --no-input
"$K" import employees "$(one 'Data_PNS*')" --create-units --partial
"$K" import training "$(one 'Daftar Hadir*')" --programme PP-2025 \
    --title "Pelatihan Pelayanan Prima dan Etika Kerja ASN" \
    --start 2025-06-24 --end 2025-06-26 --jp 24 --partial
"$K" import scores "$(one 'Nilai Pre Post*')" --programme PP-2025 --partial
"$K" import reaction "$(one 'Evaluasi Penyelenggaraan*')" --programme PP-2025 --partial
"$K" import skm "$(one 'SKM Disdukcapil*')" --unit Disdukcapil
"$K" import skm "$(one 'Export_eSKM*')" --unit DPMPTSP
"$K" import complaints "$(one 'Export_Laporan_SP4N-LAPOR*')" --partial
"$K" report PP-2025 --format json -o "$OUT" \
    --before 2025-01-01:2025-06-26 --after 2025-06-27:2025-12-31
"$K" report PP-2025 --format pdf -o "${OUT%.json}.pdf" \
    --before 2025-01-01:2025-06-26 --after 2025-06-27:2025-12-31
