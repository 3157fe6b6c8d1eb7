/**
 * The local twin of AWS IoT topic rules: compiles the SQL of `infra/iot-rules.ts` (the subset Lockstay uses) and
 * turns a message on a matching topic into the document the rule's Lambda action would receive.
 */
import type { IotTopicRuleDefinition } from '#infra/iot-rules.ts';
import { isJsonObject, type JsonObject } from './shadow-document.ts';
import { topicMatchesFilter } from './shadow-topics.ts';

export interface CompiledTopicRule {
  readonly name: string;
  readonly definition: IotTopicRuleDefinition;
  readonly topicFilter: string;
  matches(topic: string): boolean;
  /** The selected document, or undefined when the payload is not a JSON object (SELECT * needs one). */
  select(topic: string, payload: Uint8Array): JsonObject | undefined;
}

type Projection =
  | { readonly kind: 'all' }
  | { readonly kind: 'topic'; readonly level: number; readonly alias: string };

const statementPattern = /^\s*SELECT\s+(.+?)\s+FROM\s+'([^']+)'\s*$/is;
const topicProjectionPattern = /^topic\(\s*(\d+)\s*\)\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)$/i;

export class UnsupportedRuleSqlError extends Error {
  constructor(ruleName: string, reason: string) {
    super(`Topic rule ${ruleName}: ${reason}`);
    this.name = 'UnsupportedRuleSqlError';
  }
}

export function compileTopicRule(name: string, definition: IotTopicRuleDefinition): CompiledTopicRule {
  const statement = statementPattern.exec(definition.sql);
  if (statement === null) throw new UnsupportedRuleSqlError(name, `cannot read SQL "${definition.sql}"`);
  const [, selectList = '', topicFilter = ''] = statement;
  const projections = selectList.split(',').map((item): Projection => {
    const text = item.trim();
    if (text === '*') return { kind: 'all' };
    const topicProjection = topicProjectionPattern.exec(text);
    if (topicProjection !== null) {
      return { kind: 'topic', level: Number(topicProjection[1]), alias: topicProjection[2] as string };
    }
    throw new UnsupportedRuleSqlError(name, `unsupported projection "${text}"`);
  });

  return {
    name,
    definition,
    topicFilter,
    matches: (topic) => topicMatchesFilter(topicFilter, topic),
    select(topic, payload) {
      const levels = topic.split('/');
      let document: unknown = {};
      if (projections.some((projection) => projection.kind === 'all')) {
        try {
          document = JSON.parse(Buffer.from(payload).toString('utf8'));
        } catch {
          return undefined;
        }
        if (!isJsonObject(document)) return undefined;
      }
      const selected: JsonObject = {};
      for (const projection of projections) {
        // topic(n) counts levels from 1, as in AWS IoT SQL.
        if (projection.kind === 'all') Object.assign(selected, document);
        else if (levels[projection.level - 1] !== undefined) {
          selected[projection.alias] = levels[projection.level - 1] as string;
        }
      }
      return selected;
    },
  };
}
