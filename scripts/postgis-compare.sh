#!/usr/bin/env bash
# postgis-compare.sh: run the same full assignment of accounts to territory polygons in Territoria's engine and in
# PostGIS (GiST index, ST_Contains), check that both agree, and print both times and their ratio.
#
# Usage: scripts/postgis-compare.sh [FLAGS]
#
# FLAGS go to scripts/postgis-compare (defaults: -accounts 1000000 -territories 1000 -arc 14 -edge 0.01 -seed 1);
# see scripts/postgis-compare/README.md for the method.
#
# Steps: installs postgresql-15-postgis-3 with apt-get when missing; builds and runs scripts/postgis-compare with
# GOMAXPROCS=1 (engine times, and the data as CSV); starts a throwaway PostgreSQL cluster in a temporary folder
# (as the postgres user when run as root), single-core queries (no parallel workers); loads the CSV files with COPY;
# builds the GiST indexes and runs ANALYZE (timed separately); times, with psql's \timing, the join
#     CREATE UNLOGGED TABLE assignment AS
#     SELECT a.id, t.id AS territory FROM accounts a JOIN territories t ON ST_Contains(t.geom, a.geom)
# as the planner runs it, and the same join territory by territory (a LATERAL subquery per polygon), which PostGIS
# runs several times faster; checks that both give the same rows and compares them with the engine's account by
# account and territory by territory; prints the figures; stops the cluster and removes the folder on exit.
#
# Settings (environment):
#   RUNS   timed runs on each side; the fastest is reported (default 2)
#   KEEP   1 keeps the temporary folder (data, database, server log) and prints its path
#   PGBIN  PostgreSQL programs (default /usr/lib/postgresql/15/bin)
#
# Needs: Go, bash, apt-get (Debian 12) or an installed postgresql-15-postgis-3. Exits 1 on failure, and 1 when the
# two sides disagree on anything but accounts exactly on a border.
set -euo pipefail

RUNS=${RUNS:-2}
KEEP=${KEEP:-0}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
readonly PKG=postgresql-15-postgis-3

