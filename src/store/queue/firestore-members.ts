import type { Firestore } from '@google-cloud/firestore';
import type { MemberStore, QueueMember } from '../../queue/queue-membership.js';
import type { ReadCounter } from '../../queue/read-counter.js';
import type { LogPort } from '../../shared/log-port.js';
import { readFields } from '../firestore/decode.js';
import { COLLECTIONS, ids } from '../ids.js';

/** A member's document outlives its lease by this much, then Firestore's TTL deletes it (a crashed instance's). */
const KEEP_AFTER_LEASE_MS = 24 * 60 * 60 * 1000;

/**
 * The queue's members in `queue_members`, one document per running instance: each renews its own and reads them all
 * every third of a lease (a read per member), and when its runner meets another's due jobs (at most once a second).
 */
export function createFirestoreMemberStore(db: Firestore, options: { reads: ReadCounter; log: LogPort }): MemberStore {
  const collection = db.collection(COLLECTIONS.queueMembers);
  const toMember = (id: string, data: unknown): QueueMember | null => {
    try {
      const f = readFields(`${COLLECTIONS.queueMembers}/${id}`, data);
      return { owner: f.string('owner'), leaseUntil: f.date('lease_until') };
    } catch (err) {
      // Not a member (written by hand, or by another version): it owns nothing.
      options.log.warn({ err }, 'ignoring a queue member document that does not decode');
      return null;
    }
  };
  return {
    async renew({ owner, leaseUntil }) {
      await collection.doc(ids.queueMember(owner)).set({
        owner,
        lease_until: leaseUntil,
        expire_at: new Date(leaseUntil.getTime() + KEEP_AFTER_LEASE_MS),
      });
    },
    async leave(owner) {
      await collection.doc(ids.queueMember(owner)).delete();
    },
    async list() {
      const snap = await collection.get();
      options.reads.addQuery(snap.size);
      return snap.docs.map((d) => toMember(d.id, d.data())).filter((m): m is QueueMember => m !== null);
    },
  };
}
