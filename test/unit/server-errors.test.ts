import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubApiError } from '../../src/github-api/http.js';
import { createLogger } from '../../src/log.js';
import { createServer } from '../../src/server.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server whose one route fails with `failure`, as a handler calling an upstream would. */
async function serverFailingWith(failure: () => unknown): Promise<string> {
  const app = createServer({
    log: createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) }),
    baseUrl: 'http://127.0.0.1',
    command: '/notify',
    traceProjectId: null,
    isReady: () => Promise.resolve(true),
    mountFeatures(app) {
      app.get('/fails', () => {
        throw failure();
      });
      app.post('/json', express.json(), (_req, res) => void res.status(204).end());
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('HTTP answers to errors', () => {
  it("never answers with an upstream's status: GitHub's 404 on a call we made is our 500, not a 404", async () => {
    const base = await serverFailingWith(() => new GitHubApiError('GitHub answered 404', 404));
    const res = await fetch(`${base}/fails`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error' });
  });

  it("never answers with an upstream's 401 either (a client would think its own credentials were refused)", async () => {
    const base = await serverFailingWith(() => new GitHubApiError('GitHub answered 401', 401));
    expect((await fetch(`${base}/fails`)).status).toBe(500);
  });

  it('keeps the status of a bad request body (express.json refuses malformed JSON with 400)', async () => {
    const base = await serverFailingWith(() => new Error('unused'));
    const res = await fetch(`${base}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
  });
});
