#!/usr/bin/env bash
# Side by side, in one run: importing one gzip layer into an OSTree repository with syscontainers vs
# `ostree commit --tree=tar=FILE` into a repository of the same mode. Fresh repositories each round, none deleted
# until the end (see discard in lib.sh), the order alternating from round to round, page cache warm for both.
# Prints medians, the ratio and peak RSS.
#   bench/import-layer.sh [ROUNDS] [MODE]      (defaults: 5, bare as root / bare-user otherwise)
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-5}
mode=${2:-$([ "$(id -u)" -eq 0 ] && echo bare || echo bare-user)}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}
mkdir -p "$work"
layer="$work/layer.tar.gz"
if [ ! -f "$layer" ]; then
  # a realistic layer from the host's own Debian packages: >= 90 MB compressed, >= 5,000 files
  tar -C / -cf - usr/lib/python3.11 usr/share/perl usr/share/vim usr/lib/x86_64-linux-gnu/perl usr/share/i18n \
      usr/lib/jvm/java-17-openjdk-amd64/lib usr/share/locale 2>/dev/null | gzip -6 > "$layer.tmp"
  mv "$layer.tmp" "$layer"
fi
files=$(tar tzf "$layer" | wc -l)
(cd "$top" && mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl bench -am) >&2
cp="$top/bench/target/bench-0.1.0-SNAPSHOT.jar:$top/bench/target/lib/*"


settle
# the JVM maps the classes an import loads from an application class-data-sharing archive, as the syscontainers
# launcher does for the CLI (without it, loading and verifying them from the jars took ~0.18 s of the main thread's
# CPU, before the first entry); one untimed import writes it
jsa="$work/import-layer.jsa"; rm -f "$jsa"
discard "$work/ours"
java "${jvm_opts[@]}" -XX:ArchiveClassesAtExit="$jsa" -cp "$cp" io.github.syscontainers.bench.ImportLayer "$work/ours" "$mode" "$layer" >/dev/null 2>&1
ours=(); theirs=(); ours_rss=(); theirs_rss=()
run_ours() {
  read -r t r < <(measure java "${jvm_opts[@]}" -XX:SharedArchiveFile="$jsa" -cp "$cp" io.github.syscontainers.bench.ImportLayer "$work/ours" "$mode" "$layer")
  ours+=("$t"); ours_rss+=("$r")
}
run_theirs() {
  ostree init --repo="$work/theirs" --mode="$mode"
  read -r t r < <(measure ostree commit --repo="$work/theirs" -b layer --tar-autocreate-parents --tree=tar="$layer")
  theirs+=("$t"); theirs_rss+=("$r")
}
for i in $(seq "$rounds"); do
  discard "$work/ours" "$work/theirs"; sync
  # who goes first alternates: the second run of a round finds the first one's pages in the cache
  if [ $((i % 2)) -eq 1 ]; then run_ours; run_theirs; else run_theirs; run_ours; fi
  echo "round $i: syscontainers ${ours[-1]} s, ostree ${theirs[-1]} s" >&2
done
mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
echo
echo "layer: $(du -h "$layer" | cut -f1) gzip, $files entries; repository mode $mode; $rounds rounds"
printf '%-28s %10s %14s\n' "" "median s" "peak RSS MB"
printf '%-28s %10s %14s\n' "syscontainers import" "$mo" "$(mb "${ours_rss[@]}")"
printf '%-28s %10s %14s\n' "ostree commit --tree=tar=" "$mt" "$(mb "${theirs_rss[@]}")"
awk -v a="$mo" -v b="$mt" 'BEGIN { printf "ratio syscontainers/ostree: %.2f (target <= 0.50)\n", a/b }'
