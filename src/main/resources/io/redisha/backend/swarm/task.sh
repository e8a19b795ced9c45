# shellcheck shell=sh
# The start of every Swarm task, before the Redis node's start script or Sentinel's entrypoint.
#
#   sh -c "$(cat task.sh)" redisha-task [SOURCE TARGET MARKER ID]... -- COMMAND [ARG]...
#
# Each quadruple copies a file mounted from a Swarm config or secret (SOURCE) to where the server
# reads and rewrites it (TARGET), mode 600, when the object changed (ID differs from the one the
# MARKER file recorded: a new deployment, or new files), not when the same task restarts, so that
# what Redis or Sentinel rewrote (CONFIG REWRITE, Sentinel's own state) survives; TARGET's directory
# is made when missing (a node's TLS files go to /data/tls). Then it execs the command with umask
# 077, so that what the server writes later is 600 too: a configuration file rewritten by CONFIG
# REWRITE or by Sentinel (mode 644 & ~umask), which holds passwords, and the data files.
set -e

while [ $# -gt 0 ] && [ "$1" != -- ]; do
  if [ $# -lt 5 ]; then
    echo "redisha: task script: a file needs SOURCE TARGET MARKER ID, then --" >&2
    exit 2
  fi
  if [ "$(cat "$3" 2>/dev/null)" != "$4" ]; then
    mkdir -p "$(dirname "$2")"
    cat "$1" > "$2"
    echo "$4" > "$3"
  fi
  # a file the node removes once used (the first-start marker) is not there on a later start
  if [ -e "$2" ]; then chmod 600 "$2"; fi
  shift 4
done
if [ "${1:-}" != -- ]; then
  echo "redisha: task script: no -- before the command" >&2
  exit 2
fi
shift
umask 077
exec "$@"
