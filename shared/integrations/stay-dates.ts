/**
 * The one rule every source's stay dates must keep before they become a booking: the guest leaves on a later
 * day than they arrive. The domain checks it again (with the longest stay allowed); checking here lets each
 * integration report the bad field under its own name.
 */
import type { z } from 'zod';
import { daysBetween, type LocalDate, localDateSchema } from '#shared/domain/local-time.ts';

export function departureAfterArrivalProblem({
  arrivalDate,
  departureDate,
}: {
  arrivalDate: LocalDate;
  departureDate: LocalDate;
}): string | undefined {
  return daysBetween(arrivalDate, departureDate) < 1
    ? 'The departure date must be after the arrival date'
    : undefined;
}

/** A zod refinement of the same rule, reported on `path` (`departureDate` unless the payload names it otherwise). */
export function departureAfterArrival(
  stay: { arrivalDate?: string | null | undefined; departureDate?: string | null | undefined },
  context: z.core.$RefinementCtx,
  path: readonly string[] = ['departureDate'],
): void {
  // Zod runs refinements even when a date already failed its own check; that one is reported already.
  if (!isLocalDate(stay.arrivalDate) || !isLocalDate(stay.departureDate)) return;
  const problem = departureAfterArrivalProblem({
    arrivalDate: stay.arrivalDate,
    departureDate: stay.departureDate,
  });
  if (problem)
    context.addIssue({ code: 'custom', path: [...path], message: 'Must be after the arrival date' });
}

function isLocalDate(value: string | null | undefined): value is LocalDate {
  return localDateSchema.safeParse(value).success;
}
