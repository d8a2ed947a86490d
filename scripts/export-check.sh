#!/usr/bin/env bash
# Checks Territoria's exports with independent readers:
#   - LibreOffice (headless) converts the workbook to CSV: every territory's
#     figures and the plan totals equal `territoria metrics`; and to PDF
#     (page images kept for a person to look at);
#   - Gnumeric's ssconvert reads the workbook to the same figures;
#   - GDAL (ogrinfo, ogr2ogr) reads the GeoJSON, KML and zipped Shapefile
#     with the right feature counts and attributes, and GEOS finds every
#     outline valid;
#   - poppler renders the PDF brief, whose fonts are embedded;
#   - a shared plan copy reopened gives identical `territoria metrics`, and
#     the alignment CSV tables applied to the original scenario reproduce
#     the edited one.
# A small plan with Chinese and formula-like names (Connecticut and Rhode
# Island counties from storage/gisfile/testdata) checks that text survives.
#
#   scripts/export-check.sh            # builds the CLI with `go build`
#   TERRITORIA_BIN=build/bin/territoria-headless scripts/export-check.sh
#
# Needs: libreoffice-calc, gnumeric, gdal-bin, poppler-utils, python3,
# fonts-wqy-zenhei (for the Chinese pages). Page images go to
# artifacts/export-check/ (EXPORT_CHECK_ARTIFACTS overrides). About a minute.
set -euo pipefail

