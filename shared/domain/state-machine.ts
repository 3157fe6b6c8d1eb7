/**
 * Lifecycles written down as data: for each state, the states it may move to. The tables are read by the code
 * that moves things and by the tests, so a transition the table does not list cannot happen anywhere.
 */
import { ConflictError } from './errors.ts';

export type TransitionTable<State extends string> = { readonly [From in State]: readonly State[] };

/** Refused because the table does not allow it; a 409 for the API (the thing is not in a state for this). */
export class IllegalTransitionError extends ConflictError {
  readonly machine: string;
  readonly from: string;
  readonly to: string;
  constructor({ machine, from, to }: { machine: string; from: string; to: string }) {
    super(`A ${machine} cannot go from '${from}' to '${to}'`);
    this.machine = machine;
    this.from = from;
    this.to = to;
  }
}

export interface StateMachine<State extends string> {
  readonly name: string;
  readonly transitions: TransitionTable<State>;
  /** States nothing leaves. */
  readonly terminal: readonly State[];
  canMove(from: State, to: State): boolean;
  /** Returns `to`, or throws IllegalTransitionError. */
  move(from: State, to: State): State;
}

export function defineStateMachine<State extends string>({
  name,
  transitions,
}: {
  name: string;
  transitions: TransitionTable<State>;
}): StateMachine<State> {
  const states = Object.keys(transitions) as State[];
  const canMove = (from: State, to: State) => transitions[from].includes(to);
  return {
    name,
    transitions,
    terminal: states.filter((state) => transitions[state].length === 0),
    canMove,
    move(from, to) {
      if (!canMove(from, to)) throw new IllegalTransitionError({ machine: name, from, to });
      return to;
    },
  };
}
