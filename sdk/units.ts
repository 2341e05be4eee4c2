import type { EventItem } from '../schema/events'
import type { Decision } from '../schema/serve'
import type { Trigger } from '../schema/trigger'
import type { FormatModule, Sender } from './kit/context'
import type { Listeners } from './listeners'
import { onRouteChange } from './navigation'
import { createPage, type PageContext } from './page/index'
import type { TriggerContext, TriggerModule } from './triggers/context'
import { type UnitInfo, unitInfo } from './unit-info'
import { type ObserveRatio, type ViewWatch, watchViewable } from './viewability'

export type { UnitInfo }

export interface UnitHooks {
  load(type: string): Promise<FormatModule | undefined>
  rendered(decision: Decision): void
  viewable(decision: Decision): void
  /** Tells the page's `Promo.on` listeners about a unit: its link activated (`click`) or its form sent (`submit`). */
  told(decision: Decision, name: 'click' | 'submit'): void
  /** Where a form posts: the API, the site key, and the visitor's ids when consent allows them. */
  sender(): Sender
  closed(decision: Decision): void
  report(error: unknown): void
  observe?: ObserveRatio
  /** The unit's in-view time since it was last reported: when it goes away, and when the page is hidden. */
  timed(decision: Decision, ms: number): void
  /** One of the unit's own events, told by its format (video progress, pause, mute). */
  tracked(decision: Decision, name: string, props?: Record<string, string | number | boolean>): void
  /**
   * Loads the trigger chunk (only once a page-level decision waits for something other than page load) and
   * starts waiting for `trigger`; resolves to the function that stops waiting.
   */
  arm(trigger: Trigger, fire: () => void): Promise<() => void>
  /** What the page runtime that rides along needs (see sdk/page/); without it the units run alone. */
  page?: PageContext
}

interface Unit {
  decision: Decision
  remove(): void
  timed?(): void
  /** What the unit's format asked to hear when the page is hidden or goes away. */
  left?(): void
  /** Stops the unit's format hearing the page's `Promo.track` calls. */
  untrack?(): void
}

/** The trigger a page-level decision waits for; none when it appears with the page, as slot units always do. */
function pendingTrigger({ slot, config }: Decision): Trigger | undefined {
  const trigger = config.trigger as Trigger | undefined
  return !slot && trigger && trigger.on !== 'load' ? trigger : undefined
}

/**
 * What the loader hands this chunk: its event queue, listeners and consent-aware sender. The hooks units run on
 * are made from it here, so the loader, which every page pays for, carries none of them.
 */
export interface UnitCore extends Pick<Listeners, 'emit' | 'guard' | 'report'> {
  load(type: string): Promise<FormatModule | undefined>
  /** Queues an event with the ids, time and URL every event carries; nothing without analytics consent. */
  send(
    name: string,
    fields: Partial<Pick<EventItem, 'campaignId' | 'variantId' | 'slot'>>,
    props?: EventItem['props'],
  ): unknown
  /** Event props as the API accepts them (the loader's `cleanProps`). */
  clean(props: unknown): EventItem['props']
  sender(): Sender
  observe?: ObserveRatio
  page: PageContext
  triggers: TriggerContext
  /**
   * A single-page app changed route: watched from when this chunk arrives, as from `path` (the page's path and
   * query when the loader started), so a change made while the chunk was on its way still counts.
   */
  routed(): void
  path: string
}

/** A unit's own event (impression, in-view time), tied to its campaign, variant and slot. */
const unitFields = ({ campaignId, variantId, slot }: Decision) => ({ campaignId, variantId, slot })

/** The hooks the loader's units run on: events go to the queue, what listeners may hear goes to `Promo.on`. */
export function hooksFor(core: UnitCore): UnitHooks {
  const { guard, emit, send } = core
  const unitEvent = (name: 'impression' | 'viewable' | 'close', decision: Decision) => {
    send(name, unitFields(decision))
    emit(name, unitInfo(decision))
  }
  return {
    load: core.load,
    rendered: guard((decision) => {
      emit('render', unitInfo(decision))
      unitEvent('impression', decision)
    }),
    viewable: guard((decision) => unitEvent('viewable', decision)),
    // A click is counted by the signed redirect its link goes through, a form's submit by the API it posts to.
    told: guard((decision, name) => emit(name, unitInfo(decision))),
    sender: core.sender,
    closed: guard((decision) => unitEvent('close', decision)),
    timed: guard((decision, ms) => send('view_time', unitFields(decision), { inViewMs: Math.round(ms) })),
    tracked: guard((decision, name, props) => send(name, unitFields(decision), core.clean(props))),
    report: core.report,
    observe: core.observe,
    page: core.page,
    // The build lists the trigger chunk in the format manifest, under a name no campaign type has.
    arm: async (trigger, fire) =>
      ((await core.load('triggers')) as unknown as TriggerModule).arm(trigger, fire, core.triggers),
  }
}

/** What the loader imports from this chunk. */
export interface UnitsModule {
  startUnits(core: UnitCore): Units
}

