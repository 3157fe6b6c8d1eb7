/** The current time, injected so that windows, expiries and audit times can be tested at any moment. */
export interface Clock {
  now(): Date;
}
