/**
 * Systems Manager Parameter Store, read side, over the public parameters (public-parameters.ts):
 * GetParameter, GetParameters and GetParametersByPath with SSM's validation and error codes.
 */
import { AwsError, textOf } from '../protocol/errors';
import type { RequestContext } from '../service';
import { toEpochSeconds } from '../service';
import { publicParameters, type PublicParameter } from './public-parameters';

interface ParameterOut {
  Name: string;
  Type: 'String';
  Value: string;
  Version: number;
  Selector?: string;
  LastModifiedDate: number | undefined;
  ARN: string;
  DataType: string;
}

const validation = (value: unknown, member: string, constraint: string): AwsError =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${textOf(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  );

function nameParam(v: unknown, member: string): string {
  if (v === undefined || v === null) throw validation(v, member, 'Member must not be null');
  if (typeof v !== 'string') throw new AwsError('SerializationException', `Unexpected value for ${member}: expected a string.`);
  if (v.length < 1) throw validation(v, member, 'Member must have length greater than or equal to 1');
  if (v.length > 2048) throw validation(v, member, 'Member must have length less than or equal to 2048');
  return v;
}

/** A name as given (plain, ARN, or with a `:version` selector), resolved against the region's parameters. */
function lookup(ctx: RequestContext, given: string): { param: PublicParameter; selector?: string } | undefined {
  let name = given;
  const arn = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12})?:parameter(\/.*)$/.exec(name);
  if (arn) {
    if (arn[1] !== ctx.region) return undefined;
    name = arn[3];
  }
  let selector: string | undefined;
  const sel = /^(.*?)(:[^/:]+)$/.exec(name);
  if (sel) {
    name = sel[1];
    selector = sel[2];
  }
  const param = publicParameters(ctx.region).get(name);
  if (!param) return undefined;
  if (selector !== undefined) {
    const v = selector.slice(1);
    if (/^\d+$/.test(v)) {
      if (Number(v) !== param.version) {
        throw new AwsError(
          'ParameterVersionNotFound',
          `Systems Manager could not find version ${v} of ${name}. Verify the version and try again.`,
        );
      }
    } else {
      throw new AwsError('ParameterVersionLabelNotFound', `Systems Manager could not find label ${v} of ${name}.`);
    }
  }
  return { param, selector };
}

function output(ctx: RequestContext, p: PublicParameter, selector?: string): ParameterOut {
  return {
    Name: p.name,
    Type: 'String',
    Value: p.value,
    Version: p.version,
    ...(selector ? { Selector: selector } : {}),
    LastModifiedDate: toEpochSeconds(p.lastModified),
    ARN: `arn:aws:ssm:${ctx.region}::parameter${p.name}`,
    DataType: p.dataType,
  };
}

export function getParameter(ctx: RequestContext, input: Record<string, unknown>): { Parameter: ParameterOut } {
  const name = nameParam(input?.Name, 'name');
  const found = lookup(ctx, name);
  // SSM answers an unknown name with an empty message.
  if (!found) throw new AwsError('ParameterNotFound', '');
  return { Parameter: output(ctx, found.param, found.selector) };
}

export function getParameters(
  ctx: RequestContext,
  input: Record<string, unknown>,
): { Parameters: ParameterOut[]; InvalidParameters: string[] } {
  const names = input?.Names;
  if (names === undefined || names === null) throw validation(names, 'names', 'Member must not be null');
  if (!Array.isArray(names)) throw new AwsError('SerializationException', 'Unexpected value for names: expected a list.');
  if (names.length < 1) throw validation('[]', 'names', 'Member must have length greater than or equal to 1');
  if (names.length > 10) {
    throw validation(`[${names.map((n) => textOf(n, 40)).join(', ')}]`, 'names', 'Member must have length less than or equal to 10');
  }
  const Parameters: ParameterOut[] = [];
  const InvalidParameters: string[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    const name = nameParam(n, 'names');
    if (seen.has(name)) continue;
    seen.add(name);
    const found = lookup(ctx, name);
    if (found) Parameters.push(output(ctx, found.param, found.selector));
    else InvalidParameters.push(name);
  }
  return { Parameters, InvalidParameters };
}

export function getParametersByPath(
  ctx: RequestContext,
  input: Record<string, unknown>,
): { Parameters: ParameterOut[]; NextToken?: string } {
  const path = nameParam(input?.Path, 'path');
  if (!path.startsWith('/')) {
    throw validation(path, 'path', 'Member must satisfy regular expression pattern: ^\\/.*');
  }
  const recursive = input.Recursive === true;
  const max = input.MaxResults;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10)) {
    throw validation(max, 'maxResults', 'Member must have value less than or equal to 10');
  }
  if (input.ParameterFilters !== undefined && (!Array.isArray(input.ParameterFilters) || input.ParameterFilters.length > 0)) {
    throw new AwsError('InvalidFilterKey', 'The sandbox does not support ParameterFilters on public parameters.');
  }
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const all = [...publicParameters(ctx.region).values()]
    .filter((p) => p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes('/')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let start = 0;
  if (input.NextToken !== undefined) {
    const tok = typeof input.NextToken === 'string' ? Buffer.from(input.NextToken, 'base64').toString('utf8') : '';
    const m = /^ssm-path:(\d{1,6}):(.*)$/.exec(tok);
    if (!m || m[2] !== path) throw new AwsError('ValidationException', 'The specified token is not valid.');
    start = Number(m[1]);
  }
  const size = typeof max === 'number' ? max : 10;
  const page = all.slice(start, start + size);
  const next = start + size < all.length ? Buffer.from(`ssm-path:${start + size}:${path}`, 'utf8').toString('base64') : undefined;
  return { Parameters: page.map((p) => output(ctx, p)), ...(next ? { NextToken: next } : {}) };
}
