import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { toRecord } from '../../src/shared/json-reader.js';
import { decodeFakeSlackSnapshot } from '../fakes/fake-slack-snapshot.js';
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../fakes/fake-slack.js';
import { writeFileAtomic } from './atomic-file.js';

/** The fake Slack as local mode's Slack: its world is saved under the local data folder and restored at start. */
export interface LocalSlack {
  fake: FakeSlack;
  /** http://127.0.0.1:PORT (the page is served here too). */
  url: string;
  /** True when this start restored a saved world (false: first start, or the world was deleted). */
  restored: boolean;
  /** The chat.update calls made so far (newest last, bounded): they tell which messages show "(edited)". */
  updateCalls(): FakeSlackCall[];
  /** Runs `listener` after every change to the world (debounced); returns a function that stops it. */
  onChange(listener: () => void): () => void;
  /** Writes the world to disk now (also done shortly after every change). */
  save(): void;
  close(): Promise<void>;
}

const FILE = 'slack.json';
/** Changes come in bursts (a post, then reactions); one write and one page refresh per burst. */
const SETTLE_MS = 150;
const UPDATE_CALLS_KEPT = 2_000;

export async function startLocalSlack(options: {
  dataDir: string;
  clientId: string;
  clientSecret: string;
  port: number;
  otherRoutes: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}): Promise<LocalSlack> {
  const path = join(options.dataDir, FILE);
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | null = null;
  let updateCalls: FakeSlackCall[] = [];
  const changed = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      save();
      for (const listener of listeners) listener();
    }, SETTLE_MS);
  };
  const fake = await startFakeSlack({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    port: options.port,
    otherRoutes: options.otherRoutes,
    onApiCall: (call) => {
      // The fake records every call for tests; a long-running local Slack keeps only its edits.
      fake.calls.length = 0;
      if (call.method === 'chat.update') {
        const edit = { method: call.method, token: null, args: { ts: call.args['ts'], text: call.args['text'] } };
        updateCalls = [...updateCalls.slice(1 - UPDATE_CALLS_KEPT), edit];
      }
      changed();
    },
  });
  const save = () => writeFileAtomic(path, JSON.stringify({ world: fake.snapshot(), updateCalls }));
  let restored = false;
  if (existsSync(path)) {
    try {
      const saved = toRecord(JSON.parse(readFileSync(path, 'utf8')));
      fake.restore(decodeFakeSlackSnapshot(saved['world']));
      updateCalls = decodeUpdateCalls(saved['updateCalls']);
      restored = true;
    } catch (err) {
      await fake.close();
      throw new Error(
        `The local Slack's saved state (${path}) cannot be read: ${err instanceof Error ? err.message : String(err)}. ` +
          'Delete that file (or the whole local data folder) to start afresh.',
        { cause: err },
      );
    }
  }
  return {
    fake,
    url: fake.apiUrl.replace(/\/api\/$/, ''),
    restored,
    updateCalls: () => [...updateCalls],
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    save: () => {
      save();
      for (const listener of listeners) listener();
    },
    close: async () => {
      if (timer) clearTimeout(timer);
      save();
      await fake.close();
    },
  };
}

function decodeUpdateCalls(json: unknown): FakeSlackCall[] {
  if (!Array.isArray(json)) return [];
  return json.map((item) => {
    const args = toRecord(toRecord(item)['args']);
    return {
      method: 'chat.update',
      token: null,
      args: {
        ts: typeof args['ts'] === 'string' ? args['ts'] : '',
        text: typeof args['text'] === 'string' ? args['text'] : '',
      },
    };
  });
}
