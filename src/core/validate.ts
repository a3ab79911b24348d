/**
 * Validators for the commands' input boxes. Each returns `undefined` when the input is valid and
 * otherwise a user-facing message (an English key passed through `t`), matching the shape of
 * VS Code's `InputBoxOptions.validateInput`.
 */
import { defaultTranslate, type Translate } from './l10n';

export type Validation = string | undefined;

const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;

/** Cluster, service and task-definition family names: 1–255 letters, digits, `-`, `_`. */
export function validateResourceName(value: string, t: Translate = defaultTranslate): Validation {
  const v = value.trim();
  if (v.length === 0) return t('Enter a name.');
  if (v.length > 255) return t('Use at most 255 characters.');
  if (!NAME_RE.test(v)) return t('Use only letters, digits, hyphens (-) and underscores (_).');
  return undefined;
}

/** Load balancer and target group names: 1–32 letters, digits and hyphens; no edge hyphens; not `internal-…`. */
export function validateElbName(value: string, t: Translate = defaultTranslate): Validation {
  const v = value.trim();
  if (v.length === 0) return t('Enter a name.');
  if (v.length > 32) return t('Use at most 32 characters.');
  if (!/^[a-zA-Z0-9-]+$/.test(v)) return t('Use only letters, digits and hyphens (-).');
  if (v.startsWith('-') || v.endsWith('-')) return t('The name must not begin or end with a hyphen.');
  if (v.toLowerCase().startsWith('internal-')) return t('The name must not begin with "internal-".');
  return undefined;
}

