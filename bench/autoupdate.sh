#!/usr/bin/env bash
# Auto-update (issue 33) on a real systemd host (../shared/tools/systemd-host, booted here under runc): the bench
# image of bench/system.sh (Debian minbase + python3 + perl, run that once first) made a system image by
# bench/make-service.py, whose service writes a heartbeat to /state/beat (the host's /var/lib/bench/beat) every 50 ms and
# whose manifest.json names a health check run in the container; installed with the registry policy from a
# docker-registry on 127.0.0.1. Each round, in alternating order:
#   good     a new version pushed (the small top layer changed); `auto-update` updates it: its own timings give the time
#            from "new digest seen" to "new version healthy", and a watcher reading the heartbeat every 10 ms gives the
#            longest gap in it (the service down);
#   restart  `systemctl restart` of the unit: the heartbeat's gap (the unit's own restart time, the baseline);
#   bad      a version whose service exits 1 pushed; `auto-update` rolls back: the time from the new digest seen to
#            the old version healthy again, the health wait of the new one, and the heartbeat's gap.
# Prints medians and the targets' figures (down <= restart + 1 s; rollback complete <= health timeout + 5 s).
#   bench/autoupdate.sh [ROUNDS]       (default 10)
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-10}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}/autoupdate
src=${BENCH_DIR:-/var/tmp/syscontainers-bench}/system/layout
tool="$top/../shared/tools/systemd-host"
[ "$(id -u)" -eq 0 ] || { echo "bench/autoupdate.sh needs root (runc)" >&2; exit 1; }
[ -f "$src/index.json" ] || { echo "bench/autoupdate.sh needs the bench image: run bench/system.sh once" >&2; exit 1; }
[ -x "$tool" ] || { echo "bench/autoupdate.sh needs ../shared/tools/systemd-host" >&2; exit 1; }
for t in docker-registry skopeo python3 curl runc debootstrap; do
  command -v "$t" >/dev/null || { echo "bench/autoupdate.sh needs $t (apt-get install $t)" >&2; exit 1; }
done
mkdir -p "$work/share"
"$top/syscontainers" --version >/dev/null   # builds the CLI jar the host runs
layout="$work/layout"
rm -rf "$layout"; cp -a "$src" "$layout"
start_registry "$work/registry"
hostdir="$work/host"
"$tool" up "$hostdir" --bind "$top:/src:ro" --bind /etc/java-17-openjdk:/etc/java-17-openjdk:ro \
  --bind "$work/share:/share" >/dev/null
at_exit '"$tool" exec "$hostdir" systemctl disable --now bench >/dev/null 2>&1 || true; "$tool" down "$hostdir"'
inside() { "$tool" exec "$hostdir" "$@"; }
cli="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /src/cli/target/cli-0.1.0-SNAPSHOT.jar"
# runc exec (the health check) joins a container only with the cgroupfs driver in this nested host
printf '#!/bin/sh\nif [ "$1" = --help ]; then /usr/bin/runc --help | grep -v -- --systemd-cgroup; exit; fi\nexec /usr/bin/runc "$@"\n' \
  > "$work/share/runc-cgroupfs"
chmod 755 "$work/share/runc-cgroupfs"
cat > "$work/share/watch.py" <<'PY'
# watch.py BEAT STOPFILE -> the longest time (s) the heartbeat file did not change, until STOPFILE appears
import os, sys, time
beat, stop = sys.argv[1:3]
last, changed, gap = None, time.monotonic(), 0.0
while not os.path.exists(stop):
    try:
        v = open(beat).read()
    except OSError:
        v = None
    now = time.monotonic()
    if v and v != last:
        gap, last, changed = max(gap, now - changed), v, now
    time.sleep(0.01)
print("%.3f" % max(gap, time.monotonic() - changed))
PY
inside sh -c "systemctl disable --now bench 2>/dev/null; runc delete -f bench 2>/dev/null; rm -rf /var/lib/containers/atomic \
  /etc/systemd/system/bench.service /etc/tmpfiles.d/bench.conf /var/lib/bench; systemctl daemon-reload; systemctl reset-failed" \
  >/dev/null 2>&1 || true

