/** Python and TOML sources of a scaffolded MCP server. */

export function pyprojectToml(name: string): string {
  return `[project]
name = "${name}"
version = "0.1.0"
description = "The ${name} MCP server for Sophia"
readme = "README.md"
requires-python = ">=3.12"
dependencies = ["mcp>=1.20,<2"]

[dependency-groups]
dev = ["pytest>=8"]

[build-system]
requires = ["uv_build>=0.9,<0.12"]
build-backend = "uv_build"
`;
}

export function serverPy(name: string, port: number): string {
  return `"""${name}: an MCP server served over streamable HTTP at /mcp."""

import os

from mcp.server.fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse

mcp = FastMCP(
    "${name}",
    host=os.environ.get("HOST", "0.0.0.0"),
    port=int(os.environ.get("PORT", "${port}")),
    stateless_http=True,
)


@mcp.tool()
def echo(text: str) -> str:
    """Return the text unchanged. Replace with the server's real tools."""
    return text


@mcp.custom_route("/healthz", methods=["GET"])
async def healthz(_request: Request) -> JSONResponse:
    """Liveness for the container healthcheck and Traefik."""
    return JSONResponse({"status": "ok"})


def main() -> None:
    mcp.run(transport="streamable-http")


if __name__ == "__main__":
    main()
`;
}

export function testServerPy(pkg: string): string {
  return `import asyncio

from ${pkg}.server import echo, mcp


def test_echo_returns_its_input():
    assert echo("hello") == "hello"


def test_echo_is_listed_as_a_tool():
    tools = asyncio.run(mcp.list_tools())
    assert [tool.name for tool in tools] == ["echo"]
`;
}
