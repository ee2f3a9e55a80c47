# Shared by the bench/*.sh scripts (sourced, not run).

# measure COMMAND...  -> prints "SECONDS PEAK_RSS_KB" of one run, from /usr/bin/time -v; stops the script on failure
measure() {
  local out; out=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$out" || { cat "$out" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$out" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$out")
  rm -f "$out"
  echo "$wall $rss"
}

# The JVM options the syscontainers launcher gives the CLI: serial GC, a small initial and bounded heap (on transparent
# huge pages where the kernel gives them on request), and C1 alone on one compiler thread when the Corretto crypto
# provider's AWS-LC is there (the CLI hashes and decrypts TLS with it), loaded from where the build unpacked it, so
# the bench classes run as the CLI runs.
jvm_opts=(-XX:+UseSerialGC -Xms16m -Xmx256m)
case $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true) in
  *"[always]"*|*"[madvise]"*) jvm_opts+=(-XX:+UseTransparentHugePages) ;;   # the heap on huge pages, as the launcher
esac
if [ "$(uname -m)" = x86_64 ] && [ -f "$top/cli/target/native/libamazonCorrettoCryptoProvider.so" ]; then
  jvm_opts+=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Dcom.amazon.corretto.crypto.provider.useExternalLib=true
    -Djava.library.path="$top/cli/target/native")
fi
# the JDK's own locale data before Java 21, as the CLI's Main chooses (see cli's LocaleData)
if [ "$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')" -lt 21 ]; then
  jvm_opts+=(-Djava.locale.providers=COMPAT)
fi
# and JNA's native part as the launcher unpacked it (run ./syscontainers once), with the library directories
if [ -f "$top/cli/target/jna/libjnidispatch.so" ]; then
  jvm_opts+=(-Djna.boot.library.path="$top/cli/target/jna"
    -Djna.platform.library.path="/usr/lib/$(uname -m)-linux-gnu:/lib/$(uname -m)-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib")
fi

# discard PATH...  -> moves trees from an earlier round out of the way; they are deleted when the script ends (see
# settle). Creating files soon after deleting thousands is slow on ext4 without a journal (this bench machine's
# disk): its inode allocator skips every inode freed in the last 60 seconds, or 300 if its inode-table block is
# dirty again, reading each one (a profile showed 1.4-2 s of CPU in open(O_TMPFILE) for an import that followed
# the deletion of the previous round's repositories, even a minute later). A host does not delete an image's worth
# of files before each import, so no round measures that.
discard() {
  local d
  mkdir -p "$work/.trash"
  for d in "$@"; do if [ -e "$d" ]; then mv "$d" "$work/.trash/$(date +%s%N)"; fi; done
}
emptied=/var/tmp/.syscontainers-bench-emptied   # when a bench script last deleted its trash
# settle  -> empties a trash an interrupted run left and waits out the allocator's memory of it; to be called once,
# before the first round; empties the trash when the script ends
settle() {
  if [ -d "$work/.trash" ]; then rm -rf "$work/.trash"; sync; date +%s > "$emptied"; fi
  local wait=$(( $(cat "$emptied" 2>/dev/null || echo 0) + 300 - $(date +%s) ))
  if [ "$wait" -gt 0 ]; then echo "waiting $wait s: files were deleted on this disk in the last 5 minutes (see discard in bench/lib.sh)" >&2; sleep "$wait"; fi
  # BENCH_KEEP=1 leaves the trash for the next script's rounds to run first (a script run after this one waits
  # no five minutes); the next run of this script, or rm -rf, deletes it
  if [ -z "${BENCH_KEEP:-}" ]; then at_exit 'rm -rf "$work/.trash"; date +%s > "$emptied"'; fi
}
# at_exit COMMAND  -> runs COMMAND when the script ends (after the ones given later)
at_exit_cmds=()
at_exit() { at_exit_cmds=("$1" "${at_exit_cmds[@]}"); trap 'for c in "${at_exit_cmds[@]}"; do eval "$c"; done' EXIT; }

# median NUMBER...  -> the median
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# mb KB...  -> the median of peak RSS figures (kB, as measure gives them) in MB
mb() { echo $(( $(median "$@" | cut -d. -f1) / 1024 )); }

# start_registry DIR  -> starts a fresh docker-registry (access log on) with its storage in DIR on a free-ish port of
# 127.0.0.1, waits until it answers, stops it when the script exits; sets host (127.0.0.1:PORT) and reg (DIR)
start_registry() {
  reg=$1
  local port=$((20000 + RANDOM % 20000))
  rm -rf "$reg"; mkdir -p "$reg/data"
  printf 'version: 0.1\nlog:\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$reg/data" "$port" > "$reg/config.yml"
  docker-registry serve "$reg/config.yml" >"$reg/log" 2>&1 &
  regpid=$!
  at_exit 'kill $regpid 2>/dev/null || true'
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  host="127.0.0.1:$port"
}

# start_tls_registry DIR STORAGE  -> serves STORAGE (a registry's storage directory) over HTTPS, with a self-signed
# certificate for 127.0.0.1 made in DIR, on a free-ish port; waits until it answers, stops it when the script exits;
# sets tls_host (127.0.0.1:PORT)
start_tls_registry() {
  local dir=$1 storage=$2 port=$((20000 + RANDOM % 20000))
  rm -rf "$dir"; mkdir -p "$dir" "$storage"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n  tls:\n    certificate: %s\n    key: %s\n' \
    "$storage" "$port" "$dir/cert.pem" "$dir/key.pem" > "$dir/config.yml"
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  tlspid=$!
  at_exit 'kill $tlspid 2>/dev/null || true'
  for _ in $(seq 50); do curl -kfs "https://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  tls_host="127.0.0.1:$port"
}
