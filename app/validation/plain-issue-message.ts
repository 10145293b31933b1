// Zod's default messages read like compiler output ("Invalid input: expected string, received
// number"). This error map turns the common issues into the middle of a sentence that follows a
// field name: "`width` must be a whole number ...". Schema-level messages still win over it.

import type { z } from 'zod';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

export function plainIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${String(issue.minimum)} character${issue.minimum === 1 ? '' : 's'} long`
        : issue.origin === 'array'
          ? `must hold at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
          : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${String(issue.maximum)} characters long`
        : issue.origin === 'array'
          ? `must hold at most ${String(issue.maximum)} items`
          : `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
