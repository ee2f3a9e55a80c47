#!/bin/sh
# /usr/bin/syscontainers: the syscontainers CLI on the package's own Java runtime; the host needs no JDK.
# Settings: /etc/default/syscontainers (SYSCONTAINERS_JAVA_OPTS).
# its files: /usr/lib/syscontainers beside /usr/bin (found from this script's own path, so an unpacked copy runs too)
self=$(readlink -f "$0")
lib=${self%/bin/*}/lib/syscontainers
SYSCONTAINERS_JAVA_OPTS=${SYSCONTAINERS_JAVA_OPTS:-}
if [ -r /etc/default/syscontainers ]; then . /etc/default/syscontainers; fi
# SerialGC and a small, bounded heap: every layer streams, nothing large is held (as the checkout's launcher)
opts="-XX:+UseSerialGC -Xms16m -Xmx256m @RUNTIME_OPTS@"
# the classes typical commands load, loaded and linked ahead of time: postinst trains the cache on this host (JDK 25's
# AOT cache), or a class-data archive on an older runtime
if [ -f $lib/syscontainers.aot ]; then
  opts="$opts -XX:AOTCache=$lib/syscontainers.aot"
elif [ -f $lib/syscontainers.jsa ]; then
  opts="$opts -XX:SharedArchiveFile=$lib/syscontainers.jsa"
fi
# AWS-LC (the Corretto provider) hashes and ciphers at full speed from the first byte, so C1 alone compiles (one thread)
if [ -f $lib/native/libamazonCorrettoCryptoProvider.so ]; then
  opts="$opts -Dcom.amazon.corretto.crypto.provider.useExternalLib=true -Djava.library.path=$lib/native"
  opts="$opts -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
fi
# JNA's dispatcher from here, and the library directories named, so JNA does not run ldconfig -p to learn them (a
# library elsewhere is still found: JNA then asks dlopen)
if [ -f $lib/native/libjnidispatch.so ]; then
  opts="$opts -Djna.boot.library.path=$lib/native -Djna.nounpack=true"
  opts="$opts -Djna.platform.library.path=/usr/lib/@MULTIARCH@:/lib/@MULTIARCH@:/usr/lib64:/lib64:/usr/lib:/lib"
fi
case $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null) in
  *"[always]"*|*"[madvise]"*) opts="$opts -XX:+UseTransparentHugePages" ;;
esac
# what auto-update --install-timer writes into its unit
SYSCONTAINERS_COMMAND=$self
export SYSCONTAINERS_COMMAND
# shellcheck disable=SC2086
exec $lib/runtime/bin/java $opts $SYSCONTAINERS_JAVA_OPTS -jar $lib/cli.jar "$@"
