/**
 * PutAttributes, ListAttributes, DeleteAttributes: custom attributes on container instances (the
 * one target type ECS has), which `attribute:<name>` in the cluster query language and `memberOf`
 * placement constraints read. Also the attribute checks RegisterContainerInstance shares.
 */
import type { Attribute, DeleteAttributesCommandInput, ListAttributesCommandInput, PutAttributesCommandInput } from '@aws-sdk/client-ecs';
import type { Cluster, ContainerInstance } from '../engine/state';
import { ECS, ecsFields as f, paginate, segments, type Operation, type Path } from '../kit';
import { AwsError } from '../protocol/errors';
import type { RequestContext } from '../service';
import { pageSize } from './request';
import { activeCluster, findContainerInstance } from './resolve';

/** Custom attributes a resource may have (the agent's `ecs.*` ones do not count). */
export const MAX_CUSTOM_ATTRIBUTES = 10;

const NAME_RE = /^[a-zA-Z0-9_\-./\\]{1,128}$/;
const VALUE_RE = /^[a-zA-Z0-9_\-.@/\\: ]{1,128}$/;

/** The agent's own attributes (capabilities, `ecs.instance-type`, …), as opposed to custom ones. */
export const isBuiltIn = (name: string): boolean => name.startsWith('ecs.') || name.startsWith('com.amazonaws.ecs.');

export const customCount = (attrs: readonly { name: string }[]): number => attrs.filter((a) => !isBuiltIn(a.name)).length;

export const limitExceeded = (): AwsError =>
  new AwsError(
    'AttributeLimitExceededException',
    `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes for each resource. You can view the attributes of a resource with ListAttributes. You can remove existing attributes on a resource with DeleteAttributes.`,
  );

export interface ReadAttribute {
  name: string;
  value?: string;
  targetId?: string;
  /** As sent, for the response (ECS echoes the attributes it was given). */
  given: Attribute;
}

/** Checks a list of attributes: names and values as ECS allows them, `targetType` container-instance. */
export function readAttributes(list: Attribute[] | undefined, path: Path, opts: { values: boolean; target: boolean }): ReadAttribute[] {
  return (list ?? []).map((a, i) => {
    const at = [...segments(path), i];
    f.obj(a, at, { required: true });
    const name = f.str(a.name, [...at, 'name'], { required: true });
    if (!NAME_RE.test(name)) {
      f.fail(`Attribute name '${name.slice(0, 140)}' is not valid: 1 to 128 letters, numbers, hyphens, underscores, periods, forward slashes or back slashes.`);
    }
    const value = a.value;
    if (opts.values && value !== undefined && (!VALUE_RE.test(value) || value !== value.trim())) {
      f.fail(
        `Attribute value '${value.slice(0, 140)}' of '${name}' is not valid: 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, forward slashes, back slashes, colons or spaces, not starting or ending with a space.`,
      );
    }
    f.oneOf(a.targetType, [...at, 'targetType'], ['container-instance'] as const);
    const targetId = f.str(a.targetId, [...at, 'targetId'], { required: opts.target });
    return { name, ...(value !== undefined ? { value } : {}), ...(targetId !== undefined ? { targetId } : {}), given: a };
  });
}

const targetNotFound = (id: string) =>
  new AwsError(
    'TargetNotFoundException',
    `The specified target wasn't found: ${id}. You can view your available container instances with ListContainerInstances. Amazon ECS container instances are cluster-specific and Region-specific.`,
  );

/** The container instances the attributes name (ACTIVE or DRAINING ones of the cluster), else TargetNotFoundException. */
function targets(ctx: RequestContext, cluster: Cluster, attrs: ReadAttribute[]): ContainerInstance[] {
  return attrs.map((a) => {
    const ci = findContainerInstance(ctx, cluster, a.targetId!);
    if (!ci || ci.status === 'INACTIVE') throw targetNotFound(a.targetId!);
    return ci;
  });
}

const echo = (attrs: ReadAttribute[]) => attrs.map((a) => ({ ...a.given }));

export const putAttributes: Operation<PutAttributesCommandInput> = (ctx, input) => {
  f.need(input.attributes, 'attributes');
  const attrs = readAttributes(input.attributes, 'attributes', { values: true, target: true });
  if (attrs.length === 0) f.fail('attributes must contain at least one attribute.');
  if (attrs.length > MAX_CUSTOM_ATTRIBUTES) throw limitExceeded();
  const cluster = activeCluster(ctx, input.cluster);
  const cis = targets(ctx, cluster, attrs);
  // All or nothing: the limit is checked on what every instance would have.
  const after = new Map<ContainerInstance, { name: string; value?: string }[]>();
  attrs.forEach((a, i) => {
    const ci = cis[i];
    const list = after.get(ci) ?? ci.attributes.map((x) => ({ ...x }));
    const at = list.findIndex((x) => x.name === a.name);
    const next = a.value === undefined ? { name: a.name } : { name: a.name, value: a.value };
    if (at >= 0) list[at] = next;
    else list.push(next);
    after.set(ci, list);
  });
  for (const list of after.values()) if (customCount(list) > MAX_CUSTOM_ATTRIBUTES) throw limitExceeded();
  for (const [ci, list] of after) {
    ci.attributes = list;
    ci.version += 1;
  }
  return { attributes: echo(attrs) };
};

export const deleteAttributes: Operation<DeleteAttributesCommandInput> = (ctx, input) => {
  f.need(input.attributes, 'attributes');
  const attrs = readAttributes(input.attributes, 'attributes', { values: false, target: true });
  if (attrs.length === 0) f.fail('attributes must contain at least one attribute.');
  const cluster = activeCluster(ctx, input.cluster);
  const cis = targets(ctx, cluster, attrs);
  const touched = new Set<ContainerInstance>();
  attrs.forEach((a, i) => {
    const ci = cis[i];
    const before = ci.attributes.length;
    ci.attributes = ci.attributes.filter((x) => x.name !== a.name);
    if (ci.attributes.length !== before) touched.add(ci);
  });
  for (const ci of touched) ci.version += 1;
  return { attributes: echo(attrs) };
};

export const listAttributes: Operation<ListAttributesCommandInput> = (ctx, input) => {
  f.oneOf(input.targetType, 'targetType', ['container-instance'] as const, { required: true });
  const name = input.attributeName;
  const value = input.attributeValue;
  if (value !== undefined && name === undefined) f.fail('attributeValue can be specified only together with attributeName.');
  const size = pageSize(input.maxResults);
  const cluster = activeCluster(ctx, input.cluster);
  const items: { name: string; value?: string; targetId: string }[] = [];
  const instances = Object.values(ctx.state.ecs.containerInstances)
    .filter((ci) => ci.clusterName === cluster.clusterName && ci.status !== 'INACTIVE')
    .sort((a, b) => a.registeredAt - b.registeredAt || (a.containerInstanceArn < b.containerInstanceArn ? -1 : 1));
  for (const ci of instances) {
    for (const a of ci.attributes) {
      if (name !== undefined && a.name !== name) continue;
      if (value !== undefined && a.value !== value) continue;
      items.push({ name: a.name, ...(a.value !== undefined ? { value: a.value } : {}), targetId: ci.containerInstanceArn });
    }
  }
  const { page, next } = paginate(items, { op: 'ListAttributes', size, token: input.nextToken, key: (a) => `${a.targetId}|${a.name}` }, ECS);
  return { attributes: page, nextToken: next };
};
