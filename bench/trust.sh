#!/usr/bin/env bash
# What signature verification adds to a warm pull (issue 28; target: at most 50 ms, median of 10): `pull` of the
# bench image that is already stored, from a local docker-registry, as a whole process, under three policies
# in alternating order each round:
#   accept    insecureAcceptAnything (nothing read, nothing verified)
#   gpg       signedBy GPGKeys: the simple-signing signature skopeo copy --sign-by wrote to a file:// lookaside
#   sigstore  sigstoreSigned: a cosign signature (our sign --sign-by-sigstore-private-key) in the same lookaside
#   keyless   sigstoreSigned with fulcio and a Rekor key: a Sigstore bundle (test-fixtures' KeylessSigner, a test
#             Fulcio and Rekor) found through the referrers fallback tag, certificate chain and SET checked offline
# A warm pull fetches the manifest, finds the image stored, and still asks the policy (the policy of today decides
# on the image stored yesterday). Prints the medians and the median of each round's difference to accept.
#   bench/trust.sh [ROUNDS]     (default 10)
# Needs root, skopeo, gpg, docker-registry, and the bench image bench/system.sh builds (run it once first).
# Targets (issues 28, 29): signedBy and sigstoreSigned add at most 50 ms, keyless at most 100 ms.
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
# the keyless pulls alone read attachments and referrers: their own registries.d
mkdir -p "$work/keyless.d"
printf 'default-docker:\n  lookaside: file:///var/lib/containers/sigstore\n  use-sigstore-attachments: true\n' \
  > "$work/keyless.d/default.yaml"
# keyless: a bundle by a test Sigstore, pushed as a referrer; its trust root installed as trust add would
fixtures_cp=$(cd "$top" && mvn -q -o -B -pl test-fixtures dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
java -cp "$top/test-fixtures/target/test-fixtures-0.1.0-SNAPSHOT.jar:$fixtures_cp" \
  io.github.syscontainers.fixtures.KeylessSigner "$host" bench/debian v1 "$work" >/dev/null
"$sc" trust add --root "$work/keyless-root" --type sigstoreSigned --trusted-root "$work/trusted_root.json" \
  --oidc-issuer https://oidc.example.com --subject-email release@example.com "$host" >/dev/null
cp "$work/keyless-root/etc/containers/policy.json" "$work/keyless.json"
cat > "$work/gpg.json" <<JSON
{"default":[{"type":"reject"}],"transports":{"docker":{"$host":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"$work/key.gpg"}]}}}
JSON
cat > "$work/sigstore.json" <<JSON
{"default":[{"type":"reject"}],"transports":{"docker":{"$host":[{"type":"sigstoreSigned","keyPath":"$work/cosign.pub"}]}}}
JSON
# keyPath is read under --root: give the keys there too
mkdir -p "$root$work"; cp "$work/key.gpg" "$work/cosign.pub" "$root$work/"

# pull POLICY -> the command line of a warm pull under that policy
pull_cmd() {
  local extra=(); if [ "$1" = keyless ]; then extra=(--registries.d "$work/keyless.d"); fi
  echo "$sc" pull --root "$root" --tls-verify=false --signature-policy "$work/$1.json" "${extra[@]}" "docker://$ref"
}
pull() { $(pull_cmd "$1"); }
pull gpg >/dev/null   # the cold pull, verified; the rounds are warm
for p in accept gpg sigstore keyless; do pull "$p" >/dev/null; done   # and each policy once, outside the timings
declare -A t
d_gpg=(); d_sig=(); d_kl=()
for i in $(seq "$rounds"); do
  order=(accept gpg sigstore keyless)
  if [ $((i % 2)) -eq 0 ]; then order=(keyless sigstore gpg accept); fi
  for p in "${order[@]}"; do read -r s _ < <(measure $(pull_cmd "$p")); t[$p]+="$s "; eval "last_$p=$s"; done
  d_gpg+=("$(awk "BEGIN {print $last_gpg - $last_accept}")"); d_sig+=("$(awk "BEGIN {print $last_sigstore - $last_accept}")")
  d_kl+=("$(awk "BEGIN {print $last_keyless - $last_accept}")")
  echo "round $i: accept $last_accept s, gpg $last_gpg s, sigstore $last_sigstore s, keyless $last_keyless s" >&2
done
ms() { awk "BEGIN {printf \"%.0f\", $1 * 1000}"; }
printf '\nwarm pull of %s, %s rounds (medians, whole process)\n' "$ref" "$rounds"
printf '  %-44s %8s ms\n' "insecureAcceptAnything" "$(ms "$(median ${t[accept]})")"
printf '  %-44s %8s ms\n' "signedBy (GPG, file lookaside)" "$(ms "$(median ${t[gpg]})")"
printf '  %-44s %8s ms\n' "sigstoreSigned (cosign key, file lookaside)" "$(ms "$(median ${t[sigstore]})")"
printf '  %-44s %8s ms\n' "sigstoreSigned keyless (bundle, referrers)" "$(ms "$(median ${t[keyless]})")"
printf '  %-44s %8s ms\n' "added by signedBy (median of differences)" "$(ms "$(median "${d_gpg[@]}")")"
printf '  %-44s %8s ms\n' "added by sigstoreSigned (median of diffs)" "$(ms "$(median "${d_sig[@]}")")"
printf '  %-44s %8s ms\n' "added by keyless (median of differences)" "$(ms "$(median "${d_kl[@]}")")"
