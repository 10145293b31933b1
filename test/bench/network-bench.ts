// `npm run bench:network`: Portal across two NATs in the network lab (test/support/net-lab.ts),
// one row per scenario: through the NATs, cuts of each length, the signaling server crashing,
// each fallback path, random loss and thin links. Both sites send the recorded real scene at
// 1280x720 (test/support/scene-camera.ts); the NAT baseline, measured in the same run on the
// same machine, is the reference the other rows are read against.
//
//   npm run bench:network [-- --seconds 8 --only cut,loss]

import { parseArgs } from 'node:util';
import { serveInLab, startLabTurn, waitForLabState, type LabServer } from '../support/lab-portal.js';
import { startNetLab, type Block } from '../support/net-lab.js';
import {
  arrive,
  cutAndReturn,
  sessionsOpened,
  sleep,
  watchBoth,
  type Arrival,
  type LabPair,
  type Picture,
} from '../support/network-scenarios.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '8' }, only: { type: 'string', default: '' } },
});
const SECONDS = Number(values.seconds);
const ONLY = values.only ? values.only.split(',') : [];

interface Row {
  readonly scenario: string;
  readonly live: string;
  readonly path: string;
  readonly g2g: string;
  readonly fps: string;
  readonly freeze: string;
  readonly width: string;
  readonly again: string;
}

const rows: Row[] = [];
const ms = (value: number | null) => (value === null ? '–' : `${Math.round(value)}`);
const s1 = (value: number) => `${(value / 1000).toFixed(1)} s`;
const pathOf = (arrival: Arrival) =>
  (['a', 'b'] as const)
    .map((site) => {
      const path = arrival.path[site];
      return `${path.local ?? '–'}${path.relayProtocol ? `/${path.relayProtocol}` : ''}`;
    })
    .join(' + ');

function row(scenario: string, arrival: Arrival | null, picture: { a: Picture; b: Picture } | null, again = ''): void {
  const both = picture === null ? [] : [picture.a, picture.b];
  rows.push({
    scenario,
    live: arrival === null ? '–' : s1(arrival.liveMs),
    path: arrival === null ? '–' : pathOf(arrival),
    g2g: both.map((p) => `${ms(p.g2gP50)}/${ms(p.g2gP95)}`).join(', ') || '–',
    fps: both.map((p) => `${p.fps}`).join(', ') || '–',
    freeze: both.map((p) => `${p.longestGapMs}`).join(', ') || '–',
    width: both.map((p) => `${p.width}`).join(', ') || '–',
    again,
  });
  const last = rows[rows.length - 1]!;
  console.log(`  ${last.scenario}: ${Object.values(last).slice(1).join(' | ')}`);
}

const lab = startNetLab('nbench');
let server: LabServer | null = null;
const turn = await startLabTurn(lab);
const wanted = (name: string) => ONLY.length === 0 || ONLY.some((prefix) => name.startsWith(prefix));

/** Routers as given, a fresh pair, live: `run` measures it. */
async function scenario(
  name: string,
  setup: { block?: Block; loss?: number; cap?: string },
  run: (pair: LabPair, arrival: Arrival) => Promise<void>,
): Promise<void> {
  if (!wanted(name)) return;
  for (const site of ['a', 'b'] as const) {
    lab.block(site, setup.block ?? null);
    lab.cap(site, setup.cap ?? null);
  }
  lab.loss('b', setup.loss ?? null);
  let pair: LabPair | null = null;
  try {
    const arrived = await arrive(lab, server!.base, { timeoutMs: 40_000 });
    pair = arrived.pair;
    await run(pair, arrived.arrival);
  } catch (error) {
    console.log(`  ${name}: failed: ${(error as Error).message.split('\n')[0]}`);
    rows.push({ scenario: name, live: 'failed', path: '', g2g: '', fps: '', freeze: '', width: '', again: '' });
  } finally {
    await pair?.close();
  }
}

