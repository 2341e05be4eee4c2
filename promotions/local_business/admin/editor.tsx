import { Checks, ListField, SelectField, setIn, TextField } from '../../../admin/config-fields'
import type { ConfigEditorProps } from '../../../admin/promotion-type'

const geolocationLabels = {
  approximate: 'From the network, then a search',
  precise: 'Also "use my location" (asked only on tap)',
  off: 'Search only',
}
const unitLabels = { km: 'Kilometres', mi: 'Miles' }
const mapsLabels = { google: 'Google Maps', apple: 'Apple Maps', openstreetmap: 'OpenStreetMap' }
const actionLabels = {
  directions: 'Directions',
  call: 'Call',
  storePage: 'Store page',
  inventory: 'In stock badge',
}
const countLabels = { 1: '1', 2: '2', 3: '3', 4: '4', 5: '5' }

export const localBusinessLabels: Record<string, string> = {
  'config.storeRefs': 'Stores',
  'config.geolocation': 'Location',
  'config.maxStores': 'Stores shown',
  'config.radiusKm': 'Radius',
  'config.distanceUnit': 'Distances in',
  'config.actions': 'Buttons',
  'config.mapsProvider': 'Directions with',
  'config.sku': 'Product SKU',
  'config.texts.title': 'Title',
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** The locator's fields; every change reaches the live preview beside them. */
export function LocatorFields({ config, errors, onChange }: ConfigEditorProps) {
  const set = (path: string[], value: unknown) => onChange(setIn(config, path, value))
  const texts = (config.texts ?? {}) as Record<string, unknown>
  return (
    <>
      <SelectField
        path="config.geolocation"
        label="Location"
        errors={errors}
        labels={geolocationLabels}
        value={text(config.geolocation) || 'approximate'}
        onChange={(value) => set(['geolocation'], value)}
      />
      <Checks
        path="config.actions"
        legend="Buttons"
        labels={actionLabels}
        chosen={Array.isArray(config.actions) ? (config.actions as string[]) : ['directions', 'call']}
        errors={errors}
        onChange={(chosen) => set(['actions'], chosen)}
      />
      <SelectField
        path="config.mapsProvider"
        label="Directions with"
        errors={errors}
        labels={mapsLabels}
        value={text(config.mapsProvider) || 'google'}
        onChange={(value) => set(['mapsProvider'], value)}
      />
      <SelectField
        path="config.maxStores"
        label="Stores shown"
        errors={errors}
        labels={countLabels}
        value={String(config.maxStores ?? 3)}
        onChange={(value) => set(['maxStores'], Number(value))}
      />
      <SelectField
        path="config.distanceUnit"
        label="Distances in"
        errors={errors}
        labels={unitLabels}
        value={text(config.distanceUnit) || 'km'}
        onChange={(value) => set(['distanceUnit'], value)}
      />
      <ListField
        path="config.storeRefs"
        label="Stores"
        hint="Store refs, comma separated; empty for all of the site's stores."
        errors={errors}
        value={config.storeRefs}
        onChange={(refs) => set(['storeRefs'], refs.length ? refs : undefined)}
      />
      <TextField
        path="config.sku"
        label="Product SKU"
        hint={"For the stock badge; a slot's data-promo-sku wins over it."}
        errors={errors}
        value={config.sku}
        max={64}
        kind="code"
        onChange={(value) => set(['sku'], value)}
      />
      <TextField
        path="config.texts.title"
        label="Title"
        errors={errors}
        value={texts.title}
        max={80}
        onChange={(value) => set(['texts', 'title'], value)}
      />
    </>
  )
}
