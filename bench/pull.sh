#!/usr/bin/env bash
# Side by side, in one run: pulling a >= 90 MB image from a local docker-registry.
#   a. the blobs alone: syscontainers' registry client (bench FetchBlobs, into DIR/blobs/sha256) vs
#      `skopeo copy docker://REF oci:DIR`, the same bytes onto the same disk, each blob synced;
#   b. the whole pull into an OSTree repository: `syscontainers pull` vs the OSTree way atomic used
#      (`skopeo copy` to oci:, then `ostree commit --tree=tar=` of the layer);
#   c. a over TLS (the same storage served over HTTPS by a second docker-registry, self-signed certificate);
#   d. the whole pull over TLS as the launcher runs it (C1, the Corretto provider's AES-GCM) vs the JDK's own crypto
#      on C2 (-Dsyscontainers.crypto=false).
# Fresh destinations each round; in a and c the tool that goes first alternates from round to round. Prints
# medians, ratios and peak RSS.
#   bench/pull.sh [ROUNDS]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-5}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}
"$top/bench/import-layer.sh" 1 >/dev/null 2>&1 || true   # builds the layer and the jars
layer="$work/layer.tar.gz"
cp="$top/bench/target/bench-0.1.0-SNAPSHOT.jar:$top/bench/target/lib/*"
for tool in docker-registry skopeo ostree openssl; do
  command -v "$tool" >/dev/null || { echo "bench/pull.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done

# the image: the layer and a config, as an OCI layout, pushed by skopeo (which keeps the compressed blob as it is)
layout="$work/pull-layout"
if [ ! -f "$layout/index.json" ]; then
  rm -rf "$layout"; mkdir -p "$layout/blobs/sha256"
  ld=$(sha256sum "$layer" | cut -d' ' -f1); ls=$(stat -c %s "$layer")
  diff=$(gzip -dc "$layer" | sha256sum | cut -d' ' -f1)
  cp "$layer" "$layout/blobs/sha256/$ld"
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff" \
    > "$layout/config.json"
  cd_=$(sha256sum "$layout/config.json" | cut -d' ' -f1); cs=$(stat -c %s "$layout/config.json")
  mv "$layout/config.json" "$layout/blobs/sha256/$cd_"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$cd_" "$cs" "$ld" "$ls" > "$layout/manifest.json"
  md=$(sha256sum "$layout/manifest.json" | cut -d' ' -f1); ms=$(stat -c %s "$layout/manifest.json")
  mv "$layout/manifest.json" "$layout/blobs/sha256/$md"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
    "$md" "$ms" > "$layout/index.json"
fi

settle   # before anything is discarded: it empties a trash left by an earlier run
"$top/syscontainers" --version >/dev/null   # builds the CLI and its class-data archive outside the timings
start_registry "$work/pull-registry"
ref="$host/bench/big:1"
skopeo copy -q --dest-tls-verify=false "oci:$layout:1" "docker://$ref"
size=$(du -sh "$layer" | cut -f1)

# the same storage over TLS, from a second registry process
start_tls_registry "$work/pull-tls" "$reg/data"
tref="$tls_host/bench/big:1"

ostree_way() { # skopeo to oci:, then one ostree commit per layer: the bytes and work atomic's pull did
  skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/p-sk2:1"
  ostree init --repo="$work/p-ostree" --mode=bare
  for blob in $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(" ".join(l["digest"][7:] for l in m["layers"]))' \
      "$work/p-sk2/blobs/sha256/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"][7:])' "$work/p-sk2/index.json")"); do
    ostree commit --repo="$work/p-ostree" -b "ociimage/$blob" --tar-autocreate-parents --tree=tar="$work/p-sk2/blobs/sha256/$blob" >/dev/null
  done
}
export -f ostree_way; export work ref

# the JVM maps the classes a fetch loads from an application class-data-sharing archive, as the syscontainers
# launcher does for the CLI; one untimed fetch writes it
jsa="$work/fetch-blobs.jsa"; rm -f "$jsa"
java "${jvm_opts[@]}" -XX:ArchiveClassesAtExit="$jsa" -cp "$cp" io.github.syscontainers.bench.FetchBlobs "$ref" "$work/p-ours" >/dev/null 2>&1
discard "$work/p-ours"

