// npm run bench:signal [-- --rooms 100,1000,5000 --seconds 5 --rate 1]
//
// For each N, opens N rooms of two sites on Portal's server and on PeerJS's server (each a child
// process of its own), has every site send its partner messages at a steady rate for a few seconds
// (--rate: messages a second per site; Portal's server allows 50 sustained),
// and prints connections held, relay latency p50/p99, messages relayed per second and the
// server's RSS per connection, side by side with the ratios. Both servers get the same client
// code in this process, so the load generator's own cost is the same for both.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '100,1000,5000' },
    seconds: { type: 'string', default: '5' },
    rate: { type: 'string', default: '1' },
  },
});
const RATE = Number(values.rate);
if (!(RATE > 0 && RATE <= 50))
  throw new Error(`--rate must be from 0 to 50 messages a second per site, got ${values.rate}`);
const ROOM_COUNTS = values.rooms.split(',').map(Number);
const SECONDS = Number(values.seconds);
const PORTAL_BIN = fileURLToPath(new URL('../../dist/main/cli/portal.js', import.meta.url));
const PEERJS_BIN = fileURLToPath(new URL('./peerjs-server.mjs', import.meta.url));
const CONNECT_CONCURRENCY = 200;

interface Site {
  readonly socket: WebSocket;
  send(payload: { t: number }): void;
}

interface ServerKind {
  readonly name: string;
  readonly command: readonly string[];
  /** Opens one room's two sites; `onRelay` gets each payload a site receives. */
  pair(base: string, room: number, onRelay: (payload: { t: number }) => void): Promise<[Site, Site]>;
}

const portal: ServerKind = {
  name: 'portal',
  command: [PORTAL_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--open'],
  async pair(base, room, onRelay) {
    const open = async (site: string): Promise<Site> => {
      const { socket, first: joined } = await openSocket(`${base.replace('http', 'ws')}/signal`);
      socket.send(JSON.stringify({ type: 'join', v: 1, room: `room-${room}`, site }));
      const answer = JSON.parse(await joined) as { type: string };
      if (answer.type !== 'joined') throw new Error(`portal refused a join: ${JSON.stringify(answer)}`);
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; data?: { t: number } };
        if (message.type === 'signal' && message.data) onRelay(message.data);
      });
      return { socket, send: (payload) => socket.send(JSON.stringify({ type: 'signal', data: payload })) };
    };
    return [await open('a'), await open('b')];
  },
};

const peerjs: ServerKind = {
  name: 'peerjs',
  command: [PEERJS_BIN],
  async pair(base, room, onRelay) {
    const open = async (id: string, partner: string): Promise<Site> => {
      const { socket, first } = await openSocket(
        `${base.replace('http', 'ws')}/peerjs?key=peerjs&id=${id}&token=t${id}`,
      );
      const opened = JSON.parse(await first) as { type: string };
      if (opened.type !== 'OPEN') throw new Error(`peerjs refused a client: ${JSON.stringify(opened)}`);
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: { t: number } };
        if (message.type === 'OFFER' && message.payload) onRelay(message.payload);
      });
      return { socket, send: (payload) => socket.send(JSON.stringify({ type: 'OFFER', dst: partner, payload })) };
    };
    return [await open(`r${room}a`, `r${room}b`), await open(`r${room}b`, `r${room}a`)];
  },
};

interface Result {
  readonly connections: number;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly rssPerConnectionKiB: number;
  readonly idleRssMiB: number;
}

async function measure(kind: ServerKind, rooms: number): Promise<Result> {
  const server = await startChild(kind.command);
  try {
    await sleep(500);
    const idleRss = rssBytes(server.child.pid!);
    const latencies: number[] = [];
    let measuring = false;
    const onRelay = (payload: { t: number }): void => {
      if (measuring) latencies.push(performance.now() - payload.t);
    };
    const pairs: Array<[Site, Site]> = [];
    for (let start = 0; start < rooms; start += CONNECT_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONNECT_CONCURRENCY, rooms - start) }, (_, i) => start + i);
      pairs.push(...(await Promise.all(batch.map((room) => kind.pair(server.url, room, onRelay)))));
    }
    const sites = pairs.flat();
    const connections = sites.filter((site) => site.socket.readyState === WebSocket.OPEN).length;
    await sleep(1_000);
    const loadedRss = rssBytes(server.child.pid!);

    // Every site sends to its partner RATE times a second, the sites spread evenly over a period.
    const periodMs = 1_000 / RATE;
    measuring = true;
    const timers = pairs.flatMap(([a, b], i) =>
      [a, b].map((site, j) =>
        setTimeout(
          () => {
            site.send({ t: performance.now() });
            const interval = setInterval(() => site.send({ t: performance.now() }), periodMs);
            intervals.push(interval);
          },
          ((i * 2 + j) / sites.length) * periodMs,
        ),
      ),
    );
    const intervals: Array<ReturnType<typeof setInterval>> = [];
    await sleep(SECONDS * 1_000);
    timers.forEach(clearTimeout);
    intervals.forEach(clearInterval);
    await sleep(500); // let what is in flight arrive; messages/s counts over the sending window
    measuring = false;
    for (const site of sites) site.socket.terminate();
    latencies.sort((x, y) => x - y);
    return {
      connections,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      perSecond: latencies.length / SECONDS,
      rssPerConnectionKiB: (loadedRss - idleRss) / connections / 1024,
      idleRssMiB: idleRss / 1024 / 1024,
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}

function startChild(command: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let found = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (found) return; // keep draining the server's log so it never blocks on a full pipe
      out += chunk.toString();
      const match = out.match(/^listening on (\S+)$/m);
      if (match) {
        found = true;
        resolve({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code} before listening`)));
  });
}

/**
 * Opens a socket; `first` is its first message. The listener is attached before 'open' because
 * a server that speaks first (PeerJS's OPEN) can have its frame arrive in the same read as the
 * handshake, and ws emits it straight after 'open'.
 */
function openSocket(url: string): Promise<{ socket: WebSocket; first: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const first = new Promise<string>((resolveFirst) => socket.once('message', (data) => resolveFirst(String(data))));
    socket.once('open', () => resolve({ socket, first }));
    socket.once('error', reject);
  });
}

function rssBytes(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);

console.log(`signaling bench: N rooms of two sites, each site sending its partner ${RATE} msg/s for ${SECONDS} s`);
console.log(`node ${process.version}, servers as child processes on 127.0.0.1\n`);
const header = ['rooms', 'server', 'connections', 'p50 ms', 'p99 ms', 'msgs/s', 'RSS/conn KiB', 'idle RSS MiB'];
console.log(header.join('\t'));
for (const rooms of ROOM_COUNTS) {
  const ours = await measure(portal, rooms);
  const theirs = await measure(peerjs, rooms);
  for (const [name, r] of [
    ['portal', ours],
    ['peerjs', theirs],
  ] as const) {
    console.log(
      [
        rooms,
        name,
        r.connections,
        fixed(r.p50),
        fixed(r.p99),
        fixed(r.perSecond, 0),
        fixed(r.rssPerConnectionKiB, 1),
        fixed(r.idleRssMiB, 1),
      ].join('\t'),
    );
  }
  console.log(
    [
      rooms,
      'portal/peerjs',
      ratio(ours.connections, theirs.connections),
      ratio(ours.p50, theirs.p50),
      ratio(ours.p99, theirs.p99),
      ratio(ours.perSecond, theirs.perSecond),
      ratio(ours.rssPerConnectionKiB, theirs.rssPerConnectionKiB),
      ratio(ours.idleRssMiB, theirs.idleRssMiB),
    ].join('\t'),
  );
}
