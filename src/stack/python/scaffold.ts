/**
 * A Python MCP server built with uv: written once by `sophia stack
 * new-server --python`, then the user's own code (no generated header).
 * The Dockerfile follows uv's Docker guidance: bytecode compiled, packages
 * copied (not linked) from the cache, dependencies in their own layer.
 */
import { IMAGES } from "../images.ts";
import type { GeneratedFile } from "../model.ts";
import { pyprojectToml, serverPy, testServerPy } from "./sources.ts";

export interface ScaffoldOptions {
  name: string;
  port: number;
  pythonImage: string;
}

/** `my-server` → `my_server`: the importable package name. */
export function packageName(name: string): string {
  return name.replaceAll("-", "_");
}

function dockerfile(options: ScaffoldOptions): string {
  const image = `python:${options.pythonImage}`;
  const probe = `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${options.port}/healthz', timeout=3)`;
  return `# syntax=docker/dockerfile:1
FROM ${image} AS build
COPY --from=${IMAGES.uv} /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=0
WORKDIR /app
# Dependencies first, in their own layer: it changes only with uv.lock.
RUN --mount=type=cache,target=/root/.cache/uv \\
    --mount=type=bind,source=uv.lock,target=uv.lock \\
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
    uv sync --locked --no-install-project --no-dev
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \\
    uv sync --locked --no-dev --no-editable

FROM ${image}
RUN groupadd --system --gid 10001 app \\
 && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /app/.venv /app/.venv
ENV PATH="/app/.venv/bin:$PATH" PORT=${options.port}
USER 10001:10001
EXPOSE ${options.port}
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \\
  CMD ${JSON.stringify(["python", "-c", probe])}
CMD ["python", "-m", "${packageName(options.name)}.server"]
`;
}

function readme(options: ScaffoldOptions): string {
  return `# ${options.name}

An MCP server (streamable HTTP on port ${options.port}, path \`/mcp\`) scaffolded by
\`sophia stack new-server --python ${options.name}\`. It is yours to edit.

    uv lock                 # once: creates uv.lock (commit it; the image build needs it)
    uv run pytest           # tests
    uv run python -m ${packageName(options.name)}.server   # serve on http://127.0.0.1:${options.port}/mcp

Sophia reaches it as \`http://${options.name}:${options.port}/mcp\` inside the Compose stack
(\`servers.${options.name}\` in sophia.yaml). Run \`sophia stack generate\` after changing its port.
`;
}

export function scaffoldPythonServer(options: ScaffoldOptions): GeneratedFile[] {
  const pkg = packageName(options.name);
  return [
    { path: "pyproject.toml", content: pyprojectToml(options.name) },
    { path: `src/${pkg}/__init__.py`, content: `"""The ${options.name} MCP server."""\n` },
    { path: `src/${pkg}/server.py`, content: serverPy(options.name, options.port) },
    { path: "tests/test_server.py", content: testServerPy(pkg) },
    { path: "README.md", content: readme(options) },
    { path: "Dockerfile", content: dockerfile(options) },
    { path: ".dockerignore", content: ".venv\n__pycache__\n*.pyc\n.pytest_cache\ntests\n" },
  ];
}
