// How a bad value is quoted back in an error message: short, printable, and never more than
// a glance at what arrived.

const MAX_SHOWN = 40;

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const printable = value.replace(/[^\x20-\x7e]/g, '?');
    const shown = printable.length > MAX_SHOWN ? `${printable.slice(0, MAX_SHOWN)}...` : printable;
    return `'${shown}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
