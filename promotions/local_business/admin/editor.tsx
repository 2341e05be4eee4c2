import {
  Checks,
  ListField,
  numberText,
  numberValue,
  object,
  SelectField,
  setIn,
  strings,
  TextField,
  Toggle,
} from '../../../admin/config-fields'
import { Field, NumberInput } from '../../../admin/field'
import type { ConfigEditorProps } from '../../../admin/promotion-type'
import { localBusinessConfig } from '../config'

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
const countLabels = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), String(i + 1)]))

/** Every word the card says, with the schema's length limit (promotions/local_business/config.ts). */
export const locatorTexts = [
  { key: 'title', label: 'Title', max: 80 },
  { key: 'searchPlaceholder', label: 'Search box placeholder', max: 60 },
  { key: 'search', label: 'Search button', max: 30 },
  { key: 'useLocation', label: '"Use my location" button', max: 40 },
  { key: 'openNow', label: 'Open now', max: 30 },
  { key: 'closesAt', label: 'Closes at', max: 30 },
  { key: 'closed', label: 'Closed', max: 30 },
  { key: 'opens', label: 'Opens', max: 30 },
  { key: 'directions', label: 'Directions button', max: 30 },
  { key: 'call', label: 'Call button', max: 30 },
  { key: 'storePage', label: 'Store page link', max: 30 },
  { key: 'inStock', label: 'In stock', max: 30 },
  { key: 'outOfStock', label: 'Out of stock', max: 30 },
  { key: 'noResult', label: 'No store found', max: 80 },
  { key: 'map', label: 'Map title (read out for the map)', max: 60 },
] as const
const weekdayMax = 20

/** The texts the schema fills when a campaign leaves them out: the fields' hints. */
const defaultTexts = localBusinessConfig.shape.texts.parse(undefined)

export const localBusinessLabels: Record<string, string> = {
  'config.storeRefs': 'Stores',
  'config.geolocation': 'Location',
  'config.maxStores': 'Stores shown',
  'config.radiusKm': 'Radius',
  'config.distanceUnit': 'Distances in',
  'config.actions': 'Buttons',
  'config.mapsProvider': 'Directions with',
  'config.map.enabled': 'Map',
  'config.map.heightPx': 'Map height',
  'config.sku': 'Product SKU',
  ...Object.fromEntries(locatorTexts.map(({ key, label }) => [`config.texts.${key}`, label])),
  'config.texts.weekdays': 'Weekday names',
  ...Object.fromEntries(
    defaultTexts.weekdays.map((day, index) => [`config.texts.weekdays.${index}`, `Weekday name (${day})`]),
  ),
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** The locator's fields, every one of the config's; each change reaches the live preview beside them. */
export function LocatorFields({ config, errors, onChange }: ConfigEditorProps) {
  const set = (path: string[], value: unknown) => onChange(setIn(config, path, value))
  const texts = object(config.texts)
  const map = object(config.map)
  const typedDays = strings(texts.weekdays)
  const weekdays = typedDays.length === 7 ? typedDays : [...defaultTexts.weekdays]
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
      <Toggle
        path="config.map.enabled"
        label="Show a map of the stores"
        hint="Off by default. On, each visitor's browser loads the map from OpenStreetMap, a third party that then sees the visitor's IP address."
        checked={map.enabled === true}
        errors={errors}
        onChange={(on) => set(['map', 'enabled'], on)}
      />
      {map.enabled === true && (
        <Field path="config.map.heightPx" label="Map height (px)" errors={errors} hint="120 to 480 px.">
          {(control) => (
            <NumberInput
              control={control}
              min={120}
              max={480}
              value={numberText(map.heightPx ?? 240)}
              onInput={(typed) => set(['map', 'heightPx'], numberValue(typed))}
            />
          )}
        </Field>
      )}
      <div class="grid-2">
        <SelectField
          path="config.maxStores"
          label="Stores shown"
          errors={errors}
          labels={countLabels}
          value={String(config.maxStores ?? 3)}
          onChange={(value) => set(['maxStores'], Number(value))}
        />
        <Field
          path="config.radiusKm"
          label="Radius (km)"
          errors={errors}
          hint="1 to 1000 km around the place."
        >
          {(control) => (
            <NumberInput
              control={control}
              min={1}
              max={1000}
              step="any"
              value={numberText(config.radiusKm ?? 50)}
              onInput={(typed) => set(['radiusKm'], numberValue(typed))}
            />
          )}
        </Field>
      </div>
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
      <h3>Texts</h3>
      <div class="grid-2">
        {locatorTexts.map(({ key, label, max }) => (
          <TextField
            key={key}
            path={`config.texts.${key}`}
            label={label}
            hint={`${key === 'title' ? 'When the variant has no headline. ' : ''}Empty: "${defaultTexts[key]}".`}
            errors={errors}
            value={texts[key]}
            max={max}
            onChange={(value) => set(['texts', key], value)}
          />
        ))}
      </div>
      <h3>Weekday names</h3>
      <div class="grid-2">
        {weekdays.map((day, index) => (
          <TextField
            key={defaultTexts.weekdays[index]}
            path={`config.texts.weekdays.${index}`}
            label={defaultTexts.weekdays[index] ?? String(index)}
            errors={errors}
            value={day}
            max={weekdayMax}
            onChange={(value) =>
              set(
                ['texts', 'weekdays'],
                weekdays.map((name, at) => (at === index ? (value ?? '') : name)),
              )
            }
          />
        ))}
      </div>
    </>
  )
}
