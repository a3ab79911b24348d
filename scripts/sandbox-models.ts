/**
 * Writes src/sandbox/kit/models.json: the input shapes of every operation the sandbox serves, taken
 * from the installed AWS SDK clients' own API models (their static schemas, read through
 * @smithy/core's NormalizedSchema). The sandbox decodes and type-checks every request against them
 * (src/sandbox/kit/decode.ts); the file is small (~70 KB) where bundling the SDK schemas themselves
 * would add ~1.5 MB (0.75 MB minified) to dist/sandbox.js (esbuild cannot tree-shake them).
 *
 *   npx tsx scripts/sandbox-models.ts          # regenerate after adding an operation or updating the SDK
 *
 * test/unit/sandbox/models.test.ts fails when the file is out of date.
 *
 * Format (per signing name): `ops` maps an operation to its input shape; `shapes` maps a structure's
 * name to `[requiredCount, ...members]`, a member being `[name, shape]` or, when the wire name
 * differs (ec2Query's `ec2QueryName`, `xmlName`), `[name, shape, wireName]`; the first
 * `requiredCount` members are the required ones. A shape is a structure's name, a scalar
 * (0 string, 1 number, 2 boolean, 4 timestamp, 15 document, 21 blob) or `['L', item]` / `['M', value]`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NormalizedSchema } from '@smithy/core/schema';
import type { MemberRef, ServiceModels, ShapeRef } from '../src/sandbox/kit/model';
import type { ServiceDefinition } from '../src/sandbox/service';

/** The SDK client whose model describes each service the sandbox serves (by signing name). */
export const SDK_PACKAGES: Record<string, string> = {
  ecs: '@aws-sdk/client-ecs',
  ec2: '@aws-sdk/client-ec2',
  ssm: '@aws-sdk/client-ssm',
  iam: '@aws-sdk/client-iam',
  sts: '@aws-sdk/client-sts',
  elasticloadbalancing: '@aws-sdk/client-elastic-load-balancing-v2',
  monitoring: '@aws-sdk/client-cloudwatch',
  autoscaling: '@aws-sdk/client-auto-scaling',
  'application-autoscaling': '@aws-sdk/client-application-auto-scaling',
  logs: '@aws-sdk/client-cloudwatch-logs',
};

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The models of the operations `services` serve. */
export function buildModels(services: readonly ServiceDefinition[]): Record<string, ServiceModels> {
  const out: Record<string, ServiceModels> = {};
  for (const def of [...services].sort((a, b) => (a.signingName < b.signingName ? -1 : 1))) {
    const pkg = SDK_PACKAGES[def.signingName];
    if (!pkg) throw new Error(`no SDK client known for ${def.signingName}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package name is computed; buildModels is synchronous
    const sdk = require(pkg) as Record<string, unknown>;
    const shapes: ServiceModels['shapes'] = {};
    const ops: Record<string, ShapeRef> = {};
    const ec2 = def.protocol === 'ec2Query';
    const wireName = (member: string, traits: Record<string, unknown>): string => {
      const xmlName = typeof traits.xmlName === 'string' ? traits.xmlName : undefined;
      if (ec2) return typeof traits.ec2QueryName === 'string' ? traits.ec2QueryName : upperFirst(xmlName ?? member);
      return xmlName ?? member;
    };
    const walk = (ns: NormalizedSchema): ShapeRef => {
      if (ns.isStructSchema()) {
        const name = ns.getName()!;
        if (!(name in shapes)) {
          shapes[name] = [0]; // placeholder: recursive shapes refer to it by name
          const members: MemberRef[] = [];
          for (const [member, m] of ns.structIterator()) {
            const wire = wireName(member, m.getMergedTraits());
            members.push(wire === member ? [member, walk(m)] : [member, walk(m), wire]);
          }
          const required = (ns.getSchema() as unknown[])[6];
          shapes[name] = [typeof required === 'number' ? required : 0, ...members];
        }
        return name;
      }
      if (ns.isListSchema()) return ['L', walk(ns.getValueSchema())];
      if (ns.isMapSchema()) return ['M', walk(ns.getValueSchema())];
      if (ns.isStringSchema()) return 0;
      if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) return 1;
      if (ns.isBooleanSchema()) return 2;
      if (ns.isTimestampSchema()) return 4;
      if (ns.isDocumentSchema()) return 15;
      if (ns.isBlobSchema()) return 21;
      throw new Error(`${def.signingName}: unknown schema kind ${ns.getName(true)}`);
    };
    for (const op of Object.keys(def.operations).sort()) {
      const schema = sdk[`${op}$`] as unknown[] | undefined;
      if (!schema) throw new Error(`${pkg} has no model of ${op}`);
      ops[op] = walk(NormalizedSchema.of((schema[4] as () => never)()));
    }
    const sorted: ServiceModels['shapes'] = {};
    for (const k of Object.keys(shapes).sort()) sorted[k] = shapes[k];
    out[def.signingName] = { ops, shapes: sorted };
  }
  return out;
}

/** JSON with one operation / shape per line, so that a regenerated file diffs readably. */
export function formatModels(models: Record<string, ServiceModels>): string {
  const lines = ['{'];
  const services = Object.entries(models);
  services.forEach(([service, m], si) => {
    lines.push(`  ${JSON.stringify(service)}: {`, '    "ops": {');
    const ops = Object.entries(m.ops);
    ops.forEach(([k, v], i) => lines.push(`      ${JSON.stringify(k)}: ${JSON.stringify(v)}${i < ops.length - 1 ? ',' : ''}`));
    lines.push('    },', '    "shapes": {');
    const shapes = Object.entries(m.shapes);
    shapes.forEach(([k, v], i) => lines.push(`      ${JSON.stringify(k)}: ${JSON.stringify(v)}${i < shapes.length - 1 ? ',' : ''}`));
    lines.push('    }', `  }${si < services.length - 1 ? ',' : ''}`);
  });
  lines.push('}', '');
  return lines.join('\n');
}

export const MODELS_FILE = join(__dirname, '..', 'src', 'sandbox', 'kit', 'models.json');

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the registry is loaded only when run as a script, not when imported by tests
  const { services } = require('../src/sandbox/registry') as typeof import('../src/sandbox/registry');
  const text = formatModels(buildModels(services));
  writeFileSync(MODELS_FILE, text);
  console.log(`wrote ${MODELS_FILE} (${text.length} bytes)`);
}
