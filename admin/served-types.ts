import { useEffect, useState } from 'preact/hooks'
import { api } from './api'

/**
 * Which campaign types this server can serve (`GET /types`), by type: undefined while loading or when the
 * server does not say (an older server without the route), so nothing is flagged on a guess.
 */
export function useServedTypes(): ReadonlyMap<string, boolean> | undefined {
  const [served, setServed] = useState<ReadonlyMap<string, boolean>>()
  useEffect(() => {
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
  }, [])
  return served
}
