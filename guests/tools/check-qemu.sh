#!/bin/sh
# Run every program listed in programs.txt under qemu-aarch64 with empty
# stdin and print: name, exit status, stdout byte count and cksum.
# usage: tools/check-qemu.sh <build-dir> <programs.txt>
QEMU=${QEMU:-qemu-aarch64}
bdir=$1
list=$2
out=$(mktemp)
status=0
while read -r name args; do
    [ -z "$name" ] && continue
    if [ ! -x "$bdir/$name" ]; then
        echo "$name: MISSING ($bdir/$name)"
        status=1
        continue
    fi
    # shellcheck disable=SC2086
    "$QEMU" "$bdir/$name" $args < /dev/null > "$out" 2> /dev/null
    rc=$?
    set -- $(cksum < "$out")
    printf '%-22s exit=%-3s bytes=%-7s cksum=%s\n' "$name" "$rc" "$2" "$1"
done < "$list"
for b in "$bdir"/*; do
    [ -f "$b" ] && [ -x "$b" ] || continue
    n=${b##*/}
    grep -q "^$n\( \|$\)" "$list" || echo "note: $n is built but not listed in $list"
done
rm -f "$out"
exit $status
