#!/usr/bin/env bash
# Regenerates the C# client in Generated/ from the committed contract, docs/openapi/v1.json, with the
# Kiota version pinned in .config/dotnet-tools.json. Run it after every contract change and commit
# Generated/ with the document: GeneratedClientTests fails while the two disagree.
#
#   src/JinanDataOps.Client/generate.sh
#
# Deterministic: relative paths from the repository root (kiota-lock.json records the description's
# location relative to itself), the pinned Kiota, --clean-output (no file of an older generation
# survives), and no network (no update check, no telemetry), so the same document always gives the
# same files.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Kiota's own switches: no update check against GitHub, no telemetry, no hints.
export KIOTA_OFFLINE_ENABLED=true KIOTA_CLI_TELEMETRY_OPTOUT=true KIOTA_TUTORIAL_ENABLED=false

description=docs/openapi/v1.json
output=src/JinanDataOps.Client/Generated

dotnet tool restore >/dev/null
# --exclude-backward-compatible: a new client has no obsolete members to keep.
# Serializers: the API speaks JSON (problem+json included); text/plain is kept for plain-text answers.
# Form and multipart are left out, so the project needs two serialization packages, not four.
dotnet kiota generate \
  --language CSharp \
  --openapi "$description" \
  --output "$output" \
  --namespace-name JinanDataOps.Client \
  --class-name JinanDataOpsClient \
  --clean-output \
  --exclude-backward-compatible \
  --serializer Microsoft.Kiota.Serialization.Json.JsonSerializationWriterFactory \
  --serializer Microsoft.Kiota.Serialization.Text.TextSerializationWriterFactory \
  --deserializer Microsoft.Kiota.Serialization.Json.JsonParseNodeFactory \
  --deserializer Microsoft.Kiota.Serialization.Text.TextParseNodeFactory \
  --log-level Warning

# kiota-lock.json's descriptionHash is a SHA-512 of the document as Kiota re-serializes it (OpenAPI.NET,
# terse 3.1 JSON), which a test cannot recompute without Kiota's own OpenAPI.NET 3.x (the host uses 2.x).
# So the generation also records the SHA-256 of the document it read, in sha256sum's format, and
# GeneratedClientFreshnessTests compares it with the committed one. Carriage returns are dropped
# first, so a Windows checkout (CRLF) records the same hash.
echo "$(tr -d '\r' < "$description" | sha256sum | cut -d' ' -f1)  $description" > "$output/openapi.sha256"
echo "generated $(find "$output" -name '*.cs' | wc -l) files in $output from $description ($(cut -c1-12 "$output/openapi.sha256"))"
