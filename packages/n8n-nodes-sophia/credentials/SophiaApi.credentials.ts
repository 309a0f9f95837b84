import type {
  IAuthenticateGeneric,
  ICredentialTestRequest,
  ICredentialType,
  Icon,
  INodeProperties,
} from "n8n-workflow";

/** The gateway's base URL and an API key, sent as `Authorization: Bearer <key>`. */
export class SophiaApi implements ICredentialType {
  name = "sophiaApi";

  displayName = "Sophia API";

  icon: Icon = { light: "file:../icons/sophia.svg", dark: "file:../icons/sophia.dark.svg" };

  documentationUrl = "https://sophia.invalid/docs/n8n#credentials";

  properties: INodeProperties[] = [
    {
      displayName: "Gateway URL",
      name: "url",
      type: "string",
      default: "http://127.0.0.1:8080",
      placeholder: "http://127.0.0.1:8080",
      required: true,
      description: "Base URL of the Sophia gateway, without /mcp or /v1",
    },
    {
      displayName: "API Key",
      name: "apiKey",
      type: "string",
      typeOptions: { password: true },
      default: "",
      description:
        "A key made with `sophia keys create` (sk_sophia_…). Leave empty when the gateway runs with authentication off.",
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: "generic",
    properties: {
      headers: {
        Authorization: '={{$credentials.apiKey ? "Bearer " + $credentials.apiKey : ""}}',
      },
    },
  };

  test: ICredentialTestRequest = {
    request: {
      baseURL: "={{$credentials.url}}",
      url: "/v1/tools",
      method: "GET",
    },
  };
}
