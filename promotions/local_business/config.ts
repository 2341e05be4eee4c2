import { z } from 'zod'
import { plainText, sku, storeRef } from './store'

/** What the locator card says; the site's own words in its own language. */
const texts = z
  .strictObject({
    title: plainText(80).min(1).default('Find a store'),
    searchPlaceholder: plainText(60).min(1).default('Postcode or city'),
    search: plainText(30).min(1).default('Search'),
    useLocation: plainText(40).min(1).default('Use my location'),
    openNow: plainText(30).min(1).default('Open now'),
    closesAt: plainText(30).min(1).default('closes at'),
    closed: plainText(30).min(1).default('Closed'),
    opens: plainText(30).min(1).default('opens'),
    directions: plainText(30).min(1).default('Directions'),
    call: plainText(30).min(1).default('Call'),
    storePage: plainText(30).min(1).default('Store page'),
    inStock: plainText(30).min(1).default('In stock'),
    outOfStock: plainText(30).min(1).default('Out of stock'),
    noResult: plainText(80).min(1).default('No store near there'),
    /** The map's title, which screen readers announce for its frame. */
    map: plainText(60).min(1).default('Map of the stores'),
    /** Weekday names, Sunday first, for "opens Monday 09:00". */
    weekdays: z
      .array(plainText(20).min(1))
      .length(7)
      .default(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']),
  })
  .prefault({})

/**
 * The store locator: the site's stores live in their own table (promotions/local_business/server/stores.ts, the
 * admin's Stores screen and CSV import); a campaign chooses which of them it shows and how.
 */
export const localBusinessConfig = z.strictObject({
  /** The stores this locator answers from, by ref; all of the site's stores when absent. */
  storeRefs: z
    .array(storeRef)
    .min(1)
    .max(500)
    .refine((refs) => new Set(refs).size === refs.length, 'a store appears twice')
    .optional(),
  /**
   * `approximate`: the first answer comes from the request's network location (country, region, city; never
   * stored); `precise` also offers "use my location", which asks the browser only after the tap; `off`: search only.
   */
  geolocation: z.enum(['approximate', 'precise', 'off']).default('approximate'),
  maxStores: z.number().int().min(1).max(10).default(3),
  radiusKm: z.number().min(1).max(1_000).default(50),
  distanceUnit: z.enum(['km', 'mi']).default('km'),
  actions: z
    .array(z.enum(['directions', 'call', 'storePage', 'inventory']))
    .min(1)
    .max(4)
    .refine((actions) => new Set(actions).size === actions.length, 'an action appears twice')
    .default(['directions', 'call']),
  mapsProvider: z.enum(['google', 'apple', 'openstreetmap']).default('google'),
  /**
   * A map of the stores shown, off by default. Turned on, the card embeds OpenStreetMap's map
   * (`https://www.openstreetmap.org/export/embed.html`) in a sandboxed frame that sends no referrer: the visitor's
   * browser then loads OpenStreetMap's page and tiles, so OpenStreetMap sees the visitor's IP address. Off, nothing
   * on the card loads from another host. The map is `heightPx` tall and keeps that room from the start, so nothing
   * moves when it loads; the list stays the card's main part.
   */
  map: z
    .strictObject({
      enabled: z.boolean().default(false),
      heightPx: z.number().int().min(120).max(480).default(240),
    })
    .prefault({}),
  /** The product whose local stock the `inventory` action shows; the page's `data-promo-sku` wins over it. */
  sku: sku.optional(),
  texts,
})
export type LocalBusinessConfig = z.infer<typeof localBusinessConfig>
