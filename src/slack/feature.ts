import type { AppDeps, Feature } from '../app-deps.js';

// Placeholder until the Slack side lands (issue: Slack side). Owned by the Slack work.
export function createSlackFeature(_deps: AppDeps): Feature {
  return { mount: () => undefined };
}
