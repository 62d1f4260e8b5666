import type { InstallURLOptions, StateStore } from '@slack/bolt';
import type { OAuthStateStore } from '../../store/types.js';
import { isStateExpired, STATE_LIFETIME_MS, type SignedStates } from './signed-state.js';

/** The error Bolt's installer expects from a state store; `reason` feeds the failure page. */
export class InstallStateError extends Error {
  readonly code = 'slack_oauth_invalid_state';
  constructor(readonly reason: 'forged' | 'expired' | 'used') {
    super(`install state refused: ${reason}`);
    this.name = 'InstallStateError';
  }
}

/**
 * Bolt StateStore for the install: stateless until the callback, so an anonymous visit to /slack/install
 * writes nothing. The state is signed and carries its issue time (15 minutes); Bolt's installer binds it to
 * the browser with its own state cookie (`slack-app-oauth-state`, checked before this store is asked).
 * Single use: the callback creates the state's `oauth_states` document (kind `slack_install`), and a second
 * create of the same state fails. The document expires with the state (TTL), when the signature refuses it anyway.
 * The install options are fixed by configuration, so they are not carried in the state.
 */
export function createBoltInstallStateStore(options: {
  states: SignedStates;
  oauthStates: OAuthStateStore;
  installOptions: InstallURLOptions;
  now: () => Date;
}): StateStore {
  const { states, oauthStates, installOptions, now } = options;
  const markUsed = async (state: string, issuedAt: Date): Promise<boolean> => {
    const expiresAt = new Date(issuedAt.getTime() + STATE_LIFETIME_MS);
    return (
      (await oauthStates.create({
        state,
        kind: 'slack_install',
        workspaceId: null,
        slackUserId: null,
        expiresAt,
        data: {},
      })) === 'created'
    );
  };
  return {
    async generateStateParam() {
      return states.issue();
    },
    async verifyStateParam(_boltNow, state) {
      const read = states.read(state);
      if (read === null) throw new InstallStateError('forged');
      if (isStateExpired(read, now())) throw new InstallStateError('expired');
      if (!(await markUsed(state, read.issuedAt))) throw new InstallStateError('used');
      return installOptions;
    },
  };
}
