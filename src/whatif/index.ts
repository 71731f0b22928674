export { HypopgEngine } from './hypopg-engine.ts';
export type { WhatIfConfiguration, WhatIfCost, WhatIfCostOptions, WhatIfEngine } from './what-if-engine.ts';
