/**
 * How an AWS service plugs into the sandbox server: a definition naming its protocol and routing,
 * and one handler per operation (built with kit/define.ts `defineService`). Handlers get their input
 * decoded against the operation's API model, check what the model cannot say, read and change the region's state
 * (through the engine for anything that moves over time) and return the response's output shape.
 * They throw `AwsError` for anything AWS would refuse; the server turns any other throw into a 500
 * `InternalFailure` and keeps serving.
 */
import type { Engine } from './engine/engine';
import type { RegionState, World } from './engine/state';

/** Who signed a request: the sandbox's user (its long-term key, or a GetSessionToken session) or an assumed role's session. */
export interface Caller {
  kind: 'user' | 'session' | 'role';
  accessKeyId: string;
  /** `arn:aws:iam::<account>:user/<name>`, or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
  /** `AIDA…` for the user, `AROA…:<session>` for a role's session. */
  userId: string;
  /** An assumed role's ARN (role sessions). */
  roleArn?: string;
  /** When the temporary credentials expire (real epoch ms). */
  expiresAt?: number;
}

export interface RequestContext {
  region: string;
  accountId: string;
  world: World;
  /** The request's region state (created on first use, with the default VPC). */
  state: RegionState;
  engine: Engine;
  /** Simulated time of the request, epoch ms. */
  now: number;
  requestId: string;
  /** Who signed the request (absent in contexts built by tests: the sandbox's user). */
  caller?: Caller;
}

/**
 * What the protocol layer calls: `input` as the wire delivered it — the parsed JSON body, or for
 * the query protocols the form decoded into nested objects and arrays with string leaves
 * (`Names.member.1=a` -> `{ Names: ['a'] }`, `Filter.1.Value.1=x` -> `{ Filter: [{ Value: ['x'] }] }`).
 * Service folders do not write Handlers: they declare typed operations with `defineService`
 * (kit/define.ts), which decodes this input against the operation's API model first.
 *
 * The handler returns the output object: for JSON protocols numbers for timestamps are epoch
 * *seconds* (`toEpochSeconds`); for the query protocols the object for the `<OpResult>` element
 * (query) or the response element (EC2), arrays becoming `<member>` / `<item>` lists and Dates /
 * `{ $date: ms }` ISO 8601.
 */
export type Handler = (ctx: RequestContext, input: unknown) => unknown; // the output, or a Promise of it

export interface ServiceDefinition {
  /** SigV4 signing name: `ecs`, `ec2`, `ssm`, `elasticloadbalancing`, `monitoring`, `autoscaling`, `application-autoscaling`. */
  signingName: string;
  protocol: 'awsJson1_1' | 'awsJson1_0' | 'awsQuery' | 'ec2Query';
  /** JSON protocols: the `X-Amz-Target` prefix before the dot, e.g. `AmazonEC2ContainerServiceV20141113`. */
  targetPrefix?: string;
  /** Query protocols: the `Version` parameter, e.g. `2015-12-01`, and the XML namespace of responses. */
  version?: string;
  xmlns?: string;
  /** JSON errors: the member that carries the message (`message` for ECS, `Message` for others). */
  errorMessageKey?: 'message' | 'Message';
  /** JSON 1.0 query-compatible services (CloudWatch) also send `x-amzn-query-error: Code;Sender`. */
  queryCompatible?: boolean;
  operations: Record<string, Handler>;
}

/** Epoch seconds (with millisecond fraction) from simulated epoch ms — how JSON protocols send timestamps. */
export const toEpochSeconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/** A timestamp for the XML protocols. */
export const xmlDate = (ms: number): { $date: number } => ({ $date: ms });
