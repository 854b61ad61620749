#!/usr/bin/env bash
# What `make test` needs beyond Python, from Debian's packages: PostgreSQL for the
# suite, Chromium for the browser tests, Maven to fetch OpenSearch, Redis and
# HAProxy for the production-like stack, the Pango/HarfBuzz libraries and fonts
# WeasyPrint renders PDFs with, gettext for makemessages/compilemessages (the .mo
# files are committed), and the venv module. Missing ones are installed with apt
# when run as root; otherwise the script stops and prints the one command to run.
set -euo pipefail

packages=(postgresql chromium maven python3-venv redis-server haproxy libpango-1.0-0
  libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "make test needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo sh -c '$command'" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
