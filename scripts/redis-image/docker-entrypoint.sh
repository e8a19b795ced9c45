#!/bin/sh
# Entrypoint of the locally built redis image, behaving like the official image's:
# arguments starting with '-' or a *.conf file go to redis-server; as root it drops to the
# 'redis' user; protected mode is turned off unless the config file sets it, because the
# host reaches Redis through a published port.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
  find . \! -user redis -exec chown redis '{}' + 2>/dev/null || true
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = 'redis-server' ]; then
  protected_mode=yes_add
  config_file=
  if [ -f "$2" ]; then
    config_file="$2"
    if grep -q '^protected-mode' "$config_file"; then
      protected_mode=
    fi
  fi
  if [ -n "$protected_mode" ]; then
    shift
    if [ -n "$config_file" ]; then shift; fi
    set -- --protected-mode no "$@"
    if [ -n "$config_file" ]; then set -- "$config_file" "$@"; fi
    set -- redis-server "$@"
  fi
fi

exec "$@"
