/**
 * How a service folder declares what it serves — one way for every service:
 *
 *   export const ecsService = defineService<typeof ECS>(
 *     { signingName: 'ecs', protocol: 'awsJson1_1', …, dialect: ECS },
 *     { CreateCluster: createCluster, DescribeClusters: describeClusters, … },
 *   );
 *
 * `typeof ECS` is the SDK client module (`import type * as ECS from '@aws-sdk/client-ecs'`, a
 * type-only import that costs nothing at run time): operation names are checked against it and each
 * handler's `input` is typed as that operation's `XxxCommandInput`. The definition decodes every
 * request against the operation's modelled input first (kit/decode.ts), so the type is true for the
 * query protocols too: handlers get numbers, booleans, lists and Dates, never string leaves.
 */
import type { Handler, RequestContext, ServiceDefinition } from '../service';
import { decodeInput } from './decode';
import type { Dialect } from './dialect';
import { serviceModel, type ShapeRef } from './model';

/** A handler: the decoded input in, the response's output shape out (or an AwsError thrown). */
export type Operation<I> = (ctx: RequestContext, input: I) => unknown;

/** `CreateCluster` for `CreateClusterCommand` — the operations an SDK client module offers. */
export type OperationName<Sdk> = { [K in keyof Sdk]: K extends `${infer Op}Command` ? Op : never }[keyof Sdk] & string;

/** The SDK's input type of an operation (`CreateClusterCommandInput`). */
export type InputOf<Sdk, Op extends string> = `${Op}Command` extends keyof Sdk
  ? Sdk[`${Op}Command`] extends abstract new (...args: never[]) => { readonly input: infer I }
    ? I
    : never
  : never;

/** The operations a service serves, each typed by its SDK input. */
export type OperationsOf<Sdk> = { [Op in OperationName<Sdk>]?: Operation<InputOf<Sdk, Op>> };

export interface ServiceSpec extends Omit<ServiceDefinition, 'operations'> {
  /** How the service words refused input. */
  dialect: Dialect;
  /** Operations that word it otherwise (ECS's task-definition operations refuse with ClientException). */
  dialects?: Record<string, Dialect>;
}

/** A ServiceDefinition whose handlers get their input decoded and checked against the service's API model. */
export function defineService<Sdk>(spec: ServiceSpec, operations: OperationsOf<Sdk>): ServiceDefinition {
  const { dialect, dialects, ...def } = spec;
  // Query protocols send string leaves; CloudWatch's handlers also answer the awsQuery wire.
  const query = def.protocol === 'awsQuery' || def.protocol === 'ec2Query' || (!!def.queryCompatible && !!def.version);
  const handlers: Record<string, Handler> = {};
  for (const [name, run] of Object.entries(operations) as [string, Operation<unknown>][]) {
    const opts = { dialect: dialects?.[name] ?? dialect, query };
    // The model is looked up on the first request (test/unit/sandbox/models.test.ts keeps it complete).
    let shape: ShapeRef | undefined;
    handlers[name] = (ctx, input) => {
      const model = serviceModel(def.signingName);
      shape ??= model.input(name);
      if (shape === undefined) throw new Error(`${def.signingName} ${name}: not in models.json (run npx tsx scripts/sandbox-models.ts)`);
      return run(ctx, decodeInput(model, shape, input, opts));
    };
  }
  return { ...def, operations: handlers };
}
