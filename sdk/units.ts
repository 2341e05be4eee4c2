import type { Decision } from '../schema/serve'
import type { FormatModule } from './kit/context'
import { type ObserveRatio, watchViewable } from './viewability'

/** What listeners of `render`, `impression`, `viewable`, `click` and `close` receive. */
export interface UnitInfo {
  campaignId: string
  variantId: string
  type: string
  format: string
  slot?: string
}

export interface UnitHooks {
  load(type: string): Promise<FormatModule | undefined>
  rendered(decision: Decision): void
  viewable(decision: Decision): void
  clicked(decision: Decision): void
  closed(decision: Decision): void
  report(error: unknown): void
  observe?: ObserveRatio
}

interface Unit {
  decision: Decision
  remove(): void
}

export const unitInfo = ({ campaignId, variantId, type, format, slot }: Decision): UnitInfo =>
  slot ? { campaignId, variantId, type, format, slot } : { campaignId, variantId, type, format }

/**
 * The units on the page: each decision gets its own `<promo-unit>` host (inside its slot, or at the end of
 * the body for page-level formats), drawn by its type's format chunk and watched until it is viewable.
 */
export function createUnits(hooks: UnitHooks) {
  const live = new Set<Unit>()

  async function render(decision: Decision, slot: HTMLElement | undefined) {
    const format = await hooks.load(decision.type)
    if (!format) return
    const host = document.createElement('promo-unit')
    host.setAttribute('data-placement', slot ? 'slot' : 'page')
    ;(slot ?? document.body).appendChild(host)
    let stopWatching = () => {}
    let unmount = () => {}
    const unit: Unit = {
      decision,
      remove() {
        if (!live.delete(unit)) return
        stopWatching()
        try {
          unmount()
        } catch (error) {
          hooks.report(error)
        }
        host.remove()
      },
    }
    live.add(unit)
    try {
      unmount = format.mount(host, decision, {
        onClick: () => hooks.clicked(decision),
        onClose: () => {
          hooks.closed(decision)
          unit.remove()
        },
      })
    } catch (error) {
      unit.remove()
      throw error
    }
    hooks.rendered(decision)
    const box = host.shadowRoot?.firstElementChild ?? host
    stopWatching = watchViewable(box, () => hooks.viewable(decision), { observe: hooks.observe })
  }

  return {
    render,
    /** Removes the units that `match` picks, or all of them. */
    clear(match: (decision: Decision) => boolean = () => true) {
      for (const unit of [...live]) if (match(unit.decision)) unit.remove()
    },
  }
}
export type Units = ReturnType<typeof createUnits>
