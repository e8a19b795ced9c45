# The start of every Sentinel on one engine, before the image's entrypoint:
#   sh -c "$(cat start-sentinel.sh)" redisha-sentinel --await FILE -- ENTRYPOINT [ARG]...
# It sets a umask that keeps the configuration file Sentinel rewrites (at every failover, mode
# 0644 & ~umask) as private as redisha copied it: it holds passwords.
# FILE, when present, holds "HOST PORT UNTIL": a Sentinel created with a new deployment, whose
# container the engine starts beside the master's, waits until the master at HOST:PORT accepts a
# connection (any answer: a password or TLS asked for counts), or until UNTIL (seconds since the
# epoch), before it starts: a Sentinel that found no master for down-after-milliseconds would
# mark it down. FILE is removed at once and UNTIL is soon after the container's creation, so a
# later start (a restart while the master is down) never waits.
# Needs sh, date, sleep and redis-cli or valkey-cli (timeout when present; without a cli it does
# not wait).
umask 077
await=
while [ $# -gt 0 ]; do
  case "$1" in
    --await) await=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "redisha: Sentinel start: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ -n "$await" ] && [ -f "$await" ]; then
  read -r host port until <"$await" || true
  rm -f "$await" 2>/dev/null || true
  cli=$(command -v redis-cli || command -v valkey-cli || true)
  limit=$(command -v timeout || true)
  if [ -n "$cli" ] && [ -n "$host" ] && [ -n "$port" ] && [ -n "$until" ]; then
    while [ "$(date +%s)" -lt "$until" ]; do
      if [ -n "$limit" ]; then
        answer=$("$limit" 1 "$cli" -h "$host" -p "$port" PING 2>&1 || true)
      else
        answer=$("$cli" -h "$host" -p "$port" PING 2>&1 || true)
      fi
      case "$answer" in
        ""|*"Could not connect"*) sleep 0.05 2>/dev/null || sleep 1 ;;
        *) break ;;
      esac
    done
  fi
fi
exec "$@"
