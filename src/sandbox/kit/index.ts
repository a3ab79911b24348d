/**
 * The sandbox's one input layer, shared by every service.
 *
 * Why the services' own API models rather than a hand-written kit per service: the SDK clients
 * already carry every operation's members, their types, which are required and their query wire
 * names. One decoder (decode.ts) therefore checks all of them — including the members a handler
 * never reads, which the six hand-written kits let through in any shape — turns the query protocols'
 * string leaves into real numbers, booleans, lists and Dates, and maps ec2Query wire names to member
 * names. That makes a handler's input the SDK's own `XxxCommandInput` on every wire, so handlers are
 * typed by the SDK instead of `any`, and nothing per service is left to write but what the models
 * do not carry: integer vs. double, ranges, lengths, enum values, patterns and cross-member rules
 * (fields.ts), worded per service by a Dialect (dialect.ts). The cost is data, not code: the input
 * shapes of the 116 operations served, extracted ahead of time (scripts/sandbox-models.ts ->
 * models.json, 70 KB, kept current by a unit test; +56 KB to the minified sandbox bundle, read on
 * the first request). Loading the SDK's schemas at run time instead would add ~1.5 MB (0.75 MB
 * minified): esbuild cannot tree-shake them.
 *
 * - define.ts    `defineService`: the one way a service folder declares its operations (typed)
 * - decode.ts    the model-driven decoding every request goes through
 * - fields.ts    required / integer / range / length / enum checks (`Fields`)
 * - dialect.ts   each service's error codes and wording
 * - paginate.ts  the one pagination helper
 */
import { APPLICATION_AUTO_SCALING, AUTO_SCALING, CLOUDWATCH, ECS, ECS_CLIENT, ec2Dialect, ELBV2, IAM, LOGS, SSM, STS } from './dialect';
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
export const logsFields = new Fields(LOGS);
export const ssmFields = new Fields(SSM);
export const iamFields = new Fields(IAM);
export const stsFields = new Fields(STS);
