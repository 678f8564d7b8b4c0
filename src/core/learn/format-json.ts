// JSON form of the suggestions, for tools (the VS Code extension, CI scripts):
// everything the YAML fragment has, plus the ranked alternatives per pattern.
import type { FragmentMeta } from './format-yaml';
import type { Suggestions } from './types';

export const LEARN_JSON_SCHEMA = 'rampart-learn.suggestions.v1';

export function renderJson(s: Suggestions, meta: FragmentMeta): string {
  const doc = {
    schema: LEARN_JSON_SCHEMA,
    generatedBy: meta.generatedBy,
    generatedAt: meta.generatedAt.toISOString(),
    durationMs: meta.durationMs ?? null,
    toolCalls: meta.toolCalls,
    ...s,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
