import { describe, expect, it } from 'vitest'
import { offlineGeocoder } from './offline-geocoder'

const place = (postalCode: string | null, city: string, lat: number, lng: number, country = 'FR') => ({
  postalCode,
  city,
  country,
  lat,
  lng,
})
const known = [
  place('75004', 'Paris', 48.86, 2.35),
  place('75011', 'Paris', 48.86, 2.38),
  place('75015', 'Paris', 48.84, 2.3),
  place('69002', 'Lyon', 45.76, 4.83),
  place('10012', 'New York', 40.72, -74.0, 'US'),
  place(null, 'Saint-Étienne', 45.43, 4.39),
]

describe('offlineGeocoder', () => {
  it('places a postcode at the stores sharing its longest prefix', async () => {
    expect(await offlineGeocoder.locate('75011', { known })).toEqual({ lat: 48.86, lng: 2.38 })
    // 75012 shares "7501" with 75011 and 75015: their centre.
    const centre = await offlineGeocoder.locate('75012', { known })
    expect(centre!.lat).toBeCloseTo(48.85, 6)
    expect(centre!.lng).toBeCloseTo(2.34, 6)
    expect(await offlineGeocoder.locate('6', { known })).toBeNull()
    expect(await offlineGeocoder.locate('13001', { known })).toBeNull()
  })

  it('places a city by name, without accents, case or dashes', async () => {
    expect(await offlineGeocoder.locate('saint etienne', { known })).toEqual({ lat: 45.43, lng: 4.39 })
    expect(await offlineGeocoder.locate('LYON', { known })).toEqual({ lat: 45.76, lng: 4.83 })
    expect(await offlineGeocoder.locate('Marseille', { known })).toBeNull()
  })

  it("keeps to the visitor's country when told", async () => {
    expect(await offlineGeocoder.locate('10012', { known, country: 'FR' })).toBeNull()
    expect(await offlineGeocoder.locate('10012', { known, country: 'US' })).toEqual({
      lat: 40.72,
      lng: -74.0,
    })
  })
})
