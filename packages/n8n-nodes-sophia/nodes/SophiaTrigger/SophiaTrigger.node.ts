import {
  type ICredentialsDecrypted,
  type ICredentialTestFunctions,
  type IDataObject,
  type INodeCredentialTestResult,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  type IWebhookFunctions,
  type IWebhookResponseData,
  NodeConnectionTypes,
} from "n8n-workflow";
import { parseEvents } from "./events";
import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, verifySignature } from "./signature";

/** The flow webhook sink refuses shorter secrets, so a shorter one can never verify. */
const MIN_SECRET_LENGTH = 16;

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// A flow's webhook sink is configured in sophia.yaml (its `url` is this node's
// production URL): there is no remote webhook for n8n to register, check or delete.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class SophiaTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: "Sophia Trigger",
    name: "sophiaTrigger",
    icon: { light: "file:../../icons/sophia.svg", dark: "file:../../icons/sophia.dark.svg" },
    group: ["trigger"],
    version: 1,
    subtitle: '={{"POST /" + $parameter["path"]}}',
    description:
      "Starts the workflow when a Sophia flow delivers database changes to its webhook sink",
    defaults: { name: "Sophia Trigger" },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      { name: "sophiaFlowWebhookApi", required: true, testedBy: "sophiaFlowWebhookSecret" },
    ],
    webhooks: [
      {
        name: "default",
        httpMethod: "POST",
        responseMode: "onReceived",
        path: '={{$parameter["path"]}}',
        isFullPath: true,
      },
    ],
    properties: [
      {
        displayName:
          "Set the production URL of this node as the webhook sink's <code>url</code> in sophia.yaml, and the same secret in the credential",
        name: "notice",
        type: "notice",
        default: "",
      },
      {
        displayName: "Path",
        name: "path",
        type: "string",
        default: "sophia-flow",
        required: true,
        placeholder: "orders-changed",
        description:
          "The webhook path: the sink's URL is the n8n base URL, then /webhook/, then this path",
      },
      {
        displayName: "Emit",
        name: "emit",
        type: "options",
        noDataExpression: true,
        options: [
          {
            name: "One Item per Change Event",
            value: "event",
            description: "Each insert, update, delete or truncate is its own item",
          },
          {
            name: "One Item per Request",
            value: "request",
            description:
              "One item with the flow name, the idempotency key and all events of the batch",
          },
        ],
        default: "event",
      },
      {
        displayName: "Options",
        name: "options",
        type: "collection",
        placeholder: "Add option",
        default: {},
        options: [
          {
            displayName: "Timestamp Tolerance (Seconds)",
            name: "toleranceSeconds",
            type: "number",
            typeOptions: { minValue: 1 },
            default: DEFAULT_TOLERANCE_SECONDS,
            description:
              "Requests signed longer ago (or further ahead) than this are refused with 401 as replays",
          },
        ],
      },
    ],
  };

  methods = {
    credentialTest: {
      async sophiaFlowWebhookSecret(
        this: ICredentialTestFunctions,
        credential: ICredentialsDecrypted,
      ): Promise<INodeCredentialTestResult> {
        const secret = String(credential.data?.secret ?? "");
        if (secret.length < MIN_SECRET_LENGTH)
          return {
            status: "Error",
            message: `The secret has ${secret.length} characters; a flow webhook sink needs at least ${MIN_SECRET_LENGTH}`,
          };
        return { status: "OK", message: "The secret can verify flow webhook requests" };
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const req = this.getRequestObject();
    const res = this.getResponseObject();
    const refuse = (status: number, code: string, message: string): IWebhookResponseData => {
      res.status(status).json({ error: { code, message } });
      return { noWebhookResponse: true };
    };

    // n8n keeps the request's bytes in rawBody; read them if nothing has yet.
    if (!req.rawBody && typeof req.readRawBody === "function") await req.readRawBody();
    const rawBody: Buffer = req.rawBody ?? Buffer.alloc(0);
    const { secret } = await this.getCredentials<{ secret: string }>("sophiaFlowWebhookApi");
    const options = this.getNodeParameter("options", {}) as { toleranceSeconds?: number };
    const headers = this.getHeaderData();
    const check = verifySignature({
      secret: String(secret ?? ""),
      rawBody,
      header: headers[SIGNATURE_HEADER],
      nowSeconds: Math.floor(Date.now() / 1000),
      toleranceSeconds: options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    });
    if (!check.ok) {
      this.logger.warn(`Sophia Trigger refused a request: ${check.message}`);
      return refuse(401, "SIGNATURE_INVALID", check.message);
    }

    const parsed = parseEvents(rawBody);
    if (!parsed.ok) return refuse(400, "INVALID_BODY", parsed.message);
    const { events } = parsed;
    const webhookResponse = { received: events.length };
    if (events.length === 0) return { webhookResponse };

    let items: INodeExecutionData[];
    if (this.getNodeParameter("emit", "event") === "request") {
      const batch: IDataObject = {
        flow: firstHeader(headers["x-sophia-flow"]) ?? null,
        idempotencyKey: firstHeader(headers["idempotency-key"]) ?? null,
        events,
      };
      items = [{ json: batch }];
    } else {
      items = events.map((event) => ({ json: event }));
    }
    return { webhookResponse, workflowData: [items] };
  }
}
