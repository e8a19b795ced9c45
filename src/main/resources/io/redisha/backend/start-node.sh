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
#   --auth-user NAME     the ACL user to log in as, on the Sentinels and the other Redis nodes alike, with
#                        the password of the --sentinel-auth file (without it: the user the file
#                        .redisha-auth-user beside the configuration names, with the password of
#                        .redisha-sentinel-auth there; else the default user, with the Redis password
#                        read from the configuration's masterauth)
#   --first-start FILE   marker put into a node created with a new deployment: when the script can
#                        remove it, it starts the server at once without asking (nothing to protect
#                        yet, and the node's own Sentinels, starting beside it, would name it master);
#                        a marker holding a time (seconds since the epoch) counts only until then
#   --peers "M P"        the project's Redis nodes: the master's name M, then the prefix P of the
#                        replicas' names, asked as P1, P2... until two in a row do not answer (so a
#                        node created before a scale still finds the replicas added since)
#   --redis-port N       the port they listen on (6379)
#
# A node asks the Sentinels for the current master, believing the one with the highest config
# epoch. When they name another node, it starts as that node's replica. When they still name this
# node's own address (it came back before they noticed it down), it waits for them to promote a
# replica, at most the hold-back.
#
# When no Sentinel answers, or the wait ends with no promotion, it asks the other Redis nodes what
# they hold (role, replication offset, keys), so that it never serves as a master that others copy
# while another node holds data it lacks (without persistence it holds nothing; with rdb or aof its
# file is older than a peer's data when it was written before that peer lost its master):
#   - a master holding keys: it starts as that master's replica (the one with the highest offset);
#   - only replicas hold keys: it starts as the replica of the one with the highest offset; when that
#     one followed this very node (the master that lost its data), nobody else will promote it while
#     the Sentinels are away, so this node makes it the master first (REPLICAOF NO ONE): the Sentinels,
#     when they return, find their master a replica and fail over to a node that has the data;
#   - nobody holds keys, or its own file is at least as new (every node restarted at once: each
#     reloaded its own file, or without persistence the data is gone whatever happens): as configured.
# Needs sh, grep, awk, tr, cat, date, sleep and redis-cli or valkey-cli (timeout and getent when present).
set -e

config=
sentinels=
sentinel_port=26379
master_name=
hold=0
sentinel_auth=
auth_user=
tls_options=
first_start=
peer_master=
peer_prefix=
redis_port=6379
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2 ;;
    --sentinels) sentinels=$2 ;;
    --sentinel-port) sentinel_port=$2 ;;
    --master-name) master_name=$2 ;;
    --hold-back) hold=$2 ;;
    --sentinel-auth) sentinel_auth=$2 ;;
    --auth-user) auth_user=$2 ;;
    --first-start) first_start=$2 ;;
    --peers) peer_master=${2%% *}; peer_prefix=${2#* } ;;
    --redis-port) redis_port=$2 ;;
    --) shift; break ;;
    *) echo "redisha: start script: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done

cli=$(command -v redis-cli || command -v valkey-cli || true)
# a Sentinel on a host cut off the network would hold a connect for minutes
limit=$(command -v timeout || true)

