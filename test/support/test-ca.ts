// A certificate chain made for one test with the system's openssl: a root CA, an intermediate
// CA and a server certificate for 127.0.0.1 and localhost signed by the intermediate, the way a
// real certificate authority issues them. The server presents the leaf and the intermediate;
// clients trust the root only, so a client that connects has checked the whole chain.
//
// `trustInChromium` puts the root in an NSS database under a HOME of the test's own, the store
// Chromium on Linux takes locally trusted roots from: the browser then validates the chain
// for real (no --ignore-certificate-errors of any kind).

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestChain {
  readonly dir: string;
  /** The root CA's certificate (PEM): what a client trusts. */
  readonly caFile: string;
  readonly ca: Buffer;
  /** The leaf then the intermediate (PEM): what the server presents. */
  readonly certFile: string;
  readonly cert: Buffer;
  /** The leaf's private key (PEM). */
  readonly keyFile: string;
  readonly key: Buffer;
  /** The leaf alone, without its intermediate: a chain no client can complete. */
  readonly leafOnlyFile: string;
}

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function serial(): string {
  return `0x${[...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A key and a certificate signed by `issuer` (or by itself), with the extensions given. */
function issue(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  issuer: { cert: string; key: string } | null,
): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `[v3]\n${extensions}\n`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', key]);
  if (issuer === null) {
    // -config brings the [v3] section; a self-signed root needs no request file.
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      subject,
      '-days',
      '2',
      '-set_serial',
      serial(),
      '-config',
      ext,
      '-extensions',
      'v3',
      '-out',
      cert,
    ]);
  } else {
    const csr = join(dir, `${name}.csr`);
    openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.cert,
      '-CAkey',
      issuer.key,
      '-set_serial',
      serial(),
      '-days',
      '1',
      '-extfile',
      ext,
      '-extensions',
      'v3',
      '-out',
      cert,
    ]);
  }
  return { cert, key };
}

export function makeTestChain(): TestChain {
  const dir = mkdtempSync(join(tmpdir(), 'portal-ca-'));
  const caExtensions = [
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
  ];
  const root = issue(dir, 'root', '/O=Portal tests/CN=Portal Test Root CA', caExtensions.join('\n'), null);
  const intermediate = issue(
    dir,
    'intermediate',
    '/O=Portal tests/CN=Portal Test Intermediate CA',
    [
      'basicConstraints = critical, CA:TRUE, pathlen:0',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid:always',
    ].join('\n'),
    root,
  );
  const leaf = issue(
    dir,
    'server',
    '/O=Portal tests/CN=127.0.0.1',
    [
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid:always',
    ].join('\n'),
    intermediate,
  );
  const certFile = join(dir, 'chain.pem');
  writeFileSync(certFile, Buffer.concat([readFileSync(leaf.cert), readFileSync(intermediate.cert)]));
  return {
    dir,
    caFile: root.cert,
    ca: readFileSync(root.cert),
    certFile,
    cert: readFileSync(certFile),
    keyFile: leaf.key,
    key: readFileSync(leaf.key),
    leafOnlyFile: leaf.cert,
  };
}

/**
 * A HOME whose NSS database (~/.pki/nssdb) trusts the chain's root for servers; start Chromium
 * with it as HOME. Needs NSS's certutil (Debian: libnss3-tools), which .ci/run installs.
 */
export function chromiumHomeTrusting(chain: TestChain): string {
  const home = mkdtempSync(join(tmpdir(), 'portal-home-'));
  const db = join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  const certutil = (args: readonly string[]): void => {
    try {
      execFileSync('certutil', ['-d', `sql:${db}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('certutil is missing: install NSS tools (Debian: apt-get install libnss3-tools).');
      }
      throw error;
    }
  };
  certutil(['-N', '--empty-password']);
  certutil(['-A', '-t', 'C,,', '-n', 'Portal Test Root CA', '-i', chain.caFile]);
  return home;
}
