/**
 * How each service words a refused input. The checks are the same everywhere (kit/decode.ts,
 * kit/fields.ts, kit/paginate.ts); what differs from service to service is only the error code,
 * the message and how a member is named in it — that is what a Dialect holds. The services' own
 * dialects are at the end, side by side.
 */
import { AwsError, textOf } from '../protocol/errors';

/** What a value was expected to be. */
export type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'structure' | 'list' | 'map';

/**
 * Where a value sits in the request: member names (the wire names for the query protocols) and
 * 0-based list indexes. A string alone names a top-level member.
 */
export type Path = string | readonly (string | number)[];

export const segments = (p: Path): readonly (string | number)[] => (typeof p === 'string' ? [p] : p);

export interface Dialect {
  /** The code of the service's other refusals of input (`Fields.fail`). */
  code: string;
  /** A value of the wrong kind (an empty path: the request itself). */
  wrongType(path: Path, value: unknown, expected: Kind): AwsError;
  /** A required member that is absent (or an empty string where the service counts that as absent). */
  missing(path: Path): AwsError;
  /** A number outside [min, max] (either bound may be absent). */
  range(path: Path, value: number, min?: number, max?: number): AwsError;
  /** A string (characters) or list (items) whose length is outside [min, max]. */
  length(path: Path, value: string | readonly unknown[], min?: number, max?: number): AwsError;
  /** A string that is not one of `values`. */
  notIn(path: Path, value: string, values: readonly string[]): AwsError;
  /** A pagination token this service did not issue (or issued for another list). */
  badToken(token: string): AwsError;
  /** Whether `''` counts as absent for a required string (ECS, EC2) or is a length error. */
  emptyIsMissing: boolean;
}

const article = (k: Kind): string => (k === 'integer' ? 'an integer' : `a ${k}`);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

// ------------------------------------------------------------------------------ ECS wording

/** `containerDefinitions[0].portMappings[1].hostPort` */
export const ecsPath = (p: Path): string =>
  segments(p).reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s), '');

const describe = (v: unknown): string =>
  Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v;

/** ECS's messages (`InvalidParameterException`, or `ClientException` for task definitions). */
export function ecsDialect(code: 'InvalidParameterException' | 'ClientException'): Dialect {
  const err = (message: string) => new AwsError(code, message);
  const items = (v: string | readonly unknown[]) => (typeof v === 'string' ? 'characters' : 'items');
  return {
    code,
    wrongType: (path, value, expected) =>
      segments(path).length === 0
        ? new AwsError('ClientException', 'The request body must be a JSON object.')
        : err(`Invalid type for parameter ${ecsPath(path)}: expected ${article(expected)}, got ${describe(value)}.`),
    missing: (path) => err(`${ecsPath(path)} must be specified.`),
    range: (path, _value, min, max) =>
      err(
        min !== undefined && max !== undefined
          ? `${ecsPath(path)} must be between ${min} and ${max}.`
          : min !== undefined
            ? `${ecsPath(path)} must be greater than or equal to ${min}.`
            : `${ecsPath(path)} must be less than or equal to ${max}.`,
      ),
    length: (path, value, min, max) =>
      err(
        min !== undefined && value.length < min
          ? `${ecsPath(path)} must have at least ${min} ${items(value)}.`
          : `${ecsPath(path)} can have at most ${max} ${items(value)}.`,
      ),
    notIn: (path, value, values) => err(`Invalid value for parameter ${ecsPath(path)}: '${value}'. Valid values are ${values.join(', ')}.`),
    badToken: () => err('Invalid nextToken.'),
    emptyIsMissing: true,
  };
}

// --------------------------------------------------- the AWS validation wording (Coral services)

/** `stepScalingPolicyConfiguration.stepAdjustments.1.member.scalingAdjustment`, as AWS names members in validation messages. */
export const coralPath = (p: Path): string =>
  segments(p)
    .map((s) => (typeof s === 'number' ? `${s + 1}.member` : lowerFirst(s)))
    .join('.');

/** `1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: …` */
export function validationMessage(path: Path, value: unknown, constraint: string): string {
  const shown = value === undefined || value === null ? 'null' : `'${textOf(value)}'`;
  return `1 validation error detected: Value ${shown} at '${coralPath(path)}' failed to satisfy constraint: ${constraint}`;
}

/** The wording of ELBv2, EC2 Auto Scaling, CloudWatch, CloudWatch Logs, Application Auto Scaling and SSM. */
export function coralDialect(code: 'ValidationError' | 'ValidationException' | 'InvalidParameterException', badToken: (token: string) => AwsError): Dialect {
  const err = (path: Path, value: unknown, constraint: string) => new AwsError(code, validationMessage(path, value, constraint));
  return {
    code,
    wrongType: (path, value, expected) => {
      // A list item of the wrong type is reported at the list.
      const s = segments(path);
      const at = typeof s[s.length - 1] === 'number' ? s.slice(0, -1) : s;
      return err(at, value, `Member must be ${article(expected)}`);
    },
    missing: (path) => err(path, undefined, 'Member must not be null'),
    range: (path, value, min, max) =>
      err(path, value, min !== undefined && value < min ? `Member must have value greater than or equal to ${min}` : `Member must have value less than or equal to ${max}`),
    length: (path, value, min, max) =>
      err(
        path,
        typeof value === 'string' ? value : `[${value.map((x) => textOf(x, 40)).join(', ')}]`,
        min !== undefined && value.length < min ? `Member must have length greater than or equal to ${min}` : `Member must have length less than or equal to ${max}`,
      ),
    notIn: (path, value, values) => err(path, value, `Member must satisfy enum value set: [${values.join(', ')}]`),
    badToken,
    emptyIsMissing: false,
  };
}

