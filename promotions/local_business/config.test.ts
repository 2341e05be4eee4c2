import { describe, expect, it } from 'vitest'
import { localBusinessConfig } from './config'

const pathsOf = (input: unknown) =>
  localBusinessConfig.safeParse(input).error?.issues.map((issue) => issue.path.join('.')) ?? []

describe('the locator config', () => {
  it('leaves the map off unless the campaign turns it on', () => {
    const config = localBusinessConfig.parse({})
    expect(config.map).toEqual({ enabled: false, heightPx: 240 })
    expect(config.texts.map).toBe('Map of the stores')
    expect(localBusinessConfig.parse({ map: { enabled: true } }).map).toEqual({
      enabled: true,
      heightPx: 240,
    })
  })

  it('takes map heights from 120 to 480 whole pixels, and nothing else in the map', () => {
    expect(localBusinessConfig.parse({ map: { enabled: true, heightPx: 120 } }).map.heightPx).toBe(120)
    expect(localBusinessConfig.parse({ map: { enabled: true, heightPx: 480 } }).map.heightPx).toBe(480)
    expect(pathsOf({ map: { heightPx: 119 } })).toEqual(['map.heightPx'])
    expect(pathsOf({ map: { heightPx: 481 } })).toEqual(['map.heightPx'])
    expect(pathsOf({ map: { heightPx: 200.5 } })).toEqual(['map.heightPx'])
    expect(pathsOf({ map: { enabled: 'yes' } })).toEqual(['map.enabled'])
    expect(pathsOf({ map: { enabled: true, tiles: 'https://tiles.example/{z}/{x}/{y}.png' } })).toEqual([
      'map',
    ])
    expect(pathsOf({ map: true })).toEqual(['map'])
  })

  it("bounds the map's title and keeps it plain text", () => {
    expect(pathsOf({ texts: { map: 'x'.repeat(61) } })).toEqual(['texts.map'])
    expect(pathsOf({ texts: { map: '<b>Map</b>' } })).toEqual(['texts.map'])
    expect(pathsOf({ texts: { map: '' } })).toEqual(['texts.map'])
  })
})
