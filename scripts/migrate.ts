/**
 * Applies the committed migrations to DATABASE_URL (PostgreSQL), or to the embedded PGlite database under
 * PROMO_DATA_DIR when DATABASE_URL is unset. Run it before deploying the Worker.
 */
import { openDatabase } from '../api/runtime/node'
import { nodeVariables } from '../api/runtime/node-env'

// Only the database's variables matter here: no public URL is needed to migrate.
const env = nodeVariables.parse(process.env)
const database = await openDatabase(env)
console.log(
  `migrations applied (${database.driver === 'postgres' ? 'PostgreSQL' : `PGlite at ${env.PROMO_DATA_DIR}`})`,
)
await database.close()
