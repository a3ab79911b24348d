/** What several CloudWatch operations read the same way: a metric's dimensions and unit, and CloudWatch's MissingParameter. */
import { cloudwatchFields as f, segments, validationMessage, type Path } from '../kit';
import { AwsError } from '../protocol/errors';
import type { Dimension } from './model';

/** Dimensions as given (the model has checked that each has a Name and a Value): lengths, count, no name twice. */
export function dimensions(v: readonly { Name?: string; Value?: string }[] | undefined, path: Path = 'Dimensions', max = 30): Dimension[] {
  if (!v) return [];
  f.list(v, path, { max });
  const names = new Set<string>();
  return v.map(({ Name = '', Value = '' }, i) => {
    const at = [...segments(path), i];
    if (Name.length < 1 || Name.length > 255) f.fail(validationMessage([...at, 'Name'], Name, 'Member must have length between 1 and 255'));
    if (Value.length < 1 || Value.length > 1024) f.fail(validationMessage([...at, 'Value'], Value, 'Member must have length between 1 and 1024'));
    if (names.has(Name)) throw new AwsError('InvalidParameterValue', `No Metric may specify the same dimension name twice: ${Name}`);
    names.add(Name);
    return { Name, Value };
  });
}

export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second',
  'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;

/** CloudWatch's `MissingParameter`. */
export const missing = (param: string): AwsError => new AwsError('MissingParameter', `The parameter ${param} is required.`);
