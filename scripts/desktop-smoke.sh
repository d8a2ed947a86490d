#!/usr/bin/env bash
# desktop-smoke.sh: start a Linux desktop build of Territoria on a virtual X display with the demo plan, wait until
# the page reports that the map has loaded, take a screenshot of the display and check that it shows a picture.
#
# Usage: scripts/desktop-smoke.sh path/to/territoria
#
# The binary is a Linux build made with `-tags desktop,production,webkit2_41`. It runs as
#     TERRITORIA_SMOKE=1 territoria --demo
# under `xvfb-run -a -s "-screen 0 1280x800x24"` and must print a line containing `ready: map` to its standard output
# once the map is loaded, then keep running until it is stopped.
#
# Writes artifacts/desktop.png (the screenshot) and artifacts/desktop.log (everything the app printed) in the
# repository root. Exits 0 when the screenshot has more than SMOKE_MIN_COLOURS colours and no single colour covers
# more than SMOKE_MAX_SHARE percent of it (a blank screen, or a tiny window on a black screen, fails), 1 on any
# failure, 2 on bad usage.
#
# Then (unless SMOKE_EDIT=0) it edits with real input: key B (Paint), a click on the map, Ctrl+Z; the app must report
# both edits ("edited: paint", "edited: undo:paint"). A second screenshot goes to artifacts/desktop-after-edit.png.
#
# Needs: bash 5, xvfb-run, xauth, Xvfb (package xvfb), import, identify and convert (package imagemagick), xdotool.
#
# Settings (environment):
#   SMOKE_TIMEOUT      seconds to wait for `ready: map` (default 90)
#   SMOKE_SETTLE       seconds to wait after it before the screenshot (default 3)
#   SMOKE_MIN_COLOURS  the screenshot must have more distinct colours than this (default 50)
#   SMOKE_MAX_SHARE    no colour may cover more than this percentage of the screenshot (default 95)
#   SMOKE_ARTIFACTS    directory for desktop.png and desktop.log (default <repo>/artifacts)
# Any other variable (WEBKIT_DISABLE_DMABUF_RENDERER=1, LIBGL_ALWAYS_SOFTWARE=1, ...) is passed on to the app.
set -euo pipefail

readonly READY_LINE='ready: map'
readonly SCREEN='-screen 0 1280x800x24'

log() { printf 'desktop-smoke: %s\n' "$*" >&2; }

