#!/bin/sh
# Make sure WeasyPrint can render Chinese PDFs quickly: a CJK font (else Chinese prints as empty
# boxes, silently), libharfbuzz-subset0 (else font subsetting falls back to fontTools, ~30x
# slower) and WenQuanYi Micro Hei, the small CJK font the spot-check checklist uses first
# (subsetting it costs a fraction of Noto CJK's; Noto stays the fallback). Installs them from Debian's packages when running as root; otherwise prints the command.
set -u
packages=""
fc-list :lang=zh 2>/dev/null | grep -q . || packages="$packages fonts-noto-cjk"
fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || packages="$packages fonts-wqy-microhei"
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0' || packages="$packages libharfbuzz-subset0"
command -v fc-list >/dev/null 2>&1 || packages="$packages fontconfig"
[ -z "$packages" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing PDF prerequisites:$packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
else
  echo "PDF prerequisites missing. Install them with:"
  echo "  sudo apt-get install -y$packages"
fi
