import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OAuthStateKind, OAuthStateRecord, OAuthStateStore } from '../../store/types.js';
import { explainRefusedState, type SignedStates } from '../oauth/signed-state.js';

/** Why a step's state was refused: not ours, too old, spent, or opened in a browser that did not start the flow. */
export type StepRefusal = 'forged' | 'expired' | 'used' | 'other_browser';

export type ConsumedStep = { ok: true; record: OAuthStateRecord } | { ok: false; reason: StepRefusal };

/** The random value in the browser's link cookie; the states keep only its hash. */
export function newBrowserSession(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The single-use states of the identity link. Each is signed (forgeries are refused without a read), stored with
 * the Slack workspace and user it is for, and, after the first step, bound to the browser that started the flow
 * by the hash of its link cookie: a URL copied into another browser is refused there.
 */
export function createLinkSteps(options: { states: SignedStates; oauthStates: OAuthStateStore; now: () => Date }) {
  const { states, oauthStates, now } = options;
  return {
    async issue(input: {
      kind: OAuthStateKind;
      workspaceId: string;
      slackUserId: string;
      /** The whole flow lives as long as the link `/notify link` gave out, however many steps it takes. */
      expiresAt: Date;
      browserSession?: string;
      data?: Record<string, string>;
    }): Promise<string> {
      const state = states.issue();
      const data = {
        ...input.data,
        ...(input.browserSession !== undefined ? { session: hashSession(input.browserSession) } : {}),
      };
      const created = await oauthStates.create({
        state,
        kind: input.kind,
        workspaceId: input.workspaceId,
        slackUserId: input.slackUserId,
        expiresAt: input.expiresAt,
        data,
      });
      // 18 random bytes never collide in practice; if they ever did, reusing the other state would be the bug.
      if (created !== 'created') throw new Error('a new link state collided with a stored one');
      return state;
    },

    /** Spends the state whatever happens next, so a refused attempt cannot be retried with the same URL. */
    async consume(input: {
      kind: OAuthStateKind;
      state: string;
      browserSession?: string | undefined;
    }): Promise<ConsumedStep> {
      const read = states.read(input.state);
      if (read === null) return { ok: false, reason: 'forged' };
      const at = now();
      const record = await oauthStates.consume({ state: input.state, kind: input.kind, now: at });
      if (record === null) return { ok: false, reason: explainRefusedState(read, at) };
      const expected = record.data['session'];
      if (expected !== undefined && !sameHash(expected, input.browserSession))
        return { ok: false, reason: 'other_browser' };
      return { ok: true, record };
    },
  };
}

export type LinkSteps = ReturnType<typeof createLinkSteps>;

function hashSession(session: string): string {
  return createHash('sha256').update(session).digest('base64url');
}

function sameHash(expected: string, session: string | undefined): boolean {
  if (session === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(hashSession(session));
  return a.length === b.length && timingSafeEqual(a, b);
}
