/** The Sophia node's parameters: Tool (List Tools, Call Tool) and Knowledge (Search). */
import type { INodeProperties } from "n8n-workflow";

const toolCall = { show: { resource: ["tool"], operation: ["call"] } };
const knowledgeSearch = { show: { resource: ["knowledge"], operation: ["search"] } };

export const properties: INodeProperties[] = [
  {
    displayName: "Resource",
    name: "resource",
    type: "options",
    noDataExpression: true,
    options: [
      { name: "Knowledge", value: "knowledge" },
      { name: "Tool", value: "tool" },
    ],
    default: "tool",
  },
  {
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { resource: ["tool"] } },
    options: [
      {
        name: "Call Tool",
        value: "call",
        action: "Call a tool",
        description: "Call one tool of a server behind the gateway with JSON arguments",
      },
      {
        name: "List Tools",
        value: "list",
        action: "List tools",
        description: "List every tool the gateway serves to this API key",
      },
    ],
    default: "call",
  },
  {
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { resource: ["knowledge"] } },
    options: [
      {
        name: "Search",
        value: "search",
        action: "Search knowledge",
        description: "Search the documents a Sophia flow keeps in sync from your databases",
      },
    ],
    default: "search",
  },
  {
    displayName: "Server Name or ID",
    name: "server",
    type: "options",
    typeOptions: { loadOptionsMethod: "getServers" },
    required: true,
    default: "",
    displayOptions: toolCall,
    description:
      'The MCP server, as named in sophia.yaml. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
  },
  {
    displayName: "Tool Name or ID",
    name: "tool",
    type: "options",
    typeOptions: { loadOptionsMethod: "getTools", loadOptionsDependsOn: ["server"] },
    required: true,
    default: "",
    displayOptions: toolCall,
    description:
      'The tool to call, without the server prefix. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
  },
  {
    displayName: "Arguments",
    name: "arguments",
    type: "json",
    default: "{}",
    displayOptions: toolCall,
    description: "The tool's arguments as a JSON object (see the tool's input schema)",
  },
  {
    displayName: "Knowledge Server",
    name: "knowledgeServer",
    type: "string",
    default: "knowledge",
    displayOptions: knowledgeSearch,
    description: "The name of the built-in knowledge server in sophia.yaml",
  },
  {
    displayName: "Query",
    name: "query",
    type: "string",
    required: true,
    default: "",
    placeholder: "e.g. customer cannot log in after password reset",
    displayOptions: knowledgeSearch,
    description: "What to look for, in plain words",
  },
  {
    displayName: "Top K",
    name: "topK",
    type: "number",
    typeOptions: { minValue: 1, maxValue: 50 },
    default: 5,
    displayOptions: knowledgeSearch,
    description: "How many documents to return at most (1-50)",
  },
  {
    displayName: "Filter",
    name: "filter",
    type: "json",
    default: "{}",
    displayOptions: knowledgeSearch,
    description:
      'Metadata keys that must be equal, as a JSON object such as {"category": "billing"}; {} for no filter',
  },
];
