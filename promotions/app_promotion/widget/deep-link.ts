/**
 * Tries the app's deep link and, when the page is still in front after `timeoutMs`, goes on to `fallback` (the
 * signed store link, or the fallback page). The app opening hides the page (visibilitychange) or unloads it
 * (pagehide): either cancels the fallback and counts an open through the deep link.
 */
export function openApp(
  deepLink: string,
  fallback: string | undefined,
  timeoutMs: number,
  opened: () => void,
): void {
  let timer = 0
  const stop = () => {
    clearTimeout(timer)
    document.removeEventListener('visibilitychange', onHidden)
    removeEventListener('pagehide', onLeave)
  }
  const onLeave = () => {
    stop()
    opened()
  }
  const onHidden = () => {
    if (document.visibilityState === 'hidden') onLeave()
  }
  document.addEventListener('visibilitychange', onHidden)
  addEventListener('pagehide', onLeave)
  timer = setTimeout(() => {
    stop()
    if (fallback && document.visibilityState === 'visible') location.href = fallback
  }, timeoutMs) as unknown as number
  location.href = deepLink
}
