import type { InstallURLOptions, StateStore } from '@slack/bolt';
import type { OAuthStateStore } from '../../store/types.js';
import { explainRefusedState, STATE_LIFETIME_MS, type SignedStates } from './signed-state.js';

/** The error Bolt's installer expects from a state store; `reason` feeds the failure page. */
export class InstallStateError extends Error {
  readonly code = 'slack_oauth_invalid_state';
  constructor(readonly reason: 'forged' | 'expired' | 'used') {
    super(`install state refused: ${reason}`);
    this.name = 'InstallStateError';
  }
}

/**
 * Bolt StateStore on `oauth_states` (kind `slack_install`): signed, stored, 15 minutes, single use.
 * The install options are fixed by configuration, so they are not carried in the state.
 */
export function createInstallStateStore(options: {
  states: SignedStates;
  oauthStates: OAuthStateStore;
  installOptions: InstallURLOptions;
  now: () => Date;
}): StateStore {
  const { states, oauthStates, installOptions, now } = options;
  return {
    async generateStateParam() {
      const state = states.issue();
      const expiresAt = new Date(now().getTime() + STATE_LIFETIME_MS);
      await oauthStates.create({ state, kind: 'slack_install', teamId: null, slackUserId: null, expiresAt, data: {} });
      return state;
    },
    async verifyStateParam(_boltNow, state) {
      const read = states.read(state);
      const at = now();
      if (read === null) throw new InstallStateError('forged');
      const record = await oauthStates.consume({ state, kind: 'slack_install', now: at });
      if (record === null) throw new InstallStateError(explainRefusedState(read, at) === 'expired' ? 'expired' : 'used');
      return installOptions;
    },
  };
}
