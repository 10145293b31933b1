// The message shapes of docs/protocol.md, version 1, as schemas. The server parses what sites
// send with these; the renderer parses what the server sends with these.

import { z } from 'zod';
import { ERROR_CODES } from './error-codes.js';
import { MAX_KEY_LENGTH, NAME_PATTERN, PROTOCOL_VERSION } from './protocol-limits.js';

const nameRule = 'must be 1-64 characters of A-Z a-z 0-9 . _ -';
export const NameSchema = z.string().regex(NAME_PATTERN, nameRule);

/** Present and any JSON value: JSON has no `undefined`, so "missing" is the only way to fail. */
const anyJson = z.unknown().refine((value) => value !== undefined, 'is required (any JSON value)');

export const IceServerSchema = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

// Site to server.

export const JoinSchema = z.object({
  type: z.literal('join'),
  v: z.literal(
    PROTOCOL_VERSION,
    `must be ${PROTOCOL_VERSION} (this server speaks protocol version ${PROTOCOL_VERSION})`,
  ),
  room: NameSchema,
  site: NameSchema,
  key: z.string().min(1).max(MAX_KEY_LENGTH, `must be at most ${MAX_KEY_LENGTH} characters`).optional(),
});
export const ClientSignalSchema = z.object({ type: z.literal('signal'), data: anyJson });
export const PingSchema = z.object({ type: z.literal('ping'), id: z.number().finite().optional() });
export const LeaveSchema = z.object({ type: z.literal('leave') });
/** "Send me fresh iceServers": for a site whose TURN credentials are running out. */
export const IceServersRequestSchema = z.object({ type: z.literal('ice-servers') });

export type JoinMessage = z.infer<typeof JoinSchema>;
export type ClientSignalMessage = z.infer<typeof ClientSignalSchema>;
export type PingMessage = z.infer<typeof PingSchema>;
export type LeaveMessage = z.infer<typeof LeaveSchema>;
export type IceServersRequestMessage = z.infer<typeof IceServersRequestSchema>;
export type ClientMessage = JoinMessage | ClientSignalMessage | PingMessage | LeaveMessage | IceServersRequestMessage;

export const CLIENT_SCHEMAS = {
  join: JoinSchema,
  signal: ClientSignalSchema,
  ping: PingSchema,
  leave: LeaveSchema,
  'ice-servers': IceServersRequestSchema,
} as const;

// Server to site.

/** Seconds the credentials in the iceServers beside it stay valid; sent only with ephemeral ones. */
const iceServersTtl = z.number().int().positive().optional();

export const JoinedSchema = z.object({
  type: z.literal('joined'),
  room: NameSchema,
  site: NameSchema,
  peers: z.array(NameSchema),
  iceServers: z.array(IceServerSchema).optional(),
  iceServersTtl,
});
export const PeerJoinedSchema = z.object({ type: z.literal('peer-joined'), site: NameSchema });
/** Why the partner left: `left` (it closed or sent leave), `replaced`, or `lost` (it stopped answering). */
export const PEER_LEFT_REASONS = ['left', 'replaced', 'lost'] as const;
export type PeerLeftReason = (typeof PEER_LEFT_REASONS)[number];
export const PeerLeftSchema = z.object({
  type: z.literal('peer-left'),
  site: NameSchema,
  reason: z.enum(PEER_LEFT_REASONS).optional(),
});
export const ServerSignalSchema = z.object({ type: z.literal('signal'), from: NameSchema, data: anyJson });
export const PongSchema = z.object({ type: z.literal('pong'), id: z.number().finite().optional() });
/** Fresh iceServers: the answer to the site's `ice-servers`, or pushed before credentials expire. */
export const IceServersSchema = z.object({
  type: z.literal('ice-servers'),
  iceServers: z.array(IceServerSchema),
  iceServersTtl,
});
export const ServerErrorSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

export type JoinedMessage = z.infer<typeof JoinedSchema>;
export type PeerJoinedMessage = z.infer<typeof PeerJoinedSchema>;
export type PeerLeftMessage = z.infer<typeof PeerLeftSchema>;
export type ServerSignalMessage = z.infer<typeof ServerSignalSchema>;
export type PongMessage = z.infer<typeof PongSchema>;
export type IceServersMessage = z.infer<typeof IceServersSchema>;
export type ServerErrorMessage = z.infer<typeof ServerErrorSchema>;
export type ServerMessage =
  | JoinedMessage
  | PeerJoinedMessage
  | PeerLeftMessage
  | ServerSignalMessage
  | PongMessage
  | IceServersMessage
  | ServerErrorMessage;

export const SERVER_SCHEMAS = {
  joined: JoinedSchema,
  'peer-joined': PeerJoinedSchema,
  'peer-left': PeerLeftSchema,
  signal: ServerSignalSchema,
  pong: PongSchema,
  'ice-servers': IceServersSchema,
  error: ServerErrorSchema,
} as const;
