/**
 * CloudWatch Logs filter patterns for unstructured events (FilterLogEvents, `aws logs tail
 * --filter-pattern`): terms, "quoted phrases", `?term` (at least one of the `?` terms) and `-term`
 * (none of them). Matching is case-sensitive and by substring; a term outside quotes is letters,
 * digits and `_` only, as AWS asks ("terms that include non-alphanumeric characters must be in
 * double quotes"). JSON (`{ $.x = 1 }`), space-delimited (`[ip, user, …]`) and regex (`%…%`) patterns
 * are refused with an InvalidParameterException saying so: the sandbox does not serve them.
 *
 * Pure: no I/O.
 */
import { AwsError } from '../protocol/errors';

export interface FilterPattern {
  /** Every one must be in the message. */
  required: string[];
  /** At least one must be, when there are any. */
  optional: string[];
  /** None may be. */
  excluded: string[];
}

const SUPPORTED = 'The sandbox serves terms, "quoted phrases", ?optional terms and -excluded terms';
const BARE = /^[\p{L}\p{N}_]+$/u;

const refuse = (message: string): never => {
  throw new AwsError('InvalidParameterException', message);
};

/** Parses a filter pattern; throws InvalidParameterException for one it cannot serve. */
export function parseFilterPattern(pattern: string): FilterPattern {
  const out: FilterPattern = { required: [], optional: [], excluded: [] };
  const p = pattern.trim();
  if (p.startsWith('{')) refuse(`JSON filter patterns ({ $.field = value }) are not served by the sandbox. ${SUPPORTED}.`);
  if (p.startsWith('[')) refuse(`Space-delimited filter patterns ([field1, field2, ...]) are not served by the sandbox. ${SUPPORTED}.`);
  if (p.length > 1 && p.startsWith('%')) refuse(`Regular expression filter patterns (%regex%) are not served by the sandbox. ${SUPPORTED}.`);
  let i = 0;
  while (i < p.length) {
    if (/\s/.test(p[i])) {
      i++;
      continue;
    }
    let kind: keyof FilterPattern = 'required';
    if (p[i] === '?' || p[i] === '-') {
      kind = p[i] === '?' ? 'optional' : 'excluded';
      i++;
    }
    let term: string;
    if (p[i] === '"') {
      let j = i + 1;
      term = '';
      while (j < p.length && p[j] !== '"') {
        if (p[j] === '\\' && j + 1 < p.length) j++;
        term += p[j++];
      }
      if (j >= p.length) refuse(`Invalid filter pattern: the quoted phrase at position ${i + 1} is not closed: ${pattern}`);
      i = j + 1;
      if (i < p.length && !/\s/.test(p[i])) refuse(`Invalid filter pattern: expected a space after the quoted phrase at position ${j + 1}: ${pattern}`);
    } else {
      let j = i;
      while (j < p.length && !/\s/.test(p[j])) j++;
      term = p.slice(i, j);
      if (term === '') refuse(`Invalid filter pattern: '${p[i - 1]}' must be followed by a term: ${pattern}`);
      if (!BARE.test(term)) refuse(`Invalid character(s) in term '${term}': put terms with characters other than letters, digits and _ in double quotes ("${term}").`);
      i = j;
    }
    // An empty phrase ("") matches every event.
    if (term !== '' || kind !== 'required') out[kind].push(term);
  }
  return out;
}

export function matchesPattern(p: FilterPattern, message: string): boolean {
  for (const t of p.required) if (!message.includes(t)) return false;
  for (const t of p.excluded) if (message.includes(t)) return false;
  return p.optional.length === 0 || p.optional.some((t) => message.includes(t));
}