# runs the cli, at most 3 s, with the password $1 (empty for none) in its own environment only,
# over TLS when the node serves TLS (its certificate is a client certificate too)
ask_cli() {
  pw=$1
  shift
  # shellcheck disable=SC2086 # the options are words; redisha's paths hold no blanks
  if [ -n "$auth_user" ]; then set -- --user "$auth_user" "$@"; fi
  # shellcheck disable=SC2086 # as above
  if [ -n "$limit" ]; then set -- "$limit" 3 "$cli" $tls_options "$@"; else set -- "$cli" $tls_options "$@"; fi
  if [ -n "$pw" ]; then
    REDISCLI_AUTH=$pw "$@"
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
    set -- $(ask_cli "$sentinel_pw" -h "$s" -p "$sentinel_port" --raw SENTINEL master "$master_name" 2>/dev/null \
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

# The Redis password (masterauth of the configuration file, primaryauth once Valkey rewrote it; as redisha quotes it: \" \\ and \xHH
# escapes), for asking the other Redis nodes.
redis_password() {
  awk 'tolower($1) == "masterauth" || tolower($1) == "primaryauth" {
         v = $0; sub(/^[ \t]*[^ \t]+[ \t]+/, "", v); sub(/[ \t\r]+$/, "", v)
         if (substr(v, 1, 1) != "\"") { printf "%s", v; exit }
         hex = "0123456789abcdef"; out = ""
         for (i = 2; i < length(v); i++) {
           c = substr(v, i, 1)
           if (c == "\\") {
             i++; c = substr(v, i, 1)
             if (c == "x") {
               c = sprintf("%c", (index(hex, tolower(substr(v, i + 1, 1))) - 1) * 16 + index(hex, tolower(substr(v, i + 2, 1))) - 1)
               i += 2
             } else if (c == "n") { c = "\n" } else if (c == "r") { c = "\r" } else if (c == "t") { c = "\t" }
           }
           out = out c
         }
         printf "%s", out; exit
       }' "$config"
}

# the cli's TLS options when the configuration file serves TLS: the node's CA, certificate and key
tls_options() {
  awk 'tolower($1) == "tls-port" && $2 != "0" { tls = 1 } tolower($1) == "tls-cert-file" { c = $2 }
       tolower($1) == "tls-key-file" { k = $2 } tolower($1) == "tls-ca-cert-file" { a = $2 }
       END { if (tls) print "--tls --cacert " a " --cert " c " --key " k }' "$config"
}

# off, rdb or aof, as the configuration file says
persistence() {
  awk 'tolower($1) == "appendonly" { aof = tolower($2) == "yes" }
       tolower($1) == "save" && $2 != "\"\"" && $2 != "" { rdb = 1 }
       END { print aof ? "aof" : rdb ? "rdb" : "off" }' "$config"
}

# when this node's data file (RDB or AOF, in the configuration's dir) was last written, in seconds
# since the epoch; nothing when it has none
file_time() {
  data=$(awk 'tolower($1) == "dir" { print $2 }' "$config" | tr -d '"')
  [ -n "$data" ] || data=$(dirname "$config")
  newest=
  for f in "$data"/dump.rdb "$data"/appendonly.aof "$data"/appendonlydir/*; do
    [ -f "$f" ] || continue
    t=$(date -r "$f" +%s 2>/dev/null || true)
    if [ -n "$t" ] && { [ -z "$newest" ] || [ "$t" -gt "$newest" ]; }; then newest=$t; fi
  done
  echo "$newest"
}

# the address of name $1 on the network (an IPv4 address as it is; the name itself without getent);
# nothing when it has none
resolve() {
  case $1 in
    *[!0-9.]*) ;;
    *) echo "$1"; return ;;
  esac
  if command -v getent >/dev/null; then
    getent hosts "$1" | awk '{ print $1; exit }'
  else
    echo "$1"
  fi
}

# What the Redis node at $1 holds: "ROLE OFFSET KEYS MASTER_HOST DOWN_SINCE" (master or slave; a
# replica's master and the seconds since it lost it, - when unknown or never linked since it
# started), or nothing when it does not answer
peer_info() {
  ask_cli "$redis_pw" -h "$1" -p "$redis_port" INFO 2>/dev/null | tr -d '\r' | awk -F: '
    $1 == "role" { role = $2 } $1 == "master_repl_offset" { off = $2 } $1 == "master_host" { mh = $2 }
    $1 == "master_link_down_since_seconds" { down = $2 }
    $1 ~ /^db[0-9]+$/ { n = split($2, kv, ","); for (j = 1; j <= n; j++) if (kv[j] ~ /^keys=/) { sub(/^keys=/, "", kv[j]); keys += kv[j] } }
    END {
      if ((role == "master" || role == "slave") && off ~ /^[0-9]+$/)
        print role, off, keys + 0, (mh == "" ? "-" : mh), (down ~ /^[0-9]+$/ ? down : "-")
    }'
}

# Asks the other Redis nodes; sets best_master (a master holding keys, the highest offset) and
# best_replica (a replica holding keys, the highest offset), with best_replica_master and
# best_replica_down (what it follows, since when it lost it)
ask_peers() {
  best_master=
  best_master_off=-1
  best_replica=
  best_replica_off=-1
  best_replica_master=
  best_replica_down=
  i=0
  misses=0
  while [ "$misses" -lt 2 ] && [ "$i" -le 64 ]; do
    if [ "$i" -eq 0 ]; then name=$peer_master; else name=$peer_prefix$i; fi
    i=$((i + 1))
    addr=$(resolve "$name")
    if [ -n "$addr" ] && mine "$addr"; then misses=0; continue; fi
    # shellcheck disable=SC2046 # the answer is split into its five words
    set -- $(if [ -n "$addr" ]; then peer_info "$addr"; fi)
    if [ -z "${1:-}" ]; then
      if [ "$i" -gt 1 ]; then misses=$((misses + 1)); fi
      continue
    fi
    misses=0
    [ "$3" -gt 0 ] || continue
    if [ "$1" = master ]; then
      if [ "$2" -gt "$best_master_off" ]; then best_master=$addr; best_master_off=$2; fi
    elif [ "$2" -gt "$best_replica_off" ]; then
      best_replica=$addr
      best_replica_off=$2
      best_replica_master=$4
      best_replica_down=$5
    fi
  done
}

# a function: its set -- leaves the script's own arguments alone
follow_peers() {
  why=$1
  ask_peers
  if [ -n "$best_master" ]; then
    replicate "$best_master" "$redis_port"
    echo "redisha: $why; following $best_master, a master holding data (offset $best_master_off)" >&2
    return
  fi
  if [ -z "$best_replica" ]; then
    echo "redisha: $why and no other Redis node holds data; starting as configured" >&2
    return
  fi
  followed=$(resolve "$best_replica_master")
  follows_me=
  if [ -n "$followed" ] && mine "$followed"; then follows_me=yes; fi
  kind=$(persistence)
  written=$(file_time)
  # an append-only file has everything but the last second; a snapshot, what it had when written;
  # a replica never linked since it started (every node restarted) holds only its own file too
  if [ "$kind" != off ] && [ -n "$written" ]; then
    if [ "$kind" = aof ] || [ "$best_replica_down" = - ] \
      || [ "$written" -ge $(($(date +%s) - best_replica_down - 2)) ]; then
      echo "redisha: $why; this node's $kind file is at least as new as the data of the other Redis nodes; starting as configured" >&2
      return
    fi
  fi
  if [ -n "$follows_me" ]; then
    ask_cli "$redis_pw" -h "$best_replica" -p "$redis_port" REPLICAOF NO ONE >/dev/null 2>&1 || true
    echo "redisha: $why; $best_replica holds the data this node had (offset $best_replica_off) and followed it: made it the master, following it" >&2
  else
    echo "redisha: $why; following $best_replica, a replica holding data (offset $best_replica_off)" >&2
  fi
  replicate "$best_replica" "$redis_port"
}

# a function: its set -- leaves the script's own arguments (the command to exec) alone
follow() {
  # shellcheck disable=SC2046 # "ADDRESS PORT" or nothing
  set -- $(ask_sentinels)
  if [ -z "${1:-}" ]; then
    if [ -n "$peer_master" ]; then follow_peers "no Sentinel answers"; fi
    return
  fi
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
  elif [ -n "$peer_master" ]; then
    if [ -n "${1:-}" ]; then follow_peers "the Sentinels still name this node"; else follow_peers "no Sentinel answers"; fi
  fi
}

# a marker may hold the time until which it counts (seconds since the epoch); an empty one always counts
if [ -n "$first_start" ] && [ -f "$first_start" ]; then
  valid_until=$(cat "$first_start" 2>/dev/null || true)
  if rm "$first_start" 2>/dev/null; then
    case $valid_until in
      *[!0-9]*) cli= ;;
      '') cli= ;;
      *) if [ "$(date +%s)" -le "$valid_until" ]; then cli=; fi ;;
    esac
  fi
fi
# a node made with one password whose deployment moved to users in place: its options name no user, the
# file beside its configuration does (and the password is in the Sentinel password's file beside it)
if [ -z "$auth_user" ] && [ -n "$config" ] && [ -s "${config%/*}/.redisha-auth-user" ]; then
  auth_user=$(cat "${config%/*}/.redisha-auth-user" 2>/dev/null || true)
  sentinel_auth=${config%/*}/.redisha-sentinel-auth
fi
if [ -n "$cli" ] && [ -n "$config" ]; then
  sentinel_pw=
  if [ -n "$sentinel_auth" ]; then sentinel_pw=$(cat "$sentinel_auth" 2>/dev/null || true); fi
  if [ -n "$auth_user" ]; then redis_pw=$sentinel_pw; else redis_pw=$(redis_password); fi
  tls_options=$(tls_options)
  follow
  unset sentinel_pw redis_pw pw
fi
# the server rewrites its configuration file (CONFIG REWRITE, a failover) with mode 0644 & ~umask, and
# that file holds passwords: keep it 0600
umask 077
exec "$@"
