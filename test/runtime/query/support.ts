/**
 * A PGlite database with the flagship schema for the SQL builder tests, and the plans for it.
 */
import { loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { emitSchemaSql } from '../../../src/design/sql/index.js';
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import { createEntityPlans, type EntityPlan } from '../../../src/runtime/query/index.js';

export interface Fixture {
  readonly model: Model;
  readonly driver: Driver;
  readonly plans: ReadonlyMap<string, EntityPlan>;
  plan(name: string): EntityPlan;
}

export async function loadFlagship(): Promise<Model> {
  return loadBlueprint('examples/inventory');
}

export async function createFixture(): Promise<Fixture> {
  const model = await loadFlagship();
  const driver = await createDriver({ memory: true });
  await driver.exec(emitSchemaSql(model));
  const plans = createEntityPlans(model);
  return { model, driver, plans, plan: (name) => plans.get(name)! };
}
