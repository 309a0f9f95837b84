import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { openSession, raw, rpc, startSecured } from "./support.ts";

/** A fake OIDC issuer on 127.0.0.1: discovery document and JWKS, keys made by the test. */
async function fakeIssuer() {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  let base = "";
  const server: Server = createServer((req, res) => {
    const body =
      req.url === "/.well-known/openid-configuration"
        ? { issuer: base, jwks_uri: `${base}/jwks` }
        : req.url === "/jwks"
          ? { keys: [jwk] }
          : undefined;
    res
      .writeHead(body ? 200 : 404, { "content-type": "application/json" })
      .end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    privateKey,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("JWT bearer tokens against a fake issuer", () => {
  let issuer: Awaited<ReturnType<typeof fakeIssuer>>;
  let gw: Awaited<ReturnType<typeof startSecured>>;
  const AUD = "https://gateway.test/mcp";

  before(async () => {
    issuer = await fakeIssuer();
    gw = await startSecured({
      auth: {
        jwt: { issuer: issuer.base, audience: AUD, clockSkew: "5s" },
        requiredScopes: ["mcp"],
        scopesSupported: ["mcp"],
      },
    });
  });
  after(async () => {
    await gw?.stop();
    await issuer?.close();
  });

  async function token(
    overrides: {
      iss?: string;
      aud?: string;
      exp?: number;
      nbf?: number;
      scope?: string;
      key?: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
    } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ scope: overrides.scope ?? "mcp read" })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setSubject("user-1")
      .setIssuer(overrides.iss ?? issuer.base)
      .setAudience(overrides.aud ?? AUD)
      .setIssuedAt(now)
      .setExpirationTime(overrides.exp ?? now + 300);
    if (overrides.nbf !== undefined) jwt.setNotBefore(overrides.nbf);
    return jwt.sign(overrides.key ?? issuer.privateKey);
  }

  const ping = (bearer?: string) =>
    rpc(
      `${gw.url}/mcp`,
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "t", version: "1" },
        },
      },
      bearer ? { authorization: `Bearer ${bearer}` } : {},
    );

  test("a valid token opens a session", async () => {
    const session = await openSession(`${gw.url}/mcp`, {
      authorization: `Bearer ${await token()}`,
    });
    assert.ok(session);
  });

  test("no token, forged, expired, wrong audience, wrong issuer, nbf ahead, alg none: all 401 with WWW-Authenticate", async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = (await generateKeyPair("RS256")).privateKey;
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const claims = Buffer.from(
      JSON.stringify({ sub: "user-1", iss: issuer.base, aud: AUD, exp: now + 300 }),
    ).toString("base64url");
    const cases: Record<string, string | undefined> = {
      none: undefined,
      forged: await token({ key: other }),
      expired: await token({ exp: now - 60 }),
      audience: await token({ aud: "https://elsewhere" }),
      issuer: await token({ iss: "https://evil.example" }),
      notBefore: await token({ nbf: now + 600 }),
      algNone: `${header}.${claims}.`,
    };
    for (const [name, value] of Object.entries(cases)) {
      const res = await ping(value);
      assert.equal(res.status, 401, name);
      const challenge = String(res.headers["www-authenticate"]);
      assert.match(challenge, /resource_metadata="/, name);
      if (value !== undefined) assert.match(challenge, /error="invalid_token"/, name);
    }
  });

  test("a token without the required scope: 403 insufficient_scope naming it", async () => {
    const res = await ping(await token({ scope: "read" }));
    assert.equal(res.status, 403);
    assert.match(
      String(res.headers["www-authenticate"]),
      /error="insufficient_scope", scope="mcp"/,
    );
  });

  test("protected resource metadata (RFC 9728), root and path-suffixed", async () => {
    const doc = (await raw(`${gw.url}/.well-known/oauth-protected-resource/mcp`)).json();
    assert.equal(doc.resource, `${gw.url}/mcp`);
    assert.deepEqual(doc.authorization_servers, [issuer.base]);
    assert.deepEqual(doc.bearer_methods_supported, ["header"]);
    assert.deepEqual(doc.scopes_supported, ["mcp"]);
    assert.equal(
      (await raw(`${gw.url}/.well-known/oauth-protected-resource`)).json().resource,
      gw.url,
    );
    assert.equal((await raw(`${gw.url}/.well-known/oauth-protected-resource/nope`)).status, 404);
  });

  test("tokens never reach the log", async () => {
    const value = await token();
    await ping(value);
    await ping(`${value}x`);
    assert.ok(!gw.logs().includes(value.split(".")[2]!));
  });
});
