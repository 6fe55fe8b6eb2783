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
  apt-get install -y -qq "${missing[@]}" >/dev/null
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
