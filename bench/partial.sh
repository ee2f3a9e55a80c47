#!/usr/bin/env bash
# Partial pulls (issue 32), side by side: v1 = the bench image of bench/system.sh (run that once first) published as
# zstd:chunked with tar-split by our copy; v2 = v1 with one ~1 MiB file changed and 10 small files added
# (bench/make-update.py), published the same way; both on a docker-registry on 127.0.0.1. Each round, in a fresh
# store: pull v1, then time the update, `pull` of v2, and count what the registry sent for it (its access log);
# against a full `pull` of v2 into an empty store and `skopeo copy` of v2 (whole layers) to an OCI layout. The page
# cache is dropped before each timed run. Prints medians, the bytes the update should need at least (the changed
# files' frames, the table of contents, the tar-split record, manifest and config: from v2's own table) and the ratios.
#   bench/partial.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-10}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}/partial
src=${BENCH_DIR:-/var/tmp/syscontainers-bench}/system/layout
[ "$(id -u)" -eq 0 ] || { echo "bench/partial.sh needs root (drop_caches)" >&2; exit 1; }
[ -f "$src/index.json" ] || { echo "bench/partial.sh needs the bench image: run bench/system.sh once" >&2; exit 1; }
for tool in docker-registry skopeo zstd python3 curl; do
  command -v "$tool" >/dev/null || { echo "bench/partial.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$work"
sc="$top/syscontainers"
"$sc" --version >/dev/null
settle
layout="$work/layout"
if [ ! -f "$work/layout.done" ]; then
  rm -rf "$layout"; cp -a "$src" "$layout"
  python3 "$top/bench/make-update.py" "$layout" v1 v2
  touch "$work/layout.done"
fi
start_registry "$work/registry"
for t in v1 v2; do
  skopeo copy -q --dest-tls-verify=false "oci:$layout:$t" "docker://$host/src/bench:$t"
  "$sc" copy -q --src-tls-verify=false --dest-tls-verify=false --dest-compress-format zstd:chunked \
    "docker://$host/src/bench:$t" "docker://$host/chunked/bench:$t"
done
v2="$host/chunked/bench:v2"

# bytes the registry sent for blob and manifest GETs of chunked/bench after line $1 of its log
sent_since() {
  tail -n +"$(( $1 + 1 ))" "$reg/log" | grep -E '"(GET|HEAD) /v2/chunked/bench/(blobs|manifests)/' \
    | sed -E 's/.*HTTP\/1\.1" [0-9]+ ([0-9]+) .*/\1/' | awk '{s += $1} END {print s + 0}'
}
drop() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

declare -a upd upd_rss upd_bytes full full_rss full_bytes sk sk_bytes
for i in $(seq "$rounds"); do
  root="$work/root"; discard "$root" "$work/alone" "$work/skopeo"
  "$sc" pull -q --tls-verify=false --root "$root" "docker://$host/chunked/bench:v1" >/dev/null
  order=(update full skopeo); [ $((i % 2)) -eq 0 ] && order=(skopeo full update)
  line="round $i:"
  for what in "${order[@]}"; do
    drop; mark=$(wc -l < "$reg/log")
    case $what in
      update) read -r s k < <(measure "$sc" pull -q --tls-verify=false --root "$root" "docker://$v2")
              upd+=("$s"); upd_rss+=("$k"); b=$(sent_since "$mark"); upd_bytes+=("$b") ;;
      full)   read -r s k < <(measure "$sc" pull -q --tls-verify=false --root "$work/alone" "docker://$v2")
              full+=("$s"); full_rss+=("$k"); b=$(sent_since "$mark"); full_bytes+=("$b") ;;
      skopeo) read -r s k < <(measure skopeo copy -q --src-tls-verify=false "docker://$v2" "oci:$work/skopeo:v2")
              sk+=("$s"); b=$(sent_since "$mark"); sk_bytes+=("$b") ;;
    esac
    line="$line $what $s s $b B;"
  done
  echo "$line" >&2
done

# what the update needs at least: v2's changed files' frames (by its table), the table, the record, manifest, config
floor=$(python3 - "$reg" "$host" <<'PY'
import json, subprocess, sys
reg, host = sys.argv[1:3]
def raw(tag):
    return subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://%s/chunked/bench:%s" % (host, tag)],
                          check=True, capture_output=True).stdout
def blob(d):
    h = d.split(":", 1)[1]
    return open("%s/data/docker/registry/v2/blobs/sha256/%s/%s/data" % (reg, h[:2], h), "rb")
def toc(layer):
    a = layer["annotations"]
    off, ln = [int(x) for x in a["io.github.containers.zstd-chunked.manifest-position"].split(":")[:2]]
    with blob(layer["digest"]) as f:
        f.seek(off); z = f.read(ln)
    return json.loads(subprocess.run(["zstd", "-dc"], input=z, check=True, capture_output=True).stdout), ln
m1, m2 = json.loads(raw("v1")), json.loads(raw("v2"))
have = set()
for l in m1["layers"]:
    have |= {e["digest"] for e in toc(l)[0]["entries"] if e.get("digest")}
total = len(raw("v2")) + m2["config"]["size"]
for l1, l2 in zip(m1["layers"], m2["layers"]):
    if l1["digest"] == l2["digest"]:
        continue
    t, ln = toc(l2)
    split = int(l2["annotations"]["io.github.containers.zstd-chunked.tarsplit-position"].split(":")[1])
    total += ln + split
    seen = set()
    for e in t["entries"]:
        d = e.get("digest")
        if d and e.get("type") == "reg" and d not in have and d not in seen:
            seen.add(d); total += e["endOffset"] - e["offset"]
print(total)
PY
)
mu=$(median "${upd[@]}"); mf=$(median "${full[@]}"); ms=$(median "${sk[@]}")
bu=$(median "${upd_bytes[@]}"); bf=$(median "${full_bytes[@]}"); bs=$(median "${sk_bytes[@]}")
echo
echo "update v1 -> v2 of the bench image, zstd:chunked, $rounds rounds, medians:"
printf '  syscontainers pull v2 over v1 (partial)  %6.3f s  %10d bytes  %4d MB peak RSS\n' "$mu" "$bu" "$(mb "${upd_rss[@]}")"
printf '  syscontainers pull v2, empty store       %6.3f s  %10d bytes  %4d MB peak RSS\n' "$mf" "$bf" "$(mb "${full_rss[@]}")"
printf '  skopeo copy v2 (whole layers)            %6.3f s  %10d bytes\n' "$ms" "$bs"
printf '  at least needed (changed frames, table, record, manifest, config)  %d bytes\n' "$floor"
awk -v u="$bu" -v f="$floor" -v s="$bs" -v tu="$mu" -v tf="$mf" 'BEGIN {
  printf "  bytes: %.2fx the least needed (target <= 1.2), %.4fx skopeo'"'"'s (target <= 0.05)\n", u / f, u / s
  printf "  time: %.2fx a full pull of v2 (target <= 0.3)\n", tu / tf }'
echo "  podman: not run here (Debian 12's podman 4.3.1 pulled v2 whole when tried by hand: docs/performance.md)"
