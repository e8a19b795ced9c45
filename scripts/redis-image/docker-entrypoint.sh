#!/bin/sh
# Entrypoint of a server image that scripts/setup builds locally from Debian packages. This file
# is a template: scripts/setup replaces @FLAVOUR@ (the binaries' prefix, e.g. the one of
# @FLAVOUR@-server and @FLAVOUR@-sentinel) and @USER@ (the service user) when it installs it, so an
# image carries no other server's names.
#
# It behaves like the official image's entrypoint: arguments starting with '-' or a *.conf file
# go to @FLAVOUR@-server; as root, @FLAVOUR@-server and @FLAVOUR@-sentinel drop to the '@USER@'
# user after handing it the working directory; protected mode is turned off unless a config
# file given as first argument sets it, because the host reaches the server through a port
# published by Docker. Informational options (--version, --help...) go to the binary untouched,
# since the server reads them only as its first argument.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- @FLAVOUR@-server "$@"
fi

case "$1" in
  @FLAVOUR@-server|@FLAVOUR@-sentinel) server=$1 ;;
  *) server= ;;
esac
case "${2:-}" in
  -v|--version|-h|--help|--test-memory|--check-system) server= ;;
esac

if [ -n "$server" ] && [ "$(id -u)" = '0' ]; then
  find . \! -user @USER@ -exec chown @USER@ '{}' + 2>/dev/null || true
  exec setpriv --reuid=@USER@ --regid=@USER@ --init-groups "$0" "$@"
fi

if [ -n "$server" ]; then
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
    set -- "$server" "$@"
  fi
fi

exec "$@"