n=0
publish() { # publish good|exits -> pushes a new version to the tag
  n=$((n + 1))
  python3 "$top/bench/make-service.py" "$layout" v1 "svc-$n" "$n" "$1"
  skopeo copy -q --dest-tls-verify=false "oci:$layout:svc-$n" "docker://$host/bench/svc:stable"
}
watch_start() { rm -f "$work/share/stop"; inside python3 /share/watch.py /var/lib/bench/beat /share/stop > "$work/gap" & watcher=$!; sleep 0.3; }
watch_stop() { sleep 0.5; touch "$work/share/stop"; wait "$watcher"; g=$(cat "$work/gap"); }   # sets g
json_field() { python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(eval(sys.argv[1]))' "$1"; }

publish good
inside sh -c "$cli install --system --name bench --runtime /share/runc-cgroupfs --tls-verify=false \
  --set io.containers.autoupdate=registry $host/bench/svc:stable" >/dev/null
inside systemctl start bench
sleep 2

declare -a good_total good_gap restart_gap bad_total bad_health bad_back bad_gap
for i in $(seq "$rounds"); do
  order=(good restart bad); [ $((i % 2)) -eq 0 ] && order=(bad restart good)
  line="round $i:"
  for what in "${order[@]}"; do
    case $what in
      good)
        publish good
        watch_start
        out=$(inside sh -c "$cli auto-update --tls-verify=false --json" 2>/dev/null)
        watch_stop
        [ "$(echo "$out" | json_field 'r["status"]')" = updated ] || { echo "$out" >&2; exit 1; }
        t=$(echo "$out" | json_field 'r["timings_ms"]["total"] / 1000')
        good_total+=("$t"); good_gap+=("$g"); line="$line good ${t}s down ${g}s;" ;;
      restart)
        watch_start
        inside systemctl restart bench
        watch_stop
        restart_gap+=("$g"); line="$line restart down ${g}s;" ;;
      bad)
        publish exits
        watch_start
        out=$(inside sh -c "$cli auto-update --tls-verify=false --json" 2>/dev/null || true)
        watch_stop
        [ "$(echo "$out" | json_field 'r["status"]')" = "rolled back" ] || { echo "$out" >&2; exit 1; }
        t=$(echo "$out" | json_field 'r["timings_ms"]["total"] / 1000')
        h=$(echo "$out" | json_field 'r["timings_ms"]["health"] / 1000')
        b=$(echo "$out" | json_field 'r["timings_ms"]["rollback"] / 1000')
        bad_total+=("$t"); bad_health+=("$h"); bad_back+=("$b"); bad_gap+=("$g")
        line="$line bad ${t}s (health ${h}s, rollback ${b}s) down ${g}s;" ;;
    esac
  done
  echo "$line" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
gt=$(median "${good_total[@]}"); gg=$(median "${good_gap[@]}"); rg=$(median "${restart_gap[@]}")
bt=$(median "${bad_total[@]}"); bh=$(median "${bad_health[@]}"); bb=$(median "${bad_back[@]}")
bg=$(median "${bad_gap[@]}")
printf '\n%-58s %s\n' "median of $rounds rounds" "seconds"
printf '%-58s %s\n' "good update: new digest seen -> new version healthy" "$gt"
printf '%-58s %s\n' "good update: service down (heartbeat gap)" "$gg"
printf '%-58s %s\n' "systemctl restart: service down (heartbeat gap)" "$rg"
printf '%-58s %s\n' "rollback: new digest seen -> old version healthy again" "$bt"
printf '%-58s %s\n' "rollback: of which the new version's health wait" "$bh"
printf '%-58s %s\n' "rollback: then the rollback, to the old one healthy" "$bb"
printf '%-58s %s\n' "rollback: service down (heartbeat gap)" "$bg"
awk -v g="$gg" -v r="$rg" 'BEGIN { printf "target down <= restart + 1 s: %.3f <= %.3f: %s\n", g, r + 1, (g <= r + 1) ? "met" : "NOT met" }'
# the image's health check times out after 5 s
awk -v b="$bb" 'BEGIN { printf "target rollback complete <= health timeout + 5 s: %.3f <= 10: %s\n", b, (b <= 10) ? "met" : "NOT met" }'
