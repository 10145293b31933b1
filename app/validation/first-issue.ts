// Where a schema refusal is reported as one sentence: the first issue, its field as a dotted
// path (or a name for the whole value), and its message from plainIssueMessage.

import type { z } from 'zod';

export interface FirstIssue {
  readonly field: string;
  readonly message: string;
  readonly path: readonly PropertyKey[];
}

export function firstIssue(error: z.ZodError, wholeValue: string): FirstIssue {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  return { field: path.map(String).join('.') || wholeValue, message: issue?.message ?? 'is invalid', path };
}
