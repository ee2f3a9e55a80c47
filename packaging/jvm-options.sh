# /usr/lib/syscontainers/jvm-options.sh: the JVM options of the packaged CLI, sourced (with lib set) by the launcher
# and by postinst's training, so the start-up cache is made with the options it is used with.
# SerialGC and a small, bounded heap: every layer streams, nothing large is held (as the checkout's launcher)
opts="-XX:+UseSerialGC -Xms16m -Xmx256m @RUNTIME_OPTS@"
# no hsperfdata file in /tmp (what jps and jstat read): one file made, mapped and removed less per command
opts="$opts -XX:-UsePerfData"
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
