import { describe, expect, it } from 'vitest'
import { boundsOf, centredOn, embedUrl } from './map-bounds'

const marais = { lat: 48.8589, lng: 2.3561 }
const oberkampf = { lat: 48.8649, lng: 2.3752 }
const vaugirard = { lat: 48.8412, lng: 2.2997 }
const bellecour = { lat: 45.7578, lng: 4.832 }

describe('the map box', () => {
  it('shows one store at street level: a hundredth of a degree each way, the store in the middle', () => {
    expect(boundsOf([oberkampf])).toEqual([2.3702, 48.8599, 2.3802, 48.8699])
  })

  it('fits stores across a city with a tenth of the span on each side, never less than the least margin', () => {
    // West to east 2.2997..2.3752 (span 0.0755, margin 0.00755); south to north 48.8412..48.8649 (span 0.0237,
    // a tenth is below the least margin of 0.005).
    expect(boundsOf([oberkampf, marais, vaugirard])).toEqual([2.29215, 48.8362, 2.38275, 48.8699])
  })

  it('fits stores in two cities', () => {
    // 45.7578..48.8589 (span 3.1011) and 2.3561..4.832 (span 2.4759), a tenth of each on each side.
    expect(boundsOf([marais, bellecour])).toEqual([2.10851, 45.44769, 5.07959, 49.16901])
  })

  it('stays on the map near its edges', () => {
    expect(boundsOf([{ lat: 85, lng: 179.998 }])).toEqual([179.993, 84.995, 180, 85])
    expect(boundsOf([{ lat: -84.998, lng: -180 }])).toEqual([-180, -85, -179.995, -84.993])
  })

  it('re-centres a box on a picked store, keeping its size', () => {
    const all = boundsOf([oberkampf, marais, vaugirard])
    expect(centredOn(all, marais)).toEqual([2.3108, 48.84205, 2.4014, 48.87575])
    expect(centredOn(boundsOf([bellecour]), bellecour)).toEqual(boundsOf([bellecour]))
  })

  it("makes OpenStreetMap's embed address with the box and the marker", () => {
    expect(embedUrl([2.3702, 48.8599, 2.3802, 48.8699], oberkampf)).toBe(
      'https://www.openstreetmap.org/export/embed.html?bbox=2.3702,48.8599,2.3802,48.8699&layer=mapnik&marker=48.8649,2.3752',
    )
  })
})
