/**
 * The tag every resource the hands-on creates carries where the API allows tags, so that Clean Up
 * finds what the hands-on made (`ecs-handson:managed=true`). ECS spells tags `{ key, value }`; EC2,
 * ELBv2, Auto Scaling and CloudWatch spell them `{ Key, Value }`.
 */
export const MANAGED_TAG_KEY = 'ecs-handson:managed';
export const MANAGED_TAG_VALUE = 'true';

/** The tag as ECS takes it. */
export const managedEcsTag = (): { key: string; value: string } => ({ key: MANAGED_TAG_KEY, value: MANAGED_TAG_VALUE });

/** The tag as EC2, ELBv2, Auto Scaling and CloudWatch take it. */
export const managedTag = (): { Key: string; Value: string } => ({ Key: MANAGED_TAG_KEY, Value: MANAGED_TAG_VALUE });

/** Whether tags in either spelling include the managed tag. */
export const hasManagedTag = (tags: ReadonlyArray<{ key?: string; value?: string; Key?: string; Value?: string }> | undefined): boolean =>
  (tags ?? []).some((x) => (x.key ?? x.Key) === MANAGED_TAG_KEY && (x.value ?? x.Value) === MANAGED_TAG_VALUE);
