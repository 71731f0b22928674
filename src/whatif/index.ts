export { HypopgEngine } from './hypopg-engine.ts';
export type { WhatIfConfiguration, WhatIfCost, WhatIfEngine } from './what-if-engine.ts';