/** The units of the loader's page, on hooks made from what it hands over. */
export function startUnits(core: UnitCore): Units {
  onRouteChange(core.guard(core.routed), core.path)
  return createUnits(hooksFor(core))
}

/**
 * The units on the page: each decision gets its own `<promo-unit>` host (inside its slot, or at the end of
 * the body for page-level formats), drawn by its type's format chunk and watched until it is viewable.
 */
export function createUnits(hooks: UnitHooks) {
  const live = new Set<Unit>()
  const page = hooks.page && createPage(hooks.page, hooks.load)
  /** What the page runtime does goes wrong quietly: reported, never thrown into the page or its caller. */
  const pageSafely = <T>(run: () => T) => {
    try {
      return run()
    } catch (error) {
      hooks.report(error)
      return undefined
    }
  }

  /**
   * Resolves true once the trigger fires, or false when the unit is cleared first. Until then the unit is live,
   * so clearing it (a route change, `show`) stops every listener its trigger added.
   */
  const triggered = (decision: Decision, trigger: Trigger) =>
    new Promise<boolean>((resolve) => {
      let disarm = () => {}
      const end = (fired: boolean) => {
        if (!live.delete(unit)) return
        disarm()
        resolve(fired)
      }
      const unit: Unit = { decision, remove: () => end(false) }
      live.add(unit)
      hooks
        .arm(trigger, () => end(true))
        .then(
          (stop) => {
            disarm = stop
            if (!live.has(unit)) stop()
          },
          (error) => {
            end(false)
            hooks.report(error)
          },
        )
    })

  function clear(match: (decision: Decision) => boolean = () => true) {
    for (const unit of [...live]) if (match(unit.decision)) unit.remove()
  }

  async function render(decision: Decision, slot: HTMLElement | undefined) {
    const trigger = pendingTrigger(decision)
    const loading = hooks.load(decision.type)
    loading.catch(() => {}) // Reported below, unless the unit is cleared before its trigger fires.
    if (trigger && !(await triggered(decision, trigger))) return
    const format = await loading
    if (!format) return
    const host = document.createElement('promo-unit')
    host.setAttribute('data-placement', slot ? 'slot' : 'page')
    ;(slot ?? document.body).appendChild(host)
    let watch: ViewWatch | undefined
    let unmount = () => {}
    const unit: Unit = {
      decision,
      timed() {
        const ms = watch?.take()
        if (ms) hooks.timed(decision, ms)
      },
      remove() {
        if (!live.delete(unit)) return
        watch?.stop()
        unit.untrack?.()
        unit.timed?.()
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
        onClick: (url) => {
          hooks.told(decision, 'click')
          pageSafely(() => page?.clicked(decision, url))
        },
        track: (name, props) => hooks.tracked(decision, name, props),
        submitted: () => hooks.told(decision, 'submit'),
        onLeave: (listener) => {
          unit.left = listener
        },
        onTrack: (listener) => {
          unit.untrack = hooks.page?.onTrack(listener)
        },
        sender: hooks.sender,
        report: hooks.report,
        watch: (element, onViewable) => {
          const part = watchViewable(element, onViewable, { observe: hooks.observe })
          return () => part.stop()
        },
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
    watch = watchViewable(box, () => hooks.viewable(decision), {
      observe: hooks.observe,
      video: decision.config.mediaType === 'video' && !!decision.creative.videoUrl,
    })
  }

  return {
    render,
    /** A page view: the page's own tags for its `page` event, and the landing it may be (see `PageRuntime`). */
    viewed: () => pageSafely(() => page?.viewed()),
    /**
     * The page is hidden or going away: each live unit's in-view time since its last report goes to
     * `hooks.timed`, each format that asked hears of it, and the landing being measured ends. The loader calls
     * this before it hands the event queue to sendBeacon, so what they send leaves with it.
     */
    leaving() {
      pageSafely(() => page?.left())
      for (const unit of live) {
        unit.timed?.()
        unit.left?.()
      }
    },
    /** Removes the units that `match` picks, or all of them. */
    clear,
    /**
     * Draws the page's decisions in place of the units there were. With `only` (a campaign id, `Promo.show`),
     * draws that campaign's decisions alone and removes only what they replace: the same campaign, or whatever
     * holds its slot. A slot decision whose slot is not on the page is left out.
     */
    draw(decisions: Decision[], slots: Map<string, HTMLElement>, only?: string) {
      const wanted =
        only !== undefined ? decisions.filter((decision) => decision.campaignId === only) : decisions
      clear(
        only !== undefined
          ? (unit) =>
              wanted.some(
                (decision) =>
                  decision.campaignId === unit.campaignId || (!!unit.slot && decision.slot === unit.slot),
              )
          : undefined,
      )
      for (const decision of wanted) {
        const slot = decision.slot === undefined ? undefined : slots.get(decision.slot)
        if (decision.slot === undefined || slot) render(decision, slot).catch(hooks.report)
      }
    },
  }
}
export type Units = ReturnType<typeof createUnits>
