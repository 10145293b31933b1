// The `app://portal/` scheme: the built renderer served from disk by the main process, never
// from the network, with the page's strict Content-Security-Policy on every response (built in
// main/signaling/content-security-policy.ts, shared with the HTTP server's page). The handler is a
// plain `(Request) => Promise<Response>` so it runs, and is tested, without Electron.

import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { pageHeaders } from '../signaling/content-security-policy.js';
import { PORTAL_HOST, PORTAL_SCHEME } from './portal-origin.js';

/** What registerSchemesAsPrivileged needs: a standard, secure scheme (getUserMedia needs a secure context). */
export const PORTAL_SCHEME_PRIVILEGES = {
  scheme: PORTAL_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface AppProtocolOptions {
  /** The built renderer (dist/renderer). */
  readonly rootDir: string;
  /** The Content-Security-Policy for every response, read per request (settings may change). */
  readonly csp: () => string;
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const root = resolve(options.rootDir);
  return async (request) => {
    const headers = { ...pageHeaders(options.csp()), 'cache-control': 'no-cache' };
    const refuse = (status: number, text: string): Response =>
      new Response(text, { status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'Not a URL.');
    }
    if (url.protocol !== `${PORTAL_SCHEME}:` || url.host !== PORTAL_HOST) return refuse(404, 'Not found.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Only GET.');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, 'Bad path.');
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(root, `.${path}`);
    // Only files under the renderer's folder: `..` and encoded separators stay inside.
    if (!file.startsWith(root + sep) || path.includes('\0')) return refuse(404, 'Not found.');
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...headers, 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      return refuse(404, 'Not found.');
    }
  };
}
