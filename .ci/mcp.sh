#!/usr/bin/env bash
# Installs the official MCP Python SDK (`mcp` on PyPI) and jsonschema for the MCP client
# tests (tests/mcp/client.py, run by `cargo test --test daemon mcp`).
set -euo pipefail
command -v python3 >/dev/null || { echo "error: the MCP client tests need python3" >&2; exit 2; }
python3 -m pip install --quiet --disable-pip-version-check "mcp==2.3.0" "jsonschema>=4.20"
python3 -c "import mcp, httpx2, jsonschema" && echo "mcp: python SDK ready"