# is_uint VALUE: whether VALUE is a non-negative integer.
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# now_ms: wall-clock time in milliseconds (SECONDS only counts whole seconds).
now_ms() {
	local us=${EPOCHREALTIME//[.,]/}
	echo $((10#$us / 1000))
}

# The part that runs inside the X session started by xvfb-run:
#   desktop-smoke.sh --inside BINARY SCREENSHOT LOG TIMEOUT SETTLE
# It starts the app, waits for the ready line, takes the screenshot and stops the app. Its exit status tells the outer
# part what happened: 0 screenshot taken, 3 the app exited early, 4 timeout, 5 screenshot failed, 6 the edit with
# real input failed.
inside() {
	local bin=$1 shot=$2 applog=$3 timeout=$4 settle=$5
	# Global, not local: the EXIT trap runs after this function has returned.
	pid=''
	smoke_home=''

	stop_app() {
		[[ -n $pid ]] || return 0
		if kill -0 "$pid" 2>/dev/null; then
			# The app leads its own process group (setsid below): stop it together with its WebKit helpers.
			kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
			local i
			for ((i = 0; i < 50; i++)); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
		pid=''
		[[ -z $smoke_home ]] || rm -rf -- "$smoke_home"
	}
	trap stop_app EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	log "display $DISPLAY: starting $bin --demo"
	: >"$applog"
	# A fresh home: the demo plan is written anew, so edits of earlier runs do not show.
	smoke_home=$(mktemp -d "${TMPDIR:-/tmp}/desktop-smoke-home.XXXXXX")
	TERRITORIA_HOME=$smoke_home TERRITORIA_SMOKE=1 setsid "$bin" --demo >"$applog" 2>&1 </dev/null &
	pid=$!

	local start deadline
	start=$(now_ms)
	deadline=$((start + timeout * 1000))
	until grep -qF -- "$READY_LINE" "$applog"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			local status=0
			wait "$pid" || status=$?
			pid=''
			log "the app exited with status $status before printing '$READY_LINE'"
			return 3
		fi
		if (($(now_ms) >= deadline)); then
			log "no '$READY_LINE' from the app within ${timeout}s"
			return 4
		fi
		sleep 0.25
	done
	local took=$(($(now_ms) - start))
	log "the app printed '$READY_LINE' after $((took / 1000)).$(printf '%03d' $((took % 1000)))s; waiting ${settle}s"
	sleep "$settle"

	if ! kill -0 "$pid" 2>/dev/null; then
		log "the app exited after printing '$READY_LINE' (it must keep running)"
		return 3
	fi
	if ! import -window root "$shot"; then
		log "import could not take a screenshot of display $DISPLAY"
		return 5
	fi
	if [[ ${SMOKE_EDIT:-1} == 1 ]]; then
		edit_with_mouse "$applog" || return 6
	fi
	stop_app
	return 0
}

# wait_line FILE TEXT SECONDS: wait until FILE has a line containing TEXT.
wait_line() {
	local file=$1 text=$2 deadline=$(($(now_ms) + $3 * 1000))
	until grep -qF -- "$text" "$file"; do
		(($(now_ms) < deadline)) || return 1
		sleep 0.2
	done
}

# edit_with_mouse LOG: real keyboard and mouse input in the window: select a unit in the middle of the map (its
# territory becomes the paint colour), choose the Paint tool (key B), click a unit of another territory, and undo it
# (Ctrl+Z); the app reports each saved edit on stdout ("edited: paint", then "edited: undo:paint").
edit_with_mouse() {
	local applog=$1 wid X Y WIDTH HEIGHT key value
	wid=$(xdotool search --onlyvisible --name '^Territoria' | head -n 1)
	if [[ -z $wid ]]; then
		log "edit: no Territoria window found"
		return 1
	fi
	while IFS='=' read -r key value; do
		case $key in X) X=$value ;; Y) Y=$value ;; WIDTH) WIDTH=$value ;; HEIGHT) HEIGHT=$value ;; esac
	done < <(xdotool getwindowgeometry --shell "$wid")
	xdotool windowfocus "$wid" 2>/dev/null || true
	# The map fills the window right of the side panel; its middle shows the central states.
	local mx=$((X + WIDTH * 70 / 100)) my=$((Y + HEIGHT * 52 / 100))
	xdotool mousemove "$mx" "$my" click 1
	sleep 0.5
	xdotool key b
	sleep 0.5
	# The first click chose that unit's territory as the paint colour; paint a unit of another territory, far east.
	xdotool mousemove "$((X + WIDTH * 86 / 100))" "$((Y + HEIGHT * 42 / 100))" click 1
	if ! wait_line "$applog" 'edited: paint' 20; then
		import -window root "${SMOKE_ARTIFACTS:-$(dirname -- "$applog")}/desktop-edit-failed.png" || true
		log "edit: no 'edited: paint' after choosing Paint and clicking the map at $mx,$my"
		return 1
	fi
	log "edit: a click with the Paint tool saved an edit"
	sleep 0.5
	xdotool key ctrl+z
	if ! wait_line "$applog" 'edited: undo:paint' 20; then
		import -window root "${SMOKE_ARTIFACTS:-$(dirname -- "$applog")}/desktop-edit-failed.png" || true
		log "edit: no 'edited: undo:paint' after Ctrl+Z"
		return 1
	fi
	log "edit: Ctrl+Z undid it"
	import -window root "${SMOKE_ARTIFACTS:-$(dirname -- "$applog")}/desktop-after-edit.png" || true
	return 0
}

if [[ ${1-} == --inside ]]; then
	shift
	inside "$@"
	exit
fi

# --- outer part: check the inputs, run the inside part under xvfb-run, check the screenshot. ---

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
fi