need() { command -v "$1" >/dev/null || { echo "export-check: $1 not found (Debian package: $2)" >&2; exit 2; }; }
need libreoffice libreoffice-calc
need ssconvert gnumeric
need ogrinfo gdal-bin
need ogr2ogr gdal-bin
need pdftoppm poppler-utils
need pdffonts poppler-utils
need python3 python3

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/export-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=${EXPORT_CHECK_ARTIFACTS:-$ROOT/artifacts/export-check}
mkdir -p "$OUT"
export TERRITORIA_HOME=$WORK/home
T=${TERRITORIA_BIN:-}
if [ -z "$T" ]; then
  (cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/territoria" .)
  T=$WORK/territoria
fi
T=$(cd "$(dirname "$T")" && pwd)/$(basename "$T")
cd "$WORK"
start=$(date +%s)
step() { echo "== $*"; }
pass() { echo "   ok: $*"; }

# LibreOffice keeps a per-user profile; use a throwaway one.
LO=(libreoffice "-env:UserInstallation=file://$WORK/lo-profile" --headless)
lo_csv() { # workbook, folder: every sheet as UTF-8 CSV, raw values
  "${LO[@]}" --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' --outdir "$2" "$1" >/dev/null 2>&1
}

step "demo plan, edited: two Iowa counties to Illinois, three accounts to Texas"
"$T" demo demo.territoria >/dev/null
"$T" scenario clone demo.territoria current Original >/dev/null
printf 'unit_id,territory_id\n19153,T07\n19169,T07\n' > move-units.csv
printf 'account_id,territory_id\nACC-00001,T35\nACC-00002,T35\nACC-00003,T35\n' > move-accounts.csv
"$T" assign demo.territoria --units move-units.csv --accounts move-accounts.csv >/dev/null
"$T" metrics demo.territoria --json > metrics.json

step "exports"
"$T" export demo.territoria --quiet --baseline Original --xlsx demo.xlsx --csv tables --geojson demo.geojson \
  --kml demo.kml --shp demo.zip --share shared.territoria --png demo.png --svg demo.svg --pdf demo.pdf --per-region --json > exports.json
python3 - <<'EOF'
import json
for r in json.load(open('exports.json')):
    print(f"   {r['format']:8} {r['bytes']/1e6:7.1f} MB  {r['millis']/1000:5.1f} s  {r['path'].split('/')[-1]}")
EOF

# compare.py SHEETS_DIR PREFIX READER: the Territories sheet and the Summary
# totals against metrics.json.
cat > compare.py <<'EOF'
import csv, json, sys, glob, os
folder, prefix, reader = sys.argv[1], sys.argv[2], sys.argv[3]
m = json.load(open('metrics.json'))
rows = {r['id']: r['values'] for r in m['rows'] if r['kind'] == 'territory'}
plan = next(r['values'] for r in m['rows'] if r['kind'] == 'plan')
def sheet(name):
    path = os.path.join(folder, f"{prefix}{name}.csv")
    with open(path, encoding='utf-8') as f:
        return list(csv.reader(f))
def num(s):
    s = s.strip().replace(',', '')
    if s.endswith('%'):
        return float(s[:-1]) / 100
    return float(s) if s else 0.0
cols = {'accounts': 'Accounts', 'units': 'Units', 'potential': 'Potential (USD)', 'revenue': 'Revenue (12 months) (USD)',
        'lifetimeValue': 'Lifetime value (USD)', 'workloadHours': 'Workload (h / year)'}
t = sheet('Territories')
head = t[0]
idx = {k: head.index(v) for k, v in cols.items() if v in head}
assert {'accounts', 'potential', 'revenue'} <= idx.keys(), f"{reader}: headers {head}"
sums = {k: 0.0 for k in idx}
seen = 0
for r in t[1:]:
    want = rows[r[0]]
    for k, i in idx.items():
        got = num(r[i])
        sums[k] += got
        w = want.get(k, 0)
        assert abs(got - w) <= 1e-6 * max(1, abs(w)), f"{reader}: {r[0]} {k}: {got} in the workbook, {w} in territoria metrics"
    seen += 1
assert seen == len(rows), f"{reader}: {seen} territory rows, metrics has {len(rows)}"
un = next((r['values'] for r in m['rows'] if r['kind'] == 'unassigned'), {})
for k in idx:
    want = plan.get(k, 0) - un.get(k, 0)
    assert abs(sums[k] - want) <= 1e-6 * max(1, abs(want)), f"{reader}: territories sum {k} to {sums[k]}, metrics {want}"
s = sheet('Summary')
hdr = next(r for r in s if len(r) > 1 and r[1] == 'Accounts')
line = next(r for r in s if r and r[0] == 'Plan')
for k in ('accounts', 'potential', 'revenue'):
    i = hdr.index(cols[k])
    assert abs(num(line[i]) - plan[k]) <= 1e-6 * max(1, plan[k]), f"{reader}: plan {k} {line[i]} against {plan[k]}"
print(f"   ok: {reader}: {seen} territories and the plan totals equal territoria metrics")
EOF

step "LibreOffice reads the workbook"
mkdir -p lo-csv
lo_csv demo.xlsx lo-csv
python3 compare.py lo-csv demo- LibreOffice
python3 - <<'EOF'
import csv
ch = list(csv.reader(open('lo-csv/demo-Changes.csv', encoding='utf-8')))
un = list(csv.reader(open('lo-csv/demo-Unit changes.csv', encoding='utf-8')))
assert len(un) - 1 == 2 and len(ch) - 1 >= 3, (len(ch), len(un))
print(f"   ok: LibreOffice: change report lists {len(ch)-1} accounts and {len(un)-1} units")
EOF

step "Gnumeric reads the workbook"
mkdir -p ss-csv
ssconvert -S demo.xlsx 'ss-csv/demo-%s.csv' >/dev/null 2>&1
python3 compare.py ss-csv demo- Gnumeric

step "GDAL reads the GIS files"
cat > gis.py <<'EOF'
import csv, json, subprocess, sys, io
m = json.load(open('metrics.json'))
terr = {r['id']: r['values'] for r in m['rows'] if r['kind'] == 'territory'}
nd = sum(1 for r in m['rows'] if r['kind'] == 'district')
nr = sum(1 for r in m['rows'] if r['kind'] == 'region')
info = json.load(open('demo.json'))
acc = info['accounts']
def sql(src, q, dialect='SQLite'):
    out = subprocess.run(['ogr2ogr', '-f', 'CSV', '/vsistdout/', src, '-dialect', dialect, '-sql', q], capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))
# GeoJSON: one collection, a layer property.
rows = sql('demo.geojson', "SELECT layer, count(*) AS n, sum(ST_IsValid(geometry)) AS valid FROM demo GROUP BY layer")
got = {r['layer']: (int(r['n']), r['valid']) for r in rows}
want = {'territories': len(terr), 'districts': nd, 'regions': nr, 'accounts': acc}
for k, n in want.items():
    assert got[k][0] == n, f"GeoJSON {k}: {got.get(k)} features, want {n}"
