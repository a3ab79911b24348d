/**
 * The sandbox's one input layer, shared by every service.
 *
 * Why the services' own API models rather than a hand-written kit per service: the SDK clients
 * already carry every operation's members and their types, so one decoder (decode.ts) checks all
 * of them — including the ones a handler never reads, which a hand-written kit silently let through
 * in any shape — and turns the query protocols' string leaves into real numbers, booleans, lists
 * and Dates. That makes the handlers' input the SDK's own `XxxCommandInput` type on every wire, and
 * leaves to the hand-written code only what the model cannot say (integer-ness, ranges, enums,
 * cross-member rules), worded per service by a Dialect. The models are extracted at build time
 * (scripts/sandbox-models.ts -> models.json, ~70 KB) because the SDK's schemas themselves cannot be
 * tree-shaken and would add ~1.5 MB to the sandbox bundle.
 *
 * - define.ts    `defineService`: the one way a service folder declares its operations (typed)
 * - decode.ts    the model-driven decoding every request goes through
 * - fields.ts    required / integer / range / length / enum checks (`Fields`)
 * - dialect.ts   each service's error codes and wording
 * - paginate.ts  the one pagination helper
 */
import { APPLICATION_AUTO_SCALING, AUTO_SCALING, CLOUDWATCH, ECS, ECS_CLIENT, ec2Dialect, ELBV2, SSM } from './dialect';
import { Fields } from './fields';

export { defineService, type InputOf, type Operation, type OperationsOf } from './define';
export { paginate, type PageRequest } from './paginate';
export { Fields } from './fields';
export * from './dialect';

/** Each service's checks, in its own words. */
export const ecsFields = new Fields(ECS);
export const ecsClientFields = new Fields(ECS_CLIENT);
export const ec2Fields = new Fields(ec2Dialect);
export const elbv2Fields = new Fields(ELBV2);
export const autoScalingFields = new Fields(AUTO_SCALING);
export const appScalingFields = new Fields(APPLICATION_AUTO_SCALING);
export const cloudwatchFields = new Fields(CLOUDWATCH);
export const ssmFields = new Fields(SSM);
