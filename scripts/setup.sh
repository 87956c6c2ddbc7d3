#!/usr/bin/env bash
# Installs drcheck's build and test dependencies from Debian packages.
# Idempotent: packages already present are not reinstalled, and apt-get update
# runs only when something is missing.
set -euo pipefail
pkgs=(cmake g++ make nlohmann-json3-dev libre2-dev libcli11-dev libgtest-dev)
if [[ "${DRCHECK_SANITIZE:-}" == 1 || "${1:-}" == --all ]]; then
  pkgs+=(clang libclang-rt-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
