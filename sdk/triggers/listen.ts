/** Adds one passive, capturing listener for each event type; returns the function that removes them all. */
export function listen(target: EventTarget, types: string[], listener: (event: Event) => void): () => void {
  for (const type of types) target.addEventListener(type, listener, { passive: true, capture: true })
  return () => {
    for (const type of types) target.removeEventListener(type, listener, { capture: true })
  }
}
