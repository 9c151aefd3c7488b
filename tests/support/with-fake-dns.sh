#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test in a private mount namespace whose /etc/resolv.conf points at tests/support/fake_dns.py.
# NATTER_FAKE_DNS_RECORDS names the JSON file the test writes its records into; NATTER_FAKE_DNS_QUERIES the
# file where every question the resolver was asked is logged.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "with-fake-dns.sh: needs root (tools/test runs as root) to give the test its own resolv.conf" >&2
  exit 1
fi
work=$(mktemp -d /tmp/natter-dns-XXXXXX)
trap 'rm -rf "$work"' EXIT
address=127.0.0.$((50 + RANDOM % 150))
export NATTER_FAKE_DNS_RECORDS=$work/records.json
export NATTER_FAKE_DNS_QUERIES=$work/queries.log
echo '{}' >"$NATTER_FAKE_DNS_RECORDS"
printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$address" >"$work/resolv.conf"
# Inside tools/test's build root the namespace is already private (and / is no mount point there, so
# unshare cannot change its propagation); elsewhere make the new one private so nothing leaks out.
propagation=private
[ "${NATTER_IN_ROOT:-}" = 1 ] && propagation=unchanged
exec unshare --mount --propagation "$propagation" -- bash -c '
  set -euo pipefail
  work=$1 address=$2; shift 2
  mount --bind "$work/resolv.conf" /etc/resolv.conf
  python3 "$(dirname "$0")/fake_dns.py" "$address" "$NATTER_FAKE_DNS_RECORDS" "$NATTER_FAKE_DNS_QUERIES" >"$work/dns.log" 2>&1 &
  dns=$!
  for _ in $(seq 50); do grep -q ready "$work/dns.log" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$work/dns.log" || { cat "$work/dns.log" >&2; exit 1; }
  status=0
  "$@" || status=$?
  kill $dns 2>/dev/null || true
  exit $status
' "$0" "$work" "$address" "$@"
