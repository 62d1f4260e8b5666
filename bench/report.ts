import type { FanOutResult } from './fan-out.js';
import type { IngressResult } from './ingress.js';
import type { LookupRow } from './lookup.js';
import { describeMachine } from './machine.js';
import type { PrLifeResult } from './pr-life.js';
import { firstLifeLine, prLifeTable } from './pr-life-report.js';
import { breakdown } from './fan-out-breakdown.js';
import { fanOutTable, ingressTable, lookupTable, scaleOutTable } from './report-tables.js';
import type { ScaleOutRow } from './scale-out.js';
import { round, type Summary } from './stats.js';
import type { Target } from './targets.js';

export interface BenchResults {
  floors: {
    firestoreRoundTrip: Summary;
    slackPost: Summary;
    fanOutMs: number;
    slackLatencyMs: number;
    /** `posts` chat.postMessage at once through the app's Slack client, nothing else (see floors.ts postsAtOnce). */
    postingAlone: { posts: number; ms: Summary } | null;
  };
  ingress: IngressResult[];
  fanOut: FanOutResult[];
  /** A PR's life while the instance runs (its memory of installations, channel settings and slots in use). */
  prLife: PrLifeResult | null;
  /** The first PR's life after the app started, with nothing in memory. */
  prLifeFirst: PrLifeResult | null;
  lookup: LookupRow[];
  scaleOut: ScaleOutRow[];
  peakRssMiB: { benchProcess: number; serverProcesses: number | null };
  /** Stages that failed or were cut short, with why. */
  problems: string[];
}

