/**
 * The reserved MQTT topics of the Device Shadow service, read and written exactly: a request topic is
 * `$aws/things/{thing}/shadow[/name/{shadow}]/{get|update|delete}` and nothing longer, so the service never takes
 * its own `/accepted`, `/rejected`, `/delta` or `/documents` messages for requests.
 */
import type { ShadowRef } from './shadow-document.ts';

export type ShadowOperation = 'get' | 'update' | 'delete';
export type ShadowResponse = 'accepted' | 'rejected' | 'delta' | 'documents';

export interface ShadowRequestTopic extends ShadowRef {
  readonly operation: ShadowOperation;
}

const operations: readonly string[] = ['get', 'update', 'delete'];

/** The request a topic names, or undefined when it is not a shadow request topic. */
export function parseShadowRequestTopic(topic: string): ShadowRequestTopic | undefined {
  const levels = topic.split('/');
  if (levels[0] !== '$aws' || levels[1] !== 'things' || levels[3] !== 'shadow') return undefined;
  const thingName = levels[2] as string;
  if (levels.length === 5 && operations.includes(levels[4] as string)) {
    return { thingName, operation: levels[4] as ShadowOperation };
  }
  if (levels.length === 7 && levels[4] === 'name' && operations.includes(levels[6] as string)) {
    return { thingName, shadowName: levels[5] as string, operation: levels[6] as ShadowOperation };
  }
  return undefined;
}

export function shadowTopicPrefix({ thingName, shadowName }: ShadowRef): string {
  return shadowName === undefined
    ? `$aws/things/${thingName}/shadow`
    : `$aws/things/${thingName}/shadow/name/${shadowName}`;
}

export function shadowTopic(ref: ShadowRef, operation: ShadowOperation, response?: ShadowResponse): string {
  const base = `${shadowTopicPrefix(ref)}/${operation}`;
  return response === undefined ? base : `${base}/${response}`;
}

/** Whether an MQTT topic filter (with `+` and `#`) matches a topic; wildcards never match a leading `$` level. */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  if (topic.startsWith('$') && (filterLevels[0] === '+' || filterLevels[0] === '#')) return false;
  for (let index = 0; index < filterLevels.length; index++) {
    const level = filterLevels[index];
    if (level === '#') return true;
    if (index >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[index]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
