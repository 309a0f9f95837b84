import type { ICredentialType, Icon, INodeProperties } from "n8n-workflow";

/**
 * The `secret` of a flow's webhook sink in sophia.yaml. The Sophia Trigger
 * checks each request's `x-sophia-signature` with it; nothing is sent anywhere.
 */
export class SophiaFlowWebhookApi implements ICredentialType {
  name = "sophiaFlowWebhookApi";

  // It is not an API: the name says what the user configures (the flow's webhook sink).
  // eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
  displayName = "Sophia Flow Webhook";

  icon: Icon = { light: "file:../icons/sophia.svg", dark: "file:../icons/sophia.dark.svg" };

  documentationUrl = "https://sophia.invalid/docs/n8n#sophia-trigger";

  properties: INodeProperties[] = [
    {
      displayName: "Signing Secret",
      name: "secret",
      type: "string",
      typeOptions: { password: true },
      default: "",
      required: true,
      description:
        "The same value as the webhook sink's `secret` in sophia.yaml (at least 16 characters)",
    },
  ];
}
