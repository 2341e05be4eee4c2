import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'

/**
 * A screen whose code is fetched the first time it is opened, from its own chunk (scripts/build-admin.ts splits
 * dynamic imports), so the first bundle carries only what every visit needs: the shell, the campaign list and
 * the sign-in. Until it is there the screen says it is loading; a chunk that fails to arrive says so and is
 * asked for again on the next visit.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<ComponentType<P>> | undefined
  const start = () => {
    loading ??= load().then(
      (component) => {
        loaded = component
        return component
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  return function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<{ component: ComponentType<P> } | undefined>(() =>
      loaded ? { component: loaded } : undefined,
    )
    const [failed, setFailed] = useState(false)
    useEffect(() => {
      if (Screen) return
      let current = true
      start().then(
        (component) => current && setScreen({ component }),
        () => current && setFailed(true),
      )
      return () => {
        current = false
      }
    }, [])
    if (Screen) return <Screen.component {...props} />
    if (failed)
      return (
        <>
          <h1>Not loaded</h1>
          <p class="alert alert-error" role="alert">
            This screen could not be loaded. Check the connection and reload the page.
          </p>
        </>
      )
    return (
      <p class="muted" role="status">
        Loading…
      </p>
    )
  }
}
