// Fetching the Electron binary on a first `npm start`: the `electron` package's own download
// step (install scripts are off, see .npmrc), run with progress a person can see, a limit on a
// stalled and on a slow download, and a reason in one sentence when it fails. `portal start`
// itself never calls this: a kiosk starting at boot never downloads anything.
//
// @electron/get (the package Electron's install script uses) picks the URL, honours
// ELECTRON_MIRROR and the cache, and checks the archive against the checksums shipped in the
// `electron` package; only the transfer is ours, so that it can report progress and be aborted.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { electronBinary } from './electron-binary.js';

export interface FetchLimits {
  /** The whole download may take this long. */
  readonly totalMs: number;
  /** No byte for this long (a dead route drops packets silently): give up. */
  readonly stallMs: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { totalMs: 10 * 60_000, stallMs: 30_000 };

export type FetchResult =
  | { readonly ok: true; readonly binary: string; readonly fetched: boolean }
  | { readonly ok: false; readonly reason: string };

/** The part of @electron/get this uses. */
interface ElectronGet {
  downloadArtifact(details: {
    version: string;
    artifactName: 'electron';
    platform: string;
    arch: string;
    checksums: Record<string, string>;
    cacheRoot?: string;
    downloader: { download(url: string, target: string): Promise<void> };
  }): Promise<string>;
}

/** Progress as a line every few percent (or every 5 MB when the size is unknown). */
export type ProgressSink = (line: string) => void;

/**
 * Makes sure the Electron binary is there: nothing to do when it is, else download and unpack
 * it within `limits`. Answers with the binary, or with the reason it could not be had.
 */
export async function fetchElectron(
  limits: FetchLimits,
  progress: ProgressSink,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FetchResult> {
  const present = electronBinary(env);
  if (present !== null) return { ok: true, binary: present, fetched: false };
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('electron/package.json');
  } catch {
    return { ok: false, reason: 'the electron package is not installed (run npm install first)' };
  }
  const fromElectron = createRequire(packageJson);
  const { version } = fromElectron('./package.json') as { version: string };
  const checksums = fromElectron('./checksums.json') as Record<string, string>;
  const get = fromElectron('@electron/get') as ElectronGet;
  const abort = new AbortController();
  const total = setTimeout(
    () => abort.abort(new Error(`it took longer than ${Math.round(limits.totalMs / 1000)} s`)),
    limits.totalMs,
  );
  try {
    progress(`Fetching Electron ${version} for ${process.platform}-${process.arch} (a first start does this once)...`);
    await get.downloadArtifact({
      version,
      artifactName: 'electron',
      platform: process.platform,
      arch: process.arch,
      checksums,
      ...(env['electron_config_cache'] ? { cacheRoot: env['electron_config_cache'] } : {}),
      downloader: { download: (url, target) => download(url, target, limits.stallMs, abort, progress) },
    });
    // Electron's own install script unpacks what is now in the cache and records the binary's
    // path (node_modules/electron/path.txt) where the `electron` package looks for it.
    await unpack(dirname(packageJson), env);
  } catch (error) {
    return { ok: false, reason: reasonOf(abort.signal.aborted ? abort.signal.reason : error) };
  } finally {
    clearTimeout(total);
  }
  const binary = electronBinary(env);
  return binary === null
    ? { ok: false, reason: 'the download finished but no Electron binary was unpacked' }
    : { ok: true, binary, fetched: true };
}

async function download(
  url: string,
  target: string,
  stallMs: number,
  abort: AbortController,
  progress: ProgressSink,
): Promise<void> {
  let stall = setTimeout(() => abort.abort(new Error(`nothing arrived for ${stallMs / 1000} s`)), stallMs);
  const alive = (): void => {
    clearTimeout(stall);
    stall = setTimeout(() => abort.abort(new Error(`nothing arrived for ${stallMs / 1000} s`)), stallMs);
  };
  try {
    const response = await fetch(url, { signal: abort.signal });
    if (!response.ok || response.body === null) {
      throw new Error(`the download server answered ${response.status} ${response.statusText} for ${url}`);
    }
    alive();
    const size = Number(response.headers.get('content-length')) || null;
    const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
    let received = 0;
    let shown = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        alive();
        received += chunk.length;
        const step = size === null ? received - shown >= 5e6 : (received - shown) / size >= 0.05;
        if (step || received === size) {
          shown = received;
          progress(
            size === null
              ? `fetching Electron: ${mb(received)}`
              : `fetching Electron: ${Math.floor((100 * received) / size)}% of ${mb(size)}`,
          );
        }
        done(null, chunk);
      },
    });
    await mkdir(dirname(target), { recursive: true });
    await pipeline(Readable.fromWeb(response.body as never), counter, createWriteStream(target), {
      signal: abort.signal,
    });
  } finally {
    clearTimeout(stall);
  }
}

function unpack(electronDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['install.js'], {
      cwd: electronDir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`unpacking failed: ${stderr.trim().split('\n')[0] ?? code}`)),
    );
  });
}

/** One clause a person can act on, from what fetch, the checksum check or the unpacking threw. */
function reasonOf(error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return "the download server's name could not be resolved (no route to the internet?)";
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'ENETUNREACH') {
    return `the download server could not be reached (${code})`;
  }
  if (/checksum/i.test(err.message)) return 'the downloaded archive did not match its checksum';
  // fetch() says only "fetch failed" and keeps what happened in its cause.
  return cause?.message ? `${err.message} (${cause.message})` : err.message;
}
