/**
 * EC2 `Filter.N.Name` / `Filter.N.Value.M`: filters are ANDed, the values of one filter ORed;
 * values may use `*` and `?` wildcards (`\` escapes them); `tag:<key>`, `tag-key` and `tag-value`
 * work on every taggable resource. An unknown filter name is refused as EC2 does.
 */
import type { Filter as FilterInput } from '@aws-sdk/client-ec2';
import { AwsError } from '../protocol/errors';
import type { Tag } from '../engine/state';

export interface Filter {
  name: string;
  values: string[];
}

/** What a filter name reads from an item: one value, several, or nothing. */
export type FilterFields<T> = Record<string, (item: T) => string | number | boolean | (string | undefined)[] | undefined>;

/** `Filter.N.Name` / `Filter.N.Value.M` as the model decoded them; a filter needs a name. */
export function parseFilters(filters: readonly FilterInput[] | undefined): Filter[] {
  return (filters ?? []).map((f) => {
    if (f.Name === undefined || f.Name === '') throw new AwsError('InvalidParameterValue', `The filter 'null' is invalid`);
    return { name: f.Name, values: f.Values ?? [] };
  });
}

function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const matchesAny = (actual: string[], wanted: string[]): boolean => {
  const res = wanted.map(wildcard);
  return actual.some((a) => res.some((r) => r.test(a)));
};

function valuesOf(v: ReturnType<FilterFields<unknown>[string]>): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => x !== undefined);
  return [String(v)];
}

/**
 * The items every filter accepts. `tags` gives an item's tags for `tag:<key>` / `tag-key` /
 * `tag-value`; without it those filters are unknown.
 */
export function applyFilters<T>(items: T[], filters: Filter[], fields: FilterFields<T>, tags?: (item: T) => Tag[]): T[] {
  for (const f of filters) {
    const known =
      Object.prototype.hasOwnProperty.call(fields, f.name) ||
      (tags !== undefined && (f.name.startsWith('tag:') || f.name === 'tag-key' || f.name === 'tag-value'));
    if (!known) throw new AwsError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
  }
  return items.filter((item) =>
    filters.every((f) => {
      if (f.values.length === 0) return true;
      if (tags && f.name.startsWith('tag:')) {
        const key = f.name.slice(4);
        return matchesAny(tags(item).filter((t) => t.key === key).map((t) => t.value), f.values);
      }
      if (tags && f.name === 'tag-key') return matchesAny(tags(item).map((t) => t.key), f.values);
      if (tags && f.name === 'tag-value') return matchesAny(tags(item).map((t) => t.value), f.values);
      return matchesAny(valuesOf(fields[f.name](item)), f.values);
    }),
  );
}
