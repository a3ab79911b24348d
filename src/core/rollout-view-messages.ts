/**
 * The rollout view's protocol (pure; imported by the host, src/ui/rollout/view.ts, and the webview,
 * webview/src/rollout.ts): the webview only says `ready` (no requests); the host answers with the
 * body it rendered (src/ui/rollout/present.ts, every text escaped) and posts a new one on each refresh.
 */
import { parseEnvelope, type MessageOf, type Parsed } from './webview-protocol';

/** The rollout view asks nothing of the host. */
export type RolloutViewRequests = Record<never, never>;

export type RolloutViewHostMessage = { kind: 'render'; body: string };

export function parseRolloutViewMessage(raw: unknown): Parsed<MessageOf<RolloutViewRequests>> {
  return parseEnvelope<RolloutViewRequests>(raw, {});
}
