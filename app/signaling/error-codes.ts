// The protocol's error codes, whether each ends the connection, and with which close code.

export const ERROR_CODES = [
  'bad-message',
  'unauthorized',
  'join-timeout',
  'room-full',
  'rate-limited',
  'not-joined',
  'no-peer',
  'replaced',
  'too-large',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorCodeRule {
  /** The server closes the connection right after sending this error. */
  readonly fatal: boolean;
  /** The WebSocket close code used when the error ends the connection. */
  readonly closeCode: number | null;
}

export const ERROR_RULES: Readonly<Record<ErrorCode, ErrorCodeRule>> = {
  // Not fatal on its own; MAX_BAD_MESSAGES_IN_A_ROW of them close with 4400.
  'bad-message': { fatal: false, closeCode: 4400 },
  unauthorized: { fatal: true, closeCode: 4401 },
  'join-timeout': { fatal: true, closeCode: 4408 },
  'room-full': { fatal: true, closeCode: 4409 },
  'rate-limited': { fatal: true, closeCode: 4429 },
  'not-joined': { fatal: false, closeCode: null },
  'no-peer': { fatal: false, closeCode: null },
  replaced: { fatal: true, closeCode: 4001 },
  'too-large': { fatal: true, closeCode: 1009 },
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** The error code a close code stands for, if it is one of the protocol's. */
export function errorCodeForClose(closeCode: number): ErrorCode | null {
  for (const code of ERROR_CODES) {
    if (ERROR_RULES[code].closeCode === closeCode) return code;
  }
  return null;
}
