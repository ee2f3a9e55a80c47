#!/usr/bin/env bash
# What signature verification adds to a warm pull (issue 28; target: at most 50 ms, median of 10): `pull` of the
# bench image that is already stored, from a local docker-registry, as a whole process, under three policies
# in alternating order each round:
#   accept    insecureAcceptAnything (nothing read, nothing verified)
#   gpg       signedBy GPGKeys: the simple-signing signature skopeo copy --sign-by wrote to a file:// lookaside
#   sigstore  sigstoreSigned: a cosign signature (our sign --sign-by-sigstore-private-key) in the same lookaside
# A warm pull fetches the manifest, finds the image stored, and still asks the policy (the policy of today decides
# on the image stored yesterday). Prints the medians and the median of each round's difference to accept.
#   bench/trust.sh [ROUNDS]     (default 10)
# Needs root, skopeo, gpg, docker-registry, and the bench image bench/system.sh builds (run it once first).
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$top/bench/lib.sh"
rounds=${1:-10}
work=${BENCH_DIR:-/var/tmp/syscontainers-bench}/trust
layout=${BENCH_DIR:-/var/tmp/syscontainers-bench}/system/layout
[ "$(id -u)" -eq 0 ] || { echo "bench/trust.sh needs root" >&2; exit 1; }
[ -f "$layout/index.json" ] || { echo "bench/trust.sh needs the bench image: run bench/system.sh 1 1 once first" >&2; exit 1; }
for tool in skopeo gpg docker-registry python3 curl; do
  command -v "$tool" >/dev/null || { echo "bench/trust.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
sc="$top/syscontainers"
"$sc" --version >/dev/null
rm -rf "$work"; mkdir -p "$work"
root="$work/root"; mkdir -p "$root/etc/containers/registries.d" "$root/var/lib/containers/sigstore"
export GNUPGHOME="$work/gnupg"; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Bench <bench@example.com>' ed25519 sign never 2>/dev/null
fpr=$(gpg --list-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')
gpg --batch --export "$fpr" > "$work/key.gpg"
printf 'correct horse\n' > "$work/pass"
"$sc" generate-sigstore-key --output-prefix "$work/cosign" --passphrase-file "$work/pass" >/dev/null

start_registry "$work/registry"
ref="$host/bench/debian:v1"
store="$root/var/lib/containers/sigstore"
printf 'default-docker:\n  lookaside: file:///var/lib/containers/sigstore\n  lookaside-staging: file://%s\n' "$store" \
  > "$work/push.yaml"; mkdir -p "$work/push.d"; mv "$work/push.yaml" "$work/push.d/default.yaml"
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$work/accept.json"
skopeo --policy "$work/accept.json" --registries.d "$work/push.d" copy -q --dest-tls-verify=false --sign-by "$fpr" \
  "oci:$layout:v1" "docker://$ref"
"$sc" sign --root "$root" --tls-verify=false --sign-by-sigstore-private-key "$work/cosign.private" \
  --passphrase-file "$work/pass" -d "$store" "docker://$ref" >/dev/null
printf 'default-docker:\n  lookaside: file:///var/lib/containers/sigstore\n' > "$root/etc/containers/registries.d/default.yaml"
cat > "$work/gpg.json" <<JSON
{"default":[{"type":"reject"}],"transports":{"docker":{"$host":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"$work/key.gpg"}]}}}
JSON
cat > "$work/sigstore.json" <<JSON
{"default":[{"type":"reject"}],"transports":{"docker":{"$host":[{"type":"sigstoreSigned","keyPath":"$work/cosign.pub"}]}}}
JSON
# keyPath is read under --root: give the keys there too
mkdir -p "$root$work"; cp "$work/key.gpg" "$work/cosign.pub" "$root$work/"

pull() { "$sc" pull --root "$root" --tls-verify=false --signature-policy "$work/$1.json" "docker://$ref"; }
pull gpg >/dev/null   # the cold pull, verified; the rounds are warm
for p in accept gpg sigstore; do pull "$p" >/dev/null; done   # and each policy once, outside the timings
declare -A t
d_gpg=(); d_sig=()
for i in $(seq "$rounds"); do
  order=(accept gpg sigstore)
  if [ $((i % 2)) -eq 0 ]; then order=(sigstore gpg accept); fi
  for p in "${order[@]}"; do read -r s _ < <(measure "$sc" pull --root "$root" --tls-verify=false \
      --signature-policy "$work/$p.json" "docker://$ref"); t[$p]+="$s "; eval "last_$p=$s"; done
  d_gpg+=("$(awk "BEGIN {print $last_gpg - $last_accept}")"); d_sig+=("$(awk "BEGIN {print $last_sigstore - $last_accept}")")
  echo "round $i: accept $last_accept s, gpg $last_gpg s, sigstore $last_sigstore s" >&2
done
ms() { awk "BEGIN {printf \"%.0f\", $1 * 1000}"; }
printf '\nwarm pull of %s, %s rounds (medians, whole process)\n' "$ref" "$rounds"
printf '  %-44s %8s ms\n' "insecureAcceptAnything" "$(ms "$(median ${t[accept]})")"
printf '  %-44s %8s ms\n' "signedBy (GPG, file lookaside)" "$(ms "$(median ${t[gpg]})")"
printf '  %-44s %8s ms\n' "sigstoreSigned (cosign key, file lookaside)" "$(ms "$(median ${t[sigstore]})")"
printf '  %-44s %8s ms\n' "added by signedBy (median of differences)" "$(ms "$(median "${d_gpg[@]}")")"
printf '  %-44s %8s ms\n' "added by sigstoreSigned (median of diffs)" "$(ms "$(median "${d_sig[@]}")")"
