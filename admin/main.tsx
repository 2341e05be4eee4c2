import { render } from 'preact'
import { App } from './app'
import { keyboardScrollRegions } from './scroll-regions'

const container = document.getElementById('app')
if (container) {
  render(<App />, container)
  keyboardScrollRegions(container)
}