a_ours=(); a_sk=(); a_ours_rss=(); a_sk_rss=(); b_ours=(); b_ost=(); b_ours_rss=()
a_fetch_ours() {
  read -r t r < <(measure java "${jvm_opts[@]}" -XX:SharedArchiveFile="$jsa" -cp "$cp" io.github.syscontainers.bench.FetchBlobs "$ref" "$work/p-ours")
  a_ours+=("$t"); a_ours_rss+=("$r")
}
a_fetch_skopeo() {
  read -r t r < <(measure skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/p-sk:1")
  a_sk+=("$t"); a_sk_rss+=("$r")
}
c_fetch_ours() {
  read -r t _ < <(measure java "${jvm_opts[@]}" -XX:SharedArchiveFile="$jsa" -cp "$cp" io.github.syscontainers.bench.FetchBlobs "$tref" "$work/p-ours")
  c_ours+=("$t")
}
c_fetch_skopeo() {
  read -r t _ < <(measure skopeo copy -q --src-tls-verify=false "docker://$tref" "oci:$work/p-sk:1")
  c_sk+=("$t")
}
c_ours=(); c_sk=(); d_ours=(); d_jdk=(); d_ours_rss=(); d_jdk_rss=()
for i in $(seq "$rounds"); do
  discard "$work/p-ours" "$work/p-sk" "$work/p-root" "$work/p-sk2" "$work/p-ostree"; sync
  # who goes first alternates: the first one runs right after the sync, the second right after the first exited
  if [ $((i % 2)) -eq 1 ]; then a_fetch_ours; a_fetch_skopeo; else a_fetch_skopeo; a_fetch_ours; fi
  read -r t r < <(measure "$top/syscontainers" pull --tls-verify=false --root "$work/p-root" "docker://$ref")
  b_ours+=("$t"); b_ours_rss+=("$r")
  read -r t r < <(measure bash -c ostree_way)
  b_ost+=("$t")
  discard "$work/p-ours" "$work/p-sk" "$work/p-root"; sync
  if [ $((i % 2)) -eq 1 ]; then c_fetch_ours; c_fetch_skopeo; else c_fetch_skopeo; c_fetch_ours; fi
  read -r t r < <(measure "$top/syscontainers" pull --tls-verify=false --root "$work/p-root" "docker://$tref")
  d_ours+=("$t"); d_ours_rss+=("$r")
  discard "$work/p-root"; sync
  read -r t r < <(measure env SYSCONTAINERS_JAVA_OPTS=-Dsyscontainers.crypto=false "$top/syscontainers" pull --tls-verify=false --root "$work/p-root" "docker://$tref")
  d_jdk+=("$t"); d_jdk_rss+=("$r")
  echo "round $i: blobs ${a_ours[-1]} vs skopeo ${a_sk[-1]} s; pull ${b_ours[-1]} vs skopeo+ostree ${b_ost[-1]} s;" \
    "over TLS: blobs ${c_ours[-1]} vs skopeo ${c_sk[-1]} s, pull ${d_ours[-1]} vs JDK crypto ${d_jdk[-1]} s" >&2
done
ao=$(median "${a_ours[@]}"); as=$(median "${a_sk[@]}"); bo=$(median "${b_ours[@]}"); bs=$(median "${b_ost[@]}")
co=$(median "${c_ours[@]}"); cs=$(median "${c_sk[@]}"); do_=$(median "${d_ours[@]}"); dj=$(median "${d_jdk[@]}")
echo
echo "image: one $size gzip layer and a config, from docker-registry on 127.0.0.1; $rounds rounds"
printf '%-52s %10s %14s\n' "" "median s" "peak RSS MB"
printf '%-52s %10s %14s\n' "a. syscontainers registry client, blobs to disk" "$ao" "$(mb "${a_ours_rss[@]}")"
printf '%-52s %10s %14s\n' "a. skopeo copy docker:// oci:" "$as" "$(mb "${a_sk_rss[@]}")"
printf '%-52s %10s %14s\n' "b. syscontainers pull (into OSTree)" "$bo" "$(mb "${b_ours_rss[@]}")"
printf '%-52s %10s %14s\n' "b. skopeo copy + ostree commit --tree=tar=" "$bs" "-"
awk -v a="$ao" -v b="$as" 'BEGIN { printf "ratio a (blobs) syscontainers/skopeo: %.2f (target <= 1.00)\n", a/b }'
ra=(); for j in "${!a_ours[@]}"; do ra+=("$(awk -v a="${a_ours[$j]}" -v b="${a_sk[$j]}" 'BEGIN { printf "%.2f", a/b }')"); done
echo "ratio a in each round: ${ra[*]} (their median $(median "${ra[@]}"))"
awk -v a="$bo" -v b="$bs" 'BEGIN { printf "ratio b (pull)  syscontainers/skopeo+ostree: %.2f\n", a/b }'
printf '%-52s %10s %14s\n' "c. over TLS: syscontainers client, blobs to disk" "$co" "-"
printf '%-52s %10s %14s\n' "c. over TLS: skopeo copy docker:// oci:" "$cs" "-"
printf '%-52s %10s %14s\n' "d. over TLS: syscontainers pull (C1, Corretto)" "$do_" "$(mb "${d_ours_rss[@]}")"
printf '%-52s %10s %14s\n' "d. over TLS: the same, JDK crypto on C2" "$dj" "$(mb "${d_jdk_rss[@]}")"
awk -v a="$co" -v b="$cs" 'BEGIN { printf "ratio c (blobs over TLS) syscontainers/skopeo: %.2f\n", a/b }'
awk -v a="$do_" -v b="$dj" 'BEGIN { printf "ratio d (pull over TLS) Corretto on C1 / JDK crypto on C2: %.2f\n", a/b }'
