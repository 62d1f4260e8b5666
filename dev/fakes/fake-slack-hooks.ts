import type { FakeSlackCall } from './fake-slack-types.js';

/** A call as a hook sees it: what the caller sent, which caller it was, and whether it is still connected. */
export interface HookedCall extends FakeSlackCall {
  /** Resolves when the caller's connection closed before it got an answer (e.g. its process was killed). */
  callerGone: Promise<void>;
}

/** `continue`: carry on as Slack would. `drop`: close the connection without answering (and, at arrival, without handling the call). */
export type HookVerdict = 'continue' | 'drop';

export interface CallHookOptions {
  method?: string;
  token?: string;
  /** Only calls this accepts (e.g. one channel, one caller). */
  where?: (call: FakeSlackCall) => boolean;
  /**
   * `arrival`: the call has reached Slack, which has not looked at it yet. `answer`: Slack handled the call (a
   * posted message is stored) and is about to send the answer.
   */
  at: 'arrival' | 'answer';
  /** How many matching calls the hook sees (default 1). */
  times?: number;
  /** Runs at that point; the call waits for it (so a test can kill -9 the caller at an exact moment). */
  run(call: HookedCall): HookVerdict | Promise<HookVerdict>;
}

/** Fault hooks: code a test runs when a matching call arrives or right before its answer goes out. */
export class FakeSlackHooks {
  private hooks: Array<{ options: CallHookOptions; remaining: number }> = [];

  add(options: CallHookOptions): void {
    this.hooks.push({ options, remaining: options.times ?? 1 });
  }

  /** Runs the first hook matching this call at this point (consuming one use); `continue` when none matches. */
  async run(at: CallHookOptions['at'], call: HookedCall): Promise<HookVerdict> {
    const found = this.hooks.find(
      ({ options: o }) =>
        o.at === at &&
        (o.method === undefined || o.method === call.method) &&
        (o.token === undefined || o.token === call.token) &&
        (o.where === undefined || o.where(call)),
    );
    if (!found) return 'continue';
    found.remaining -= 1;
    if (found.remaining <= 0) this.hooks.splice(this.hooks.indexOf(found), 1);
    return found.options.run(call);
  }

  clear(): void {
    this.hooks = [];
  }
}
