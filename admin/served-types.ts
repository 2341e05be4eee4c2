import { useEffect, useState } from 'preact/hooks'
import { api } from './api'

/**
 * Which campaign types this server can serve (`GET /types`), by type: undefined while loading or when the
 * server does not say (an older server without the route), so nothing is flagged on a guess. `wanted` false
 * (a saved campaign, whose type is fixed) asks nothing.
 */
export function useServedTypes(wanted = true): ReadonlyMap<string, boolean> | undefined {
  const [served, setServed] = useState<ReadonlyMap<string, boolean>>()
  useEffect(() => {
    if (!wanted) return
    let current = true
    api.listTypes().then(
      (answer) => {
        if (current) setServed(new Map(answer.data.map(({ type, servable }) => [type, servable])))
      },
      () => {
        // Only a hint: the editor and the list work without it.
      },
    )
    return () => {
      current = false
    }
  }, [wanted])
  return served
}
