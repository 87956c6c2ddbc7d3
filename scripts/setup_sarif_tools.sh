#!/usr/bin/env bash
# Installs the SARIF validators the test suite uses (idempotent):
#   - node + npm (Debian packages), when missing;
#   - into .cache/npm: ajv + ajv-draft-04 + ajv-formats (JSON-schema check of
#     our SARIF against the SARIF 2.1.0 schema) and Microsoft's
#     @microsoft/sarif-multitool (SARIF and GitHub ingestion rules).
# Without them, the sarif_schema / sarif_multitool tests are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${DRCHECK_NPM_PREFIX:-.cache/npm}"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends nodejs npm
fi

pkgs=(ajv@8.20.0 ajv-draft-04@1.0.0 ajv-formats@3.0.1
      @microsoft/sarif-multitool@5.7.0)
have_all=1
for p in "${pkgs[@]}"; do
  name="${p%@*}"
  version="${p##*@}"
  got=$(node -p "try { require('./$prefix/node_modules/$name/package.json').version } catch (e) { '' }" 2>/dev/null || true)
  [[ "$got" == "$version" ]] || have_all=0
done
if ((!have_all)); then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "${pkgs[@]}"
fi
# npm does not run the package's install script (which only sets this bit).
tool="$prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
[[ -f "$tool" ]] && chmod u+x "$tool"
exit 0
