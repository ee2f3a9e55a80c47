#!/usr/bin/env bash
# JMH microbenchmarks of the hot paths (bench/src/main/java/.../HotPaths.java): GVariant encoding, content hashing,
# tar entries to objects, a linking checkout. Prints JMH's table (average time per operation).
#   bench/jmh.sh [JMH OPTIONS...]      for example: bench/jmh.sh -f 1 -wi 2 -i 3 'HotPaths.encode.*'
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
(cd "$top" && mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl bench -am) >&2
exec java -cp "$top/bench/target/bench-0.1.0-SNAPSHOT.jar:$top/bench/target/lib/*" org.openjdk.jmh.Main "$@"
