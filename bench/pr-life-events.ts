import { prPayload, reviewPayload } from '../dev/local/pr-payloads.js';
import { toRecord } from '../src/shared/json-reader.js';

type Delivery = { event: string; payload: unknown };

const REVIEWER = { login: 'bench-reviewer', id: 7101 };
const LABEL = { id: 9101, name: 'needs-qa', color: 'ededed', default: false, description: null };

/**
 * One PR's life as GitHub delivers it: opened, an approving review, a label added, merged (GitHub's example
 * payloads, `updated_at` in order).
 */
export function prLife(repo: string, number: number): Array<{ step: string; delivery: Delivery }> {
  const origin = Date.now() - 60_000;
  const at = (i: number) => new Date(origin + i * 1000).toISOString();
  const title = `Life of ${number}`;
  const labeled = withLabel(prPayload({ action: 'labeled', repo, number, title, updatedAt: at(3) }));
  labeled['label'] = LABEL;
  const merged = prPayload({ action: 'closed', repo, number, title, state: 'closed', merged: true, updatedAt: at(4) });
  return [
    { step: 'open', delivery: pr(prPayload({ action: 'opened', repo, number, title, updatedAt: at(1) })) },
    {
      step: 'review',
      delivery: {
        event: 'pull_request_review',
        payload: reviewPayload({
          action: 'submitted',
          state: 'approved',
          reviewer: REVIEWER,
          reviewId: number * 10,
          submittedAt: at(2),
          prUpdatedAt: at(2),
          repo,
          number,
          title,
        }),
      },
    },
    { step: 'label', delivery: pr(labeled) },
    {
      step: 'merge',
      delivery: pr(withLabel(merged)),
    },
  ];
}

const pr = (payload: unknown): Delivery => ({ event: 'pull_request', payload });

/** The label stays on the PR from when it is added: every later payload lists it. */
function withLabel(payload: Record<string, unknown>): Record<string, unknown> {
  return { ...payload, pull_request: { ...toRecord(payload['pull_request']), labels: [LABEL] } };
}
