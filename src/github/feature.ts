import type { AppDeps, Feature } from '../app-deps.js';

// Placeholder until the pipeline lands (issue: PR notification pipeline). Owned by the pipeline work.
export function createPipelineFeature(_deps: AppDeps): Feature {
  return { mount: () => undefined };
}
