#!/usr/bin/env bash
# Which SHA-256 and AES-GCM the CLI runs with (issue 30), side by side in one run: a cold `syscontainers pull` of the
# bench image of bench/system.sh (run that once first), over TLS from a docker-registry with a self-signed
# certificate and from an oci-archive file, with
#   corretto  the launcher as it is: the Amazon Corretto Crypto Provider, C1 alone;
#   jdk-c2    -Dsyscontainers.crypto=false: the JDK's SunJCE and SUN (the pure-Java twins), C2 kept;
#   jdk-c1    the same on C1 alone, as the launcher would run a verb that hashes little;
# and, when OTHER=PATH/TO/syscontainers names another checkout's launcher, that one as "other" (e.g. the checkout
# before the change, with its OpenSSL libcrypto provider). The order of the configurations rotates from round to
# round; the page cache is dropped before each run. Prints medians and ratios to corretto.
#   bench/crypto.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-10}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}/crypto
layout=${BENCH_DIR:-/var/tmp/syscontainers-bench}/system/layout
[ "$(id -u)" -eq 0 ] || { echo "bench/crypto.sh needs root (drop_caches)" >&2; exit 1; }
[ -f "$layout/index.json" ] || { echo "bench/crypto.sh needs the bench image: run bench/system.sh once" >&2; exit 1; }
for tool in docker-registry skopeo openssl curl; do
  command -v "$tool" >/dev/null || { echo "bench/crypto.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$work"
sc="$top/syscontainers"
"$sc" --version >/dev/null
[ -z "${OTHER:-}" ] || "$OTHER" --version >/dev/null

archive="$work/bench.tar"
[ -f "$archive" ] || skopeo copy -q "oci:$layout:v1" "oci-archive:$archive:bench"
settle
# the registry, over TLS
start_tls_registry "$work/registry" "$work/registry/data"
ref="$tls_host/bench/debian:v1"
skopeo copy -q --dest-tls-verify=false "oci:$layout:v1" "docker://$ref"

configs=(corretto jdk-c2 jdk-c1)
[ -z "${OTHER:-}" ] || configs+=(other)
run() { # CONFIG SOURCE -> seconds of a cold pull
  local c=$1 src=$2 launcher=$sc opts=""
  case $c in
    jdk-c2) opts="-Dsyscontainers.crypto=false" ;;
    jdk-c1) opts="-Dsyscontainers.crypto=false -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1" ;;
    other) launcher=$OTHER ;;
  esac
  discard "$work/root"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  local t
  read -r t _ < <(measure env SYSCONTAINERS_JAVA_OPTS="$opts" "$launcher" pull -q --tls-verify=false --root "$work/root" "$src")
  echo "$t"
}
declare -A times
for i in $(seq "$rounds"); do
  line="round $i:"
  for k in "${!configs[@]}"; do
    c=${configs[$(( (k + i) % ${#configs[@]} ))]}
    for src in "docker://$ref" "oci-archive:$archive:bench"; do
      t=$(run "$c" "$src")
      key="$c ${src%%:*}"
      times[$key]="${times[$key]:-} $t"
      line="$line $key $t;"
    done
  done
  echo "$line" >&2
done
echo
echo "cold pull of the bench image ($(du -sh "$archive" | cut -f1) as an archive), $rounds rounds, medians:"
printf '%-12s %14s %14s\n' "" "over TLS s" "oci-archive s"
for c in "${configs[@]}"; do
  # shellcheck disable=SC2086
  printf '%-12s %14s %14s\n' "$c" "$(median ${times["$c docker"]})" "$(median ${times["$c oci-archive"]})"
done
for c in "${configs[@]}"; do
  [ "$c" = corretto ] && continue
  # shellcheck disable=SC2086
  awk -v c="$c" -v a="$(median ${times["corretto docker"]})" -v b="$(median ${times["$c docker"]})" \
      -v x="$(median ${times["corretto oci-archive"]})" -v y="$(median ${times["$c oci-archive"]})" \
      'BEGIN { printf "ratio corretto / %s: %.2f over TLS, %.2f from the archive\n", c, a / b, x / y }'
done
