/**
 * POSTs JSON as `text/plain`, a CORS-safelisted type, so the cross-origin request needs no preflight; the API
 * reads such bodies as JSON. A request unanswered after `timeoutMs` is aborted (where `AbortSignal.timeout`
 * exists), so a hung connection counts as a failure the caller can retry.
 */
export function postText(
  url: string,
  body: string,
  keepalive = false,
  timeoutMs = 10_000,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body,
    keepalive,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    signal: AbortSignal.timeout?.(timeoutMs),
  })
}
