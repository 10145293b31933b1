// docs/protocol.md is the protocol a third-party client follows: its two message tables must name
// exactly the message types the schemas accept, each way.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIENT_SCHEMAS, SERVER_SCHEMAS } from '../../../../app/signaling/messages.js';

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/protocol.md', import.meta.url)), 'utf8');

/** The `type` column of the table under `heading`. */
function typesUnder(heading: string): string[] {
  const section = doc.slice(doc.indexOf(heading));
  const table = section.slice(0, section.indexOf('\n## ', heading.length));
  return table
    .split('\n')
    .map((line) => line.match(/^\| `([a-z-]+)`/)?.[1])
    .filter((type): type is string => type !== undefined);
}

describe('the message schemas', () => {
  it('accept from sites exactly the messages docs/protocol.md lists', () => {
    expect(typesUnder('## Messages from a site to the server').sort()).toEqual(Object.keys(CLIENT_SCHEMAS).sort());
  });

  it('give sites exactly the messages docs/protocol.md lists', () => {
    expect(typesUnder('## Messages from the server to a site').sort()).toEqual(Object.keys(SERVER_SCHEMAS).sort());
  });
});
