import { isbot } from 'isbot'

/**
 * Crawlers, link previewers, uptime checkers and headless browsers, by User-Agent, from `isbot`'s maintained
 * list: their events and clicks are not stored, so they count for nothing. A request without a User-Agent is
 * not judged (browsers always send one; privacy proxies may strip it). Answers are kept for the few hundred
 * agents a site sees; the cache is emptied when full.
 */
const answers = new Map<string, boolean>()

export function isBot(userAgent: string | undefined): boolean {
  if (!userAgent) return false
  const agent = userAgent.slice(0, 512)
  let bot = answers.get(agent)
  if (bot === undefined) {
    bot = isbot(agent)
    if (answers.size >= 2_000) answers.clear()
    answers.set(agent, bot)
  }
  return bot
}
