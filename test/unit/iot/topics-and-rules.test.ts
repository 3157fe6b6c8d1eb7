// Shadow topics read exactly, MQTT filter matching, and the local evaluation of infra/iot-rules.ts.
import { describe, expect, it } from 'vitest';
import { iotTopicRules } from '#infra/iot-rules.ts';
import { parseShadowRequestTopic, shadowTopic, topicMatchesFilter } from '#infra/local/iot/shadow-topics.ts';
import { compileTopicRule, UnsupportedRuleSqlError } from '#infra/local/iot/topic-rules.ts';

describe('shadow request topics', () => {
  it('reads classic and named requests', () => {
    expect(parseShadowRequestTopic('$aws/things/lock-1/shadow/update')).toEqual({
      thingName: 'lock-1',
      operation: 'update',
    });
    expect(parseShadowRequestTopic('$aws/things/lock-1/shadow/name/codes/get')).toEqual({
      thingName: 'lock-1',
      shadowName: 'codes',
      operation: 'get',
    });
  });

  it('never takes a response topic for a request', () => {
    for (const topic of [
      '$aws/things/lock-1/shadow/update/accepted',
      '$aws/things/lock-1/shadow/update/delta',
      '$aws/things/lock-1/shadow/name/codes/update/documents',
      '$aws/things/lock-1/shadow/get/rejected',
      '$aws/things/lock-1/shadow/name/get',
      '$aws/things/lock-1/shadow/list',
      'aws/things/lock-1/shadow/update',
    ]) {
      expect(parseShadowRequestTopic(topic)).toBeUndefined();
    }
  });

  it('writes response topics', () => {
    expect(shadowTopic({ thingName: 'l', shadowName: 's' }, 'update', 'delta')).toBe(
      '$aws/things/l/shadow/name/s/update/delta',
    );
    expect(shadowTopic({ thingName: 'l' }, 'get', 'accepted')).toBe('$aws/things/l/shadow/get/accepted');
  });
});

describe('MQTT topic filters', () => {
  it('match + as one level and # as the rest, the parent level included', () => {
    expect(topicMatchesFilter('$aws/things/+/shadow/#', '$aws/things/l/shadow/update/delta')).toBe(true);
    expect(topicMatchesFilter('a/#', 'a')).toBe(true);
    expect(topicMatchesFilter('a/+', 'a/b/c')).toBe(false);
    expect(topicMatchesFilter('a/+/c', 'a/b/c')).toBe(true);
  });

  it('never match a $ topic with a leading wildcard', () => {
    expect(topicMatchesFilter('#', '$aws/events/presence/connected/x')).toBe(false);
    expect(topicMatchesFilter('+/events/#', '$aws/events/presence/connected/x')).toBe(false);
  });
});

describe('topic rules', () => {
  const rules = Object.entries(iotTopicRules).map(([name, definition]) => compileTopicRule(name, definition));
  const matching = (topic: string) => rules.filter((rule) => rule.matches(topic)).map((rule) => rule.name);
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('all compile', () => {
    expect(rules.map((rule) => rule.name).sort()).toEqual(Object.keys(iotTopicRules).sort());
  });

  it('route named and classic shadow documents and presence events, and nothing else', () => {
    expect(matching('$aws/things/lock-1/shadow/name/state/update/documents')).toEqual([
      'namedShadowDocuments',
    ]);
    expect(matching('$aws/things/lock-1/shadow/update/documents')).toEqual(['classicShadowDocuments']);
    expect(matching('$aws/events/presence/connected/lock-1')).toEqual(['presenceEvents']);
    expect(matching('$aws/things/lock-1/shadow/name/state/update/accepted')).toEqual([]);
    expect(matching('$aws/things/lock-1/shadow/update/delta')).toEqual([]);
  });

  it("route a lock's events, with the thing name taken from the topic", () => {
    expect(matching('lockstay/things/lock-1/events')).toEqual(['lockEvents']);
    expect(matching('lockstay/things/lock-1/events/more')).toEqual([]);
    const rule = rules.find((candidate) => candidate.name === 'lockEvents');
    expect(rule?.select('lockstay/things/lock-1/events', json({ contract: 1, events: [] }))).toEqual({
      contract: 1,
      events: [],
      thingName: 'lock-1',
    });
  });

  it('select the document with the thing and shadow names taken from the topic', () => {
    const rule = rules.find((candidate) => candidate.name === 'namedShadowDocuments');
    const selected = rule?.select(
      '$aws/things/lock-1/shadow/name/state/update/documents',
      json({ current: { version: 2 }, timestamp: 1 }),
    );
    expect(selected).toEqual({
      current: { version: 2 },
      timestamp: 1,
      thingName: 'lock-1',
      shadowName: 'state',
    });
  });

  it('skip a payload that is not a JSON object', () => {
    const rule = rules.find((candidate) => candidate.name === 'presenceEvents');
    expect(rule?.select('$aws/events/presence/connected/x', Buffer.from('not json'))).toBeUndefined();
  });

  it('refuse SQL the local engine cannot evaluate', () => {
    expect(() =>
      compileTopicRule('bad', { description: '', target: 'x', sql: "SELECT state.reported FROM 'a/b'" }),
    ).toThrow(UnsupportedRuleSqlError);
    expect(() =>
      compileTopicRule('bad', { description: '', target: 'x', sql: "SELECT * FROM 'a/b' WHERE x = 1" }),
    ).toThrow(UnsupportedRuleSqlError);
  });
});
