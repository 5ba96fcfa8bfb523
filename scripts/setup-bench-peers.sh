#!/usr/bin/env bash
# Installs what `npm run bench` compares against, idempotently:
# - tftpd-hpa (in.tftpd) and the clients curl, atftp, busybox, tftp-hpa from apt;
# - atftpd unpacked into .bench/peers/atftpd (Debian's atftpd package conflicts with tftpd-hpa,
#   so it is not installed, only extracted; the bench runs it from there on a high port).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

PEERS_DIR=.bench/peers
ATFTPD="$PEERS_DIR/atftpd/usr/sbin/atftpd"
updated=0

apt_update_once() {
  if [ "$updated" = 0 ]; then
    echo "apt-get update"
    apt-get update -qq
    updated=1
  fi
}

missing=()
[ -x /usr/sbin/in.tftpd ] || missing+=(tftpd-hpa)
command -v curl >/dev/null || missing+=(curl)
command -v atftp >/dev/null || missing+=(atftp)
command -v busybox >/dev/null || missing+=(busybox)
command -v tftp >/dev/null || missing+=(tftp-hpa) # the tftp-hpa client, for the loss run
command -v taskset >/dev/null || missing+=(util-linux)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt_update_once
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
  # Debian starts tftpd-hpa as a service on port 69; the bench starts its own copy on a high port.
  if [[ " ${missing[*]} " == *" tftpd-hpa "* ]]; then
    (service tftpd-hpa stop || true) >/dev/null 2>&1
  fi
fi

if [ -x "$ATFTPD" ] && "$ATFTPD" -V >/dev/null 2>&1; then
  echo "atftpd: already in $PEERS_DIR"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # apt-get download works as the _apt user when it can; a world-writable scratch dir avoids its warning.
  chmod 777 "$tmp"
  (cd "$tmp" && apt-get download -qq atftpd >/dev/null 2>&1) || {
    apt_update_once
    (cd "$tmp" && apt-get download -qq atftpd)
  }
  rm -rf "$PEERS_DIR/atftpd"
  mkdir -p "$PEERS_DIR/atftpd"
  dpkg -x "$tmp"/atftpd_*.deb "$PEERS_DIR/atftpd"
  "$ATFTPD" -V >/dev/null 2>&1 || {
    echo "atftpd was unpacked but does not run (missing libraries?): $ATFTPD" >&2
    exit 1
  }
  echo "atftpd: unpacked into $PEERS_DIR/atftpd"
fi

echo "peers: $(/usr/sbin/in.tftpd -V 2>&1 | head -n1); $("$ATFTPD" -V 2>&1 | head -n1)"
