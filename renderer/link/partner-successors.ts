// Where the page keeps its pinned partner's renewed identities (app/identity/successors.ts): this
// page's local storage, `portal.partnerSuccessors`. Not the config file: the page learns them
// unattended, and cannot save settings without the admin's PIN. Storage that refuses only means
// the pin breaks at the partner's renewal, as it would without them.

import {
  parseSuccessorRecord,
  successorsOf,
  withSuccessor,
  type SuccessorRecord,
} from '../../app/identity/successors.js';

const SUCCESSORS_KEY = 'portal.partnerSuccessors';

export class PartnerSuccessors {
  constructor(private readonly storage: () => Storage = () => localStorage) {}

  /** The fingerprints accepted as `pin` renewed. */
  of(pin: string): readonly string[] {
    return successorsOf(pin, this.read());
  }

  /**
   * A session whose partner presented `from`, verified against `pin`, said its next identity is
   * `next`: kept, so the next sessions accept it. Answers whether anything changed.
   */
  learn(pin: string, from: string, next: string): boolean {
    const record = withSuccessor(pin, this.read(), from, next);
    if (record === null) return false;
    try {
      this.storage().setItem(SUCCESSORS_KEY, JSON.stringify(record));
    } catch (error) {
      console.warn(JSON.stringify({ event: 'partner-successor-not-kept', message: String(error) }));
      return false;
    }
    console.info(JSON.stringify({ event: 'partner-successor-learned', pin, from, next }));
    return true;
  }

  private read(): SuccessorRecord | null {
    try {
      const text = this.storage().getItem(SUCCESSORS_KEY);
      return text === null ? null : parseSuccessorRecord(JSON.parse(text));
    } catch {
      return null; // unreadable: nothing learned
    }
  }
}
