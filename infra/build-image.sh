#!/usr/bin/env bash
# Builds the AspService image from the repository:  bash infra/build-image.sh TAG
#   BASE_IMAGE   base image (default mcr.microsoft.com/dotnet/runtime-deps:10.0; offline:
#                local/runtime-deps:bookworm from infra/make-local-base.sh)
# The server is published self-contained for linux-x64 on this machine (.NET SDK and NuGet needed here),
# then copied into the image; the image build itself downloads nothing except the base image.
set -euo pipefail
tag="${1:?usage: bash infra/build-image.sh TAG}"
base="${BASE_IMAGE:-mcr.microsoft.com/dotnet/runtime-deps:10.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
context="$root/artifacts/image"

rm -rf "$context"
mkdir -p "$context/data/tmp"
dotnet publish "$root/src/AspService.Server" -c Release -r linux-x64 --self-contained true \
  -p:PublishTrimmed=false -p:GenerateDocumentationFile=false -o "$context/app" --nologo
# Development settings have no place in a production image.
rm -f "$context/app/appsettings.Development.json"
docker build --pull=false --build-arg "BASE_IMAGE=$base" -t "$tag" -f "$root/infra/Dockerfile" "$context"
echo "built $tag (base $base)"
