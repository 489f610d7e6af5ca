#!/bin/sh
# The program `dispycos_client5` runs at each server (a port of pycos'
# dispycos_client5_proc.py): reads numbers from stdin, one a line; for
# each, sleeps that many seconds, then writes the line's number and the
# time on stdout. A line that is not a number is counted and skipped;
# the exit status is how many there were.
lineno=0
errors=0
while IFS= read -r line; do
    lineno=$((lineno + 1))
    case $line in
        '' | . | *[!0-9.]* | *.*.*)
            errors=$((errors + 1))
            continue
            ;;
    esac
    sleep "$line"
    # echo writes the whole line at once: the reader gets it at once.
    echo "Line $lineno - current time is $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
done
exit "$errors"
