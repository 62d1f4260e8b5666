import type { Express } from 'express';
import type { AppDeps, Feature } from './app-deps.js';
import { googleCloudProjectOf } from './config.js';
import { createPipelineFeature, type QueueControl } from './github/feature.js';
import { createGitHubAppSetupFeature } from './github-app-setup/feature.js';
import { createServer } from './server.js';
import { createSlackFeature } from './slack/feature.js';

export interface App {
  http: Express;
  /** Starts background work (the job worker). */
  start(): void;
  /** Stops background work; in-flight jobs finish or are handed back (their lease is released). */
  stop(): Promise<void>;
  /** The job queue, for tests and benches: wake it, count its Firestore reads. */
  queue: QueueControl;
}

/** Composes the features into one HTTP app. Shared by main.ts and the integration tests. */
export function createApp(deps: AppDeps): App {
  const pipeline = createPipelineFeature(deps);
  const features: Feature[] = [createSlackFeature(deps), pipeline, createGitHubAppSetupFeature(deps)];
  const http = createServer({
    log: deps.log,
    baseUrl: deps.config.baseUrl,
    command: deps.config.slack.command,
    traceProjectId: googleCloudProjectOf(deps.config),
    isReady: () => deps.store.ping(),
    mountFeatures: (app) => features.forEach((f) => f.mount(app)),
  });
  return {
    http,
    start: () => features.forEach((f) => f.start?.()),
    stop: async () => {
      await Promise.all(features.map((f) => f.stop?.()));
    },
    queue: pipeline.queue,
  };
}
