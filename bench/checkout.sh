#!/usr/bin/env bash
# Side by side, in one run: checking out a >= 6,000-file, >= 200 MB commit with hard links, syscontainers vs
# `ostree checkout -U` of the same commit of the same bare-user repository, on the same filesystem.
# Reports the checkout operation inside a warmed JVM, and whole processes.
#   bench/checkout.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-5}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}
layer="$work/layer.tar.gz"
if [ ! -f "$layer" ]; then "$top/bench/import-layer.sh" 1 bare-user >/dev/null 2>&1 || true; fi   # makes the layer
(cd "$top" && mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl bench -am) >&2
cp="$top/bench/target/bench-0.1.0-SNAPSHOT.jar:$top/bench/target/lib/*"
repo="$work/checkout-repo"
if [ ! -f "$repo/refs/heads/layer" ]; then
  rm -rf "$repo"
  ostree init --repo="$repo" --mode=bare-user
  ostree commit --repo="$repo" -b layer --tar-autocreate-parents --tree=tar="$layer" >/dev/null
fi
files=$(ostree ls -R --repo="$repo" layer | grep -c '^-' || true)
size=$(du -sh "$repo/objects" | cut -f1)

jvm=()
while read -r line; do jvm+=("${line#checkout_ms=}"); done < <(java "${jvm_opts[@]}" -cp "$cp" \
  io.github.syscontainers.bench.CheckoutCommit "$repo" layer "$work/co-jvm" "$rounds" 2 | grep checkout_ms)

wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
theirs=(); whole=()
for i in $(seq "$rounds"); do
  rm -rf "$work/co-ostree" "$work/co-ours"
  theirs+=("$(wall ostree checkout -U --repo="$repo" layer "$work/co-ostree")")
  whole+=("$(wall java "${jvm_opts[@]}" -cp "$cp" io.github.syscontainers.bench.CheckoutCommit "$repo" layer "$work/co-ours" 0 0)")
done
rm -rf "$work/co-ostree" "$work/co-ours"
mj=$(median "${jvm[@]}"); mt=$(median "${theirs[@]}"); mw=$(median "${whole[@]}")
echo "commit: $files files, $size of objects; bare-user repository; $rounds rounds"
printf '%-44s %10s\n' "" "median s"
printf '%-44s %10.3f\n' "syscontainers checkout (in JVM, warmed)" "$(echo "$mj / 1000" | bc -l)"
printf '%-44s %10.3f\n' "syscontainers checkout (whole process)" "$mw"
printf '%-44s %10.3f\n' "ostree checkout -U" "$mt"
awk -v a="$mj" -v b="$mt" 'BEGIN { printf "ratio in-JVM/ostree: %.2f (target <= 1.00)\n", a/1000/b }'
awk -v a="$mw" -v b="$mt" 'BEGIN { printf "ratio whole process/ostree: %.2f\n", a/b }'
