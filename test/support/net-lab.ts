// A small network lab of this machine's own: two network namespaces joined by a veth pair, each
// end shaped by `tc tbf` when a cap is asked for, so two sites can meet over a thin link. Site A's
// namespace also holds the signaling server. Needs root (CI and these machines run as root).
// Every address is inside the namespaces this lab makes; stop() removes them, and a lab left
// behind by a killed run is removed by the next one (same names).

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './chromium.js';

export interface NetLab {
  /** Site A's address (where the signaling server listens) and site B's. */
  readonly addressA: string;
  readonly addressB: string;
  /** A Chromium executable that runs inside namespace `a` or `b`. */
  chromium(side: 'a' | 'b'): string;
  /** What runs a command inside a namespace: put it before the command. */
  prefix(side: 'a' | 'b'): string[];
  stop(): void;
}

const run = (args: readonly string[]) => execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });

/** `rate` is a tc rate (`1mbit`, `300kbit`) applied each way, or null for an unshaped link. */
export function startNetLab(rate: string | null, tag = 'bench'): NetLab {
  const ns = { a: `portal-${tag}-a`, b: `portal-${tag}-b` };
  const removeAll = () => {
    for (const name of Object.values(ns)) {
      try {
        run(['ip', 'netns', 'del', name]);
      } catch {
        // not there
      }
    }
  };
  removeAll();
  const addressA = '10.231.0.1';
  const addressB = '10.231.0.2';
  try {
    run(['ip', 'netns', 'add', ns.a]);
    run(['ip', 'netns', 'add', ns.b]);
    run(['ip', 'link', 'add', `pl-${tag}-a`, 'type', 'veth', 'peer', 'name', `pl-${tag}-b`]);
    for (const side of ['a', 'b'] as const) {
      const dev = `pl-${tag}-${side}`;
      const address = side === 'a' ? addressA : addressB;
      run(['ip', 'link', 'set', dev, 'netns', ns[side]]);
      const inNs = (...args: string[]) => run(['ip', 'netns', 'exec', ns[side], ...args]);
      inNs('ip', 'addr', 'add', `${address}/24`, 'dev', dev);
      inNs('ip', 'link', 'set', dev, 'up');
      inNs('ip', 'link', 'set', 'lo', 'up');
      // A token bucket: the rate, a burst of a few packets, and a queue of at most 100 ms.
      if (rate !== null)
        inNs('tc', 'qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', rate, 'burst', '16kb', 'latency', '100ms');
    }
  } catch (error) {
    removeAll();
    throw error;
  }
  const dir = mkdtempSync(join(tmpdir(), 'portal-lab-'));
  const wrappers = Object.fromEntries(
    (['a', 'b'] as const).map((side) => {
      const path = join(dir, `chromium-${side}`);
      writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${ns[side]} ${CHROMIUM} "$@"\n`);
      chmodSync(path, 0o755);
      return [side, path];
    }),
  ) as Record<'a' | 'b', string>;
  return {
    addressA,
    addressB,
    chromium: (side) => wrappers[side],
    prefix: (side) => ['ip', 'netns', 'exec', ns[side]],
    stop: removeAll,
  };
}