log() { printf 'postgis-compare: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS=$RUNS: want a positive whole number"
cd "$(dirname "$0")/.."

# --- PostGIS --------------------------------------------------------------------------------------------------
if ! dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'install ok installed'; then
	sudo=()
	[[ $(id -u) == 0 ]] || sudo=(sudo)
	apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300)
	log "installing $PKG"
	"${apt[@]}" install -y --no-install-recommends "$PKG" ||
		{ "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "$PKG"; } ||
		die "could not install $PKG"
fi
[[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl ]] || die "no initdb/pg_ctl in PGBIN=$PGBIN"

# --- a throwaway cluster --------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/postgis-compare.XXXXXX")
chmod 755 "$work"
mkdir -p "$work/data" "$work/sock" "$work/pg"
chmod 700 "$work/pg"
touch "$work/server.log"
if [[ $(id -u) == 0 ]]; then
	chown postgres: "$work/sock" "$work/pg" "$work/server.log"
	as_server() { runuser -u postgres -- "$@"; }
else
	as_server() { "$@"; }
fi
cleanup() {
	if [[ -f $work/pg/postmaster.pid ]]; then
		as_server "$PGBIN/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	if [[ $KEEP == 1 ]]; then
		log "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the engine -----------------------------------------------------------------------------------------------
log "building and running scripts/postgis-compare (GOMAXPROCS=1, $RUNS runs)"
CGO_ENABLED=0 go build -o "$work/postgis-compare" ./scripts/postgis-compare
GOMAXPROCS=1 "$work/postgis-compare" -runs "$RUNS" -out "$work/data" "$@"
chmod -R a+rX "$work/data"
# shellcheck source=/dev/null
source "$work/data/engine.env"

log "starting PostgreSQL in $work/pg"
as_server "$PGBIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >"$work/initdb.log" 2>&1 ||
	die "initdb failed: $(tail -5 "$work/initdb.log")"
# Throwaway settings: no durability, one core per query like the engine, memory enough to sort in RAM.
cat >>"$work/pg/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$work/sock'
shared_buffers = 512MB
work_mem = 256MB
maintenance_work_mem = 512MB
max_parallel_workers_per_gather = 0
max_parallel_maintenance_workers = 0
jit = off
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 4GB
EOF
as_server "$PGBIN/pg_ctl" -D "$work/pg" -l "$work/server.log" -w start >/dev/null ||
	die "the server did not start: $(tail -5 "$work/server.log")"

psql_() { PGOPTIONS='-c client_min_messages=warning' "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/sock" -U postgres -d postgres "$@"; }
# value SQL: the single value SQL returns.
value() { psql_ -At -c "$1"; }
# timed SQL: runs SQL (one statement) and prints its wall time in ms as measured by psql's \timing.
timed() {
	local out
	out=$(psql_ -c '\timing on' -c "$1") || die "failed: $1"
	awk '/^Time: /{t=$2} END{if (t == "") exit 1; print t}' <<<"$out"
}
sum() { awk 'BEGIN{s=0; for (i=1; i<ARGC; i++) s+=ARGV[i]; printf "%.1f", s}' "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

# --- load -----------------------------------------------------------------------------------------------------
log "loading the CSV files"
psql_ <<SQL
CREATE EXTENSION postgis;
CREATE UNLOGGED TABLE accounts_in (id int, lon float8, lat float8);
CREATE UNLOGGED TABLE territories (id int PRIMARY KEY, name text NOT NULL, geom geometry(Polygon, 4326) NOT NULL);
CREATE UNLOGGED TABLE engine_assign (id int PRIMARY KEY, territory int, kind text NOT NULL, exact int);
SQL
t_copy_acc=$(timed "COPY accounts_in FROM '$work/data/accounts.csv' (FORMAT csv, HEADER true)")
t_points=$(timed "CREATE UNLOGGED TABLE accounts AS
	SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geometry(Point, 4326) AS geom FROM accounts_in ORDER BY id")
t_copy_terr=$(timed "COPY territories FROM '$work/data/territories.csv' (FORMAT csv, HEADER true)")
psql_ -c "ALTER TABLE accounts ADD PRIMARY KEY (id)" \
	-c "COPY engine_assign FROM '$work/data/engine_assign.csv' (FORMAT csv, HEADER true)" \
	-c "DROP TABLE accounts_in"

log "building GiST indexes"
t_idx_terr=$(timed "CREATE INDEX territories_geom ON territories USING gist (geom)")
t_idx_acc=$(timed "CREATE INDEX accounts_geom ON accounts USING gist (geom)")
t_analyze=$(timed "ANALYZE accounts, territories")

# --- the data arrived intact ----------------------------------------------------------------------------------
log "checking the loaded data"
pg_terr_md5=$(value "SELECT md5(string_agg(ST_AsBinary(geom, 'NDR'), ''::bytea ORDER BY id)) FROM territories")
pg_acc_md5=$(value "SELECT md5(string_agg(ST_AsBinary(geom, 'NDR'), ''::bytea ORDER BY id)) FROM accounts")
invalid=$(value "SELECT count(*) FROM territories WHERE NOT ST_IsValid(geom)")
row=$(value "
	SELECT (SELECT count(*) FROM territories), (SELECT count(*) FROM accounts),
		sum(ST_Area(geom)), ST_Area(ST_Union(geom)), ST_Area(ST_Envelope(ST_Collect(geom))) FROM territories")
IFS='|' read -r n_terr n_acc area_sum area_union area_bound <<<"$row"
inputs_ok=yes
[[ $pg_terr_md5 == "$ENGINE_TERRITORIES_WKB_MD5" && $pg_acc_md5 == "$ENGINE_ACCOUNTS_WKB_MD5" ]] || inputs_ok=no
[[ $n_terr == "$ENGINE_TERRITORIES" && $n_acc == "$ENGINE_ACCOUNTS" ]] || inputs_ok=no
printf '\nPostGIS %s on PostgreSQL %s\n' "$(value "SELECT postgis_lib_version()")" "$(value "SHOW server_version")"
printf 'loaded        %s territories, %s accounts; coordinates bit-identical to the engine'"'"'s (WKB MD5): %s\n' \
	"$n_terr" "$n_acc" "$inputs_ok"
printf 'territories   invalid %s; area sum %s, union %s, bounding box %s (square degrees)\n' \
	"$invalid" "$area_sum" "$area_union" "$area_bound"

# --- the assignment -------------------------------------------------------------------------------------------
# The same join two ways, each one statement: as the planner runs it (every account looks its territory up in the
# territories' index), and territory by territory (each polygon fetches the accounts in its box from the accounts'
# index, so ST_Contains reuses its cached edge index of the polygon for about a thousand points in a row; OFFSET 0
# keeps the planner from flattening the subquery back into the first plan).
join_sql="SELECT a.id, t.id AS territory FROM accounts a JOIN territories t ON ST_Contains(t.geom, a.geom)"
lateral_sql="SELECT a.id, t.id AS territory FROM territories t
	CROSS JOIN LATERAL (SELECT a.id FROM accounts a WHERE ST_Contains(t.geom, a.geom) OFFSET 0) a"
printf '\nplan of the join:\n'
psql_ -At -c "EXPLAIN (COSTS off) $join_sql" | sed 's/^/  /'
printf 'plan of the join territory by territory:\n'
psql_ -At -c "EXPLAIN (COSTS off) $lateral_sql" | sed 's/^/  /'
join_runs=()
lateral_runs=()
for ((r = 1; r <= RUNS; r++)); do
	psql_ -c "DROP TABLE IF EXISTS assignment, assignment_by_territory"
	log "PostGIS run $r of $RUNS"
	join_runs+=("$(timed "CREATE UNLOGGED TABLE assignment AS $join_sql")")
	lateral_runs+=("$(timed "CREATE UNLOGGED TABLE assignment_by_territory AS $lateral_sql")")
done
fastest() { printf '%s\n' "$@" | sort -g | head -1; }
t_join=$(fastest "${join_runs[@]}")
t_lateral=$(fastest "${lateral_runs[@]}")
t_pg=$(fastest "$t_join" "$t_lateral")
variants_differ=$(value "SELECT count(*) FROM ((TABLE assignment EXCEPT ALL TABLE assignment_by_territory)
	UNION ALL (TABLE assignment_by_territory EXCEPT ALL TABLE assignment)) d")

# --- agreement ------------------------------------------------------------------------------------------------
log "comparing the two assignments"
psql_ <<'SQL'
CREATE INDEX ON assignment (id);
CREATE UNLOGGED TABLE cmp AS
	SELECT e.id, e.kind, e.exact, e.territory AS eng, p.territory AS pg
	FROM engine_assign e LEFT JOIN assignment p USING (id);
CREATE UNLOGGED TABLE counts AS
	SELECT t, e.n AS eng, p.n AS pg
	FROM (SELECT territory AS t, count(*) AS n FROM engine_assign WHERE territory IS NOT NULL GROUP BY 1) e
	FULL JOIN (SELECT territory AS t, count(*) AS n FROM assignment GROUP BY 1) p USING (t);
SQL
row=$(value "
	SELECT (SELECT count(*) FROM assignment), (SELECT count(DISTINCT id) FROM assignment),
		count(*) FILTER (WHERE eng IS NOT DISTINCT FROM pg),
		count(*) FILTER (WHERE eng IS NOT NULL AND pg IS NULL),
		count(*) FILTER (WHERE eng IS NULL AND pg IS NOT NULL),
		count(*) FILTER (WHERE eng <> pg) FROM cmp")
IFS='|' read -r pg_rows pg_accounts agree eng_only pg_only different <<<"$row"
# Accounts only the engine placed: on the border of the engine's territory? On how many territories' borders?
row=$(value "
	SELECT count(*) FILTER (WHERE ST_Covers(te.geom, a.geom)),
		count(*) FILTER (WHERE n = 2), count(*) FILTER (WHERE n >= 3)
	FROM cmp c JOIN accounts a USING (id) JOIN territories te ON te.id = c.eng,
		LATERAL (SELECT count(*) AS n FROM territories t WHERE ST_Intersects(t.geom, a.geom)) k
	WHERE c.eng IS NOT NULL AND c.pg IS NULL")
IFS='|' read -r eng_only_border eng_only_2 eng_only_3plus <<<"$row"
# Accounts in different territories: which side is right in exact arithmetic?
row=$(value "
	SELECT count(*) FILTER (WHERE kind = 'segment'), count(*) FILTER (WHERE pg = exact), count(*) FILTER (WHERE eng = exact)
	FROM cmp WHERE eng <> pg")
IFS='|' read -r diff_segment diff_pg_exact diff_eng_exact <<<"$row"
row=$(value "
	SELECT count(*) FILTER (WHERE eng IS DISTINCT FROM pg), coalesce(sum(abs(coalesce(eng, 0) - coalesce(pg, 0))), 0)
	FROM counts")
IFS='|' read -r terr_differ abs_diff <<<"$row"
pg_counts_md5=$(value "SELECT md5(coalesce(string_agg(t || ',' || pg || E'\n', '' ORDER BY t), '')) FROM counts WHERE pg IS NOT NULL")
# Both sides' counts over the accounts not deliberately placed on a border: equal when those explain every
# difference.
kmd5() {
	value "SELECT md5(coalesce(string_agg(t || ',' || n || E'\n', '' ORDER BY t), ''))
		FROM (SELECT $1 AS t, count(*) AS n FROM cmp WHERE $1 IS NOT NULL AND kind NOT IN ('vertex', 'segment') GROUP BY 1) s"
}
off_eng_md5=$(kmd5 eng)
off_pg_md5=$(kmd5 pg)

printf '\nthe two PostGIS statements give the same rows: %s\n' "$([[ $variants_differ == 0 ]] && echo yes || echo "no, $variants_differ rows differ")"
printf 'agreement with the engine, account by account (%s accounts):\n' "$n_acc"
printf '  same territory (or none on both sides)  %s\n' "$agree"
printf '  engine only (PostGIS: none)             %s, of which on the border of the engine'"'"'s territory: %s (on 2 territories'"'"' borders %s, on 3 or more %s)\n' \
	"$eng_only" "$eng_only_border" "$eng_only_2" "$eng_only_3plus"
printf '  PostGIS only (engine: none)             %s\n' "$pg_only"
printf '  different territories                   %s: %s placed on a border segment; PostGIS on the exact side for %s, the engine for %s\n' \
	"$different" "$diff_segment" "$diff_pg_exact" "$diff_eng_exact"
printf '  accounts in more than one territory     %s (PostGIS rows %s, distinct accounts %s)\n' \
	"$((pg_rows - pg_accounts))" "$pg_rows" "$pg_accounts"
printf 'disagreements by how the account was placed:\n'
psql_ -c "SELECT kind, count(*) AS accounts,
		count(*) FILTER (WHERE eng IS DISTINCT FROM pg) AS disagree,
		count(*) FILTER (WHERE eng IS NOT NULL AND pg IS NULL) AS engine_only,
		count(*) FILTER (WHERE eng IS NULL AND pg IS NOT NULL) AS postgis_only,
		count(*) FILTER (WHERE eng <> pg) AS different
	FROM cmp GROUP BY kind ORDER BY kind" | sed 's/^/  /'
if ((pg_only + different > 0)); then
	printf 'first accounts placed differently other than by PostGIS leaving them out:\n'
	psql_ -c "SELECT c.id, c.kind, c.eng, c.pg, c.exact, ST_X(a.geom)::text AS lon, ST_Y(a.geom)::text AS lat,
			ST_Distance(ST_Boundary(t.geom), a.geom) AS from_postgis_border
		FROM cmp c JOIN accounts a USING (id) LEFT JOIN territories t ON t.id = c.pg
		WHERE c.pg IS NOT NULL AND c.eng IS DISTINCT FROM c.pg ORDER BY c.id LIMIT 10" | sed 's/^/  /'
fi
printf 'territory counts: %s of %s territories differ, by %s accounts in all\n' "$terr_differ" "$n_terr" "$abs_diff"
printf '  counts md5  engine %s, PostGIS %s\n' "$ENGINE_COUNTS_MD5" "$pg_counts_md5"
printf '  without the accounts placed on borders: engine %s, PostGIS %s (%s)\n' "$off_eng_md5" "$off_pg_md5" \
	"$([[ $off_eng_md5 == "$off_pg_md5" ]] && echo equal || echo DIFFERENT)"

# --- the figures ----------------------------------------------------------------------------------------------
row() { printf '%-56s %10.1f %9s\n' "$1" "$2" "$3"; }
x() { printf '%.2f×' "$(ratio "$1" "$ENGINE_COMPUTE_MS")"; }
printf '\n%s accounts × %s territories of %s vertices, one core each\n' "$ENGINE_ACCOUNTS" "$ENGINE_TERRITORIES" "$ENGINE_VERTICES"
printf '%-56s %10s %9s\n' "full assignment" "time (ms)" "÷ engine"
row "engine   assign.Compute (free-drawn polygons)" "$ENGINE_COMPUTE_MS" "$(x "$ENGINE_COMPUTE_MS")"
row "engine   NewLocator + Locate (polygons as units)" "$ENGINE_LOCATOR_MS" "$(x "$ENGINE_LOCATOR_MS")"
row "           of which NewLocator" "$ENGINE_LOCATOR_BUILD_MS" ""
row "PostGIS  join, planner's plan (territories index)" "$t_join" "$(x "$t_join")"
row "PostGIS  join, territory by territory (accounts index)" "$t_lateral" "$(x "$t_lateral")"
row "PostGIS  GiST index on territories" "$t_idx_terr" ""
row "PostGIS  GiST index on accounts" "$t_idx_acc" ""
row "PostGIS  ANALYZE" "$t_analyze" ""
# The faster join with the index it uses and ANALYZE.
if [[ $t_pg == "$t_join" ]]; then t_pg_all=$(sum "$t_join" "$t_idx_terr" "$t_analyze"); else t_pg_all=$(sum "$t_lateral" "$t_idx_acc" "$t_analyze"); fi
row "PostGIS  faster join + its index + ANALYZE" "$t_pg_all" "$(x "$t_pg_all")"
printf 'loading (not compared): COPY accounts %s ms, making points %s ms, COPY territories %s ms\n' \
	"$t_copy_acc" "$t_points" "$t_copy_terr"
printf 'PostGIS runs (ms): planner'"'"'s plan %s; territory by territory %s\n' "${join_runs[*]}" "${lateral_runs[*]}"
printf 'ratio: faster PostGIS join / engine compute %s, / engine locator %s\n' \
	"$(ratio "$t_pg" "$ENGINE_COMPUTE_MS")" "$(ratio "$t_pg" "$ENGINE_LOCATOR_MS")"

ok=1
[[ $inputs_ok == yes ]] || { log "the loaded data differs from the engine's"; ok=0; }
((variants_differ == 0)) || { log "the two PostGIS statements disagree"; ok=0; }
((pg_only == 0 && pg_rows == pg_accounts && different == diff_pg_exact && different == diff_segment)) ||
	{ log "the two sides disagree on accounts not on a border"; ok=0; }
[[ $off_eng_md5 == "$off_pg_md5" ]] || { log "the territory counts differ without the accounts placed on borders"; ok=0; }
((eng_only == eng_only_border)) || { log "the engine placed accounts that are not on its territory's border but PostGIS left out"; ok=0; }
((ok == 1)) || exit 1
