/**
 * Calls back when a single-page app moves to another path or query: `pushState` and `replaceState` announce
 * nothing, so both are wrapped to look after the original ran (its own errors reach the app as before), and
 * back and forward come as `popstate`. A hash change alone is not a new page. Changes within one tick call
 * back once, after the app had that tick to draw the new route's slots. `since` is the path and query the caller
 * last saw, when that was before this call: a change since then calls back at once (after the tick).
 */
export const where = () => location.pathname + location.search

export function onRouteChange(callback: () => void, since = where()): void {
  let last = since
  let timer: ReturnType<typeof setTimeout> | undefined
  const check = () => {
    if (timer) return
    timer = setTimeout(() => {
      timer = undefined
      if (where() === last) return
      last = where()
      callback()
    })
  }
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method]
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      check()
      return result
    }
  }
  addEventListener('popstate', check)
  check()
}
