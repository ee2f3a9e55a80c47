#!/bin/sh
# The syscontainers sample: greets, then stays up when HELLO_STAY=yes (as a service would), leaving on SIGTERM.
echo "Hello from the syscontainers sample container ${CONTAINER_NAME:-hello}: ${GREETING:-Hello}"
if [ "${HELLO_STAY:-no}" = yes ]; then
  # as PID 1 of its namespace the shell gets no default signal handling: trap TERM so systemctl stop is prompt
  trap 'echo "Goodbye from ${CONTAINER_NAME:-hello}"; exit 0' TERM INT
  while :; do
    sleep 1 &
    wait $!
  done
fi
