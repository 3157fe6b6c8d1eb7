/** The Clock port on the machine's clock. */
import type { Clock } from '#shared/domain/ports/clock.ts';

export const systemClock: Clock = { now: () => new Date() };
