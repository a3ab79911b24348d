/** Whether an endpoint is on this machine. No SDK import: the UI may import it at activation. */

/** A loopback address or name: an emulator on this machine (never real AWS). */
export function isLoopbackEndpoint(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
    // LocalStack's documented name for 127.0.0.1.
    || host === 'localhost.localstack.cloud' || host.endsWith('.localhost.localstack.cloud');
}
