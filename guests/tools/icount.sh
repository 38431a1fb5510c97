#!/bin/sh
# Count the guest instructions a program executes, using qemu-aarch64 in
# single-step mode with the per-translation-block execution log (one log
# line per executed instruction).  Slow (about 1-2 M instructions/s) but exact.
#
# usage: tools/icount.sh build/<name> [args...] < input
QEMU=${QEMU:-qemu-aarch64}
dir=$(mktemp -d)
mkfifo "$dir/log"
wc -l < "$dir/log" > "$dir/count" &
counter=$!
"$QEMU" -singlestep -d nochain,exec -D "$dir/log" "$@" > /dev/null
rc=$?
wait $counter
echo "instructions $(cat "$dir/count") exit $rc"
rm -rf "$dir"
