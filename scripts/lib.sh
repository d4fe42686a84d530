# Shared by the scripts in this folder: installing what they need from Debian's archive.
# shellcheck shell=bash

# Installs Debian packages that are missing, non-interactively. Usage: ensure_packages pkg...
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "installing ${missing[*]} from Debian's archive" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Installs the package providing a command when the command is not on PATH. Usage: ensure_command cmd pkg
ensure_command() {
  command -v "$1" >/dev/null 2>&1 || ensure_packages "$2"
}
