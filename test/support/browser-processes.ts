// What a kiosk's browser shows the rest of the machine, read from /proc as any local user could:
// its processes' command lines, and the TCP ports they listen on.

import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Every process whose command line names this browser profile (the browser and its helpers). */
export function browserPids(profileDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => commandLine(pid).includes(`--user-data-dir=${profileDir}`));
}

/** The process's arguments as `ps` and /proc/PID/cmdline show them; empty once it is gone. */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The TCP ports (v4 and v6) that any of `pids` listens on: its sockets matched against /proc/net/tcp*. */
export function listeningPorts(pids: readonly number[]): number[] {
  const listening = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is the tenth field.
      if (fields.length < 10 || fields[3] !== '0A') continue;
      listening.set(fields[9]!, parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  const ports = new Set<number>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const port = inode === undefined ? undefined : listening.get(inode);
      if (port !== undefined) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
