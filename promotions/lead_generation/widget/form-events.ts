import type { Track } from '../../../sdk/kit/video'

/**
 * The form's funnel as the unit's events, each sent at most once: `form_view` when it is viewable, `form_start`
 * at the first input (with a `form_view` first if there was none yet), and `form_abandon` (with `field`, the
 * last one the visitor touched) when they leave or close after starting without submitting. The submit itself
 * is recorded by the API, not here.
 */
export function formEvents(track: Track | undefined) {
  const sent = new Set<string>()
  let field = ''
  let submitted = false
  const once = (name: string, props?: Record<string, string>) => {
    if (sent.has(name)) return
    sent.add(name)
    track?.(name, props)
  }
  return {
    viewed: () => once('form_view'),
    // Typing in a form is seeing it, even before it has been in view for the viewability rule's second.
    started() {
      once('form_view')
      once('form_start')
    },
    isStarted: () => sent.has('form_start'),
    touched(name: string) {
      field = name
    },
    submitted() {
      submitted = true
    },
    left() {
      if (sent.has('form_start') && !submitted) once('form_abandon', field ? { field } : undefined)
    },
  }
}
export type FormEvents = ReturnType<typeof formEvents>