for k in ('territories', 'districts', 'regions'):
    assert int(got[k][1]) == want[k], f"GeoJSON {k}: {got[k][1]} of {want[k]} outlines valid"
for r in sql('demo.geojson', "SELECT id, potential, accounts FROM demo WHERE layer = 'territories'"):
    w = terr[r['id']]
    assert abs(float(r['potential']) - w['potential']) <= 1e-6 * w['potential'] and int(r['accounts']) == w['accounts'], (r, w)
print(f"   ok: GeoJSON: {got['territories'][0]} territories, {nd} districts, {nr} regions (all valid), {acc} accounts; figures equal")
# Shapefile: a zip of layers.
for layer, n in (('territories', len(terr)), ('districts', nd), ('regions', nr), ('accounts', acc)):
    q = f"SELECT count(*) AS n, sum(ST_IsValid(geometry)) AS valid FROM {layer}"
    r = sql('/vsizip/demo.zip', q)[0]
    assert int(r['n']) == n, f"Shapefile {layer}: {r['n']} features, want {n}"
    if layer != 'accounts':
        assert int(r['valid']) == n, f"Shapefile {layer}: {r['valid']} of {n} valid"
for r in sql('/vsizip/demo.zip', "SELECT id, potential, ltv FROM territories"):
    w = terr[r['id']]
    assert abs(float(r['potential']) - w['potential']) <= 1e-6 * w['potential'], (r, w)
    assert abs(float(r['ltv']) - w['lifetimeValue']) <= 1e-6 * w['lifetimeValue'], (r, w)
print(f"   ok: Shapefile: every layer with its count, outlines valid, figures equal")
# KML: one folder per layer.
out = subprocess.run(['ogrinfo', '-ro', '-so', '-al', 'demo.kml'], capture_output=True, text=True, check=True).stdout
counts = {}
layer = None
for line in out.splitlines():
    if line.startswith('Layer name:'):
        layer = line.split(':', 1)[1].strip()
    if line.startswith('Feature Count:'):
        counts[layer] = int(line.split(':')[1])
assert counts.get('Territory') == len(terr) and counts.get('Accounts') == acc, counts
print(f"   ok: KML: {counts}")
EOF
"$T" info demo.territoria --json > demo.json
python3 gis.py

step "the shared copy gives identical figures; the CSV tables reproduce the alignment"
"$T" metrics shared.territoria --json > shared-metrics.json
cmp -s metrics.json shared-metrics.json || { echo "export-check: territoria metrics of the shared copy differ" >&2; diff <(head -c 2000 metrics.json) <(head -c 2000 shared-metrics.json) >&2; exit 1; }
pass "shared copy: territoria metrics identical"
"$T" scenario clone demo.territoria Original Replayed >/dev/null
"$T" assign demo.territoria --scenario Replayed --units tables/units.csv --accounts tables/overrides.csv >/dev/null
"$T" metrics demo.territoria --scenario Replayed --json > replayed.json
python3 - <<'EOF'
import json
a, b = json.load(open('metrics.json')), json.load(open('replayed.json'))
for x, y in zip(a['rows'], b['rows']):
    assert x['id'] == y['id'] and x['values'] == y['values'], (x['id'], y['id'])
assert len(a['rows']) == len(b['rows']) and a['balance'] == b['balance']
print("   ok: units.csv + overrides.csv applied to the original scenario give the edited scenario's figures")
EOF

step "pictures and the PDF brief"
python3 - <<'EOF'
import struct
b = open('demo.png', 'rb').read()
assert b[1:4] == b'PNG'
w, h = struct.unpack('>II', b[16:24])
assert (w, h) == (1600, 1000), (w, h)
i = b.index(b'pHYs')
ppm = struct.unpack('>I', b[i+4:i+8])[0]
assert abs(ppm * 0.0254 - 144) < 1, ppm
import xml.dom.minidom
d = xml.dom.minidom.parse('demo.svg')
assert d.documentElement.getAttribute('width') == '1600'
print("   ok: PNG 1600 × 1000 at 144 DPI; SVG parses")
EOF
pdfinfo demo.pdf | grep -q "^Pages: *5$" || { echo "export-check: the PDF brief should have 5 pages (plan + 4 regions)" >&2; pdfinfo demo.pdf >&2; exit 1; }
pdffonts demo.pdf | awk 'NR>2 && $(NF-4)!="yes"{bad=1} END{exit bad}' || { echo "export-check: a PDF font is not embedded" >&2; exit 1; }
pdftoppm -r 80 -png -f 1 -l 1 demo.pdf "$OUT/brief-en"
cp demo.png "$OUT/map-en.png"
pass "PDF brief: 5 pages, fonts embedded; page 1 in $OUT/brief-en-1.png"

