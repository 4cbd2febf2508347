#!/bin/sh
# Mounts tracefs for the tests when neither of its usual places has it.
[ -e /sys/kernel/tracing/available_events ] && exit 0
[ -e /sys/kernel/debug/tracing/available_events ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "tracefs is not mounted: run 'sudo mount -t tracefs nodev /sys/kernel/tracing'" >&2
	exit 0
fi
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
	echo "tracefs could not be mounted; tracepoint tests will skip" >&2
exit 0
