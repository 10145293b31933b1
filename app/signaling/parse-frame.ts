// One parse function per direction: text in, a typed message or a sentence a person can act on
// out. Nothing here throws on bad input.

import type { z } from 'zod';
import { describeValue } from '../validation/describe-value.js';
import { firstIssue } from '../validation/first-issue.js';
import { plainIssueMessage } from '../validation/plain-issue-message.js';
import { CLIENT_SCHEMAS, SERVER_SCHEMAS, type ClientMessage, type ServerMessage } from './messages.js';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Fields whose values are never quoted back, even when they are wrong. */
const SECRET_FIELDS = new Set(['key', 'credential']);

export function parseClientFrame(text: string): ParseResult<ClientMessage> {
  return parseFrame(text, CLIENT_SCHEMAS);
}

export function parseServerFrame(text: string): ParseResult<ServerMessage> {
  return parseFrame(text, SERVER_SCHEMAS);
}

function parseFrame<T>(text: string, schemas: Readonly<Record<string, z.ZodType>>): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('The frame is not valid JSON; send one JSON object per frame.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail(`A frame must be a JSON object with a string field "type", got ${describeValue(json)}.`);
  }
  const type: unknown = (json as Record<string, unknown>)['type'];
  if (typeof type !== 'string') {
    return fail(`A frame must have a string field "type", got ${describeValue(type)}.`);
  }
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (schema === undefined) {
    const known = Object.keys(schemas).join(', ');
    return fail(`Unknown message type ${describeValue(type)}; expected one of: ${known}.`);
  }
  const parsed = schema.safeParse(json, { error: plainIssueMessage });
  if (parsed.success) return { ok: true, value: parsed.data as T };
  const { field, message, path } = firstIssue(parsed.error, 'message');
  // By the last name on the path: a credential inside iceServers is as secret as a key on top.
  const secret = SECRET_FIELDS.has(String(path.at(-1) ?? ''));
  const got = secret ? '' : `, got ${describeValue(valueAt(json, path))}`;
  return fail(`In "${type}": \`${field}\` ${message}${got}.`);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
