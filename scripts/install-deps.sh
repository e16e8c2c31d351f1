#!/usr/bin/env bash
# Installs the Debian 12 packages Outpost needs to build, run and test.
# Idempotent: installs only what is missing. Needs root or sudo.
set -euo pipefail

PKGS=(
  cmake ninja-build g++ pkg-config git ca-certificates
  libsqlite3-dev sqlite3 libssl-dev zlib1g-dev libargon2-dev
  qt6-base-dev qt6-declarative-dev qt6-httpserver-dev qt6-websockets-dev
  libqt6sql6-sqlite libqt6sql6-psql
  qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtquick-controls
  qml6-module-qtquick-templates qml6-module-qtquick-layouts qml6-module-qtquick-dialogs
  qml6-module-qtqml-workerscript qml6-module-qt-labs-folderlistmodel qml6-module-qttest
  qt6-qpa-plugins
  qt6-multimedia-dev qml6-module-qtmultimedia qt6-positioning-dev qml6-module-qtpositioning
  libgl1-mesa-dri fonts-dejavu-core xvfb xauth curl python3
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}"
