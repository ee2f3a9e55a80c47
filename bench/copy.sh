#!/usr/bin/env bash
# copy against skopeo copy (issue 31), side by side: the bench image of bench/system.sh (run that once first) from a
# docker-registry on 127.0.0.1 to an oci-archive, `syscontainers copy` and `skopeo copy` in alternating order, the
# page cache dropped before each run; medians of time and peak RSS, and their ratio. Then the size of the tar-split
# records a pull keeps (keep-tar-split=true) for the image, against its uncompressed layers, and how long `save`
# takes to rebuild them into a docker-archive.
#   bench/copy.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-10}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}/copy
layout=${BENCH_DIR:-/var/tmp/syscontainers-bench}/system/layout
[ "$(id -u)" -eq 0 ] || { echo "bench/copy.sh needs root (drop_caches)" >&2; exit 1; }
[ -f "$layout/index.json" ] || { echo "bench/copy.sh needs the bench image: run bench/system.sh once" >&2; exit 1; }
for tool in docker-registry skopeo ostree curl; do
  command -v "$tool" >/dev/null || { echo "bench/copy.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$work"
sc="$top/syscontainers"
"$sc" --version >/dev/null
settle
start_registry "$work/registry"
ref="$host/bench/debian:v1"
skopeo copy -q --dest-tls-verify=false "oci:$layout:v1" "docker://$ref"

declare -A times rss
run() { # TOOL -> "seconds rss_kb" of one copy to a fresh archive
  local out="$work/out-$1.tar"
  rm -f "$out"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  case $1 in
    ours) measure "$sc" copy -q --src-tls-verify=false "docker://$ref" "oci-archive:$out:bench" ;;
    skopeo) measure skopeo copy -q --src-tls-verify=false "docker://$ref" "oci-archive:$out:bench" ;;
  esac
}
for i in $(seq "$rounds"); do
  order=(ours skopeo); [ $((i % 2)) -eq 0 ] && order=(skopeo ours)
  line="round $i:"
  for t in "${order[@]}"; do
    read -r s k < <(run "$t")
    times[$t]="${times[$t]:-} $s"; rss[$t]="${rss[$t]:-} $k"
    line="$line $t $s s $((k / 1024)) MB;"
  done
  echo "$line" >&2
done
cmp -s <(tar -xOf "$work/out-ours.tar" index.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["manifests"][0]["digest"])') \
       <(tar -xOf "$work/out-skopeo.tar" index.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["manifests"][0]["digest"])') \
  && same="the same manifest digest" || same="DIFFERENT manifest digests"
# shellcheck disable=SC2086
to=$(median ${times[ours]}); ts=$(median ${times[skopeo]})
echo
echo "copy docker://bench/debian:v1 -> oci-archive ($(du -sh "$work/out-ours.tar" | cut -f1)), $rounds rounds, medians ($same):"
# shellcheck disable=SC2086
printf '  syscontainers copy  %6.3f s  %4d MB peak RSS\n  skopeo copy         %6.3f s  %4d MB peak RSS\n' \
  "$to" "$(mb ${rss[ours]})" "$ts" "$(mb ${rss[skopeo]})"
awk -v a="$to" -v b="$ts" 'BEGIN { printf "  ratio %.2f (target <= 1.0)\n", a / b }'

# the records a pull keeps, and a save that rebuilds the layers from them
root="$work/root"; discard "$root"
"$sc" pull -q --tls-verify=false --root "$root" "docker://$host/bench/debian:v1" >/dev/null   # makes the repository
repo="$root/var/lib/containers/atomic/.storage/ostree"
printf '\n[syscontainers]\nkeep-tar-split=true\n' >> "$repo/config"
"$sc" -y images delete --root "$root" "$host/bench/debian:v1" >/dev/null
"$sc" images prune --root "$root" >/dev/null
"$sc" pull -q --tls-verify=false --root "$root" "docker://$host/bench/debian:v1" >/dev/null
record=0; uncompressed=0
for r in $(ostree --repo="$repo" refs | grep -E '^ociimage/[0-9a-f]{64}$'); do
  b64=$(ostree --repo="$repo" show --print-metadata-key=tarsplit.output "$r" 2>/dev/null | tr -d "'\n" || true)
  file="$repo/extensions/syscontainers/tar-split/sha256/${r#ociimage/}"   # a record over tar-split-inline-max
  if [ -n "$b64" ]; then
    record=$((record + $(printf '%s' "$b64" | base64 -d | wc -c)))
  elif [ -f "$file" ]; then
    record=$((record + $(stat -c %s "$file")))
  else
    continue
  fi
  uncompressed=$((uncompressed + $(ostree --repo="$repo" show --print-metadata-key=docker.uncompressed_size "$r" | tr -d "'")))
done
awk -v r="$record" -v u="$uncompressed" 'BEGIN { printf "tar-split records: %d bytes for %d bytes of uncompressed layers: %.2f %% (target <= 3 %%)\n", r, u, 100 * r / u }'
saves=()
for i in $(seq 3); do
  rm -f "$work/saved.tar"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  read -r s _ < <(measure "$sc" save -q --root "$root" -o "$work/saved.tar" "$host/bench/debian:v1")
  saves+=("$s")
done
echo "save to a docker-archive, layers rebuilt from the records: $(median "${saves[@]}") s (median of 3)"
