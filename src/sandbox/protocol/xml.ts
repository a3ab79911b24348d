/**
 * XML responses for the awsQuery and ec2Query protocols, built with fast-xml-parser's XMLBuilder
 * (which escapes text and attributes).
 *
 * Handler output -> XML: arrays become `<member>` (awsQuery) or `<item>` (ec2Query) lists,
 * `Date` and `{ $date: ms }` become ISO 8601, booleans `true` / `false`, numbers their decimal
 * form; `undefined` / `null` members are left out.
 */
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  processEntities: true,
  format: false,
});

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Characters XML 1.0 cannot carry at all; replaced so a stray control byte cannot break the document. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export const isDateValue = (v: unknown): v is { $date: number } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { $date?: unknown }).$date === 'number' && Object.keys(v).length === 1;

function text(v: string): string {
  return v.replace(INVALID_XML_CHARS, '\uFFFD');
}

/** Converts a handler value into the object shape XMLBuilder takes. */
export function toXmlTree(value: unknown, listElement: 'member' | 'item'): unknown {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (isDateValue(value)) return new Date(value.$date).toISOString();
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    const items = value.map((v) => toXmlTree(v, listElement)).filter((v) => v !== undefined).map((v) => (v === '' ? { '#text': '' } : v));
    return items.length ? { [listElement]: items } : '';
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const t = toXmlTree(v, listElement);
      if (t !== undefined) out[k] = t;
    }
    return Object.keys(out).length ? out : '';
  }
  return undefined;
}

/** `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OpResponse>` */
export function queryResponse(operation: string, xmlns: string | undefined, result: unknown, requestId: string): string {
  const body: Record<string, unknown> = {};
  if (xmlns) body['@_xmlns'] = xmlns;
  body[`${operation}Result`] = toXmlTree(result ?? {}, 'member') ?? '';
  body.ResponseMetadata = { RequestId: requestId };
  return DECL + builder.build({ [`${operation}Response`]: body });
}

/** `<OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>…</requestId>…</OpResponse>` */
export function ec2Response(operation: string, xmlns: string | undefined, result: unknown, requestId: string): string {
  const body: Record<string, unknown> = {};
  if (xmlns) body['@_xmlns'] = xmlns;
  body.requestId = requestId;
  const tree = toXmlTree(result ?? {}, 'item');
  if (tree && typeof tree === 'object' && !Array.isArray(tree) && !('item' in tree)) Object.assign(body, tree);
  return DECL + builder.build({ [`${operation}Response`]: body });
}

/** `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>` */
export function queryError(xmlns: string | undefined, code: string, message: string, fault: 'Sender' | 'Receiver', requestId: string): string {
  const body: Record<string, unknown> = {};
  if (xmlns) body['@_xmlns'] = xmlns;
  body.Error = { Type: fault, Code: text(code), Message: text(message) };
  body.RequestId = requestId;
  return DECL + builder.build({ ErrorResponse: body });
}

/** `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors><RequestID>…</RequestID></Response>` */
export function ec2Error(code: string, message: string, requestId: string): string {
  return DECL + builder.build({ Response: { Errors: { Error: { Code: text(code), Message: text(message) } }, RequestID: requestId } });
}
