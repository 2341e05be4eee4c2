import { useEffect, useRef, useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import type { LocatorAnswer, NearStore } from '../answers'
import type { LocalBusinessConfig } from '../config'
import { StoreMap } from './store-map'

const maps = {
  google: (s: NearStore) => `https://www.google.com/maps/dir/?api=1&destination=${s.lat},${s.lng}`,
  apple: (s: NearStore) => `https://maps.apple.com/?daddr=${s.lat},${s.lng}`,
  openstreetmap: (s: NearStore) => `https://www.openstreetmap.org/directions?route=%3B${s.lat}%2C${s.lng}`,
}

/** The page's product, for "in stock at this store": `data-promo-sku` on the slot, else the campaign's. */
const skuOf = (host: Element | null, config: LocalBusinessConfig) =>
  host?.closest('[data-promo-sku]')?.getAttribute('data-promo-sku') ?? config.sku

interface Props {
  decision: Decision
  ctx: FormatContext
}

/**
 * The locator card. It asks the API for the nearest stores from the network's area as it opens, from a typed
 * postcode or city, or from the browser's position, which it asks for only when the visitor taps the button.
 */
export function Locator({ decision, ctx }: Props) {
  const config = decision.config as LocalBusinessConfig
  const t = config.texts
  const [answer, setAnswer] = useState<LocatorAnswer>()
  const [query, setQuery] = useState('')
  const [picked, setPicked] = useState<string>()
  // A campaign saved before the map existed has no `map` in its config: no map.
  const map = config.map?.enabled ? config.map : undefined
  const box = useRef<HTMLElement>(null)
  const track = (name: string, props?: Record<string, string | number | boolean>) => ctx.track?.(name, props)

  const find = (params: Record<string, string>, searched: boolean) => {
    const sender = ctx.sender?.()
    if (!sender) return
    const root = box.current?.getRootNode()
    const sku = skuOf(root instanceof ShadowRoot ? root.host : null, config)
    const search = new URLSearchParams({ site: sender.site, campaignId: decision.campaignId, ...params })
    if (sku) search.set('sku', sku)
    fetch(`${sender.api}/api/v1/locator?${search}`)
      .then((res) => (res.ok ? res.json() : Promise.reject(res.status)))
      .then((found: LocatorAnswer) => {
        setAnswer(found)
        setPicked(undefined)
        if (searched && found.stores.length > 0) track('FindLocation')
        if (found.stores.some((s) => s.inStock !== null)) track('inventory_check', { sku: sku ?? '' })
      })
      .catch(ctx.report)
  }

  useEffect(() => {
    track('locator_open')
    if (config.geolocation !== 'off') find({}, false)
  }, [])

  const submit = (event: Event) => {
    event.preventDefault()
    const q = query.trim()
    if (!q) return
    track('search', { from: 'query' })
    find({ q }, true)
  }
  const here = () => {
    track('search', { from: 'position' })
    navigator.geolocation?.getCurrentPosition(
      (position) =>
        find({ lat: position.coords.latitude.toFixed(4), lng: position.coords.longitude.toFixed(4) }, true),
      () => {},
      { maximumAge: 600_000, timeout: 15_000 },
    )
  }
  const link = (name: string, store: NearStore) => () => {
    track(name, { store: store.ref })
    if (name === 'call') track('Contact', { store: store.ref })
  }
  const has = (action: LocalBusinessConfig['actions'][number]) => config.actions.includes(action)
  const when = (store: NearStore) => {
    if (store.open) return `${t.openNow}${store.closesAt ? ` · ${t.closesAt} ${store.closesAt.time}` : ''}`
    const next = store.opensAt
    return `${t.closed}${next ? ` · ${t.opens} ${t.weekdays[next.weekday]} ${next.time}` : ''}`
  }

  return (
    <section class="unit" ref={box}>
      <strong class="headline" dir="auto">
        {decision.creative.headline || t.title}
      </strong>
      <form class="find" onSubmit={submit}>
        <input
          type="search"
          value={query}
          maxLength={100}
          placeholder={t.searchPlaceholder}
          aria-label={t.searchPlaceholder}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
        <button class="cta" type="submit">
          {t.search}
        </button>
        {config.geolocation === 'precise' && (
          <button class="here" type="button" onClick={here}>
            {t.useLocation}
          </button>
        )}
      </form>
      {map && (
        <StoreMap
          stores={answer?.stores ?? []}
          picked={picked}
          height={map.heightPx}
          title={t.map}
          preview={ctx.preview}
        />
      )}
      <ul class="stores" aria-live="polite">
        {answer?.located === false && answer.from === 'query' && <li class="store">{t.noResult}</li>}
        {answer?.stores.map((store) => (
          <li class="store" key={store.ref}>
            {store.distance !== null && (
              <span class="dist">
                {store.distance} {answer.unit}
              </span>
            )}
            {map ? (
              <button
                type="button"
                class="name pick"
                dir="auto"
                aria-pressed={store.ref === picked}
                onClick={() => setPicked(store.ref)}
              >
                {store.name}
              </button>
            ) : (
              <span class="name" dir="auto">
                {store.name}
              </span>
            )}
            {has('inventory') && store.inStock !== null && (
              <span class="badge">{store.inStock ? t.inStock : t.outOfStock}</span>
            )}
            <div class="meta" dir="auto">
              {store.street}, {store.city}
            </div>
            <div class={store.open ? 'meta open' : 'meta'}>{when(store)}</div>
            <div class="acts">
              {has('directions') && (
                <a
                  href={maps[config.mapsProvider](store)}
                  target="_blank"
                  rel="noopener"
                  onClick={link('directions', store)}
                >
                  {t.directions}
                </a>
              )}
              {has('call') && store.phone && (
                <a href={`tel:${store.phone.replace(/[^+\d]/g, '')}`} onClick={link('call', store)}>
                  {t.call}
                </a>
              )}
              {has('storePage') && store.url && (
                <a href={store.url} onClick={link('store_page', store)}>
                  {t.storePage}
                </a>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}
