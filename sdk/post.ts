/**
 * POSTs JSON as `text/plain`, a CORS-safelisted type, so the cross-origin request needs no preflight; the API
 * reads such bodies as JSON.
 */
export function postText(url: string, body: string, keepalive = false): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body,
    keepalive,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  })
}
