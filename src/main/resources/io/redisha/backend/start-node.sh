# shellcheck shell=sh
# The start of every protected Redis node, before the image's entrypoint: keeps a restarted node
# from coming back as a master its replicas would copy (docs: "Restart before detection").
#
#   sh -c "$(cat start-node.sh)" redisha-start [OPTION VALUE]... -- ENTRYPOINT [ARG]...
#
#   --config FILE        the node's configuration file; following a master replaces its replicaof line
#   --sentinels "A B"    the Sentinels' names on the project's network, asked in this order
#   --sentinel-port N    the port they listen on (26379)
#   --master-name NAME   the name the Sentinels monitor the master by
#   --hold-back S        longest wait, in whole seconds, while the Sentinels still name this node's
#                        own address as the master; 0 for none
#   --sentinel-auth FILE file holding Sentinel's password; it reaches redis-cli through REDISCLI_AUTH
#                        on its own command line only, never the server's environment
#   --first-start FILE   marker put into a node created with a new deployment: when the script can
#                        remove it, it starts the server at once without asking (nothing to protect
#                        yet, and the node's own Sentinels, starting beside it, would name it master)
#
# A node asks the Sentinels for the current master, believing the one with the highest config
# epoch. When they name another node, it starts as that node's replica. When they still name this
# node's own address (it came back before they noticed it down), it waits for them to promote a
# replica, at most the hold-back, then starts as it is. When no Sentinel answers, it starts as
# configured. Needs sh, grep, awk, cat, date, sleep and redis-cli or valkey-cli (timeout when present).
set -e

config=
sentinels=
sentinel_port=26379
master_name=
hold=0
sentinel_auth=
first_start=
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2 ;;
    --sentinels) sentinels=$2 ;;
    --sentinel-port) sentinel_port=$2 ;;
    --master-name) master_name=$2 ;;
    --hold-back) hold=$2 ;;
    --sentinel-auth) sentinel_auth=$2 ;;
    --first-start) first_start=$2 ;;
    --) shift; break ;;
    *) echo "redisha: start script: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done

cli=$(command -v redis-cli || command -v valkey-cli || true)
# a Sentinel on a host cut off the network would hold a connect for minutes
limit=$(command -v timeout || true)

# runs the cli, at most 3 s, with the password of $1 (a file, or empty for none) for this command only
ask_cli() {
  pw_file=$1
  shift
  if [ -n "$limit" ]; then set -- "$limit" 3 "$cli" "$@"; else set -- "$cli" "$@"; fi
  if [ -n "$pw_file" ]; then
    REDISCLI_AUTH=$(cat "$pw_file" 2>/dev/null || true) "$@"
  else
    "$@"
  fi
}

# Every Sentinel is asked; the one with the highest config epoch has the latest view (a Sentinel
# restarted with the node may still name the old master). An answer is an address, a port and an
# epoch; anything else (an error) is none. Prints "ADDRESS PORT", or nothing.
ask_sentinels() {
  best=-1
  answer=
  for s in $sentinels; do
    # shellcheck disable=SC2046 # the answer is split into its three words
    set -- $(ask_cli "$sentinel_auth" -h "$s" -p "$sentinel_port" --raw SENTINEL master "$master_name" 2>/dev/null \
      | awk 'NR % 2 == 1 { k = $0; next } k == "ip" { ip = $0 } k == "port" { p = $0 }
             k == "config-epoch" { e = $0 } END { if (ip != "" && p ~ /^[0-9]+$/ && e ~ /^[0-9]+$/) print ip, p, e }')
    if [ -n "${3:-}" ] && [ "$3" -gt "$best" ]; then
      best=$3
      answer="$1 $2"
    fi
  done
  echo "$answer"
}

# whether $1 is one of this node's own addresses
mine() {
  awk '/32 host/ { print f } { f = $2 }' /proc/net/fib_trie | grep -q -x -F -e "$1"
}

# replaces the replicaof line of the configuration file (from an earlier start or a Sentinel's
# CONFIG REWRITE) rather than adding another
replicate() {
  grep -v -i -E '^[[:space:]]*(replicaof|slaveof)[[:space:]]' "$config" > "$config.redisha-tmp" || true
  echo "replicaof $1 $2" >> "$config.redisha-tmp"
  cat "$config.redisha-tmp" > "$config"
  rm -f "$config.redisha-tmp"
}

# a function: its set -- leaves the script's own arguments (the command to exec) alone
follow() {
  # shellcheck disable=SC2046 # "ADDRESS PORT" or nothing
  set -- $(ask_sentinels)
  since=$(date +%s)
  told=
  while [ -n "${1:-}" ] && mine "$1" && [ $(($(date +%s) - since)) -lt "$hold" ]; do
    if [ -z "$told" ]; then
      told=yes
      echo "redisha: the Sentinels still name this node ($1) as the master; waiting up to $hold s for them to promote a replica before starting" >&2
    fi
    sleep 1
    # shellcheck disable=SC2046 # as above
    set -- $(ask_sentinels)
  done
  if [ -n "${1:-}" ] && ! mine "$1"; then
    replicate "$1" "$2"
    echo "redisha: following the master the Sentinels name, $1:$2" >&2
  fi
}

if [ -n "$first_start" ] && rm "$first_start" 2>/dev/null; then
  cli=
fi
if [ -n "$cli" ] && [ -n "$config" ]; then
  follow
fi
exec "$@"
