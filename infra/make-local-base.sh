#!/usr/bin/env bash
# Builds the offline stand-in for Microsoft's runtime-deps image (.NET 10, Debian 12 "bookworm", with ICU and
# tzdata) from Debian packages, for machines that reach a Debian mirror but no container registry:
#   sudo bash infra/make-local-base.sh [IMAGE]        (default local/runtime-deps:bookworm)
# Needs root, debootstrap and docker. The packages are the ones the runtime-deps image carries.
set -euo pipefail
image="${1:-local/runtime-deps:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
dir="$(mktemp -d /tmp/runtime-deps.XXXXXX)"
trap 'rm -rf "$dir"' EXIT

debootstrap --variant=minbase \
  --include=ca-certificates,libc6,libgcc-s1,libssl3,libstdc++6,zlib1g,libicu72,tzdata,libgssapi-krb5-2 \
  bookworm "$dir" "$mirror"
# apt caches and lists are not needed at run time.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
tar -C "$dir" -c . | docker import - "$image"
echo "built $image"
