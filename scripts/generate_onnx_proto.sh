#!/usr/bin/env bash
# Regenerates Sources/Engine/ONNX/onnx.pb.swift from onnx.proto of the pinned onnx wheel.
#
# Needs: protoc (Debian: apt-get install protobuf-compiler), Swift, and the swift-protobuf
# checkout SwiftPM made (`swift package resolve`). The proto file comes from the onnx wheel on
# PyPI, the same version requirements.txt pins; protoc-gen-swift is built from the same
# swift-protobuf version the package resolves, so the generated code matches the runtime.
#
# Usage: scripts/generate_onnx_proto.sh   (from anywhere; writes into the checkout)
set -euo pipefail

ONNX_VERSION=1.23.2
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/Sources/Engine/ONNX/onnx.pb.swift"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# 1. onnx.proto from the wheel (any platform's wheel carries the same file).
"$PYTHON" -m pip download --no-deps --disable-pip-version-check -q -d "$WORK/wheel" "onnx==$ONNX_VERSION"
(cd "$WORK" && unzip -q -o wheel/onnx-*.whl 'onnx/onnx.proto')

# 2. protoc-gen-swift from the resolved swift-protobuf, built outside the checkout's tree
#    (a release build takes minutes; PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift reuses one
#    built from the same version).
(cd "$REPO" && swift package resolve >/dev/null)
CHECKOUT="$REPO/.build/checkouts/swift-protobuf"
[ -d "$CHECKOUT" ] || { echo "no swift-protobuf checkout at $CHECKOUT" >&2; exit 1; }
PROTOBUF_VERSION="$(cd "$CHECKOUT" && git describe --tags 2>/dev/null || echo unknown)"
if [ -n "${PROTOC_GEN_SWIFT:-}" ]; then
    PLUGIN="$PROTOC_GEN_SWIFT"
else
    cp -R "$CHECKOUT" "$WORK/swift-protobuf"
    (cd "$WORK/swift-protobuf" && swift build -c release --product protoc-gen-swift >/dev/null)
    PLUGIN="$WORK/swift-protobuf/.build/release/protoc-gen-swift"
fi

# 3. Generate. Internal visibility: the generated types are the engine's business; its API is
#    ONNXModel and friends.
mkdir -p "$WORK/out"
protoc --plugin=protoc-gen-swift="$PLUGIN" --swift_opt=Visibility=Internal \
    --swift_out="$WORK/out" --proto_path="$WORK" "$WORK/onnx/onnx.proto"

# 4. Header naming the source and its licence, then the generated code.
{
    cat <<HEADER
// Generated from onnx.proto of the onnx $ONNX_VERSION wheel (PyPI) with protoc-gen-swift of
// swift-protobuf $PROTOBUF_VERSION by scripts/generate_onnx_proto.sh. Do not edit; regenerate.
//
// onnx.proto: Copyright (c) ONNX Project Contributors.
// SPDX-License-Identifier: Apache-2.0
// Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
// except in compliance with the License. You may obtain a copy of the License at
// http://www.apache.org/licenses/LICENSE-2.0
// Unless required by applicable law or agreed to in writing, software distributed under the
// License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
// either express or implied. See the License for the specific language governing permissions
// and limitations under the License.

HEADER
    cat "$WORK/out/onnx/onnx.pb.swift"
} > "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "wrote $OUT"