function parseInteger(value: string): number | undefined {
  const v = value.trim();
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

/** A container port 1–65535. */
export function validatePort(value: string, t: Translate = defaultTranslate): Validation {
  const n = parseInteger(value);
  if (n === undefined) return t('Enter a whole number between {0} and {1}.', 1, 65535);
  if (n < 1 || n > 65535) return t('Enter a whole number between {0} and {1}.', 1, 65535);
  return undefined;
}

/** The default reserved host ports of an ECS container instance. */
export const RESERVED_HOST_PORTS: readonly number[] = [22, 2375, 2376, 51678, 51679, 51680];

/**
 * A host port: empty or 0 means dynamic (bridge mode) when `allowDynamic`; otherwise 1–65535 and
 * not one of the ports the ECS agent reserves.
 */
export function validateHostPort(
  value: string,
  options: { allowDynamic?: boolean } = {},
  t: Translate = defaultTranslate,
): Validation {
  const allowDynamic = options.allowDynamic ?? true;
  const v = value.trim();
  if (allowDynamic && (v === '' || v === '0')) return undefined;
  const bad = validatePort(v, t);
  if (bad) {
    return allowDynamic
      ? t('Enter a port between {0} and {1}, or leave empty (0) for a dynamic host port.', 1, 65535)
      : bad;
  }
  if (RESERVED_HOST_PORTS.includes(Number(v))) return t('Port {0} is reserved on ECS container instances.', v);
  return undefined;
}

/** Container-level CPU units: a whole number 0–196608 (empty allowed when `optional`). */
export function validateCpuUnits(
  value: string,
  options: { optional?: boolean; level?: 'container' | 'task' } = {},
  t: Translate = defaultTranslate,
): Validation {
  const v = value.trim();
  if (v === '' && options.optional) return undefined;
  if (options.level === 'task') {
    const vcpu = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(v);
    const units = vcpu ? Math.round(Number(vcpu[1]) * 1024) : parseInteger(v);
    if (units === undefined || units < 128 || units > 196608) {
      return t('Enter task CPU units between {0} and {1} (1024 = 1 vCPU), or e.g. "0.5 vCPU".', 128, 196608);
    }
    return undefined;
  }
  const n = parseInteger(v);
  if (n === undefined || n > 196608) return t('Enter CPU units between {0} and {1} (1024 = 1 vCPU).', 0, 196608);
  return undefined;
}

/** Minimum container memory the Docker daemon accepts, in MiB. */
export const MIN_CONTAINER_MEMORY_MIB = 6;

/** A memory amount in MiB (≥ 6); empty allowed when `optional`. */
export function validateMemoryMiB(
  value: string,
  options: { optional?: boolean } = {},
  t: Translate = defaultTranslate,
): Validation {
  const v = value.trim();
  if (v === '' && options.optional) return undefined;
  const n = parseInteger(v);
  if (n === undefined) return t('Enter memory in MiB as a whole number.');
  if (n < MIN_CONTAINER_MEMORY_MIB) return t('Memory must be at least {0} MiB.', MIN_CONTAINER_MEMORY_MIB);
  return undefined;
}

/**
 * Hard limit (`memory`) and soft limit (`memoryReservation`) together: each optional but not both
 * empty — unless the task definition sets its memory at the task level (`taskMemory`; Fargate's
 * always do), which ECS takes for a container that names neither — each ≥ 6 MiB, and hard ≥ soft.
 */
export function validateMemoryLimits(hard: string, soft: string, t: Translate = defaultTranslate, o: { taskMemory?: boolean } = {}): Validation {
  const h = hard.trim();
  const s = soft.trim();
  if (h === '' && s === '') return o.taskMemory ? undefined : t('Specify a hard limit (memory), a soft limit (memoryReservation), or both.');
  const bad = validateMemoryMiB(h, { optional: true }, t) ?? validateMemoryMiB(s, { optional: true }, t);
  if (bad) return bad;
  if (h !== '' && s !== '' && Number(h) < Number(s)) {
    return t('The hard limit ({0} MiB) must be greater than or equal to the soft limit ({1} MiB).', h, s);
  }
  return undefined;
}

/** Desired count of a service: a whole number 0–`max` (5000, the default tasks-per-service quota). */
export function validateDesiredCount(value: string, max = 5000, t: Translate = defaultTranslate): Validation {
  const n = parseInteger(value);
  if (n === undefined || n > max) return t('Enter a whole number between {0} and {1}.', 0, max);
  return undefined;
}

/** Number of EC2 instances to launch / keep. */
export function validateInstanceCount(
  value: string,
  options: { min?: number; max?: number } = {},
  t: Translate = defaultTranslate,
): Validation {
  const min = options.min ?? 0;
  const max = options.max ?? 20;
  const n = parseInteger(value);
  if (n === undefined || n < min || n > max) return t('Enter a whole number between {0} and {1}.', min, max);
  return undefined;
}

/**
 * Rolling-update deployment configuration (ECS rules for REPLICA services): minimumHealthyPercent
 * 0–100, maximumPercent 100–200 (empty = the ECS defaults 100 / 200). When `desiredCount` is
 * given, also rejects the combination with which ECS can neither start nor stop a task.
 */
export function validateDeploymentPercents(
  minimumHealthyPercent: string,
  maximumPercent: string,
  desiredCount?: number,
  t: Translate = defaultTranslate,
): Validation {
  const minV = minimumHealthyPercent.trim() === '' ? 100 : parseInteger(minimumHealthyPercent);
  const maxV = maximumPercent.trim() === '' ? 200 : parseInteger(maximumPercent);
  if (minV === undefined || minV > 100) return t('Minimum healthy percent must be a whole number between {0} and {1}.', 0, 100);
  if (maxV === undefined || maxV < 100 || maxV > 200) {
    return t('Maximum percent must be a whole number between {0} and {1}.', 100, 200);
  }
  if (desiredCount !== undefined && desiredCount > 0) {
    const lower = Math.ceil((desiredCount * minV) / 100);
    const upper = Math.floor((desiredCount * maxV) / 100);
    if (upper <= desiredCount && lower >= desiredCount) {
      return t(
        'With {0} tasks, minimum {1}% and maximum {2}% ECS can neither start nor stop a task during a deployment. Lower the minimum or raise the maximum.',
        desiredCount,
        minV,
        maxV,
      );
    }
  }
  return undefined;
}

// Docker image reference grammar (distribution/reference), simplified:
// [domain[:port]/]path-component(/path-component)*[:tag][@algorithm:hex]
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_RE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** An image reference such as `nginx:1.27`, `public.ecr.aws/nginx/nginx:latest`, `repo@sha256:…`. */
export function validateImage(value: string, t: Translate = defaultTranslate): Validation {
  const v = value.trim();
  if (v === '') return t('Enter an image, e.g. nginx:1.27 or 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v2.');
  if (v.length > 255) return t('Use at most 255 characters.');
  if (/\s/.test(v)) return t('An image reference cannot contain spaces.');
  if (!IMAGE_RE.test(v)) {
    return t('"{0}" is not a valid image reference (lowercase repository, optional registry, :tag and @digest).', v);
  }
  return undefined;
}
