/**
 * The AWS IoT topic rules that carry device events to Lockstay's handlers, written once as data: the CDK stack
 * creates one `CfnTopicRule` per entry (SQL version 2016-03-23, a Lambda action on `target`, with an error
 * action), and the local IoT Core evaluates the same SQL against every message its broker carries and calls the
 * same handler. The local side understands `SELECT *` plus `topic(n) AS name` projections and a quoted topic
 * filter, and refuses any other SQL, so a rule cannot be deployed that the local cloud silently ignores.
 */

import { lockEventsTopicFilter } from '#shared/devices/contract.ts';

export interface IotTopicRuleDefinition {
  readonly description: string;
  readonly sql: string;
  /** The name, in `infra/functions.ts`, of the function the rule invokes with the selected document. */
  readonly target: string;
}

export const iotSqlVersion = '2016-03-23';

/** The function that receives shadow documents and presence events from locks. */
export const deviceEventsFunction = 'handleDeviceEvent';

export const iotTopicRules = {
  namedShadowDocuments: {
    description: 'Every accepted update of a named shadow of a lock, with its previous and current documents',
    sql: "SELECT *, topic(3) AS thingName, topic(6) AS shadowName FROM '$aws/things/+/shadow/name/+/update/documents'",
    target: deviceEventsFunction,
  },
  classicShadowDocuments: {
    description:
      'Every accepted update of the classic shadow of a lock, with its previous and current documents',
    sql: "SELECT *, topic(3) AS thingName FROM '$aws/things/+/shadow/update/documents'",
    target: deviceEventsFunction,
  },
  presenceEvents: {
    description: 'A lock connected to or disconnected from IoT Core',
    sql: "SELECT * FROM '$aws/events/presence/+/+'",
    target: deviceEventsFunction,
  },
  lockEvents: {
    description: 'What happened at the door (unlocks with attribution, refusals, lockouts, tamper, battery)',
    sql: `SELECT *, topic(3) AS thingName FROM '${lockEventsTopicFilter}'`,
    target: deviceEventsFunction,
  },
} as const satisfies Record<string, IotTopicRuleDefinition>;

export type IotTopicRuleName = keyof typeof iotTopicRules;
