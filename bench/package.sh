#!/usr/bin/env bash
# Issue 35: the start-up of the packaged CLI (its own jlinked runtime, the AOT cache or class-data archive its postinst
# trains) side by side with the checkout's launcher (./syscontainers: the system JDK and its class-data archives),
# alternating, ROUNDS each:
#   version   syscontainers --version
#   list      syscontainers images list (an empty store)
#   install   syscontainers install --system of the sample image (2 KB, examples/hello) from an oci-archive into a
#             fresh alternate root: a small image, where the JVM's start decides
#   registry  the same from a docker-registry on 127.0.0.1 (--tls-verify=false), as the issue's case
#   reg-2mb   the sample with 2 MiB of random bytes added (a 2 MB layer), from the same registry
# and the same for the package without its cache (what a host gets when postinst's training failed), and skopeo copy +
# umoci unpack of the same archive for the install. Prints medians and ratios; the package's installed size.
#   bench/package.sh [ROUNDS] [DEB]      (default 10 rounds; builds the package when no DEB is given)
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"   # median
rounds=${1:-10}
deb=${2:-}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}/package
rm -rf "$work" && mkdir -p "$work"
[ -n "$deb" ] || deb=$("$top/packaging/build-deb" | tail -1)
"$top/syscontainers" --version >/dev/null   # the checkout's jar and class-data archives, outside the timings
pkg=$work/pkg
dpkg-deb -x "$deb" "$pkg"
lib=$pkg/usr/lib/syscontainers
# postinst's training, for these paths (the cache records them)
sed -e "s|^lib=/usr/lib/syscontainers|lib=$lib|" -e 's|^if \[ "\$1" = configure \]|if true|' \
    <(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst) > "$work/postinst"
sh "$work/postinst" configure
cache=$(ls "$lib"/syscontainers.aot "$lib"/syscontainers.jsa 2>/dev/null | head -1 || true)
[ -n "$cache" ] || { echo "bench/package.sh: the training made no cache" >&2; exit 1; }
java -cp "$top/test-fixtures/target/test-fixtures-0.1.0-SNAPSHOT.jar:$top/cli/target/lib/*" \
    io.github.syscontainers.fixtures.SampleImage "$top/examples/hello" "$work/hello.tar" >/dev/null
accept=$work/policy.json
printf '{"default":[{"type":"insecureAcceptAnything"}]}' > "$accept"
# the 2 MB variant, and both in a local registry
cp -r "$top/examples/hello" "$work/hello-2mb"
head -c $((2 << 20)) /dev/urandom > "$work/hello-2mb/rootfs/noise"
java -cp "$top/test-fixtures/target/test-fixtures-0.1.0-SNAPSHOT.jar:$top/cli/target/lib/*" \
    io.github.syscontainers.fixtures.SampleImage "$work/hello-2mb" "$work/hello-2mb.tar" >/dev/null
start_registry "$work/registry"
skopeo --policy "$accept" copy -q --dest-tls-verify=false "oci-archive:$work/hello.tar" "docker://$host/hello:1"
skopeo --policy "$accept" copy -q --dest-tls-verify=false "oci-archive:$work/hello-2mb.tar" "docker://$host/hello-2mb:1"

t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
declare -A r
for i in $(seq 1 "$rounds"); do
  for who in checkout package nocache; do
    case $who in
      checkout) sc=("$top/syscontainers") ;;
      package) sc=("$pkg/usr/bin/syscontainers") ;;
      nocache) sc=("$pkg/usr/bin/syscontainers"); mv "$cache" "$cache.off" ;;
    esac
    root=$work/root-$who-$i
    r[$who-version]+=" $(t "${sc[@]}" --version)"
    r[$who-list]+=" $(t "${sc[@]}" images list --root "$root")"
    r[$who-install]+=" $(t "${sc[@]}" install --system --name hello --root "$root" "oci-archive:$work/hello.tar")"
    r[$who-registry]+=" $(t "${sc[@]}" install --system --name hello2 --root "$root" --tls-verify=false "docker://$host/hello:1")"
    r[$who-reg-2mb]+=" $(t "${sc[@]}" install --system --name hello3 --root "$root" --tls-verify=false "docker://$host/hello-2mb:1")"
    [ "$who" != nocache ] || mv "$cache.off" "$cache"
    rm -rf "$root"
  done
  o=$work/oci-$i
  r[peers-install]+=" $(t sh -c "skopeo --policy $accept copy -q oci-archive:$work/hello.tar oci:$o:hello && umoci unpack --image $o:hello $work/bundle-$i")"
  rm -rf "$o" "$work/bundle-$i"
  for img in hello hello-2mb; do
    r[peers-$img]+=" $(t sh -c "skopeo --policy $accept copy -q --src-tls-verify=false docker://$host/$img:1 oci:$o:$img && umoci unpack --image $o:$img $work/bundle-$i")"
    rm -rf "$o" "$work/bundle-$i"
  done
done
printf '%-9s %10s %10s %10s %10s   %s\n' "" checkout package "no cache" "skopeo+umoci" "package/checkout"
for what in version list install registry reg-2mb; do
  c=$(median ${r[checkout-$what]}); p=$(median ${r[package-$what]}); n=$(median ${r[nocache-$what]})
  peers=""
  case $what in
    install) peers="$(median ${r[peers-install]}) ms" ;;
    registry) peers="$(median ${r[peers-hello]}) ms" ;;
    reg-2mb) peers="$(median ${r[peers-hello-2mb]}) ms" ;;
  esac
  printf '%-9s %7s ms %7s ms %7s ms %12s   %.2f\n' "$what" "$c" "$p" "$n" "$peers" "$(echo "$p / $c" | bc -l)"
done
echo "medians of $rounds alternating rounds; the package: $(du -sh --exclude=DEBIAN "$pkg" | cut -f1) installed" \
  "($(du -sh "$lib/runtime" | cut -f1) runtime, $(du -sh "$lib/lib" | cut -f1) jars, $(du -sh "$lib/native" | cut -f1)" \
  "native), $(du -h "$deb" | cut -f1) .deb; cache $(du -h "$cache" | cut -f1) (${cache##*.})"
