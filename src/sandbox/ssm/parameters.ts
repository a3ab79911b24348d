/**
 * Systems Manager Parameter Store, read side, over the public parameters (public-parameters.ts):
 * GetParameter, GetParameters and GetParametersByPath with SSM's validation and error codes.
 */
import type { GetParameterCommandInput, GetParametersByPathCommandInput, GetParametersCommandInput } from '@aws-sdk/client-ssm';
import { paginate, ssmFields as f, SSM, validationMessage, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
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

/** A parameter name: 1–2048 characters. */
const nameParam = (v: string | undefined, path: string | (string | number)[]): string => f.str(v, path, { required: true, min: 1, max: 2048 });

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

export const getParameter: Operation<GetParameterCommandInput> = (ctx, input) => {
  const name = nameParam(input.Name, 'Name');
  const found = lookup(ctx, name);
  // SSM answers an unknown name with an empty message.
  if (!found) throw new AwsError('ParameterNotFound', '');
  return { Parameter: output(ctx, found.param, found.selector) };
};

export const getParameters: Operation<GetParametersCommandInput> = (ctx, input) => {
  const names = f.strings(input.Names, 'Names', { required: true, min: 1, max: 10 });
  const Parameters: ParameterOut[] = [];
  const InvalidParameters: string[] = [];
  const seen = new Set<string>();
  names.forEach((n, i) => {
    const name = nameParam(n, ['Names', i]);
    if (seen.has(name)) return;
    seen.add(name);
    const found = lookup(ctx, name);
    if (found) Parameters.push(output(ctx, found.param, found.selector));
    else InvalidParameters.push(name);
  });
  return { Parameters, InvalidParameters };
};

export const getParametersByPath: Operation<GetParametersByPathCommandInput> = (ctx, input) => {
  const path = nameParam(input.Path, 'Path');
  if (!path.startsWith('/')) f.fail(validationMessage('Path', path, 'Member must satisfy regular expression pattern: ^\\/.*'));
  const size = f.int(input.MaxResults, 'MaxResults', { min: 1, max: 10 }) ?? 10;
  if (input.ParameterFilters?.length) throw new AwsError('InvalidFilterKey', 'The sandbox does not support ParameterFilters on public parameters.');
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const recursive = input.Recursive === true;
  const all = [...publicParameters(ctx.region).values()]
    .filter((p) => p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes('/')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // The token is bound to the path (and the recursion) it lists.
  const { page, next } = paginate(all, { op: `GetParametersByPath:${recursive}:${path}`, size, token: input.NextToken, key: (p) => p.name }, SSM);
  return { Parameters: page.map((p) => output(ctx, p)), ...(next ? { NextToken: next } : {}) };
};