timeout=${SMOKE_TIMEOUT:-90}
settle=${SMOKE_SETTLE:-3}
min_colours=${SMOKE_MIN_COLOURS:-50}
max_share=${SMOKE_MAX_SHARE:-95}
for setting in "SMOKE_TIMEOUT=$timeout" "SMOKE_SETTLE=$settle" "SMOKE_MIN_COLOURS=$min_colours" \
	"SMOKE_MAX_SHARE=$max_share"; do
	if ! is_uint "${setting#*=}"; then
		log "${setting%%=*} must be a whole number, got '${setting#*=}'"
		exit 2
	fi
done
if ((max_share > 100)); then
	log "SMOKE_MAX_SHARE is a percentage, got $max_share"
	exit 2
fi

bin=$1
if [[ ! -f $bin ]]; then
	log "no such file: $bin"
	exit 2
fi
if [[ ! -x $bin ]]; then
	log "not executable: $bin"
	exit 2
fi
# An absolute path (the inside part does not change directory, but the log and messages are clearer).
bin=$(cd "$(dirname -- "$bin")" && pwd)/$(basename -- "$bin")

missing=()
for tool in xvfb-run xauth Xvfb import identify convert setsid xdotool; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	log "missing tools: ${missing[*]} (Debian: apt-get install xvfb xauth imagemagick)"
	exit 1
fi

script=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)/$(basename -- "${BASH_SOURCE[0]}")
repo=$(cd "$(dirname -- "$script")/.." && pwd)
artifacts=${SMOKE_ARTIFACTS:-$repo/artifacts}
mkdir -p -- "$artifacts"
shot=$artifacts/desktop.png
applog=$artifacts/desktop.log
rm -f -- "$shot" "$applog"

work=$(mktemp -d "${TMPDIR:-/tmp}/desktop-smoke.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
xvfb_err=$work/xvfb.err

show_log() {
	if [[ -s $applog ]]; then
		log "app output ($applog), last 60 lines:"
		tail -n 60 -- "$applog" | sed 's/^/  | /' >&2
	else
		log "the app printed nothing"
	fi
	if [[ -s $xvfb_err ]]; then
		log "Xvfb messages:"
		tail -n 20 -- "$xvfb_err" | sed 's/^/  | /' >&2
	fi
}

# xvfb-run runs in its own process group (setsid), so an interrupt here can stop the whole session: the inside part
# then stops the app on its way out and xvfb-run stops Xvfb.
setsid xvfb-run -a -e "$xvfb_err" -s "$SCREEN" \
	"$BASH" "$script" --inside "$bin" "$shot" "$applog" "$timeout" "$settle" &
session=$!
interrupted() {
	log "interrupted: stopping the X session"
	kill -TERM -- "-$session" 2>/dev/null || true
	wait "$session" 2>/dev/null || true
	exit 130
}
trap interrupted INT TERM HUP
status=0
wait "$session" || status=$?
trap - INT TERM HUP
case $status in
0) ;;
3 | 4 | 5 | 6)
	show_log
	log "FAIL"
	exit 1
	;;
*)
	show_log
	log "FAIL: xvfb-run exited with status $status"
	exit 1
	;;
esac

if [[ ! -s $shot ]]; then
	log "FAIL: no screenshot at $shot"
	exit 1
fi
if ! colours=$(identify -format '%k' "$shot" 2>"$work/identify.err") || ! is_uint "$colours"; then
	log "FAIL: identify could not read $shot: $(cat "$work/identify.err")"
	exit 1
fi
read -r width height < <(identify -format '%w %h\n' "$shot")
if ((colours <= min_colours)); then
	show_log
	log "FAIL: the screenshot $shot (${width}x${height}) has only $colours colours (need more than $min_colours):" \
		"the window looks blank"
	exit 1
fi
# The pixel count of the most common colour, from ImageMagick's histogram ("  count: (r,g,b) #hex name" lines).
top=$(convert "$shot" -format %c histogram:info:- | awk '{ n = $1 + 0; if (n > m) m = n } END { print m + 0 }')
share=$((top * 100 / (width * height)))
if ((share > max_share)); then
	show_log
	log "FAIL: one colour covers ${share}% of the screenshot $shot (at most ${max_share}% allowed):" \
		"the window is missing, tiny or blank"
	exit 1
fi
log "OK: screenshot $shot (${width}x${height}, $colours colours, most common colour ${share}%), app output in $applog"
