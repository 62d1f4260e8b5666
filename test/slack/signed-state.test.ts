import { describe, expect, it } from 'vitest';
import { createSignedStates, explainRefusedState } from '../../src/slack/oauth/signed-state.js';

describe('signed OAuth states', () => {
  const at = new Date('2030-01-01T00:00:00Z');
  const states = createSignedStates({ secret: 'a-secret-of-enough-length', purpose: 'github_link', now: () => at });

  it('reads back the issue time of a state it signed, and every state is different', () => {
    const a = states.issue();
    expect(states.read(a)).toEqual({ issuedAt: at });
    expect(states.issue()).not.toBe(a);
  });

  it('refuses tampered states, states of another purpose and states signed with another secret', () => {
    const state = states.issue();
    const [time, random, mac] = state.split('.') as [string, string, string];
    expect(states.read(`${(parseInt(time, 36) + 1).toString(36)}.${random}.${mac}`)).toBeNull();
    expect(states.read(`${time}.${random}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    const install = createSignedStates({
      secret: 'a-secret-of-enough-length',
      purpose: 'slack_install',
      now: () => at,
    });
    expect(install.read(state)).toBeNull();
    const other = createSignedStates({ secret: 'another-secret-entirely', purpose: 'github_link', now: () => at });
    expect(other.read(state)).toBeNull();
    expect(states.read('garbage')).toBeNull();
  });

  it('explains a refused state: forged, expired after 15 minutes, else used', () => {
    expect(explainRefusedState(null, at)).toBe('forged');
    expect(explainRefusedState({ issuedAt: at }, new Date(at.getTime() + 14 * 60_000))).toBe('used');
    expect(explainRefusedState({ issuedAt: at }, new Date(at.getTime() + 15 * 60_000))).toBe('expired');
  });
});
