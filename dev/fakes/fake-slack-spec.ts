import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * What Slack's published OpenAPI description (a copy in dev/slack-api-specs) says about each Web API method:
 * that it exists, which arguments are required, and whether it needs a token. The fake refuses calls the real
 * Slack would refuse, so a typo in a method name or a forgotten argument fails the test instead of passing.
 */
export interface MethodSpec {
  name: string;
  /** Required arguments other than `token` (authentication is checked separately). */
  required: string[];
  needsToken: boolean;
}

const SPEC_PATH = fileURLToPath(
  new URL('../slack-api-specs/slack_web_openapi_v2_without_examples.json', import.meta.url),
);

interface RawParameter {
  name?: unknown;
  required?: unknown;
}
interface RawOperation {
  parameters?: RawParameter[];
  security?: Array<Record<string, string[]>>;
}

/**
 * Methods Slack published after this copy of the spec was made, as their reference pages describe them
 * (docs.slack.dev/reference/methods/…): Sign in with Slack's token exchange (every argument optional, no token) and
 * userInfo (the token it returned).
 */
const NEWER_METHODS: MethodSpec[] = [
  { name: 'openid.connect.token', required: [], needsToken: false },
  { name: 'openid.connect.userInfo', required: [], needsToken: true },
];

let cached: Map<string, MethodSpec> | null = null;

/** Every method the spec knows, keyed by name (e.g. `chat.postMessage`). Read once per process. */
export function loadSlackMethodSpecs(): Map<string, MethodSpec> {
  if (cached) return cached;
  const parsed: unknown = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('paths' in parsed)) {
    throw new Error(`${SPEC_PATH} is not the Slack OpenAPI description`);
  }
  const paths = (parsed as { paths: Record<string, Record<string, RawOperation>> }).paths;
  const specs = new Map<string, MethodSpec>();
  for (const [path, verbs] of Object.entries(paths)) {
    const name = path.replace(/^\//, '');
    const operation = Object.values(verbs)[0];
    if (!operation) continue;
    specs.set(name, toMethodSpec(name, operation));
  }
  for (const spec of NEWER_METHODS) specs.set(spec.name, spec);
  cached = specs;
  return specs;
}

function toMethodSpec(name: string, operation: RawOperation): MethodSpec {
  const params = operation.parameters ?? [];
  const required = params
    .filter((p) => p.required === true && typeof p.name === 'string' && p.name !== 'token')
    .map((p) => p.name as string);
  const tokenRequired = params.some((p) => p.name === 'token' && p.required === true);
  const scopes = (operation.security ?? []).flatMap((s) => Object.values(s).flat());
  // `none` marks methods without a scope; those still need a token when the spec lists it as required.
  const needsToken = tokenRequired || scopes.some((s) => s !== 'none');
  return { name, required, needsToken };
}
