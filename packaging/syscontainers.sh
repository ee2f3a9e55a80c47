#!/bin/sh
# /usr/bin/syscontainers: the syscontainers CLI on the package's own Java runtime; the host needs no JDK.
# Settings: /etc/default/syscontainers (SYSCONTAINERS_JAVA_OPTS).
# its files: /usr/lib/syscontainers beside /usr/bin (found from this script's own path, so an unpacked copy runs too)
self=$(readlink -f "$0")
lib=${self%/bin/*}/lib/syscontainers
SYSCONTAINERS_JAVA_OPTS=${SYSCONTAINERS_JAVA_OPTS:-}
if [ -r /etc/default/syscontainers ]; then . /etc/default/syscontainers; fi
. $lib/jvm-options.sh
# the classes typical commands load, loaded and linked ahead of time: postinst trains the cache on this host (JDK 25's
# AOT cache), or a class-data archive on an older runtime. Mapped where it was made, not at a random address (the
# default of JDK 20 and later and of this JDK 17, which rewrites every pointer of the 30 MB at each start: 18 ms of
# --version); -XX:ArchiveRelocationMode=1 in SYSCONTAINERS_JAVA_OPTS restores the randomization
if [ -f $lib/syscontainers.aot ]; then
  opts="$opts -XX:AOTCache=$lib/syscontainers.aot -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
elif [ -f $lib/syscontainers.jsa ]; then
  opts="$opts -XX:SharedArchiveFile=$lib/syscontainers.jsa -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
fi
case $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null) in
  *"[always]"*|*"[madvise]"*) opts="$opts -XX:+UseTransparentHugePages" ;;
esac
# what auto-update --install-timer writes into its unit
SYSCONTAINERS_COMMAND=$self
export SYSCONTAINERS_COMMAND
# shellcheck disable=SC2086
exec $lib/runtime/bin/java $opts $SYSCONTAINERS_JAVA_OPTS -jar $lib/cli.jar "$@"
