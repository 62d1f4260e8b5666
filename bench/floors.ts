import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import type { FakeSlack } from '../dev/fakes/fake-slack.js';
import type { SlackMessenger } from '../src/pipeline/ports.js';
import { summarize, type Summary } from './stats.js';

/**
 * The floors the app's figures are divided by, measured in the same run on the same emulator and fake Slack:
 * what the fastest possible implementation would still have to pay.
 */

// A job carries the PR event (title, author, labels, links...): about this much JSON.
const EVENT_JSON = JSON.stringify({ pad: 'x'.repeat(1_500) });

/**
 * A bare batch creating the two documents a delivery needs (the delivery record and its fan-out job), `concurrency`
 * at a time, `samples` in all (ms each): the least a webhook that stores before it answers can cost.
 */
export async function bareBatchWrite(db: Firestore, o: { samples: number; concurrency: number }): Promise<number[]> {
  const times: number[] = [];
  let left = o.samples;
  const writer = async () => {
    while (left-- > 0) {
      const id = randomUUID();
      const now = new Date();
      const batch = db.batch();
      batch.create(db.collection('bench_floor_deliveries').doc(id), {
        event: 'pull_request',
        action: 'opened',
        received_at: now,
        status: 'queued',
        job_id: `fan-out-${id}`,
      });
      batch.create(db.collection('bench_floor_jobs').doc(`fan-out-${id}`), {
        kind: 'fan-out',
        state: 'ready',
        run_at: now,
        attempts: 0,
        event: EVENT_JSON,
      });
      const started = performance.now();
      await batch.commit();
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, writer));
  return times;
}

/** One document write, one at a time: a Firestore round trip. */
export async function firestoreRoundTrip(db: Firestore, samples: number): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await db.collection('bench_floor_round_trips').doc(`rt-${i}`).set({ at: new Date(), i });
    times.push(performance.now() - started);
  }
  return summarize(times);
}

/** One chat.postMessage to the fake Slack (with its latency), one at a time, from outside the app. */
export async function slackPost(slack: FakeSlack, o: { token: string; channel: string; samples: number }) {
  const times: number[] = [];
  for (let i = 0; i < o.samples; i++) {
    const started = performance.now();
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: o.channel, text: `floor ${i}` }),
    });
    await res.arrayBuffer();
    times.push(performance.now() - started);
  }
  return summarize(times);
}

/**
 * `targets.length` chat.postMessage at once through the app's own Slack client, and nothing else (no Firestore, no
 * queue): what a version that posts straight from the request, with no durability, pays for a fan-out on this
 * machine (the client, the fake Slack and its latency share the process's CPU). ms per round, `samples` rounds.
 */
export async function postsAtOnce(
  messenger: SlackMessenger,
  o: { targets: ReadonlyArray<{ token: string; channel: string }>; samples: number; pauseMs: number },
): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i < o.samples; i++) {
    // The app paces a channel to one post a second: leave that second between rounds here too.
    await new Promise((resolve) => setTimeout(resolve, o.pauseMs));
    const started = performance.now();
    await Promise.all(
      o.targets.map((t) =>
        messenger.postMessage({ token: t.token, channel: t.channel, text: `posting alone ${i}`, blocks: [] }),
      ),
    );
    times.push(performance.now() - started);
  }
  return summarize(times);
}
