/**
 * Calls back when a single-page app moves to another path or query. Uses the Navigation API, which sees
 * `history.pushState` without patching it, and falls back to `popstate` (back and forward only) elsewhere.
 */
export function onRouteChange(callback: () => void): void {
  const where = () => location.pathname + location.search
  let last = where()
  const check = () => {
    if (where() === last) return
    last = where()
    callback()
  }
  const navigation = (window as { navigation?: EventTarget }).navigation
  if (navigation) navigation.addEventListener('currententrychange', check)
  else addEventListener('popstate', check)
}
