/**
 * placementConstraints and placementStrategy as RunTask, CreateService, UpdateService and
 * RegisterTaskDefinition take them, checked as ECS checks them. The scheduler honours them
 * (engine/placement.ts); services and task definitions return them as stored.
 */
import type { PlacementConstraint as ConstraintInput, PlacementStrategy as StrategyInput, TaskDefinitionPlacementConstraint } from '@aws-sdk/client-ecs';
import type { PlacementConstraint, PlacementStrategy } from '../engine/state';
import { ecsFields, type Fields } from '../kit';
import { readQuery } from './container-instances';

/** `placementConstraints` (at most 10): memberOf with a cluster query expression, distinctInstance without one (not in task definitions). */
export function readConstraints(
  list: (ConstraintInput | TaskDefinitionPlacementConstraint)[] | undefined,
  opts: { taskDefinition?: boolean; fields?: Fields } = {},
): PlacementConstraint[] | undefined {
  const f = opts.fields ?? ecsFields;
  const items = f.list(list, 'placementConstraints', { max: 10 });
  return items?.map((c, i) => {
    const at = ['placementConstraints', i];
    f.obj(c, at, { required: true });
    const type = f.oneOf(c.type, [...at, 'type'], ['memberOf', 'distinctInstance'] as const, { required: true });
    const expression = f.str(c.expression, [...at, 'expression'], { max: 2000 });
    if (type === 'distinctInstance') {
      if (opts.taskDefinition) f.fail("constraint.type 'distinctInstance' is not supported in task definitions: specify it on the service or in RunTask.");
      if (expression !== undefined) f.fail(`placementConstraints[${i}]: an expression cannot be specified for a distinctInstance constraint.`);
      return { type };
    }
    if (expression === undefined) return f.fail(`placementConstraints[${i}].expression must be specified for a memberOf constraint.`);
    readQuery(expression, 'placement constraint expression', f);
    return { type, expression };
  });
}

/** `placementStrategy` (at most 5): spread over instanceId / host / attribute:<name>, binpack on cpu / memory, random. */
export function readStrategy(list: StrategyInput[] | undefined): PlacementStrategy[] | undefined {
  const f = ecsFields;
  const items = f.list(list, 'placementStrategy', { max: 5 });
  return items?.map((s, i) => {
    const at = ['placementStrategy', i];
    f.obj(s, at, { required: true });
    const type = f.oneOf(s.type, [...at, 'type'], ['random', 'spread', 'binpack'] as const, { required: true });
    const field = f.str(s.field, [...at, 'field'], { max: 255 });
    if (type === 'random') return field === undefined ? { type } : { type, field };
    if (field === undefined) return f.fail(`placementStrategy[${i}].field must be specified for the ${type} strategy.`);
    const lower = field.toLowerCase();
    if (type === 'binpack' && lower !== 'cpu' && lower !== 'memory') f.fail(`Invalid field '${field}' for the binpack placement strategy. Valid values are cpu, memory.`);
    if (type === 'spread' && lower !== 'instanceid' && lower !== 'host' && !/^attribute:[^\s]+$/.test(field)) {
      f.fail(`Invalid field '${field}' for the spread placement strategy. Valid values are instanceId, host or attribute:<attribute name> (e.g. attribute:ecs.availability-zone).`);
    }
    return { type, field };
  });
}
