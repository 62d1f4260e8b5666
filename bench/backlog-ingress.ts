import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Firestore } from '@google-cloud/firestore';
import express from 'express';
import { createWebhookRoute } from '../src/github/webhook-route.js';
import { createLogger } from '../src/log.js';
import { createFirestoreDeliveryStore } from '../src/store/pipeline/delivery-store.js';

export interface BacklogIngress {
  /** Where to send the backlog's deliveries: `${baseUrl}/github/webhooks`. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The product's own webhook route in the bench process, with no job runner behind it: it verifies and stores each
 * delivery with its fan-out job like an instance's ingress, and leaves every job to the instances that drain. So the
 * backlog reaches Firestore at the same pace whatever the number of instances, and their CPU goes to draining only.
 */
export async function startBacklogIngress(o: {
  db: Firestore;
  webhookSecret: string;
  /** The time stamped on each delivery and its job (the job is due then): later than now stores work not yet due. */
  now?: () => Date;
}): Promise<BacklogIngress> {
  const app = express();
  app.use(
    createWebhookRoute({
      secret: o.webhookSecret,
      deliveries: createFirestoreDeliveryStore(o.db),
      log: createLogger({ level: 'warn' }),
      now: o.now ?? (() => new Date()),
      // No runner here: the jobs are the instances' to claim.
      reserveJob: () => null,
      onAccepted: () => undefined,
    }),
  );
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
