/**
 * The public Systems Manager parameters tools read for AMIs:
 *  - the ECS-optimized AMI metadata AWS publishes under `/aws/service/ecs/optimized-ami/...`: each
 *    variant has a JSON parameter (`.../recommended`) and one parameter per JSON key
 *    (`.../recommended/image_id`, …);
 *  - the plain Amazon Linux AMIs under `/aws/service/ami-amazon-linux-latest/` (AL2023 and AL2,
 *    x86_64 and arm64): the AMI id itself, data type `aws:ec2:image`.
 * AMI ids are derived from the region and variant so they are stable across restarts and differ
 * per region, as real AMI ids do. (Only the ECS-optimized AMIs run the ECS agent; an instance from
 * a plain Amazon Linux AMI joins a cluster only when its user data says so, as if the user had
 * installed the agent.)
 */
import { createHash } from 'node:crypto';

export interface PublicParameter {
  name: string;
  value: string;
  version: number;
  /** Epoch ms. */
  lastModified: number;
  dataType: 'text' | 'aws:ec2:image';
}

interface Variant {
  /** Path after `/aws/service/ecs/optimized-ami/`. */
  path: string;
  os: string;
  imageName: string;
  sourceImageName: string;
  runtime: string;
  architecture: 'x86_64' | 'arm64';
}

const AGENT_VERSION = '1.99.1';
const PUBLISHED = Date.UTC(2025, 10, 12, 21, 8, 43);
const VERSION = 142;

const VARIANTS: Variant[] = [
  {
    path: 'amazon-linux-2023',
    os: 'Amazon Linux 2023',
    imageName: 'al2023-ami-ecs-hvm-2023.0.20251110-kernel-6.1-x86_64',
    sourceImageName: 'al2023-ami-minimal-2023.9.20251105.0-kernel-6.1-x86_64',
    runtime: 'Docker version 25.0.8',
    architecture: 'x86_64',
  },
  {
    path: 'amazon-linux-2023/arm64',
    os: 'Amazon Linux 2023',
    imageName: 'al2023-ami-ecs-hvm-2023.0.20251110-kernel-6.1-arm64',
    sourceImageName: 'al2023-ami-minimal-2023.9.20251105.0-kernel-6.1-arm64',
    runtime: 'Docker version 25.0.8',
    architecture: 'arm64',
  },
  {
    path: 'amazon-linux-2',
    os: 'Amazon Linux 2',
    imageName: 'amzn2-ami-ecs-hvm-2.0.20251110-x86_64-ebs',
    sourceImageName: 'amzn2-ami-minimal-hvm-2.0.20251103.0-x86_64-ebs',
    runtime: 'Docker version 25.0.8',
    architecture: 'x86_64',
  },
  {
    path: 'amazon-linux-2/kernel-5.10',
    os: 'Amazon Linux 2',
    imageName: 'amzn2-ami-ecs-kernel-5.10-hvm-2.0.20251110-x86_64-ebs',
    sourceImageName: 'amzn2-ami-minimal-hvm-2.0.20251103.0-x86_64-ebs',
    runtime: 'Docker version 25.0.8',
    architecture: 'x86_64',
  },
  {
    path: 'amazon-linux-2/arm64',
    os: 'Amazon Linux 2',
    imageName: 'amzn2-ami-ecs-hvm-2.0.20251110-arm64-ebs',
    sourceImageName: 'amzn2-ami-minimal-hvm-2.0.20251103.0-arm64-ebs',
    runtime: 'Docker version 25.0.8',
    architecture: 'arm64',
  },
];

const PREFIX = '/aws/service/ecs/optimized-ami/';

/** `/aws/service/ami-amazon-linux-latest/<name>`: the names AWS publishes for AL2023 and AL2. */
const AL_LATEST_PREFIX = '/aws/service/ami-amazon-linux-latest/';
const AL_LATEST: Array<{ name: string; architecture: Variant['architecture'] }> = [
  ...['x86_64', 'arm64'].flatMap((arch) => [
    `al2023-ami-kernel-default-${arch}`,
    `al2023-ami-kernel-6.1-${arch}`,
    `al2023-ami-kernel-6.12-${arch}`,
    `al2023-ami-minimal-kernel-default-${arch}`,
    `al2023-ami-minimal-kernel-6.1-${arch}`,
    `amzn2-ami-hvm-${arch}-gp2`,
    `amzn2-ami-kernel-5.10-hvm-${arch}-gp2`,
    `amzn2-ami-minimal-hvm-${arch}-ebs`,
  ].map((name) => ({ name, architecture: arch as Variant['architecture'] }))),
  { name: 'amzn2-ami-hvm-x86_64-ebs', architecture: 'x86_64' },
];
const AL_LATEST_VERSION = 117;

/** The stable AMI id of a variant in a region: `ami-` + 17 hex. */
export const amiId = (region: string, variantPath: string): string =>
  `ami-${createHash('sha256').update(`${region}/ecs-optimized/${variantPath}`).digest('hex').slice(0, 17)}`;

function metadata(region: string, v: Variant): Record<string, string | number> {
  // Key order as ECS publishes it.
  return {
    ecs_agent_version: AGENT_VERSION,
    ecs_runtime_version: v.runtime,
    image_id: amiId(region, v.path),
    image_name: v.imageName,
    os: v.os,
    schema_version: 1,
    source_image_name: v.sourceImageName,
  };
}

/** Every public parameter of a region, by name. */
export function publicParameters(region: string): Map<string, PublicParameter> {
  const out = new Map<string, PublicParameter>();
  const add = (name: string, value: string, dataType: PublicParameter['dataType'] = 'text') =>
    out.set(name, { name, value, version: VERSION, lastModified: PUBLISHED, dataType });
  for (const v of VARIANTS) {
    const base = `${PREFIX}${v.path}/recommended`;
    const meta = metadata(region, v);
    add(base, JSON.stringify(meta));
    for (const [k, val] of Object.entries(meta)) add(`${base}/${k}`, String(val));
  }
  for (const a of AL_LATEST) {
    const name = `${AL_LATEST_PREFIX}${a.name}`;
    out.set(name, { name, value: amiId(region, `al-latest/${a.name}`), version: AL_LATEST_VERSION, lastModified: PUBLISHED, dataType: 'aws:ec2:image' });
  }
  return out;
}

export function publicParameter(region: string, name: string): PublicParameter | undefined {
  return publicParameters(region).get(name);
}

/** Every public AMI of a region (ECS-optimized and plain Amazon Linux): AMI id -> its architecture. */
export function publicAmiArchitectures(region: string): Map<string, Variant['architecture']> {
  return new Map([
    ...VARIANTS.map((v) => [amiId(region, v.path), v.architecture] as const),
    ...AL_LATEST.map((a) => [amiId(region, `al-latest/${a.name}`), a.architecture] as const),
  ]);
}

/** The ECS-optimized AMIs of a region: AMI id -> its image name and architecture. */
export function ecsOptimizedAmis(region: string): Map<string, { imageName: string; architecture: Variant['architecture'] }> {
  return new Map(VARIANTS.map((v) => [amiId(region, v.path), { imageName: v.imageName, architecture: v.architecture }]));
}
