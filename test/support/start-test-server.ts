// A real signaling server on 127.0.0.1, port 0, whose log lines the test can read.

import { afterEach } from 'vitest';
import { createJsonLineLogger } from '../../main/log/json-line-logger.js';
import {
  startSignalingServer,
  type SignalingServer,
  type SignalingServerOptions,
} from '../../main/signaling/signaling-server.js';
import type { TestSite } from './test-site.js';

export interface TestServer extends SignalingServer {
  readonly logLines: string[];
}

const running: SignalingServer[] = [];
const clients: TestSite[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

export async function startTestServer(options: Partial<SignalingServerOptions> = {}): Promise<TestServer> {
  const logLines: string[] = [];
  const server = await startSignalingServer({
    host: '127.0.0.1',
    port: 0,
    keys: { key: 'test-key' },
    logger: createJsonLineLogger({ name: 'test', level: 'debug', write: (line) => logLines.push(line) }),
    ...options,
  });
  running.push(server);
  return Object.assign(server, { logLines });
}

/** Terminates `site` after the test, whatever happened. */
export function track<T extends TestSite>(site: T): T {
  clients.push(site);
  return site;
}
