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

# median NUMBER...  -> the median
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
