/**
 * Turns a zod failure into the domain's InvalidInputError, naming each failing field, so that every entry
 * point (HTTP body, webhook payload, iCal event mapped to a booking) reports bad input the same way.
 */
import type { z } from 'zod';
import { type FieldProblem, InvalidInputError } from './errors.ts';

export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/** Parses `input` with `schema`, or throws InvalidInputError listing every problem at once. */
export function parseInput<Schema extends z.ZodType>({
  schema,
  input,
  what,
}: {
  schema: Schema;
  input: unknown;
  /** What the input describes, for the error's message: "booking", "property"... */
  what: string;
}): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(`The ${what} is not valid`, problemsOf(parsed.error));
  return parsed.data;
}
