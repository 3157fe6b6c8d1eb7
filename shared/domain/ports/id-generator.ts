/** Unique ids for new things. The domain adds the prefix that says what the thing is. */
export interface IdGenerator {
  /** A new id, unique across tenants, safe in URLs and keys (letters, digits, `-`, `_`). */
  newId(): string;
}
