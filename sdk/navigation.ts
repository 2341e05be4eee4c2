/**
 * Calls back when a single-page app moves to another path or query: `pushState` and `replaceState` announce
 * nothing, so both are wrapped to look after the original ran (its own errors reach the app as before), and
 * back and forward come as `popstate`. A hash change alone is not a new page. Changes within one tick call
 * back once, after the app had that tick to draw the new route's slots.
 */
export function onRouteChange(callback: () => void): void {
  const where = () => location.pathname + location.search
  let last = where()
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
}
