import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createFirestoreDigestStore, DIGEST_QUERIES } from '../../src/store/firestore/digest-store.js';
import { requiredIndex } from '../../src/store/firestore/index-requirements.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createTestFirestore } from '../support/firestore.js';

const { db } = createTestFirestore('digest-store');
const store = createFirestoreDigestStore(db);
const day = { workspaceId: 'TSTORE', channelId: 'CDIG', localDate: '2026-01-19' };
const at = new Date('2026-01-19T08:30:00Z');

afterAll(() => db.terminate());

describe('digest store', () => {
  it('needs no composite index for its queries (equality only)', () => {
    for (const spec of Object.values(DIGEST_QUERIES)) {
      expect(requiredIndex(spec)).toBeNull();
      expect(Object.values(COLLECTIONS)).toContain(spec.collection);
    }
  });

  it('lets Firestore delete old day claims (a TTL policy on digest_runs.expire_at)', () => {
    const file: unknown = JSON.parse(readFileSync(new URL('../../firestore.indexes.json', import.meta.url), 'utf8'));
    expect(file).toMatchObject({
      fieldOverrides: expect.arrayContaining([
        expect.objectContaining({ collectionGroup: COLLECTIONS.digestRuns, fieldPath: 'expire_at', ttl: true }),
      ]),
    });
  });

  it('keeps a config and audit-logs each change', async () => {
    const config = {
      workspaceId: 'TSTORE',
      channelId: 'CDIG',
      enabled: true,
      time: '09:30',
      timeZone: 'Europe/Berlin',
      days: ['mon' as const, 'fri' as const],
      thresholdHours: 72,
      updatedBy: 'UME',
      updatedAt: at,
    };
    await store.save(config);
    expect(await store.get('TSTORE', 'CDIG')).toEqual(config);
    expect(await store.get('TOTHER', 'CDIG')).toBeNull();
    await store.save({ ...config, enabled: false, updatedAt: new Date(at.getTime() + 1000) });
    const audit = await db.collection(COLLECTIONS.auditLog).where('slack_team_id', '==', 'TSTORE').get();
    expect(audit.docs.map((d) => d.get('action')).sort()).toEqual(['digest.off', 'digest.set']);
  });

  it('claims a day once; only its own unposted claim can be given back', async () => {
    expect(await store.claimRun({ ...day, jobId: 'job-1', at })).toEqual({ outcome: 'claimed' });
    expect(await store.claimRun({ ...day, jobId: 'job-2', at })).toMatchObject({ outcome: 'taken', jobId: 'job-1' });
    await store.releaseRun({ ...day, jobId: 'job-2' });
    expect(await store.claimRun({ ...day, jobId: 'job-2', at })).toMatchObject({ outcome: 'taken', jobId: 'job-1' });
    await store.recordProgress({ ...day, status: 'posting', threadTs: '1.0001', partsDone: 1, prs: 9, at });
    await store.releaseRun({ ...day, jobId: 'job-1' });
    expect(await store.claimRun({ ...day, jobId: 'job-1', at })).toEqual({
      outcome: 'taken',
      jobId: 'job-1',
      status: 'posting',
      threadTs: '1.0001',
      partsDone: 1,
    });
    const other = { ...day, localDate: '2026-01-20' };
    expect(await store.claimRun({ ...other, jobId: 'job-3', at })).toEqual({ outcome: 'claimed' });
    await store.releaseRun({ ...other, jobId: 'job-3' });
    expect(await store.claimRun({ ...other, jobId: 'job-4', at })).toEqual({ outcome: 'claimed' });
  });
});
