import type {
  ClaimHolder,
  MessageKey,
  PostAttempt,
  TrackedMessage,
  TrackedMessageStore,
  UnsurePost,
} from '../../../src/pipeline/ports.js';
import { ids } from '../../../src/store/ids.js';
import { copy, createSerial } from '../memory-store/serial.js';

interface Entry {
  message: TrackedMessage;
  holder: ClaimHolder | null;
  claimedAt: Date | null;
  unsure: UnsurePost | null;
}

const later = (d: Date, ms: number) => new Date(d.getTime() + ms);

function merge(a: UnsurePost | null, b: UnsurePost): UnsurePost {
  if (a === null) return b;
  return { since: a.since < b.since ? a.since : b.since, until: a.until > b.until ? a.until : b.until };
}

/**
 * Tracked messages in memory with the Firestore store's claim rules: one holder at a time, a dead holder's claim taken
 * over once its post has settled (`settleMs`), a post that may exist unrecorded remembered until someone looked.
 */
export function createMemoryTrackedMessageStore(options: { settleMs: number }): TrackedMessageStore {
  const { settleMs } = options;
  const serial = createSerial();
  const entries = new Map<string, Entry>();
  const fresh = (key: MessageKey): TrackedMessage => ({
    ...key,
    ts: null,
    renderHash: null,
    reactions: [],
    deletedAt: null,
    followUps: [],
  });

  function handBack(id: string, isHolder: (h: ClaimHolder) => boolean, attempt: PostAttempt, now: Date): boolean {
    const entry = entries.get(id);
    if (!entry || entry.message.ts !== null || !entry.holder || !isHolder(entry.holder)) return false;
    let unsure = entry.unsure;
    if (attempt !== 'not_sent') {
      const until = attempt === 'maybe_in_flight' ? later(now, settleMs) : now;
      unsure = merge(unsure, { since: entry.claimedAt ?? now, until });
    }
    // Nothing can be in Slack: forget the message, as if never claimed.
    if (unsure === null) entries.delete(id);
    else entries.set(id, { ...entry, holder: null, claimedAt: null, unsure });
    return true;
  }

  return {
    get: (key) => serial(() => copy(entries.get(ids.trackedMessage(key))?.message ?? null)),
    claimPost: ({ key, holder, now }) =>
      serial(() => {
        const id = ids.trackedMessage(key);
        const entry = entries.get(id);
        if (!entry) {
          entries.set(id, { message: fresh(key), holder, claimedAt: now, unsure: null });
          return { outcome: 'claimed' as const, lookFor: null };
        }
        if (entry.message.ts !== null) return { outcome: 'posted' as const, message: copy(entry.message) };
        let unsure = entry.unsure;
        if (entry.holder !== null) {
          // Held by a run that is gone (this job runs once at a time): it may have posted right after claiming.
          const since = entry.claimedAt ?? now;
          unsure = merge(unsure, { since, until: later(since, settleMs) });
        }
        if (unsure !== null && now < unsure.until) return { outcome: 'busy' as const, until: unsure.until };
        entries.set(id, { ...entry, holder, claimedAt: now, unsure });
        return { outcome: 'claimed' as const, lookFor: copy(unsure) };
      }),
    confirmClaim: ({ key, holder, now }) =>
      serial(() => {
        const id = ids.trackedMessage(key);
        const entry = entries.get(id);
        if (!entry || entry.message.ts !== null || entry.holder?.token !== holder.token) return false;
        entries.set(id, { ...entry, claimedAt: now, unsure: null });
        return true;
      }),
    recordPosted: ({ key, ts, renderHash }) =>
      serial(() => {
        const id = ids.trackedMessage(key);
        const entry = entries.get(id);
        const recorded = entry?.message.ts ?? null;
        if (recorded !== null && recorded !== ts) return { recorded: false as const, ts: recorded };
        const message = { ...(entry?.message ?? fresh(key)), ts, renderHash, reactions: [] };
        entries.set(id, { message, holder: null, claimedAt: null, unsure: null });
        return { recorded: true as const };
      }),
    releaseClaim: ({ key, holder, attempt, now }) =>
      serial(() => {
        handBack(ids.trackedMessage(key), (h) => h.token === holder.token, attempt, now);
      }),
    releaseClaimsOf: ({ owner, now }) =>
      serial(() => {
        const held = [...entries.keys()];
        return held.filter((id) => handBack(id, (h) => h.owner === owner, 'maybe_in_flight', now)).length;
      }),
    update: ({ key, renderHash, reactions, followUpIds }) =>
      serial(() => {
        const entry = entries.get(ids.trackedMessage(key));
        // Like Firestore's update(): there must be a document to change.
        if (!entry) throw new Error(`no tracked message ${ids.trackedMessage(key)}`);
        if (renderHash !== undefined) entry.message.renderHash = renderHash;
        if (reactions !== undefined) entry.message.reactions = [...reactions];
        if (followUpIds !== undefined)
          entry.message.followUps = [...new Set([...entry.message.followUps, ...followUpIds])];
      }),
    markDeleted: ({ key, now }) =>
      serial(() => {
        const entry = entries.get(ids.trackedMessage(key));
        if (!entry) throw new Error(`no tracked message ${ids.trackedMessage(key)}`);
        entry.message.deletedAt = now;
      }),
  };
}