// ------------------------------------------------------------------------------ EC2 wording

/** `TagSpecification.1.Tag.2.Key`: wire names, 1-based indexes. */
export const ec2Path = (p: Path): string =>
  segments(p)
    .map((s) => (typeof s === 'number' ? String(s + 1) : s))
    .join('.');

/** `InvalidParameterValue: Invalid value 'x' for Name.` — EC2's generic shape. */
export const ec2InvalidValue = (name: string, value: string, why?: string): AwsError =>
  new AwsError('InvalidParameterValue', `Invalid value '${value}' for ${name}.${why ? ` ${why}` : ''}`);

export const ec2Dialect: Dialect = {
  code: 'InvalidParameterValue',
  wrongType: (path, value) => ec2InvalidValue(ec2Path(path), typeof value === 'string' ? value : textOf(value)),
  missing: (path) => new AwsError('MissingParameter', `The request must contain the parameter ${ec2Path(path)}`),
  range: (path, value, min, max) =>
    new AwsError('InvalidParameterValue', `Value ( ${value} ) for parameter ${lowerFirst(ec2Path(path))} is invalid. Parameter must be between ${min} and ${max}.`),
  length: (path, value, _min, max) =>
    ec2InvalidValue(ec2Path(path), typeof value === 'string' ? value : `${value.length} items`, `Length exceeds maximum of ${max}.`),
  notIn: (path, value) => ec2InvalidValue(ec2Path(path), value),
  badToken: (token) => new AwsError('InvalidParameterValue', `Invalid value '${token}' for nextToken.`),
  emptyIsMissing: true,
};

// -------------------------------------------------------------------- the services' dialects

export const ECS = ecsDialect('InvalidParameterException');
/** ECS's task-definition operations refuse with `ClientException`. */
export const ECS_CLIENT = ecsDialect('ClientException');

export const ELBV2 = coralDialect('ValidationError', () => new AwsError('ValidationError', 'Invalid marker'));

export const AUTO_SCALING = coralDialect('ValidationError', () => new AwsError('ValidationError', 'The token provided is invalid.'));

export const APPLICATION_AUTO_SCALING = coralDialect('ValidationException', () => new AwsError('ValidationException', 'Invalid NextToken'));

/** IAM (awsQuery): `ValidationError` in the AWS validation wording. */
export const IAM = coralDialect('ValidationError', () => new AwsError('ValidationError', 'Invalid Marker'));

/** STS (awsQuery): `ValidationError` in the AWS validation wording (it lists nothing). */
export const STS = coralDialect('ValidationError', () => new AwsError('ValidationError', 'Invalid token'));

/** CloudWatch: a number, flag or timestamp it cannot read is `InvalidParameterValue`, named as on the query wire. */
export const CLOUDWATCH: Dialect = (() => {
  const base = coralDialect('ValidationError', () => new AwsError('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken: The NextToken is invalid.'));
  return {
    ...base,
    wrongType: (path, value, expected) =>
      expected === 'number' || expected === 'integer' || expected === 'boolean' || expected === 'timestamp'
        ? cloudwatchInvalidValue(queryWirePath(path), value, expected === 'timestamp' ? 'Timestamps must be in ISO 8601 format or epoch seconds.' : '')
        : base.wrongType(path, value, expected),
  };
})();

/** `MetricData.member.1.Timestamp`: a member as the awsQuery wire names it. */
export const queryWirePath = (p: Path): string =>
  segments(p)
    .map((s) => (typeof s === 'number' ? `member.${s + 1}` : s))
    .join('.');

/** CloudWatch's `The value x for parameter P is invalid.` */
export const cloudwatchInvalidValue = (param: string, value: unknown, why = ''): AwsError =>
  new AwsError('InvalidParameterValue', `The value ${textOf(value)} for parameter ${param} is invalid.${why ? ` ${why}` : ''}`);

/** CloudWatch Logs: the AWS validation wording under `InvalidParameterException`. */
export const LOGS = coralDialect('InvalidParameterException', () => new AwsError('InvalidParameterException', 'The specified nextToken is invalid.'));

/** SSM: a value of the wrong JSON type is a `SerializationException`. */
export const SSM: Dialect = {
  ...coralDialect('ValidationException', () => new AwsError('ValidationException', 'The specified token is not valid.')),
  wrongType: (path, _value, expected) => {
    const s = segments(path);
    const at = typeof s[s.length - 1] === 'number' ? s.slice(0, -1) : s;
    return new AwsError('SerializationException', `Unexpected value for ${coralPath(at)}: expected ${article(expected)}.`);
  },
};
