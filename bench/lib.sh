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

# The JVM options the syscontainers launcher gives the CLI: serial GC, a small initial and bounded heap, and C1 alone
# when OpenSSL's libcrypto is there (the CLI hashes and decrypts TLS with it), so the bench classes run as the CLI runs.
jvm_opts=(-XX:+UseSerialGC -Xms16m -Xmx256m)
case $({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null || true) in
  *"libcrypto.so.3 "*|*"libcrypto.so.1.1 "*) jvm_opts+=(-XX:TieredStopAtLevel=1) ;;
esac
# and JNA's native part as the launcher unpacked it (run ./syscontainers once), with the library directories
if [ -f "$top/cli/target/jna/libjnidispatch.so" ]; then
  jvm_opts+=(-Djna.boot.library.path="$top/cli/target/jna"
    -Djna.platform.library.path="/usr/lib/$(uname -m)-linux-gnu:/lib/$(uname -m)-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib")
fi

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
  trap 'kill $regpid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  host="127.0.0.1:$port"
}
