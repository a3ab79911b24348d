/**
 * What several ECS operations read the same way: names, tags, the page size, `include`.
 */
import { ecsFields as f, segments, type Path } from '../kit';
import type { Tag } from '../engine/state';

/** Cluster, service, family and container names: up to 255 letters, digits, hyphens and underscores. */
export const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;

/** Tags as ECS accepts them: ≤ 50, key 1–128 characters, value ≤ 256, no `aws:` prefix, no key twice. */
export function readTags(v: unknown, path: Path = 'tags'): Tag[] {
  const list = f.list(v as unknown[] | undefined, path) ?? [];
  if (list.length > 50) f.fail(`Too many tags: ${list.length}. A resource can have at most 50 tags.`);
  const seen = new Set<string>();
  return list.map((t, i) => {
    const at = [...segments(path), i];
    const o = f.obj(t, at, { required: true });
    const key = f.str(o.key, [...at, 'key'], { required: true });
    const value = f.str(o.value, [...at, 'value']) ?? '';
    if (key.length > 128) f.fail(`Tag key '${key.slice(0, 20)}…' is longer than 128 characters.`);
    if (value.length > 256) f.fail(`The value of tag '${key}' is longer than 256 characters.`);
    if (/^aws:/i.test(key)) f.fail(`Tag keys beginning with 'aws:' are reserved for AWS use: '${key}'.`);
    if (seen.has(key)) f.fail(`Duplicate tag key '${key}'.`);
    seen.add(key);
    return { key, value };
  });
}

/** Merges `add` into `existing` by key (later wins), keeping the 50-tag limit. */
export function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const out = existing.filter((t) => !add.some((a) => a.key === t.key)).concat(add);
  if (out.length > 50) f.fail(`Too many tags: the resource would have ${out.length}. A resource can have at most 50 tags.`);
  return out;
}

/** `maxResults` of the List operations: 1–100. */
export const pageSize = (v: number | undefined, defaultSize = 100): number => f.int(v, 'maxResults', { min: 1, max: 100 }) ?? defaultSize;

/** `include`: which optional parts to add, each one of `values`. */
export function includes<T extends string>(v: string[] | undefined, values: readonly T[], fields = f): Set<T> {
  return new Set((v ?? []).map((x) => fields.oneOf(x, 'include', values)!));
}
