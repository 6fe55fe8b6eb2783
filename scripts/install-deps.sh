#!/usr/bin/env bash
# Installs Debian packages (before "--") and Python test peers (after "--") when missing.
# Idempotent and quiet when everything is present; needs root for apt.
set -euo pipefail
apt_pkgs=(); py_pkgs=(); seen_sep=0
for arg in "$@"; do
  if [[ $arg == -- ]]; then seen_sep=1; continue; fi
  if (( seen_sep )); then py_pkgs+=("$arg"); else apt_pkgs+=("$arg"); fi
done
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "install-deps: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's postgresql creates and starts a cluster on :5432 that nothing here uses (the tests start
  # their own): stop the clusters this install made and keep them from starting at boot; never
  # touch one that existed before.
  before=$(pg_lsclusters -h 2>/dev/null | awk '{print $1 "/" $2}' || true)
  apt-get install -y -qq "${missing[@]}" >/dev/null
  for cluster in $(pg_lsclusters -h 2>/dev/null | awk '{print $1 "/" $2}'); do
    grep -qxF "$cluster" <<<"$before" && continue
    echo "install-deps: stopping and disabling Debian's new PostgreSQL cluster $cluster"
    pg_ctlcluster "${cluster%/*}" "${cluster#*/}" stop || true
    echo manual > "/etc/postgresql/$cluster/start.conf"
  done
fi
if (( ${#py_pkgs[@]} )); then
  pymissing=()
  for p in "${py_pkgs[@]}"; do
    # NAME or NAME==VERSION (a test peer pinned to the version the tests compare with)
    name=${p%%==*}; want=""; [[ $p == *==* ]] && want=${p#*==}
    have=$(python3 -c "import importlib.metadata as m; print(m.version('$name'))" 2>/dev/null) && [[ -z $want || $have == "$want" ]] || pymissing+=("$p")
  done
  if (( ${#pymissing[@]} )); then
    # A fresh Debian 12 has python3 without pip, and marks its interpreter EXTERNALLY-MANAGED (PEP 668):
    # pip then refuses every install unless told that this machine's root means it (a test machine).
    python3 -m pip --version >/dev/null 2>&1 || "$0" python3-pip
    pip_args=()
    python3 -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))' \
      && pip_args+=(--break-system-packages)
    echo "install-deps: pip install ${pip_args[*]} ${pymissing[*]}"
    python3 -m pip install -q "${pip_args[@]}" "${pymissing[@]}"
  fi
fi