/** bench/results.md: the machine and the command, then one section per stage, then the targets. */
export function resultsMarkdown(
  r: BenchResults,
  targets: Target[],
  meta: { command: string; seconds: number },
): string {
  const m = describeMachine();
  const f = r.floors;
  const hundred = r.fanOut.find((x) => x.fanOut === 100);
  const out = [
    '# Benchmark results',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`${meta.command}\` (${meta.seconds} s)`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory; Node ${m.node}`,
    '- Firestore emulator and the fake Slack on loopback; the machine is shared, so other work ran meanwhile.',
    `- The fake Slack answers every Web API call after ${f.slackLatencyMs} ms. Every ratio divides by a floor measured in this run.`,
    '',
    '## Floors',
    '',
    `- One Firestore write round trip: p50 ${f.firestoreRoundTrip.p50} ms (p99 ${f.firestoreRoundTrip.p99}).`,
    `- One chat.postMessage to the fake Slack: p50 ${f.slackPost.p50} ms (p99 ${f.slackPost.p99}).`,
    `- Fan-out floor, one Slack call + one Firestore round trip: ${f.fanOutMs} ms.`,
    ...(f.postingAlone
      ? [
          `- Posting alone: ${f.postingAlone.posts} chat.postMessage at once through the app's Slack client, nothing ` +
            `else (no Firestore, no queue: what a version posting straight from the request pays here): p50 ` +
            `${f.postingAlone.ms.p50} ms, ${round(f.postingAlone.ms.p50 / f.fanOutMs)}× the fan-out floor. Not a floor ` +
            'the targets divide by; it shows how much of a fan-out to 100 is the posts themselves on this machine.',
        ]
      : []),
    '',
    '## Ingress: time to the webhook response, while earlier deliveries are worked off',
    '',
    'Each level first sends deliveries to a 100-workspace repo, then new PRs (each to one workspace) `concurrency` at a',
    'time; each sender follows every delivery with a bare batch write of the same two documents (delivery and fan-out',
    'job), so the floor meets the same background work at the same moments (the fan-outs of the deliveries just',
    'answered included).',
    '',
    ...ingressTable(r.ingress),
    '',
    '## Fan-out: the webhook answered → every workspace has its message',
    '',
    ...fanOutTable(r.fanOut, f.fanOutMs),
    '',
    ...(hundred ? ['### Where the time goes (100 workspaces)', '', ...breakdown(hundred, f.postingAlone), ''] : []),
    ...r.fanOut.filter((x) => x.fanOut === 1000).flatMap((x) => ['### 1,000 workspaces', '', ...breakdown(x), '']),
    '## Scale-out: a backlog drained by 1 and by 3 server processes on one emulator',
    '',
    ...scaleOutTable(r.scaleOut),
    '',
    'Each instance count runs several times (three in the full run), alternating 1 and 3, and the target compares the',
    'medians; lock timeouts are the worst of the 3-instance runs.',
    '',
    "Lock timeouts are the lines the emulator logs when a transaction waited too long for another one's lock (it is",
    "then aborted and retried by the SDK); per job divides them by the backlog's jobs (each delivery makes a fan-out",
    "job and one reconcile job). Claims lost are the instances' own count (their `job queue health` lines, the last",
    'as each stops): a claim written on the condition that the job is still as its query saw it, which failed because',
    'another instance (or, rarely, a change) came first: one failed write each, no transaction, no lock.',
    'Before it, each run drains a warm-up backlog of three PRs per channel, not measured: the instances are then warm',
    "(compiled code, connections, caches), as a deployment's are; fresh processes pay that once each, which three on",
    'one machine would pay three times over inside the drain. The warm-up starts once every instance has joined the',
    "queue's members and a second has passed, so each one's first look reads them all and the instances split the",
    "shards as a running deployment's do (started together, the first to join would otherwise know only itself and",
    "post in others' channels during the warm-up, and then pay in the drain for its stale version of their slots).",
    'The instances run the built server (`node dist/main.js`, compiled by the stage as `npm run build` does), as the',
    'container does, not the TypeScript loader `npm start` uses while developing.',
    "The backlog is sent through the product's webhook route in the bench process and",
    'stored not yet due (stamped an hour ahead), while the instances run; then every stored job is made due at once',
    '(a batched write of their run_at), and drain counts from there until the last message reached Slack (its ts, to',
    'the hundredth of a second): 1 and 3 instances start on the same whole',
    "backlog at the same moment, and the bench's own storing (slowed by whatever CPU the instances use meanwhile)",
    'is not in it. CPU is what each process used over the drain (from /proc); cores busy adds them up over the',
    "drain's wall time. When that is about all the machine's cores, more instances have no CPU to work with (each",
    'also pays for its own watch and queries, and the emulator answers a query by going through the collection):',
    "wall time then shows this machine's limit, and contention",
    "(lock timeouts per job) is what shows whether instances get in each other's way.",
    "Every channel posted is when the last channel's first message reached Slack: the part of the drain the",
    "instances' work decides (after it, each channel's pacing does), with the CPU each process used until then (from",
    '/proc, in 10 ms ticks) and the cores that kept busy: where three instances keep both cores busy, the emulator',
    'and the servers wait on each other for CPU, and their round trips are what the first posts wait for.',
    '',
    '## Firestore and Slack per PR life (open, review, label, merge)',
    '',
    "A PR's life while the app runs: a PR of the same workspaces went before it, so this instance has their",
    'installations and channel settings from the last minute in memory, and the version of the posting slots it last',
    'wrote. The first PR after a start pays those reads; its totals follow the tables.',
    '',
    ...(r.prLife ? prLifeTable(r.prLife) : ['(not measured)']),
    '',
    ...(r.prLifeFirst ? [firstLifeLine(r.prLifeFirst), ''] : []),
    'The design minimum and its reasoning are in bench/design-minimum.ts.',
    '',
    "## A repo's workspaces: the repo_workspace_mappings index against a scan",
    '',
    ...lookupTable(r.lookup),
    '',
    'The emulator has no real indexes: it answers a query by going through the collection, so its indexed lookup',
    "still grows with the number of subscriptions. In Cloud Firestore a query's cost follows the documents it returns,",
    'not the collection: the column that carries over is documents read, flat for the index, every subscription for the scan.',
    '',
    '## Peak RSS',
    '',
    `- The bench process (the app, its Firestore client, the fake Slack and the bench itself): ${r.peakRssMiB.benchProcess} MiB.`,
    `- Server processes (dist/main.js, built from src/main.ts) of the scale-out stage, the largest: ${r.peakRssMiB.serverProcesses ?? '-'} MiB.`,
    '',
    '## Targets (issue 11)',
    '',
    ...targets.map((t) => `- ${t.pass ? 'PASS' : 'FAIL'} ${t.name}: ${t.actual} (target ${t.target})`),
    ...(r.problems.length ? ['', '## Problems in this run', '', ...r.problems.map((p) => `- ${p}`)] : []),
    '',
  ];
  return out.join('\n');
}
