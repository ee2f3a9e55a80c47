#!/usr/bin/env bash
# The whole-system benchmark of issue 8, side by side in one run, on a realistic image built here from Debian
# packages and served by a local docker-registry:
#   a. cold:  syscontainers pull + install  vs  skopeo copy + umoci unpack  vs  the OSTree way atomic used
#             (skopeo copy, ostree commit --tree=tar= per layer, ostree checkout -U --union --whiteouts); and
#             syscontainers install alone, which pulls in the same process;
#   b. warm:  syscontainers install of an image already stored (a whole process)  vs  ostree checkout -U;
#   c. a second image sharing the base layer: bytes of the base fetched again, objects added, disk growth
#      against the size of its unique files;
#   d. the same kind of image with 1x, 10x and 100x the files: how the time of a cold pull + install grows.
# Prints a table of medians, ratios per pair and peak RSS (/usr/bin/time -v).
#   bench/system.sh [ROUNDS] [D_MAX_FACTOR]     (defaults: 3 rounds, factors up to 100)
# Needs root, debootstrap, umoci, skopeo, ostree, docker-registry, python3; the first run debootstraps Debian
# bookworm (minbase + python3 + perl) from $DEBIAN_MIRROR into the work directory, a few minutes.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-3}
dmax=${2:-100}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}/system
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "bench/system.sh needs root (umoci unpack, bare repositories)" >&2; exit 1; }
for tool in debootstrap umoci skopeo ostree docker-registry python3 curl; do
  command -v "$tool" >/dev/null || { echo "bench/system.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$work"
sc="$top/syscontainers"
"$sc" --version >/dev/null   # builds the CLI and its class-data archive outside the timings

# --- the images -----------------------------------------------------------------------------------------------
layout="$work/layout"
if [ ! -f "$work/layout.done" ]; then
  rootfs="$work/debian"
  if [ ! -x "$rootfs/usr/bin/python3" ]; then
    rm -rf "$rootfs"
    debootstrap --variant=minbase --include=python3,perl bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1
  fi
  rm -rf "$layout" "$work/bundle"
  umoci init --layout "$layout"
  umoci new --image "$layout:base"
  umoci unpack --image "$layout:base" "$work/bundle"
  cp -a "$rootfs/." "$work/bundle/rootfs/"
  rm -rf "$work/bundle/rootfs/dev/"*   # device nodes: images carry none, the runtime makes /dev
  umoci repack --image "$layout:base" "$work/bundle"
  # v1: the base minus the documentation (whiteouts, an opaque-free delete of whole trees) plus an application
  rm -rf "$work/bundle"; umoci unpack --image "$layout:base" "$work/bundle"
  rm -rf "$work/bundle/rootfs/usr/share/doc" "$work/bundle/rootfs/usr/share/man" "$work/bundle/rootfs/var/cache/apt"
  mkdir -p "$work/bundle/rootfs/srv/app"
  cp -a "$rootfs/usr/lib/python3.11/email" "$rootfs/usr/lib/python3.11/json" "$work/bundle/rootfs/srv/app/"
  umoci repack --image "$layout:v1" "$work/bundle"
  # v2: the same base, another top layer (for c)
  rm -rf "$work/bundle"; umoci unpack --image "$layout:base" "$work/bundle"
  # files no other layer has (copies would be deduplicated by content and prove nothing): 400 of 1-64 KiB
  python3 - "$work/bundle/rootfs/srv/other" <<'PY'
import os, random, sys
r = random.Random(8)
os.makedirs(sys.argv[1])
for i in range(400):
    with open(os.path.join(sys.argv[1], 'data%03d.bin' % i), 'wb') as f:
        f.write(r.randbytes(1024 * r.randint(1, 64)))
PY
  umoci repack --image "$layout:v2" "$work/bundle"
  rm -rf "$work/bundle"; date +%s > "$emptied"   # (see settle in lib.sh)
  touch "$work/layout.done"
fi

# d: images of N small files in one layer, N = 6000 x factor
synthetic() { # synthetic FACTOR -> an OCI layout in $work/files-FACTOR
  local f=$1 dir="$work/files-$1"
  [ -f "$dir/index.json" ] && return 0
  rm -rf "$dir"; mkdir -p "$dir/blobs/sha256"
  python3 - "$dir" "$((6000 * f))" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
d, n = sys.argv[1], int(sys.argv[2])
tmp = os.path.join(d, 'layer.tmp')
raw = hashlib.sha256()
class Tee(io.RawIOBase):
    def __init__(self, f): self.f = f
    def writable(self): return True
    def write(self, b): raw.update(b); return self.f.write(b)
with open(tmp, 'wb') as out:
    gz = gzip.GzipFile(fileobj=out, mode='wb', compresslevel=6, mtime=0)
    with tarfile.open(fileobj=Tee(gz), mode='w|', format=tarfile.PAX_FORMAT) as t:
        for i in range(0, n, 500):
            di = tarfile.TarInfo('data/d%05d' % (i // 500)); di.type = tarfile.DIRTYPE; di.mode = 0o755
            t.addfile(di)
            for j in range(i, min(i + 500, n)):
                body = (('file %d\n' % j) * (1 + j % 40)).encode()
                fi = tarfile.TarInfo('data/d%05d/f%07d' % (i // 500, j)); fi.size = len(body); fi.mode = 0o644
                t.addfile(fi, io.BytesIO(body))
    gz.close()
def blob(data=None, path=None):
    h = hashlib.sha256()
    if path:
        with open(path, 'rb') as f:
            for c in iter(lambda: f.read(1 << 20), b''): h.update(c)
        size = os.path.getsize(path); os.rename(path, os.path.join(d, 'blobs/sha256', h.hexdigest()))
    else:
        h.update(data); size = len(data)
        open(os.path.join(d, 'blobs/sha256', h.hexdigest()), 'wb').write(data)
    return {'digest': 'sha256:' + h.hexdigest(), 'size': size}
layer = blob(path=tmp)
config = blob(json.dumps({'architecture': 'amd64', 'os': 'linux', 'config': {'Cmd': ['/bin/true']},
    'rootfs': {'type': 'layers', 'diff_ids': ['sha256:' + raw.hexdigest()]}}).encode())
manifest = blob(json.dumps({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
    'config': dict(config, mediaType='application/vnd.oci.image.config.v1+json'),
    'layers': [dict(layer, mediaType='application/vnd.oci.image.layer.v1.tar+gzip')]}).encode())
json.dump({'schemaVersion': 2, 'manifests': [dict(manifest, mediaType='application/vnd.oci.image.manifest.v1+json',
    annotations={'org.opencontainers.image.ref.name': '1'})]}, open(os.path.join(d, 'index.json'), 'w'))
open(os.path.join(d, 'oci-layout'), 'w').write('{"imageLayoutVersion":"1.0.0"}')
PY
}
factors=(1 10 100)
factors=($(for f in "${factors[@]}"; do if [ "$f" -le "$dmax" ]; then echo "$f"; fi; done))
for f in "${factors[@]}"; do synthetic "$f"; done

# --- the registry ---------------------------------------------------------------------------------------------
start_registry "$work/registry"
skopeo copy -q --dest-tls-verify=false "oci:$layout:v1" "docker://$host/bench/debian:v1"
skopeo copy -q --dest-tls-verify=false "oci:$layout:v2" "docker://$host/bench/debian:v2"
for f in "${factors[@]}"; do skopeo copy -q --dest-tls-verify=false "oci:$work/files-$f:1" "docker://$host/bench/files:$f"; done
ref="$host/bench/debian:v1"

# the image, as skopeo sees it: layers, files, bytes
mkdir -p "$work/probe"; skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/probe:1"
mdig=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"][7:])' "$work/probe/index.json")
layers=$(python3 -c 'import json,sys; print(" ".join(l["digest"][7:] for l in json.load(open(sys.argv[1]))["layers"]))' "$work/probe/blobs/sha256/$mdig")
nlayers=$(echo "$layers" | wc -w)
compressed=0; uncompressed=0; entries=0; whiteouts=0
for l in $layers; do
  compressed=$((compressed + $(stat -c %s "$work/probe/blobs/sha256/$l")))
  uncompressed=$((uncompressed + $(gzip -dc "$work/probe/blobs/sha256/$l" | wc -c)))
  entries=$((entries + $(tar tzf "$work/probe/blobs/sha256/$l" | wc -l)))
  whiteouts=$((whiteouts + $(tar tzf "$work/probe/blobs/sha256/$l" | grep -c '\.wh\.' || true)))
done
rm -rf "$work/probe"

ostree_way() { # REF DEST: skopeo to oci:, ostree commit per layer, then a union checkout with whiteouts
  local r=$1 d=$2
  skopeo copy -q --src-tls-verify=false "docker://$r" "oci:$d/oci:1"
  ostree init --repo="$d/repo" --mode=bare
  local m; m=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"][7:])' "$d/oci/index.json")
  for l in $(python3 -c 'import json,sys; print(" ".join(x["digest"][7:] for x in json.load(open(sys.argv[1]))["layers"]))' "$d/oci/blobs/sha256/$m"); do
    ostree commit --repo="$d/repo" -b "ociimage/$l" --tar-autocreate-parents --tree=tar="$d/oci/blobs/sha256/$l" >/dev/null
    ostree checkout --repo="$d/repo" -U --union --whiteouts "ociimage/$l" "$d/checkout"
  done
}
ostree_checkout() { # REPO DEST: the union checkout of every layer, as above, from a repository that has them
  local repo=$1 d=$2
  for l in $layers; do ostree checkout --repo="$repo" -U --union --whiteouts "ociimage/$l" "$d"; done
}
export -f ostree_way ostree_checkout; export layers

settle
clean() { discard "$work/r-ours" "$work/r-umoci" "$work/r-ostree" "$work/w-ostree"; mkdir -p "$work/r-umoci" "$work/r-ostree"; }
# cold: nothing in the page cache, not even the registry's blobs (the first tool of a round would read them from disk
# and leave them cached for the next)
cold() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
a_ours=(); a_umoci=(); a_ost=(); a_ours_rss=(); a_umoci_rss=(); a_ost_rss=(); b_ours=(); b_ost=(); b_ours_rss=()
a_one=(); a_one_rss=()
for i in $(seq "$rounds"); do
  clean
  cold
  read -r t1 r1 < <(measure "$sc" pull --tls-verify=false --root "$work/r-ours" "docker://$ref")
  read -r t2 r2 < <(measure "$sc" install --system --name bench --root "$work/r-ours" "$ref")
  a_ours+=("$(echo "$t1 + $t2" | bc)"); a_ours_rss+=("$(( r1 > r2 ? r1 : r2 ))")
  cold
  read -r t1 r1 < <(measure skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/r-umoci/oci:1")
  read -r t2 r2 < <(measure umoci unpack --image "$work/r-umoci/oci:1" "$work/r-umoci/bundle")
  a_umoci+=("$(echo "$t1 + $t2" | bc)"); a_umoci_rss+=("$(( r1 > r2 ? r1 : r2 ))")
  cold
  read -r t r < <(measure bash -c "ostree_way $ref $work/r-ostree")
  a_ost+=("$t"); a_ost_rss+=("$r")
  # b: warm, from the stores the cold round filled; each after a sync, so neither pays for the writeback of what
  # the runs before it wrote. First one untimed run of each: the page cache must hold both stores alike, and the
  # cold runs since a dropped ours but not the repository the OSTree way has just written (b read ours from disk)
  "$sc" install --system --name prewarm$i --root "$work/r-ours" "$ref" >/dev/null 2>&1
  ostree_checkout "$work/r-ostree/repo" "$work/w-prewarm"; discard "$work/w-prewarm"
  sync
  read -r t r < <(measure "$sc" install --system --name warm$i --root "$work/r-ours" "$ref")
  b_ours+=("$t"); b_ours_rss+=("$r")
  sync
  read -r t _ < <(measure bash -c "ostree_checkout $work/r-ostree/repo $work/w-ostree")
  b_ost+=("$t")
  # a, as one command: install pulls what is missing, in the same process (after b, whose stores it would
  # evict: page cache dropped again first)
  discard "$work/r-one"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  read -r t r < <(measure "$sc" install --system --name bench --tls-verify=false --root "$work/r-one" "docker://$ref")
  a_one+=("$t"); a_one_rss+=("$r"); discard "$work/r-one"
  echo "round $i: cold ${a_ours[-1]} / ${a_umoci[-1]} / ${a_ost[-1]} s, one command ${a_one[-1]} s;" \
    "warm ${b_ours[-1]} / ${b_ost[-1]} s" >&2
done

# c: the second image, sharing the base layer, into the store the last round left
repo="$work/r-ours/var/lib/containers/atomic/.storage/ostree"
objs() { find "$repo/objects" -type f | wc -l; }
before_objs=$(objs); before_disk=$(du -sb "$repo" | cut -f1)
base=$(echo "$layers" | cut -d' ' -f1)
before_gets=$(grep -c "GET /v2/bench/debian/blobs/sha256:$base" "$reg/log" || true)
"$sc" pull -q --tls-verify=false --root "$work/r-ours" "docker://$host/bench/debian:v2"
after_objs=$(objs); after_disk=$(du -sb "$repo" | cut -f1)
after_gets=$(grep -c "GET /v2/bench/debian/blobs/sha256:$base" "$reg/log" || true)
mkdir -p "$work/probe2"; skopeo copy -q --src-tls-verify=false "docker://$host/bench/debian:v2" "oci:$work/probe2:1"
m2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"][7:])' "$work/probe2/index.json")
top2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"][-1]["digest"][7:])' "$work/probe2/blobs/sha256/$m2")
unique=$(tar tvzf "$work/probe2/blobs/sha256/$top2" | awk '$1 ~ /^-/ {s += $3} END {print s + 0}')
unique_files=$(tar tvzf "$work/probe2/blobs/sha256/$top2" | grep -c '^-' || true)
rm -rf "$work/probe2"

# d: growth with the number of files
d_ours=(); d_ost=()
for f in "${factors[@]}"; do
  discard "$work/d-ours" "$work/d-ostree"; mkdir -p "$work/d-ostree"; sync
  read -r t1 _ < <(measure "$sc" pull --tls-verify=false --root "$work/d-ours" "docker://$host/bench/files:$f")
  read -r t2 _ < <(measure "$sc" install --system --name files --root "$work/d-ours" "$host/bench/files:$f")
  d_ours+=("$(echo "$t1 + $t2" | bc)")
  read -r t _ < <(measure bash -c "ostree_way $host/bench/files:$f $work/d-ostree")
  d_ost+=("$t")
  echo "d: ${f}x ($((6000 * f)) files): ${d_ours[-1]} / ${d_ost[-1]} s" >&2
done
discard "$work/d-ours" "$work/d-ostree"

# --- the table ------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ao=$(median "${a_ours[@]}"); au=$(median "${a_umoci[@]}"); ast=$(median "${a_ost[@]}"); a1=$(median "${a_one[@]}")
bo=$(median "${b_ours[@]}"); bst=$(median "${b_ost[@]}")
echo
echo "image $ref: $nlayers layers, $entries entries ($whiteouts whiteouts), $((compressed / 1048576)) MB gzip, $((uncompressed / 1048576)) MB uncompressed; $rounds rounds"
printf '%-58s %9s %12s\n' "" "median s" "peak RSS MB"
printf '%-58s %9s %12s\n' "a. cold: syscontainers pull + install" "$ao" "$(mb "${a_ours_rss[@]}")"
printf '%-58s %9s %12s\n' "a. cold: syscontainers install (pulls; one command)" "$a1" "$(mb "${a_one_rss[@]}")"
printf '%-58s %9s %12s\n' "a. cold: skopeo copy + umoci unpack" "$au" "$(mb "${a_umoci_rss[@]}")"
printf '%-58s %9s %12s\n' "a. cold: skopeo + ostree commit + ostree checkout -U" "$ast" "$(mb "${a_ost_rss[@]}")"
printf '%-58s %9s %12s\n' "b. warm: syscontainers install (whole process)" "$bo" "$(mb "${b_ours_rss[@]}")"
printf '%-58s %9s %12s\n' "b. warm: ostree checkout -U --union --whiteouts" "$bst" "-"
echo "ratio a syscontainers / skopeo+umoci:  $(ratio "$ao" "$au") (target <= 0.50)"
echo "ratio a syscontainers / OSTree way:    $(ratio "$ao" "$ast")"
echo "ratio a one command / skopeo+umoci:    $(ratio "$a1" "$au")"
echo "ratio b syscontainers / ostree checkout: $(ratio "$bo" "$bst") (target: whole process <= 1.0 s)"
echo "peak RSS of the cold pull + install: $(mb "${a_ours_rss[@]}") MB (target <= 150)"
echo "c. second image sharing the base: base layer fetched again $((after_gets - before_gets)) times (target 0);" \
  "objects added $((after_objs - before_objs)) for $unique_files unique files;" \
  "disk growth $((after_disk - before_disk)) bytes for $unique bytes of unique files = $(ratio "$((after_disk - before_disk))" "$unique") (target <= 1.05)"
printf 'd. %-10s %10s %14s %10s\n' "files" "ours s" "OSTree way s" "ours/1x"
for k in "${!factors[@]}"; do
  printf 'd. %-10s %10s %14s %10s\n' "$((6000 * factors[k]))" "${d_ours[k]}" "${d_ost[k]}" "$(ratio "${d_ours[k]}" "${d_ours[0]}")"
done
echo "(target: 100x the files in <= 110x the time)"
