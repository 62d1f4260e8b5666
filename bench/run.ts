import { createPrNumbers } from './deliveries.js';
import { useEmulator } from './emulator.js';
import { measureFanOut } from './fan-out.js';
import { measureIngress } from './ingress.js';
import { createPostCounter } from './slack-posts.js';
import { createBenchWorld } from './world.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';
const emulator = await useEmulator(process.env);
try {
  let t0 = performance.now();
  const w = await createBenchWorld({ emulatorHost: emulator.host, workspaces: 100, fanOuts: [1, 10, 25, 100] });
  console.log('seeded', performance.now() - t0);
  const counter = createPostCounter(w.t.slack);
  const nextPr = createPrNumbers();
  for (const fanOut of [1, 25, 100]) {
    t0 = performance.now();
    console.log(JSON.stringify(await measureIngress(w, { fanOut, deliveries: 30, counter, nextPr, drainTimeoutMs: 120_000 })), performance.now() - t0);
  }
  for (const fanOut of [25, 100]) {
    t0 = performance.now();
    console.log(JSON.stringify(await measureFanOut(w, { fanOut, runs: 3, counter, nextPr, timeoutMs: 30_000 })), performance.now() - t0);
  }
  await w.t.close();
} finally {
  await emulator.stop();
}
