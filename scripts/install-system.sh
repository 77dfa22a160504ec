#!/usr/bin/env bash
# Debian packages used by the tests: native z3 and cvc5 (cross-checks, proof
# replay) and chromium (renders exported HTML traces). Idempotent; quiet when
# everything is already there.
set -euo pipefail
need=()
command -v z3 >/dev/null 2>&1 || need+=(z3)
command -v cvc5 >/dev/null 2>&1 || need+=(cvc5)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "install-system: missing ${need[*]}; run as root (apt-get) or install them yourself" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
