#!/bin/sh
# The syscontainers sample: greets, then stays up when HELLO_STAY=yes (as a service would).
echo "Hello from the syscontainers sample container ${CONTAINER_NAME:-hello}: ${GREETING:-Hello}"
if [ "${HELLO_STAY:-no}" = yes ]; then
  exec sleep infinity
fi
