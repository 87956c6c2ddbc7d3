#!/usr/bin/env bash
# Validates SARIF files, or the SARIF drcheck writes for fixture folders.
#
#   scripts/validate_sarif.sh [--schema|--multitool|--all] FILE.sarif...
#   scripts/validate_sarif.sh [--schema|--multitool|--all] \
#       --drcheck BUILD/drcheck --fixtures FIXTURES_DIR [FILE.sarif...]
#
# --schema     JSON schema (SARIF 2.1.0, draft-04) with ajv, via
#              scripts/validate_sarif.mjs
# --multitool  Microsoft's Sarif.Multitool `validate --rule-kind "Gh;Sarif"`
#              (SARIF rules and GitHub's ingestion rules); it exits 0 even
#              when the file is invalid, so its report is read instead:
#              any error-level result fails
# --all        both (default)
#
# With --drcheck, every folder under FIXTURES_DIR that holds a .json input
# (and no ancestor that does; golden/ excluded) is scanned with
# `drcheck scan DIR --format sarif` first. Exit codes 0, 1 and 2 of drcheck
# are all fine (findings and input errors still write SARIF).
#
# Schema: $DRCHECK_SARIF_SCHEMA, else
# $DRCHECK_SOURCE_DIR/../shared/schemas/sarif-schema-2.1.0.json.
# Tools: $DRCHECK_NPM_PREFIX (default .cache/npm); scripts/setup_sarif_tools.sh
# installs them. Exit: 0 valid, 1 invalid, 77 tools or schema missing (skip).
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
mode=all
drcheck=""
fixtures=""
files=()
while (($#)); do
  case "$1" in
    --schema) mode=schema ;;
    --multitool) mode=multitool ;;
    --all) mode=all ;;
    --drcheck) drcheck="$2"; shift ;;
    --fixtures) fixtures="$2"; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) files+=("$1") ;;
  esac
  shift
done

prefix="${DRCHECK_NPM_PREFIX:-$repo/.cache/npm}"
modules="$prefix/node_modules"
source_dir="${DRCHECK_SOURCE_DIR:-$repo}"
schema="${DRCHECK_SARIF_SCHEMA:-$source_dir/../shared/schemas/sarif-schema-2.1.0.json}"
tool="$modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"

skip() { echo "SKIP: $*"; exit 77; }
command -v node >/dev/null || skip "node is not installed (scripts/setup_sarif_tools.sh)"
if [[ $mode != multitool ]]; then
  [[ -f "$schema" ]] || skip "SARIF schema not found at $schema (set DRCHECK_SARIF_SCHEMA)"
  [[ -d "$modules/ajv-draft-04" && -d "$modules/ajv-formats" ]] ||
    skip "ajv-draft-04 / ajv-formats not installed under $modules (scripts/setup_sarif_tools.sh)"
fi
if [[ $mode != schema ]]; then
  [[ -x "$tool" ]] || skip "Sarif.Multitool not installed under $modules (scripts/setup_sarif_tools.sh)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/drcheck-sarif.XXXXXX")"
trap 'rm -rf "$work"' EXIT

status=0
if [[ -n "$drcheck" ]]; then
  [[ -x "$drcheck" && -d "$fixtures" ]] || { echo "error: --drcheck needs a binary and --fixtures DIR" >&2; exit 1; }
  drcheck="$(realpath "$drcheck")"
  fixtures="$(realpath "$fixtures")"
  mapfile -t dirs < <(find "$fixtures" -name '*.json' -not -path '*/golden/*' \
                        -printf '%h\n' | sort -u)
  n=0
  for d in "${dirs[@]}"; do
    covered=0
    for other in "${dirs[@]}"; do
      [[ "$d" == "$other"/* ]] && { covered=1; break; }
    done
    ((covered)) && continue
    out="$work/$n.sarif"
    n=$((n + 1))
    (cd "$work" && "$drcheck" scan "$d" --format sarif --output "$out" \
       --src-root "$repo" >/dev/null 2>"$out.err")
    rc=$?
    if ((rc > 2)) || [[ ! -s "$out" ]]; then
      echo "$d: error: drcheck exited $rc without a SARIF file:" >&2
      cat "$out.err" >&2
      status=1
      continue
    fi
    echo "${d#"$fixtures"/} -> $out (drcheck exit $rc)"
    files+=("$out")
  done
fi
((${#files[@]})) || { echo "error: no SARIF files to validate" >&2; exit 1; }

if [[ $mode != multitool ]]; then
  node "$repo/scripts/validate_sarif.mjs" "$schema" "$modules" "${files[@]}" || status=1
fi

if [[ $mode != schema ]]; then
  report="$work/multitool-report.sarif"
  # .NET without ICU: invariant globalization is enough for validation.
  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$tool" validate "${files[@]}" \
    -o "$report" --log ForceOverwrite --rule-kind "Gh;Sarif" \
    --level "Error;Warning" >"$work/multitool.log" 2>&1
  rc=$?
  if ((rc == 126 || rc == 127)); then
    cat "$work/multitool.log"
    skip "Sarif.Multitool cannot run here"
  fi
  if ((rc != 0)) || [[ ! -s "$report" ]]; then
    echo "error: Sarif.Multitool failed (exit $rc):" >&2
    cat "$work/multitool.log" >&2
    exit 1
  fi
  node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let errors = 0, warnings = 0;
    for (const run of log.runs || []) {
      for (const r of run.results || []) {
        const level = r.level || "warning";
        const where = ((r.locations || [])[0] || {}).physicalLocation || {};
        const file = (where.artifactLocation || {}).uri || "?";
        const line = (where.region || {}).startLine || 0;
        const args = (r.message && r.message.arguments || []).join(" | ");
        const text = `${file}:${line}: ${level} ${r.ruleId}: ${r.message && r.message.text || args}`;
        if (level === "error") { errors++; console.error(text); }
        else if (level === "warning") { warnings++; console.log(text); }
      }
    }
    console.log(`Sarif.Multitool: ${errors} error(s), ${warnings} warning(s)`);
    process.exit(errors ? 1 : 0);
  ' "$report" || status=1
fi
exit $status