console.log(
  `network bench: two sites behind NATs, a recorded real scene at 1280x720 both ways, ${SECONDS} s windows ` +
    '(figures: site a, site b; g2g p50/p95 ms; freeze = longest gap between frames shown, ms)',
);
try {
  server = await serveInLab(lab, turn);
  await scenario('NAT baseline (reference)', {}, async (pair, arrival) => {
    await sleep(2_000);
    row('NAT baseline (reference)', arrival, await watchBoth(pair, SECONDS));
  });
  for (const seconds of [5, 30, 120]) {
    const name = `cut ${seconds} s (site b)`;
    await scenario(name, {}, async (pair, arrival) => {
      await sleep(2_000);
      const before = sessionsOpened(pair.a);
      const cut = await cutAndReturn(lab, pair, 'b', seconds);
      const again =
        `left live after ${ms(cut.leftLiveMs.a)}/${ms(cut.leftLiveMs.b)} ms, ` +
        `live again ${ms(cut.liveAgainMs.a)}/${ms(cut.liveAgainMs.b)} ms after the network, ` +
        (cut.newSession ? `new session (${sessionsOpened(pair.a) - before})` : 'same session');
      row(name, arrival, await watchBoth(pair, SECONDS), again);
    });
  }
  await scenario('signaling crash, 10 s down', {}, async (pair, arrival) => {
    await sleep(2_000);
    server!.cli.child.kill('SIGKILL');
    await server!.cli.exited;
    const during = watchBoth(pair, SECONDS);
    await sleep(10_000);
    server = await serveInLab(lab, turn);
    const restarted = Date.now();
    const joins = () => pair.a.console.filter((line) => line.includes('"event":"signaling-joined"')).length;
    const before = joins();
    while (joins() === before && Date.now() - restarted < 20_000) await sleep(50);
    await waitForLabState(pair.a, 'live', 10_000);
    row(
      'signaling crash, 10 s down',
      arrival,
      await during,
      `re-joined ${ms(Date.now() - restarted)} ms after the restart`,
    );
  });
  const fallbacks: Array<[string, Block]> = [
    ['UDP between the NATs blocked', 'udp-between-sites'],
    ['all UDP blocked', 'udp'],
    ['only TCP 443 open', 'all-but-tcp-443'],
    ['direct path drops big packets', 'big-udp-between-sites'],
  ];
  for (const [name, block] of fallbacks) {
    await scenario(name, { block }, async (pair, arrival) => {
      row(name, arrival, await watchBoth(pair, SECONDS));
    });
  }
  for (const loss of [0.05, 0.2]) {
    const name = `${loss * 100} % loss (site b, both ways)`;
    await scenario(name, { loss }, async (pair, arrival) => {
      await sleep(4_000);
      row(name, arrival, await watchBoth(pair, SECONDS));
    });
  }
  for (const cap of ['1mbit', '300kbit']) {
    const name = `${cap} cap from the start (both sites)`;
    await scenario(name, { cap }, async (pair, arrival) => {
      const start = await watchBoth(pair, 4);
      await sleep(4_000);
      row(
        name,
        arrival,
        await watchBoth(pair, SECONDS),
        `first 4 s: ${start.a.fps}/${start.b.fps} fps, freeze ${start.a.longestGapMs}/${start.b.longestGapMs} ms`,
      );
      // The next call on the same link starts from what this one received.
      const reloaded = Date.now();
      await Promise.all([pair.a.load(), pair.b.load()]);
      await Promise.all([
        waitForLabState(pair.a, 'live', 30_000, reloaded),
        waitForLabState(pair.b, 'live', 30_000, reloaded),
      ]);
      const liveMs = Date.now() - reloaded;
      const next = await watchBoth(pair, 4);
      row(`${cap}: the next call`, { liveMs, path: arrival.path }, next, 'first 4 s of the call after a reload');
    });
  }
  await scenario('1mbit cap mid-call', {}, async (pair, arrival) => {
    await sleep(2_000);
    lab.cap('a', '1mbit');
    lab.cap('b', '1mbit');
    const first = await watchBoth(pair, 8);
    row(
      '1mbit cap mid-call',
      arrival,
      await watchBoth(pair, SECONDS),
      `first 8 s after the cap: freeze ${first.a.longestGapMs}/${first.b.longestGapMs} ms, g2g p50 ${ms(first.a.g2gP50)}/${ms(first.b.g2gP50)}`,
    );
  });
} finally {
  await server?.stop();
  await turn.stop();
  lab.stop();
}

console.log('');
console.log(
  '| scenario | time to live | candidates (a + b) | g2g p50/p95 ms | fps | longest freeze ms | width | after a cut / notes |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(`| ${[r.scenario, r.live, r.path, r.g2g, r.fps, r.freeze, r.width, r.again].join(' | ')} |`);
