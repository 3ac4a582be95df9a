"""A real MCP client (the official Python SDK, `mcp` on PyPI) against apidrift.

Run by tests/daemon/daemon_run/mcp.rs (`cargo test --test daemon mcp`) against a daemon
with a drifted integration, once per transport:

  client.py http URL TOKEN [read|operate]       streamable HTTP at the daemon's /mcp
  client.py stdio APIDRIFT CONFIG TOKEN [read|operate]   `apidrift mcp` on stdio

Lists the tools, calls each one, validates every structured output against the tool's
output schema (jsonschema), and checks that a read token cannot call request_check or
acknowledge and that no tool accepts a baseline. Prints one JSON line of latencies.
Exits non-zero on the first failed expectation.
"""

import asyncio
import json
import sys
import time

import httpx2
import jsonschema
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

EXPECTED = {
    "list_integrations", "get_integration", "get_history", "get_preflight",
    "dry_run_contract", "request_check", "acknowledge",
}
OPERATE = {"request_check", "acknowledge"}


def field(obj, *names):
    for n in names:
        if hasattr(obj, n):
            return getattr(obj, n)
    raise AttributeError(names)


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


async def call(session, schemas, name, args, latencies):
    t = time.perf_counter()
    r = await session.call_tool(name, args)
    key = name if name not in latencies else f"{name} (again)"
    latencies[key] = round((time.perf_counter() - t) * 1000, 2)
    if field(r, "is_error", "isError"):
        return None, r
    out = field(r, "structured_content", "structuredContent")
    if out is None:
        fail(f"{name}: no structured content")
    jsonschema.validate(out, schemas[name])
    return out, r


def text_of(r):
    return " ".join(getattr(c, "text", "") for c in field(r, "content"))


async def exercise(session, scope):
    await session.initialize()
    listed = await session.list_tools()
    tools = {t.name: t for t in listed.tools}
    if set(tools) != EXPECTED:
        fail(f"tools {sorted(tools)}")
    schemas = {}
    for name, t in tools.items():
        inp = field(t, "input_schema", "inputSchema")
        out = field(t, "output_schema", "outputSchema")
        if not t.description or inp.get("type") != "object" or not out:
            fail(f"{name}: needs a description, an input and an output schema")
        jsonschema.Draft202012Validator.check_schema(out)
        schemas[name] = out
        taken = {k.lower() for k in inp.get("properties", {})}
        if any(w in k for k in taken for w in ("baseline", "url", "secret", "token", "spec")):
            fail(f"{name} takes {sorted(taken)}")
    lat = {}
    out, _ = await call(session, schemas, "list_integrations", {}, lat)
    drifted = [i for i in out["integrations"] if i["status"] == "drifted"]
    if not drifted:
        fail(f"no drifted integration in {out}")
    name = drifted[0]["name"]
    out, _ = await call(session, schemas, "get_integration", {"name": name}, lat)
    if not out["changes"] or "remediation" not in out["changes"][0]:
        fail(f"get_integration: changes without remediation: {out}")
    await call(session, schemas, "get_history", {"name": name}, lat)
    out, _ = await call(session, schemas, "get_preflight", {"name": name}, lat)
    contract = [{"operation": "GET /users", "entity": "user", "fields": ["id", "email"]}]
    out, _ = await call(session, schemas, "dry_run_contract", {"integration": name, "consumes": contract}, lat)
    if out["resolves"] is not True or out["verdict"]["counts"]["lost"] != 1:
        fail(f"dry_run_contract: {out}")
    out, r = await call(session, schemas, "get_integration", {"name": "../../etc/passwd"}, lat)
    if out is not None:
        fail("a path in a name was accepted")
    # Operate tools.
    chk, r = await call(session, schemas, "request_check", {"name": name}, lat)
    ack, r2 = await call(session, schemas, "acknowledge", {"name": name, "reason": "regenerating the fetcher"}, lat)
    if scope == "read":
        for n, o, res in (("request_check", chk, r), ("acknowledge", ack, r2)):
            if o is not None or "operate" not in text_of(res):
                fail(f"a read token called {n}: {o}")
    else:
        if chk is None or chk["result"] not in ("drift", "unchanged"):
            fail(f"request_check: {text_of(r)}")
        if ack is None or ack["acknowledged"]["reason"] != "regenerating the fetcher":
            fail(f"acknowledge: {text_of(r2)}")
    # No tool accepts a baseline: there is none to call, and an unknown one is refused.
    try:
        r = await session.call_tool("accept_baseline", {"name": name})
        if not field(r, "is_error", "isError"):
            fail("accept_baseline answered")
    except Exception:
        pass
    print(json.dumps({"scope": scope, "latency_ms": lat}))


async def main():
    mode = sys.argv[1]
    if mode == "http":
        url, token, scope = sys.argv[2], sys.argv[3], sys.argv[4]
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
            async with streamable_http_client(url, http_client=http) as (read, write, *_):
                async with ClientSession(read, write) as session:
                    await exercise(session, scope)
    elif mode == "stdio":
        exe, config, token, scope = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
        params = StdioServerParameters(command=exe, args=["mcp", "--config", config], env={"APIDRIFT_TOKEN": token})
        async with stdio_client(params) as (read, write, *_):
            async with ClientSession(read, write) as session:
                await exercise(session, scope)
    else:
        fail(f"unknown mode {mode}")


asyncio.run(main())
