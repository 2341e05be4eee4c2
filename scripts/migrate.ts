/**
 * Applies the committed migrations to DATABASE_URL (PostgreSQL), or to the embedded PGlite database under
 * PROMO_DATA_DIR when DATABASE_URL is unset. Run it before deploying the Worker.
 */
import { openDatabase } from '../api/runtime/node'
import { nodeEnv } from '../api/runtime/node-env'

const env = nodeEnv.parse(process.env)
const database = await openDatabase(env)
console.log(
  `migrations applied (${database.driver === 'postgres' ? 'PostgreSQL' : `PGlite at ${env.PROMO_DATA_DIR}`})`,
)
await database.close()
