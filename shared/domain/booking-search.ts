/**
 * Finding a booking by its guest, as a host types it: part of the name, any case, with or without accents
 * ("jose" finds "José Álvarez"). The table adapter and the in-memory store match with this same rule.
 */

/** The name folded for matching: accents dropped, lower case, runs of spaces as one. */
export function foldedName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function guestNameMatches({ name, search }: { name: string; search: string }): boolean {
  return foldedName(name).includes(foldedName(search));
}
