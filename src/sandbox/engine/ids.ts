/**
 * Identifiers and ARNs in the shapes AWS uses. Random parts come from node:crypto; everything that
 * builds an ARN goes through here so the formats live in one place.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** 32 lowercase hex characters, as ECS task and container-instance ids. */
export const hexId = (n = 32): string => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);

/** `ecs-svc/` + 19 digits, as ECS deployment ids. */
export const deploymentId = (): string => {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return `ecs-svc/${digits}`;
};

export const uuid = (): string => randomUUID();

/** EC2-style ids: `i-` + 17 hex, `sg-` + 17 hex, `lt-` + 17 hex … */
export const ec2Id = (prefix: string): string => `${prefix}-${hexId(17)}`;

export const requestId = (): string => randomUUID();

export const arns = {
  cluster: (region: string, account: string, name: string) => `arn:aws:ecs:${region}:${account}:cluster/${name}`,
  service: (region: string, account: string, cluster: string, name: string) =>
    `arn:aws:ecs:${region}:${account}:service/${cluster}/${name}`,
  task: (region: string, account: string, cluster: string, id: string) => `arn:aws:ecs:${region}:${account}:task/${cluster}/${id}`,
  containerInstance: (region: string, account: string, cluster: string, id: string) =>
    `arn:aws:ecs:${region}:${account}:container-instance/${cluster}/${id}`,
  container: (region: string, account: string, cluster: string, taskId: string) =>
    `arn:aws:ecs:${region}:${account}:container/${cluster}/${taskId}/${uuid()}`,
  taskDefinition: (region: string, account: string, family: string, revision: number) =>
    `arn:aws:ecs:${region}:${account}:task-definition/${family}:${revision}`,
};

/** The last `/`-separated segment of an ARN (or the input when it is not an ARN). */
export const lastSegment = (arnOrName: string): string => arnOrName.slice(arnOrName.lastIndexOf('/') + 1);
