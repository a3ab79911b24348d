/**
 * What several EC2 operations read the same way: DryRun, tags and tag specifications, the page
 * size. Refusals are EC2's (`InvalidParameterValue`, `MissingParameter`, …).
 */
import type { Tag as TagInput } from '@aws-sdk/client-ec2';
import type { Tag } from '../engine/state';
import { ec2Dialect, ec2Fields as f, ec2InvalidValue as invalidValue } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';

/** What EC2 code needs of a request; callers inside the sandbox (EC2 Auto Scaling) can build one without a request. */
export type Ec2Context = Pick<RequestContext, 'region' | 'accountId' | 'world' | 'state' | 'now' | 'engine'>;

/** `MissingParameter: The request must contain the parameter X`. */
export const missing = (name: string): AwsError => ec2Dialect.missing(name);

/** DryRun=true: EC2 answers `DryRunOperation` instead of doing the work. */
export function checkDryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun === true) throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}

/** `MaxResults` within EC2's range for the operation; without it, every item is one page. */
export const pageSize = (v: number | undefined, range: { min: number; max: number }): number => f.int(v, 'MaxResults', range) ?? Infinity;

/** Tags from `Tag.N.{Key,Value}` (`param` names them in errors). */
export function tagList(list: readonly TagInput[] | undefined, param = 'Tag'): Tag[] {
  return (list ?? []).map((t, i) => {
    const key = t.Key;
    if (key === undefined || key === '') throw missing(`${param}.${i + 1}.Key`);
    const value = t.Value ?? '';
    validateTag(key, value);
    return { key, value };
  });
}

export function validateTag(key: string, value: string): void {
  if (key.length > 127) throw invalidValue('Tag.Key', key, 'Tag keys must be at most 127 characters long.');
  if (value.length > 255) throw invalidValue('Tag.Value', value, 'Tag values must be at most 255 characters long.');
  if (/^aws:/i.test(key)) throw invalidValue('Tag.Key', key, "Tag keys starting with 'aws:' are reserved for internal use");
}

/** The tags a `TagSpecification.N` list gives one resource type; an unsupported type is refused. */
export function tagsFor(specs: readonly { ResourceType?: string; Tags?: TagInput[] }[] | undefined, resourceType: string, allowed: string[]): Tag[] {
  const tags: Tag[] = [];
  for (const s of specs ?? []) {
    const type = s.ResourceType;
    if (type === undefined || type === '') throw missing('TagSpecification.ResourceType');
    if (!allowed.includes(type)) {
      throw new AwsError('InvalidParameterValue', `'${type}' is not a valid taggable resource type for this operation.`);
    }
    if (type === resourceType) tags.push(...tagList(s.Tags));
  }
  return mergeTags([], tags);
}

/** Applies `add` over `base` (same key replaces), keeping order. */
export function mergeTags(base: Tag[], add: Tag[]): Tag[] {
  const out = base.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((x) => x.key === t.key);
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  if (out.length > 50) throw new AwsError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  return out;
}

/** EC2's `tagSet`, omitted when empty (as EC2 does). */
export const tagSet = (tags: Tag[] | undefined): { key: string; value: string }[] | undefined =>
  tags && tags.length > 0 ? tags.map((t) => ({ key: t.key, value: t.value })) : undefined;
