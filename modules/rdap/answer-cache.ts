/**
 * A bounded LRU of rendered RDAP domain answers, one per name and base URL, with the publication version it was
 * rendered from (see `publicationOf`): a change to the record, the consent to publish or the brand's profile gives a
 * new version, and the answer is rendered again. Within `memoMs` of its last check an answer is served without
 * re-reading the version (a change shows after at most that long, as the brand service's cached profiles do).
 * Answers that publish a registrant's own data are never kept.
 */

/** One rendered answer: its bytes, their entity tag, the version they show and when that version was last read. */
export interface CachedAnswer { version: string; text: string; etag: string; checkedAt: number }

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();

  constructor(readonly memoMs: number, private readonly max = 10_000, private readonly now: () => number = Date.now) {}

  /** The answer when it was checked within `memoMs`, else undefined (the caller reads the version and calls `confirm`). */
  fresh(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key);
    return hit && this.now() - hit.checkedAt < this.memoMs ? hit : undefined;
  }

  /** The kept answer when it shows `version` (and marks it checked now), else undefined. */
  confirm(key: string, version: string): CachedAnswer | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version) return undefined;
    hit.checkedAt = this.now();
    // Most recently used last: a Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, answer: Omit<CachedAnswer, 'checkedAt'>): CachedAnswer {
    const entry = { ...answer, checkedAt: this.now() };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }

  /** Forgets an answer (it now publishes personal data, or the name is no longer held). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
