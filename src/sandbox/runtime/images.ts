/**
 * The images the sandbox can "pull": the hands-on's demo app in two versions. Image references are
 * normalised the way Docker does (`uzresk/demo` → `docker.io/uzresk/demo:latest`,
 * `nginx:9.9` → `docker.io/library/nginx:9.9`), and anything that is not built in fails the way ECS
 * reports a missing image: `CannotPullContainerError: pull image manifest has been retried 5 time(s): …`.
 *
 * Pure: no I/O.
 */

export interface BuiltinImage {
  /** Normalised reference, e.g. `docker.io/uzresk/demo:ver1.0`. */
  ref: string;
  /** What the demo page shows, e.g. `ver1.0`. */
  version: string;
  /** The port the app listens on inside the container. */
  containerPort: number;
}

/** The demo app's container port (the real image is a Java app on 8080). */
export const DEMO_CONTAINER_PORT = 8080;

const demo = (tag: string, version: string): [string, BuiltinImage] => [
  `docker.io/uzresk/demo:${tag}`,
  { ref: `docker.io/uzresk/demo:${tag}`, version, containerPort: DEMO_CONTAINER_PORT },
];

const BUILTIN = new Map<string, BuiltinImage>([demo('ver1.0', 'ver1.0'), demo('ver2.0', 'ver2.0'), demo('latest', 'ver2.0')]);

const DOCKER_HUB_ALIASES = ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/', 'registry.hub.docker.com/'];

// Docker's reference grammar, simplified: lowercase path components separated by `/`, an optional
// `:tag`, an optional `@algo:hex` digest. The first component is a registry host when it has a `.`
// or a `:` or is `localhost`.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

export type NormalisedRef = { ok: true; ref: string } | { ok: false; error: string };

/** Normalises an image reference as Docker does; `ok: false` for an invalid reference. */
export function normaliseImageRef(image: string): NormalisedRef {
  let rest = image.trim();
  if (rest === '' || rest !== image) return { ok: false, error: 'invalid reference format' };
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, error: 'invalid reference format' };
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, error: 'invalid reference format' };
  }
  let domain = 'docker.io';
  const lower = rest.toLowerCase();
  const alias = DOCKER_HUB_ALIASES.find((a) => lower.startsWith(a));
  if (alias) {
    rest = rest.slice(alias.length);
  } else {
    const first = rest.split('/')[0];
    if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
      domain = first;
      rest = rest.slice(first.length + 1);
    }
  }
  const parts = rest.split('/');
  if (parts.some((p) => !PATH_COMPONENT.test(p))) {
    const lowercase = parts.every((p) => PATH_COMPONENT.test(p.toLowerCase()));
    return {
      ok: false,
      error: lowercase ? `invalid reference format: repository name (${rest}) must be lowercase` : 'invalid reference format',
    };
  }
  if (domain === 'docker.io' && parts.length === 1) rest = `library/${rest}`;
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { ok: true, ref: `${domain}/${rest}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}` };
}

export type ImageResolution = { ok: true; image: BuiltinImage } | { ok: false; reason: string };

/** A built-in image, or the stop reason ECS gives for an image it cannot pull. */
export function resolveImage(image: string): ImageResolution {
  const n = normaliseImageRef(image);
  if (!n.ok) {
    return { ok: false, reason: `CannotPullContainerError: failed to normalize image reference "${image}": ${n.error}` };
  }
  const found = BUILTIN.get(n.ref);
  if (found) return { ok: true, image: found };
  return {
    ok: false,
    reason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${n.ref}: ${n.ref}: not found`,
  };
}
