import type { Express } from 'express';
import type { AppDeps, Feature } from './app-deps.js';
import { googleCloudProjectOf } from './config.js';
import { createPipelineFeature, type QueueControl } from './pipeline/wiring.js';
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

/** The job runner needs at most about 4.5 s (3 s grace, 1.5 s to hand back); SIGTERM's 10 s include Firestore's close. */
const FEATURE_STOP_DEADLINE_MS = 5_000;

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
      // Each feature bounds its own work (the job runner hands back what it holds); this bounds the rest, e.g. a
      // slash-command reply that Slack is slow to take, so a stop always ends.
      const stopped = Promise.all(features.map((f) => f.stop?.()));
      const deadline = new Promise<'late'>((resolve) =>
        setTimeout(() => resolve('late'), FEATURE_STOP_DEADLINE_MS).unref(),
      );
      if ((await Promise.race([stopped, deadline])) === 'late')
        deps.log.warn({ after_ms: FEATURE_STOP_DEADLINE_MS }, 'stopping features took too long; going on');
    },
    queue: pipeline.queue,
  };
}
