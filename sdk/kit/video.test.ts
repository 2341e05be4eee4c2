// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { trackVideo } from './video'

/** A video whose clock, duration and state the test sets, then announces with the media event. */
function setup(state: { loop?: boolean } = {}) {
  const video = document.createElement('video')
  video.muted = true
  video.loop = !!state.loop
  const media = { currentTime: 0, duration: 20, ended: false }
  for (const key of Object.keys(media) as (keyof typeof media)[])
    Object.defineProperty(video, key, { get: () => media[key] })
  const track = vi.fn()
  const stop = trackVideo(video, track)
  const fire = (name: string) => video.dispatchEvent(new Event(name))
  const at = (seconds: number) => {
    media.currentTime = seconds
    fire('timeupdate')
  }
  const end = () => {
    media.currentTime = media.duration
    media.ended = true
    fire('pause')
    fire('ended')
  }
  const names = () => track.mock.calls.map(([name]) => name)
  return { video, track, stop, fire, at, end, names, media }
}

describe('video events', () => {
  it('sends play and each quartile once, in order, however often they are passed', () => {
    const unit = setup()
    unit.fire('play')
    for (const seconds of [1, 4.9, 5, 9, 10, 2, 5, 10, 14.9, 15, 19]) unit.at(seconds)
    unit.end()
    unit.fire('play')
    unit.at(19)
    unit.end()
    expect(unit.names()).toEqual(['play', 'video_25', 'video_50', 'video_75', 'video_100'])
  })

  it('passes every quartile a seek jumps over', () => {
    const unit = setup()
    unit.at(16)
    expect(unit.names()).toEqual(['video_25', 'video_50', 'video_75'])
  })

  it('sends nothing for progress while the duration is unknown', () => {
    const unit = setup()
    unit.media.duration = Number.NaN
    unit.at(3)
    expect(unit.names()).toEqual([])
  })

  it("sends the visitor's pauses, but not the pause at the end", () => {
    const unit = setup()
    unit.at(6.2)
    unit.fire('pause')
    unit.at(8)
    unit.fire('pause')
    unit.end()
    expect(unit.track.mock.calls.filter(([name]) => name === 'pause')).toEqual([
      ['pause', { seconds: 6 }],
      ['pause', { seconds: 8 }],
    ])
  })

  it('sends unmute and mute when the sound changes, not on volume changes alone', () => {
    const unit = setup()
    unit.video.muted = false
    unit.fire('volumechange')
    unit.video.volume = 0.5
    unit.fire('volumechange')
    unit.video.muted = true
    unit.fire('volumechange')
    expect(unit.names()).toEqual(['unmute', 'mute'])
  })

  it('counts a looping video that starts over as watched to the end', () => {
    const unit = setup({ loop: true })
    for (const seconds of [5, 10, 15, 19.8, 0.1]) unit.at(seconds)
    expect(unit.names()).toEqual(['video_25', 'video_50', 'video_75', 'video_100'])
  })

  it('stops listening when stopped', () => {
    const unit = setup()
    unit.stop()
    unit.fire('play')
    unit.at(19)
    expect(unit.track).not.toHaveBeenCalled()
  })
})
