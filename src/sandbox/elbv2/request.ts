/**
 * What several ELBv2 operations read the same way: resource names, tags, the page size, and the
 * Key/Value attribute lists of the Modify…Attributes operations.
 */
import type { Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbv2Fields as f, validationMessage } from '../kit';
import type { ElbTag } from './model';

/**
 * Load balancer / target group names: 1–32 alphanumerics and hyphens, not beginning or ending with
 * a hyphen; load balancer names also must not begin with `internal-`.
 */
export function checkName(name: string, kind: 'Load balancer' | 'Target group'): void {
  if (name.length === 0) f.fail(`${kind} name cannot be empty`);
  if (name.length > 32) f.fail(`${kind} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) f.fail(`${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) f.fail(`${kind} name '${name}' cannot begin or end with '-' character`);
  if (kind === 'Load balancer' && name.toLowerCase().startsWith('internal-')) f.fail(`Load balancer name '${name}' cannot begin with 'internal-'`);
}

/** Tags: keys 1–128 characters, values ≤ 256, no `aws:` prefix, no key twice. */
export function readTags(list: Tag[] | undefined): ElbTag[] {
  const seen = new Set<string>();
  return (list ?? []).map((t, i) => {
    const key = f.str(t.Key, ['Tags', i, 'Key'], { required: true, min: 1, max: 128 });
    const value = f.str(t.Value, ['Tags', i, 'Value'], { max: 256 }) ?? '';
    if (key.startsWith('aws:')) f.fail(`Tag key '${key}' cannot start with 'aws:'`);
    if (seen.has(key)) f.fail(`Tag key was specified more than once: ${key}`, 'DuplicateTagKeys');
    seen.add(key);
    return { Key: key, Value: value };
  });
}

/** `PageSize` of the Describe operations: 1–400, 400 by default. */
export const pageSize = (v: number | undefined): number => f.int(v, 'PageSize', { min: 1, max: 400 }) ?? 400;

/** `1 validation error detected: Value null at '<member>' …: Member must not be null` for a list that must not be empty. */
export const notNull = (member: string): never => f.fail(validationMessage(member, undefined, 'Member must not be null'));

/** Attributes as the API lists them. */
export const attributeList = (a: Record<string, string>): { Key: string; Value: string }[] => Object.entries(a).map(([Key, Value]) => ({ Key, Value }));

/**
 * Modify…Attributes: every Key/Value is checked by `check` before any is applied (a missing Value
 * is `''`); returns the attributes after the change.
 */
export function modifyAttributes(
  attributes: Record<string, string>,
  list: readonly { Key?: string; Value?: string }[],
  check: (key: string, value: string) => void,
): { Key: string; Value: string }[] {
  const changes: Record<string, string> = {};
  list.forEach((a, i) => {
    const key = f.str(a.Key, ['Attributes', i, 'Key'], { required: true });
    const value = a.Value ?? '';
    check(key, value);
    changes[key] = value;
  });
  Object.assign(attributes, changes);
  return attributeList(attributes);
}
