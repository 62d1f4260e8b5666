import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { readBody } from './fake-slack-request.js';
import type { IncomingMessage } from 'node:http';

// Slack lets a response_url be used five times (within 30 minutes).
const MAX_USES = 5;

/** response_url endpoints for slash commands; every JSON body POSTed to one is recorded in order. */
export class FakeResponseUrls {
  private readonly received = new Map<string, Array<Record<string, unknown>>>();

  create(baseUrl: string): { url: string; responses(): Array<Record<string, unknown>> } {
    const id = randomBytes(8).toString('hex');
    const list: Array<Record<string, unknown>> = [];
    this.received.set(id, list);
    return { url: `${baseUrl}/response/${id}`, responses: () => list.map((r) => structuredClone(r)) };
  }

  async handle(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const list = this.received.get(id);
    const reply = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!list || req.method !== 'POST') return reply(404, { ok: false, error: 'invalid_response_url' });
    if (list.length >= MAX_USES) return reply(404, { ok: false, error: 'used_url' });
    const raw = await readBody(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return reply(400, { ok: false, error: 'invalid_json' });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return reply(400, { ok: false, error: 'json_not_object' });
    }
    list.push(parsed as Record<string, unknown>);
    reply(200, { ok: true });
  }

  clear(): void {
    this.received.clear();
  }
}
