#!/bin/sh
# The script `rps_node_client` sends to `rps_node_server` by default (a
# stand-in for pycos' node_update_script.py): waits the seconds given,
# then says it is done, on stdout.
sleep "${1:-1}"
echo "$(basename "$0") done after ${1:-1} s"
