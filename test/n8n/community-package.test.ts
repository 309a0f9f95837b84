/**
 * n8n-nodes-sophia as users get it: `npm pack` of the built package, unpacked
 * where n8n keeps the community packages installed from its UI
 * (~/.n8n/nodes/node_modules/n8n-nodes-sophia). Proves the tarball carries
 * everything n8n needs (no runtime dependencies, `n8n` section paths) and that
 * the node types are then named `n8n-nodes-sophia.sophia` and
 * `n8n-nodes-sophia.sophiaTrigger`.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  COMMUNITY_PREFIX,
  flowWebhookCredential,
  flowWorkflow,
  sophiaApiCredential,
} from "../fixtures/n8n/flow-workflow.ts";
import { N8n } from "../support/n8n.ts";
import { executionError, nodeOutput } from "../support/n8n-api.ts";
import { insertEventBody, signature } from "../support/n8n-flow.ts";
import { startKeyedGateway, triageAnswer } from "../support/n8n-gateway.ts";
import { n8nSkip, packSophiaNodes, requireSophiaNodes } from "../support/n8n-install.ts";

const WORKFLOW_ID = "SophiaCommunity1";
const API_CREDENTIAL_ID = "SophiaGateway002";
const SECRET_CREDENTIAL_ID = "SophiaFlowSecr02";
const PATH = "sophia-community";

describe("n8n-nodes-sophia installed as a community package", { skip: n8nSkip() }, () => {
  const secret = `n8n-community-${randomBytes(12).toString("hex")}`;
  let gateway: Awaited<ReturnType<typeof startKeyedGateway>> | undefined;
  let n8n: N8n;
  let dir = "";
  let unpacked = "";

  before(
    async () => {
      n8n = new N8n();
      requireSophiaNodes();
      dir = await mkdtemp(join(tmpdir(), "sophia-n8n-pack-"));
      unpacked = await packSophiaNodes(dir);
      gateway = await startKeyedGateway();
      await n8n.start({
        communityPackage: { name: "n8n-nodes-sophia", dir: unpacked },
        credentials: [
          sophiaApiCredential(API_CREDENTIAL_ID, gateway.url, gateway.key),
          flowWebhookCredential(SECRET_CREDENTIAL_ID, secret),
        ],
        workflows: [
          flowWorkflow({
            id: WORKFLOW_ID,
            path: PATH,
            apiCredentialId: API_CREDENTIAL_ID,
            secretCredentialId: SECRET_CREDENTIAL_ID,
            prefix: COMMUNITY_PREFIX,
          }),
        ],
      });
    },
    { timeout: 240_000 },
  );

  after(async () => {
    await n8n?.stop();
    await gateway?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("the tarball has no runtime dependencies and lists only files it ships", async () => {
    const manifest = JSON.parse(await readFile(join(unpacked, "package.json"), "utf8"));
    assert.equal(manifest.dependencies, undefined);
    for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
      await readFile(join(unpacked, file)); // throws ENOENT, naming the file, when it is missing
    }
  });

  test("a signed request runs the workflow; its Sophia node calls the tool", {
    timeout: 60_000,
  }, async () => {
    const body = insertEventBody("tickets", { id: 5, subject: "vpn down" });
    const response = await fetch(n8n.webhookUrl(PATH), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-sophia-signature": signature(secret, body, Math.floor(Date.now() / 1000)),
        "x-sophia-flow": "tickets",
      },
      body,
    });
    assert.equal(response.status, 200, `${await response.text()}\n${n8n.logTail()}`);
    const [execution] = await n8n.api.finishedExecutions(WORKFLOW_ID, 1);
    assert.ok(execution);
    assert.equal(execution.status, "success", executionError(execution) ?? "");
    const [result] = nodeOutput(execution, "Triage");
    assert.equal(result?.text, triageAnswer(5, "vpn down"));
  });
});
