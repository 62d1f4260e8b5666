import type { FakeSlack } from '../../../dev/fakes/fake-slack.js';

/** A PR message a channel should show exactly once, in this state. */
export interface ExpectedMessage {
  workspaceId: string;
  channelId: string;
  repo: string;
  pr: number;
  state: 'open' | 'merged' | 'closed';
}

/** What a user would see, per channel × PR: never posted, posted more than once, or the first copy in a wrong state. */
export interface Tally {
  checked: number;
  lost: string[];
  doubled: string[];
  wrong: string[];
}

/**
 * Reads the fake Slack's channels as a person scrolling them would. A PR's messages are found by their text
 * ("Pull request #7 in owner/repo: …"), so a second copy counts even if the app never recorded it. `wrong` checks
 * the FIRST copy: after a merge, the message people already saw must be the one that says merged.
 */
export function tally(slack: FakeSlack, expected: ExpectedMessage[]): Tally {
  const result: Tally = { checked: expected.length, lost: [], doubled: [], wrong: [] };
  for (const e of expected) {
    const label = `${e.workspaceId}/${e.channelId} ${e.repo}#${e.pr}`;
    const copies = slack
      .messages(e.workspaceId, e.channelId)
      .filter((m) => m.text.startsWith(`Pull request #${e.pr} in ${e.repo}:`));
    if (copies.length === 0) result.lost.push(label);
    if (copies.length > 1) result.doubled.push(`${label} ×${copies.length}`);
    const first = copies[0];
    if (first && !first.text.endsWith(`(${e.state})`)) result.wrong.push(`${label}: ${first.text}`);
  }
  return result;
}

/** The same tally with only the figures: for the bench's table and JSON line. */
export const countTally = (t: Tally) => ({
  checked: t.checked,
  lost: t.lost.length,
  doubled: t.doubled.length,
  wrong: t.wrong.length,
});

/** True when nothing is lost, doubled or wrong. */
export const isClean = (t: Tally) => t.lost.length + t.doubled.length + t.wrong.length === 0;