step "a small plan with Chinese and formula-like names"
"$T" new small.territoria --name "New England 试点" >/dev/null
"$T" import small.territoria --kind boundaries "$ROOT/storage/gisfile/testdata/ct_ri_counties.zip" --id-field GEOID >/dev/null
python3 - <<'EOF'
import random
random.seed(7)
names = ["=SUM(A1:A3)", "+1 Pharmacy", "-Minus Labs", "@Home Care", "北京协和诊所", "上海瑞金药房", "Providence Clinic", "Hartford Health"]
with open('accounts.csv', 'w', encoding='utf-8') as f:
    f.write("客户编号,客户名称,经度,纬度,潜力,客户分级\n")
    for i in range(60):
        n = names[i % len(names)] + ("" if i < len(names) else f" {i}")
        f.write(f'A{i+1:03d},"{n}",{random.uniform(-73.5,-71.3):.5f},{random.uniform(41.2,42.0):.5f},{random.randint(1,50)*1000},{"ABC"[i%3]}\n')
with open('alignment.csv', 'w', encoding='utf-8') as f:
    f.write("unit,territory,territoryName\n")
    for u in ["09001", "09003", "09005", "09007"]: f.write(f"{u},T1,康州西部\n")
    for u in ["09009", "09011", "09013", "09015"]: f.write(f"{u},T2,Connecticut East\n")
    for u in ["44001", "44003", "44005", "44007", "44009"]: f.write(f"{u},T3,=Rhode Island\n")
with open('reps.csv', 'w', encoding='utf-8') as f:
    f.write("id,name,capacity,territory\nR1,王伟,40,T1\nR2,Ann Lee,40,T2\nR3,@Sam,40,T3\n")
EOF
"$T" import small.territoria --kind alignment alignment.csv >/dev/null
"$T" import small.territoria --kind accounts accounts.csv >/dev/null
"$T" import small.territoria --kind reps reps.csv >/dev/null
"$T" scenario clone small.territoria s1 "调整前" >/dev/null
printf 'unit_id,territory_id\n09007,T2\n44009,T1\n' > small-move.csv
"$T" assign small.territoria --units small-move.csv >/dev/null
"$T" export small.territoria --quiet --baseline "调整前" --lang zh-CN --xlsx small.xlsx --pdf small.pdf --png small.png >/dev/null
mkdir -p small-csv small-pdf
lo_csv small.xlsx small-csv
python3 - <<'EOF'
import csv
rows = list(csv.reader(open('small-csv/small-辖区.csv', encoding='utf-8')))
names = {r[1] for r in rows[1:]}
assert {'康州西部', 'Connecticut East', '=Rhode Island'} <= names, names
acc = list(csv.reader(open('small-csv/small-客户.csv', encoding='utf-8')))
texts = {r[1] for r in acc[1:]}
for n in ("=SUM(A1:A3)", "+1 Pharmacy", "-Minus Labs", "@Home Care", "北京协和诊所"):
    assert n in texts, f"{n!r} did not survive as text: {sorted(texts)[:10]}"
print("   ok: LibreOffice: Chinese names intact; text beginning with = + - @ read back as text")
EOF
"${LO[@]}" --convert-to pdf --outdir small-pdf small.xlsx >/dev/null 2>&1
pdftoppm -r 70 -png -f 1 -l 1 small-pdf/small.pdf "$OUT/workbook-libreoffice-zh"
pdftoppm -r 80 -png -f 1 -l 1 small.pdf "$OUT/brief-zh"
cp small.png "$OUT/map-zh.png"
pdffonts small.pdf | grep -q "yes" || { echo "export-check: no embedded font in the Chinese brief" >&2; exit 1; }
pass "page images in $OUT: workbook-libreoffice-zh-1.png, brief-zh-1.png, map-zh.png"

echo "All export checks passed in $(( $(date +%s) - start )) s."
