import { createHash } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import express, { type Request, type Response, type Router } from 'express';
import type { LogPort } from '../pipeline/ports.js';
import { requestTrace } from '../access-log.js';
import { JsonShapeError } from '../shared/json-reader.js';
import { toJobRequest } from '../queue/job-kind.js';
import type { ClaimAtEnqueue, ClaimedJob } from '../queue/job-store.js';
import type { DeliveryStore } from '../pipeline/ports.js';
import { fanOutJob, fanOutKey } from '../pipeline/jobs.js';
import { toPrEvent } from './to-pr-event.js';
import type { PrEvent } from '../pipeline/core/pr-event.js';

export interface WebhookRouteOptions {
  secret: string;
  deliveries: DeliveryStore;
  log: LogPort;
  now: () => Date;
  /** This instance's runner taking the delivery's job as it is created (leased in the same write), if it has room. */
  reserveJob: () => ClaimAtEnqueue | null;
  /** Starts the reads the delivery's fan-out needs first, while it is stored: only when this instance takes the job. */
  readAhead?: (input: { deliveryId: string; event: PrEvent }) => void;
  /** New work was committed: start it here at once (already leased when `claimed`) instead of waiting for a look. */
  onAccepted: (accepted: { jobId: string; claimed: ClaimedJob | null }) => void;
  maxBodyBytes?: number;
  keepDeliveriesMs?: number;
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
// GitHub's event names are short snake_case words (`pull_request_review_thread` is among the longest).
const EVENT_NAME = /^[a-z_]{1,64}$/;
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * POST /github/webhooks: verify the signature on the raw body, map the event, and commit the delivery with its
 * fan-out job in one batch before answering. The answer never waits for Slack; a redelivery (same delivery id,
 * or same body) is a no-op 200.
 */
export function createWebhookRoute(options: WebhookRouteOptions): Router {
  const webhooks = new Webhooks({ secret: options.secret });
  const router = express.Router();
  // The two most common set-up mistakes get answers (and warnings) that name the fix.
  const requireJson = (req: Request, res: Response, next: () => void) => {
    if (req.is('application/json')) return next();
    const error = req.is('application/x-www-form-urlencoded')
      ? "content type must be application/json: set the webhook's content type to application/json on GitHub (its default is application/x-www-form-urlencoded)"
      : 'content type must be application/json';
    options.log.warn(
      { content_type: req.get('content-type') ?? null, delivery_id: req.get('x-github-delivery') ?? null },
      error,
    );
    res.status(415).json({ error });
  };
  const raw = express.raw({ type: () => true, limit: options.maxBodyBytes ?? 1024 * 1024 });

  router.post('/github/webhooks', requireJson, raw, async (req, res) => {
    const name = req.get('x-github-event');
    const deliveryId = req.get('x-github-delivery');
    const signature = req.get('x-hub-signature-256');
    if (!name || !deliveryId || !signature) {
      return void res
        .status(400)
        .json({ error: 'X-GitHub-Event, X-GitHub-Delivery and X-Hub-Signature-256 are required' });
    }
    if (!DELIVERY_ID.test(deliveryId)) return void res.status(400).json({ error: 'X-GitHub-Delivery is malformed' });
    if (!EVENT_NAME.test(name)) return void res.status(400).json({ error: 'X-GitHub-Event is malformed' });
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = rawBody.toString('utf8');
    const valid = body.length > 0 && (await webhooks.verify(body, signature).catch(() => false));
    if (!valid) {
      const error =
        'signature does not match: the secret configured on the GitHub webhook (or App) must equal GITHUB_WEBHOOK_SECRET';
      options.log.warn({ delivery_id: deliveryId, event: name }, error);
      return void res.status(401).json({ error });
    }

    const log = options.log.child({ delivery_id: deliveryId, event: name, ...requestTrace(res) });
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return void res.status(400).json({ error: 'body is not valid JSON' });
    }
    let mapped;
    try {
      mapped = toPrEvent({ name, payload });
    } catch (err) {
      if (!(err instanceof JsonShapeError)) throw err;
      log.warn({ problem: err.message }, 'malformed delivery refused');
      return void res.status(400).json({ error: err.message });
    }
    if (mapped.kind === 'ignored') return void res.status(202).json({ status: 'ignored', reason: mapped.reason });

    const { event } = mapped;
    const job = toJobRequest(fanOutJob, { deliveryId, event }, fanOutKey(deliveryId));
    const claimFor = options.reserveJob();
    if (claimFor) options.readAhead?.({ deliveryId, event });
    const outcome = await options.deliveries
      .accept({
        // The same signed body under a new delivery id is a replay, not a new event.
        deliveryId,
        bodySha256: createHash('sha256').update(rawBody).digest('hex'),
        event: name,
        action: event.action,
        receivedAt: options.now(),
        job,
        keepForMs: options.keepDeliveriesMs ?? THIRTY_DAYS_MS,
        ...(claimFor ? { claimFor } : {}),
      })
      .catch((err: unknown) => {
        // Not stored: say so with a 5xx so the delivery shows as failed on GitHub and can be redelivered.
        log.error({ err }, 'could not store delivery');
        return 'failed' as const;
      });
    if (outcome === 'failed') return void res.status(503).json({ error: 'could not store the delivery, try again' });
    if (outcome.outcome === 'duplicate') {
      log.info({}, 'redelivery ignored');
      return void res.status(200).json({ status: 'duplicate' });
    }
    log.info({ action: event.action, repo: event.pr.repoFullName, pr: event.pr.number }, 'delivery accepted');
    res.status(202).json({ status: 'accepted' });
    // After the answer is on its way: the job's first steps never delay GitHub's 2xx.
    options.onAccepted({ jobId: job.id, claimed: outcome.claimed });
  });
  return router;
}
